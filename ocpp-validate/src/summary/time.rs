//! Times as `summary` writes them: RFC 3339 with every fractional digit the input gave, in
//! groups of three (milliseconds, microseconds, nanoseconds), so that a time in the report
//! joins back to the row it came from.

use ocpp_types::primitives::DateTime;
use serde::Serializer;

/// The time in RFC 3339, `Z` for UTC, with as many fractional digits as it needs (0, 3, 6
/// or 9).
pub fn precise(time: &DateTime) -> String {
    let local = time.as_chrono().naive_local();
    let mut text = local.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
    let offset_minutes = time.offset().local_minus_utc() / 60;
    if offset_minutes == 0 {
        text.push('Z');
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let minutes = offset_minutes.abs();
        text.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    text
}

/// Serializes a time, when there is one, with [`precise`].
pub(super) fn serialize<S: Serializer>(
    time: &Option<DateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serializer.collect_str(&precise(time)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digits_given_are_kept() {
        for text in [
            "2024-03-01T08:31:05Z",
            "2024-03-01T08:31:05.250Z",
            "2024-03-01T08:31:05.654321Z",
            "2024-03-01T08:31:05.000000001+02:00",
        ] {
            let time = DateTime::parse(text).expect("valid");
            assert_eq!(precise(&time), text);
        }
    }
}
