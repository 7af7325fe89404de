//! Log lines holding an OCPP-J frame after a prefix, as CSMS and proxy logs write them:
//! `2024-05-01T10:00:00Z INFO [cp=CP-1] received: [2,"1","Heartbeat",{}]`.
//!
//! The frame is the first `[` followed by a message type 2, 3 or 4 and a comma, up to its
//! matching `]`. The prefix before it is searched for:
//! * a timestamp as its first token (or first two, `2024-05-01 10:00:00.123`), read as UTC
//!   when it names no offset;
//! * the charge point, as `key=value` or `key: value` with a key such as `cp`, `chargePointId`,
//!   `chargeBoxId`, `station` or `identity`;
//! * the direction: an arrow naming both ends (`CP→CSMS`, `CSMS->CP`, `CS→`) wins; otherwise
//!   the words are read from the CSMS's side, as in a CSMS log: `send`/`sent`/`→` is a frame
//!   to the charge point, `receive`/`received`/`←` one from it.
//!
//! A line without a frame (start-up messages, other log output) is not a record.

use ocpp_model::primitives::DateTime;

use super::{FrameSource, Record};
use ocpp_model::Sender;

/// Keys that name the charge point in a prefix, compared lowercased without `-` and `_`.
const CHARGE_POINT_KEYS: &[&str] = &[
    "cp",
    "chargepoint",
    "chargepointid",
    "chargeboxid",
    "cs",
    "chargingstation",
    "chargingstationid",
    "station",
    "stationid",
    "identity",
];

/// Reads one log line; `None` when it holds no frame.
pub(super) fn read<'a>(base: Record<'a>, text: &'a str) -> Option<Record<'a>> {
    let (start, charge_point) = locate(text)?;
    let charge_point = charge_point.map(str::to_owned);
    Some(complete(
        Record {
            charge_point,
            ..base
        },
        text,
        start,
    ))
}

/// The first part of reading a log line, all that is needed to number and route it: where
/// its frame starts and the charge point; `None` when it holds no frame.
pub(super) fn locate(text: &str) -> Option<(usize, Option<&str>)> {
    let start = frame_start(text)?;
    Some((start, charge_point(&text[..start])))
}

/// The rest of reading a log line whose frame starts at `start`: the frame, the direction
/// and the timestamp.
pub(super) fn complete<'a>(base: Record<'a>, text: &'a str, start: usize) -> Record<'a> {
    let end = frame_end(text, start);
    let prefix = &text[..start];
    Record {
        origin: origin(prefix),
        timestamp: timestamp(prefix),
        frame: Ok(FrameSource::Text(text[start..end].into())),
        ..base
    }
}

/// Where the frame starts: a `[` followed by 2, 3 or 4 and then a comma.
pub(crate) fn frame_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'[', bytes).find(|&open| {
        let mut rest = bytes[open + 1..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace());
        matches!(rest.next(), Some(b'2'..=b'4'))
            && rest.find(|b| !b.is_ascii_whitespace()) == Some(&b',')
    })
}

/// Where the frame that starts at `start` ends: after its matching `]`, or at the end of the
/// line when it has none (the frame check then reports it).
pub(crate) fn frame_end(text: &str, start: usize) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in text.as_bytes()[start..].iter().enumerate() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => depth += 1,
            (false, _, b']' | b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return start + offset + 1;
                }
            }
            (false, _, _) => {}
        }
    }
    text.trim_end().len()
}

/// The direction the prefix names, if any.
fn origin(prefix: &str) -> Option<Sender> {
    let arrows =
        prefix.contains(['→', '←']) || ["->", "<-", "-to-"].iter().any(|a| prefix.contains(a));
    if arrows {
        let lower = prefix
            .to_lowercase()
            .replace("->", "→")
            .replace("<-", "←")
            .replace(' ', "");
        // Tried in this order: `→csms` before `→cs`, which it contains.
        let patterns = [
            (
                &["→csms", "csms←", "cp-to-csms"][..],
                Sender::ChargingStation,
            ),
            (
                &["csms→", "→cp", "→cs", "cp←", "cs←", "csms-to-cp"][..],
                Sender::Csms,
            ),
            (&["cp→", "cs→"][..], Sender::ChargingStation),
        ];
        for (needles, origin) in patterns {
            if needles.iter().any(|n| lower.contains(n)) {
                return Some(origin);
            }
        }
    }
    let is = |word: &str, list: &[&str]| list.iter().any(|w| word.eq_ignore_ascii_case(w));
    let sending = ["send", "sent", "sending", "outgoing", "→"];
    let receiving = ["receive", "received", "receiving", "recv", "incoming", "←"];
    prefix
        .split(|c: char| !c.is_alphanumeric() && c != '→' && c != '←')
        .find_map(|word| {
            if is(word, &sending) {
                Some(Sender::Csms)
            } else if is(word, &receiving) {
                Some(Sender::ChargingStation)
            } else {
                None
            }
        })
}

/// The charge point the prefix names as `key=value` or `key: value`, if any.
pub(crate) fn charge_point(prefix: &str) -> Option<&str> {
    let separators = |c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',');
    let mut tokens = prefix.split(separators).filter(|t| !t.is_empty());
    while let Some(token) = tokens.next() {
        let (key, value) = match token.split_once(['=', ':']) {
            Some((key, "")) => (key, tokens.next().unwrap_or("")),
            Some(pair) => pair,
            None => continue,
        };
        let names_charge_point = CHARGE_POINT_KEYS.iter().any(|known| {
            key.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .map(|c| c.to_ascii_lowercase())
                .eq(known.chars())
        });
        let value = value.trim_matches(|c| matches!(c, '"' | '\'' | ':' | ';'));
        if names_charge_point && !value.is_empty() {
            return Some(value);
        }
    }
    None
}

/// The timestamp the prefix starts with, if any.
fn timestamp(prefix: &str) -> Option<DateTime> {
    let mut tokens = prefix
        .split_whitespace()
        .map(|t| t.trim_matches(|c| matches!(c, '[' | ']')));
    let first = tokens.next()?;
    let candidate = match tokens.next() {
        Some(time) if first.len() == 10 && time.starts_with(|c: char| c.is_ascii_digit()) => {
            format!("{first}T{time}")
        }
        _ => first.to_owned(),
    };
    let candidate = candidate.trim_end_matches(':');
    DateTime::parse(candidate)
        .or_else(|_| DateTime::parse(&format!("{candidate}Z")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_line(text: &str) -> Option<Record<'_>> {
        let base = Record {
            index: 0,
            line: 1,
            version: None,
            origin: None,
            charge_point: None,
            timestamp: None,
            notes: Vec::new(),
            open_trace: Default::default(),
            frame: Ok(FrameSource::Text(text.into())),
            paired: true,
        };
        read(base, text)
    }

    fn frame(record: &Record<'_>) -> String {
        match &record.frame {
            Ok(FrameSource::Text(text)) => text.to_string(),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    #[test]
    fn the_frame_prefix_direction_and_charge_point_are_read() {
        let line = r#"2024-05-01 10:00:00.120 INFO [cp=CP-1] received: [2,"a]1","Heartbeat",{}] (12 bytes)"#;
        let record = read_line(line).expect("a frame");
        assert_eq!(frame(&record), r#"[2,"a]1","Heartbeat",{}]"#);
        assert_eq!(record.origin, Some(Sender::ChargingStation));
        assert_eq!(record.charge_point.as_deref(), Some("CP-1"));
        assert_eq!(
            record.timestamp.map(|t| t.to_string()),
            Some("2024-05-01T10:00:00.120Z".to_owned())
        );
    }

    #[test]
    fn arrows_naming_both_ends_win_over_words() {
        let record = read_line(r#"[INFO] CSMS -> CP send [3,"1",{}]"#).expect("a frame");
        assert_eq!(record.origin, Some(Sender::Csms));
        let record =
            read_line(r#"chargeBoxId: CB7 CS→CSMS [2,"1","Heartbeat",{}]"#).expect("a frame");
        assert_eq!(record.origin, Some(Sender::ChargingStation));
        assert_eq!(record.charge_point.as_deref(), Some("CB7"));
        let record = read_line(r#"sent [3,"1",{}]"#).expect("a frame");
        assert_eq!(record.origin, Some(Sender::Csms));
    }

    #[test]
    fn lines_without_a_frame_are_not_records_and_no_words_mean_no_direction() {
        assert!(read_line("server started on port 9000 [main]").is_none());
        let record = read_line(r#"x [2,"1","Heartbeat",{}"#).expect("a frame");
        assert_eq!(frame(&record), r#"[2,"1","Heartbeat",{}"#);
        assert_eq!(record.origin, None);
        assert_eq!(record.charge_point, None);
        assert_eq!(record.timestamp, None);
    }
}
