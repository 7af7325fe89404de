//! Parquet values as JSON: a struct becomes an object, a list an array, a map an object
//! keyed by the map's keys as text; timestamps become RFC 3339 text in UTC keeping the
//! precision the file stores (milliseconds, microseconds or nanoseconds).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use parquet::basic::{LogicalType, TimeUnit};
use parquet::data_type::Decimal;
use parquet::record::{Field, Row};
use parquet::schema::types::SchemaDescriptor;
use serde_json::{Map, Number, Value};

/// How many fractional digits a timestamp is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    /// Milliseconds.
    Millis,
    /// Microseconds (Spark's timestamps).
    Micros,
    /// Nanoseconds (pyarrow's default for pandas times).
    Nanos,
}

/// The top-level columns of a file that hold nanosecond timestamps as plain 64-bit integers
/// (the row API reads them as numbers; their logical type says they are times).
pub(super) fn nanosecond_columns(schema: &SchemaDescriptor) -> Vec<String> {
    schema
        .root_schema()
        .get_fields()
        .iter()
        .filter(|field| {
            matches!(
                field.get_basic_info().logical_type_ref(),
                Some(LogicalType::Timestamp(time)) if time.unit == TimeUnit::NANOS
            )
        })
        .map(|field| field.name().to_owned())
        .collect()
}

/// A row as a JSON object, nanosecond columns written as times.
pub(super) fn row(row: &Row, nanos: &[String]) -> Map<String, Value> {
    row.get_column_iter()
        .map(|(name, field)| {
            let value = match field {
                Field::Long(n) if nanos.contains(name) => timestamp(*n, Precision::Nanos),
                other => value(other),
            };
            (name.clone(), value)
        })
        .collect()
}

/// One field as JSON.
pub(super) fn value(field: &Field) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(*b),
        Field::Byte(n) => Value::from(*n),
        Field::Short(n) => Value::from(*n),
        Field::Int(n) => Value::from(*n),
        Field::Long(n) => Value::from(*n),
        Field::UByte(n) => Value::from(*n),
        Field::UShort(n) => Value::from(*n),
        Field::UInt(n) => Value::from(*n),
        Field::ULong(n) => Value::from(*n),
        Field::Float16(n) => float(f64::from(f32::from(*n))),
        Field::Float(n) => float(f64::from(*n)),
        Field::Double(n) => float(*n),
        Field::Decimal(decimal) => decimal_text(decimal).map_or(Value::Null, |text| {
            text.parse::<Number>()
                .map_or(Value::String(text), Value::Number)
        }),
        Field::Str(text) => Value::String(text.clone()),
        Field::Bytes(bytes) => match std::str::from_utf8(bytes.data()) {
            Ok(text) => Value::String(text.to_owned()),
            Err(_) => Value::String(hex(bytes.data())),
        },
        Field::Date(days) => NaiveDate::from_num_days_from_ce_opt(days.saturating_add(719_163))
            .map_or(Value::Null, |d| {
                Value::String(d.format("%Y-%m-%d").to_string())
            }),
        Field::TimeMillis(ms) => time(i64::from(*ms) * 1_000_000, "%H:%M:%S%.3f"),
        Field::TimeMicros(us) => time(us.saturating_mul(1_000), "%H:%M:%S%.6f"),
        Field::TimestampMillis(ms) => timestamp(*ms, Precision::Millis),
        Field::TimestampMicros(us) => timestamp(*us, Precision::Micros),
        Field::Group(group) => Value::Object(row(group, &[])),
        Field::ListInternal(list) => Value::Array(list.elements().iter().map(value).collect()),
        Field::MapInternal(map) => Value::Object(
            map.entries()
                .iter()
                .map(|(key, item)| {
                    let key = match value(key) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    (key, value(item))
                })
                .collect(),
        ),
    }
}

/// A timestamp `count` units after the Unix epoch, in UTC with the unit's digits.
pub(crate) fn timestamp(count: i64, precision: Precision) -> Value {
    let (time, format) = match precision {
        Precision::Millis => (
            DateTime::from_timestamp_millis(count),
            "%Y-%m-%dT%H:%M:%S%.3fZ",
        ),
        Precision::Micros => (
            DateTime::from_timestamp_micros(count),
            "%Y-%m-%dT%H:%M:%S%.6fZ",
        ),
        Precision::Nanos => (
            Some(DateTime::<Utc>::from_timestamp_nanos(count)),
            "%Y-%m-%dT%H:%M:%S%.9fZ",
        ),
    };
    time.map_or(Value::Null, |t| Value::String(t.format(format).to_string()))
}

/// A time of day `nanos` after midnight.
fn time(nanos: i64, format: &str) -> Value {
    let seconds = u32::try_from(nanos.div_euclid(1_000_000_000)).ok();
    let fraction = u32::try_from(nanos.rem_euclid(1_000_000_000)).ok();
    seconds
        .zip(fraction)
        .and_then(|(s, f)| NaiveTime::from_num_seconds_from_midnight_opt(s, f))
        .map_or(Value::Null, |t| Value::String(t.format(format).to_string()))
}

/// A finite number as JSON; NaN and infinities have no JSON form and read as null.
fn float(n: f64) -> Value {
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// A decimal's exact text (`-12.345`), when its unscaled value fits in 128 bits.
fn decimal_text(decimal: &Decimal) -> Option<String> {
    let bytes = decimal.data();
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let fill = if bytes[0] & 0x80 != 0 { 0xff } else { 0 };
    let mut wide = [fill; 16];
    wide[16 - bytes.len()..].copy_from_slice(bytes);
    let unscaled = i128::from_be_bytes(wide);
    let scale = usize::try_from(decimal.scale()).ok()?;
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale == 0 {
        return Some(format!("{sign}{digits}"));
    }
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale);
    Some(format!("{sign}{whole}.{fraction}"))
}

/// Bytes that are not UTF-8 text, as `0x` and lowercase hexadecimal digits.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + 2 * bytes.len());
    out.push_str("0x");
    for byte in bytes {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_precision() {
        let micros = 1_764_410_400_123_456;
        assert_eq!(
            timestamp(micros, Precision::Micros),
            "2025-11-29T10:00:00.123456Z"
        );
        assert_eq!(
            timestamp(micros / 1000, Precision::Millis),
            "2025-11-29T10:00:00.123Z"
        );
        assert_eq!(
            timestamp(micros * 1000 + 789, Precision::Nanos),
            "2025-11-29T10:00:00.123456789Z"
        );
        assert_eq!(timestamp(i64::MAX, Precision::Micros), Value::Null);
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            decimal_text(&Decimal::from_i64(-12345, 9, 3)).as_deref(),
            Some("-12.345")
        );
        assert_eq!(
            decimal_text(&Decimal::from_i32(5, 4, 2)).as_deref(),
            Some("0.05")
        );
        assert_eq!(
            value(&Field::Bytes(vec![0xff, 0x00].into())),
            Value::String("0xff00".into())
        );
    }
}
