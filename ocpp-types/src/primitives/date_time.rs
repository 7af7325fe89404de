use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// An RFC 3339 date-time, as the schemas' `format: date-time` requires.
///
/// Decoding keeps the sender's UTC offset and every fractional digit it sent (up to
/// nanoseconds); encoding writes at most three fractional digits (milliseconds, truncated),
/// `Z` for a zero offset and `±HH:MM` otherwise. Two values are equal when both the instant
/// and the offset are equal.
#[derive(Debug, Clone, Copy)]
pub struct DateTime(chrono::DateTime<FixedOffset>);

impl DateTime {
    /// Parses RFC 3339 text: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `T` and `Z` in
    /// either case; a leap second only where it falls at 23:59:60 UTC.
    pub fn parse(text: &str) -> Result<Self, ConstraintError> {
        parse_rfc3339(text)
            .map(Self)
            .map_err(|reason| ConstraintError::DateTime {
                value: text.to_owned(),
                reason,
            })
    }

    /// The instant with the offset it was written in.
    pub fn as_chrono(&self) -> &chrono::DateTime<FixedOffset> {
        &self.0
    }

    /// The UTC offset the value was written in.
    pub fn offset(&self) -> FixedOffset {
        self.0.offset().fix()
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = ConstraintError;

    /// Accepts years 0 to 9999 and offsets in whole minutes, the values RFC 3339 can write.
    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, Self::Error> {
        let reason = if !(0..=9999).contains(&chrono::Datelike::year(&value.naive_local())) {
            Some("year outside 0000..=9999")
        } else if value.offset().local_minus_utc() % 60 != 0 {
            Some("offset not in whole minutes")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(ConstraintError::DateTime {
                value: value.to_rfc3339(),
                reason,
            }),
            None => Ok(Self(value)),
        }
    }
}

impl TryFrom<chrono::DateTime<chrono::Utc>> for DateTime {
    type Error = ConstraintError;

    fn try_from(value: chrono::DateTime<chrono::Utc>) -> Result<Self, Self::Error> {
        Self::try_from(value.fixed_offset())
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.offset() == other.offset()
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.naive_utc().hash(state);
        self.offset().local_minus_utc().hash(state);
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0.naive_local();
        write!(f, "{}", local.format("%Y-%m-%dT%H:%M:%S"))?;
        let millis = (local.nanosecond() % 1_000_000_000) / 1_000_000;
        if millis != 0 {
            write!(f, ".{millis:03}")?;
        }
        let offset_minutes = self.offset().local_minus_utc() / 60;
        if offset_minutes == 0 {
            f.write_str("Z")
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let minutes = offset_minutes.abs();
            write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        }
    }
}

impl FromStr for DateTime {
    type Err = ConstraintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl serde::de::Visitor<'_> for Text {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Text)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for DateTime {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Whole milliseconds between 1970 and 2100, so that encoding loses nothing.
        let millis = u.int_in_range(0..=4_102_444_800_000_i64)?;
        let offset_minutes = u.int_in_range(-(23 * 60 + 59)..=(23 * 60 + 59))?;
        let offset = FixedOffset::east_opt(offset_minutes * 60)
            .unwrap_or(FixedOffset::east_opt(0).ok_or(arbitrary::Error::IncorrectFormat)?);
        let utc = chrono::DateTime::from_timestamp_millis(millis)
            .ok_or(arbitrary::Error::IncorrectFormat)?;
        Ok(Self(utc.with_timezone(&offset)))
    }
}

fn digits(bytes: &[u8], at: usize, count: usize) -> Result<u32, &'static str> {
    let slice = bytes.get(at..at + count).ok_or("too short")?;
    slice.iter().try_fold(0_u32, |acc, b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + u32::from(b - b'0'))
        } else {
            Err("digit expected")
        }
    })
}

fn expect(
    bytes: &[u8],
    at: usize,
    wanted: &[u8],
    reason: &'static str,
) -> Result<(), &'static str> {
    match bytes.get(at) {
        Some(b) if wanted.contains(b) => Ok(()),
        _ => Err(reason),
    }
}

fn parse_rfc3339(text: &str) -> Result<chrono::DateTime<FixedOffset>, &'static str> {
    let bytes = text.as_bytes();
    let year = digits(bytes, 0, 4)?;
    expect(bytes, 4, b"-", "'-' expected after the year")?;
    let month = digits(bytes, 5, 2)?;
    expect(bytes, 7, b"-", "'-' expected after the month")?;
    let day = digits(bytes, 8, 2)?;
    expect(bytes, 10, b"Tt", "'T' expected between date and time")?;
    let hour = digits(bytes, 11, 2)?;
    expect(bytes, 13, b":", "':' expected after the hour")?;
    let minute = digits(bytes, 14, 2)?;
    expect(bytes, 16, b":", "':' expected after the minutes")?;
    let second = digits(bytes, 17, 2)?;
    let mut at = 19;
    let mut nanos = 0_u32;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(bytes[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return Err("digit expected after '.'");
        }
        for _ in (at - start)..9 {
            nanos *= 10;
        }
    }
    let offset_seconds = match bytes.get(at) {
        Some(b'Z' | b'z') if at + 1 == bytes.len() => 0,
        Some(sign @ (b'+' | b'-')) if at + 6 == bytes.len() => {
            let hours = digits(bytes, at + 1, 2)?;
            expect(bytes, at + 3, b":", "':' expected in the offset")?;
            let minutes = digits(bytes, at + 4, 2)?;
            if hours > 23 || minutes > 59 {
                return Err("offset out of range");
            }
            let magnitude =
                i32::try_from(hours * 3600 + minutes * 60).map_err(|_| "offset out of range")?;
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return Err("offset ('Z' or '±HH:MM') expected at the end"),
    };
    let offset = FixedOffset::east_opt(offset_seconds).ok_or("offset out of range")?;
    let date = NaiveDate::from_ymd_opt(
        year.try_into().map_err(|_| "year out of range")?,
        month,
        day,
    )
    .ok_or("no such calendar date")?;
    if hour > 23 || minute > 59 || second > 60 {
        return Err("time of day out of range");
    }
    let time = if second == 60 {
        let local = NaiveDateTime::new(
            date,
            NaiveTime::from_hms_opt(hour, minute, 59).ok_or("time of day out of range")?,
        );
        let utc = local - offset;
        if (utc.hour(), utc.minute()) != (23, 59) {
            return Err("leap second not at 23:59:60 UTC");
        }
        NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000 + nanos)
    } else {
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }
    .ok_or("time of day out of range")?;
    NaiveDateTime::new(date, time)
        .and_local_timezone(offset)
        .single()
        .ok_or("instant out of range")
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DateTime {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DateTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date-time" })
    }
}
