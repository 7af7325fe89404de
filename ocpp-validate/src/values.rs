//! Times and quantities as reports write them: times in RFC 3339 with every fractional
//! digit the input gave, in groups of three (milliseconds, microseconds, nanoseconds), so
//! that a time in the report joins back to the row it came from; decimals as JSON numbers
//! with their exact digits.

use ocpp_model::primitives::{DateTime, Decimal};
use serde::{Serialize, Serializer};

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
pub(crate) fn time<S: Serializer>(
    time: &Option<DateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serializer.collect_str(&precise(time)),
        None => serializer.serialize_none(),
    }
}

/// Serializes a decimal, when there is one, as a JSON number with its exact digits.
pub(crate) fn number<S: Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let number = value.and_then(|v| v.normalize().to_string().parse::<serde_json::Number>().ok());
    number.serialize(serializer)
}

/// Serializes a map of decimals as an object of JSON numbers with their exact digits.
pub(crate) fn number_map<S: Serializer>(
    map: &std::collections::BTreeMap<String, Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (key, value) in map {
        let number = value
            .normalize()
            .to_string()
            .parse::<serde_json::Number>()
            .ok();
        out.serialize_entry(key, &number)?;
    }
    out.end()
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
