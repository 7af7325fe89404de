//! Date-time rules: repairs of the common non-RFC 3339 spellings, one rule per repair.

use ocpp_model::primitives::DateTime;

use super::rules::RuleId;

/// The repairs that turn `text` into an RFC 3339 date-time, each as (rule, text after it),
/// in order; `None` when the text is not a date-time these rules can repair.
pub(super) fn repairs(text: &str) -> Option<Vec<(RuleId, String)>> {
    // `YYYY-MM-DD?hh:mm:ss` is 19 ASCII characters; anything shorter or non-ASCII is not ours.
    if text.len() < 19 || text.len() > 64 || !text.is_ascii() {
        return None;
    }
    let mut steps = Vec::new();
    let mut current = text.to_owned();
    if current.as_bytes()[10] == b' ' {
        current.replace_range(10..11, "T");
        steps.push((RuleId::DateTimeSpace, current.clone()));
    }
    // Any number of fractional digits is valid RFC 3339 (and accepted by the strict type).
    let end = match current.as_bytes().get(19) {
        Some(b'.') => 20 + current[20..].bytes().take_while(u8::is_ascii_digit).count(),
        _ => 19,
    };
    let offset = &current[end..];
    let repaired_offset = match offset.as_bytes() {
        [] => Some((RuleId::DateTimeNoOffset, "Z".to_owned())),
        [sign @ (b'+' | b'-'), h1, h2] if h1.is_ascii_digit() && h2.is_ascii_digit() => Some((
            RuleId::DateTimeShortOffset,
            format!("{}{}{}:00", *sign as char, *h1 as char, *h2 as char),
        )),
        [sign @ (b'+' | b'-'), h1, h2, m1, m2]
            if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) =>
        {
            Some((
                RuleId::DateTimeShortOffset,
                format!(
                    "{}{}{}:{}{}",
                    *sign as char, *h1 as char, *h2 as char, *m1 as char, *m2 as char
                ),
            ))
        }
        _ => None,
    };
    if let Some((rule, replacement)) = repaired_offset {
        current.replace_range(end.., &replacement);
        steps.push((rule, current.clone()));
    }
    (!steps.is_empty() && DateTime::parse(&current).is_ok()).then_some(steps)
}
