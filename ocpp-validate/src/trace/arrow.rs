//! Arrow record batches as data-lake rows (the `parquet` feature): what a Spark executor or a
//! pyarrow caller hands over instead of a file. [`BatchRows`] writes each row of each batch as
//! one JSON Lines lake row, as [`ParquetRows`](super::parquet::ParquetRows) does for a file —
//! columns become members, a struct column an object, timestamps RFC 3339 text in UTC with the
//! precision the type stores — so the rows take the same row-to-record path as every other
//! lake input.
//!
//! Memory: the batch being read (the caller's) and one row's JSON text.

use std::io::{self, Read};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use serde_json::{Map, Number, Value};

use super::parquet::value::{timestamp, Precision};

/// The rows of a sequence of record batches as JSON Lines lake rows, one row at a time.
pub struct BatchRows<I> {
    /// The batches still to read.
    batches: I,
    /// The batch being read and its next row.
    current: Option<(RecordBatch, usize)>,
    /// The JSON text of the row being handed out, and how much of it was handed out.
    line: Vec<u8>,
    sent: usize,
    /// Rows read so far.
    rows: u64,
}

impl<I> std::fmt::Debug for BatchRows<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchRows")
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<I: Iterator<Item = io::Result<RecordBatch>>> BatchRows<I> {
    /// The rows of `batches`, in order; a batch that cannot be had ends the input with its
    /// error.
    pub fn new(batches: I) -> Self {
        Self {
            batches,
            current: None,
            line: Vec::new(),
            sent: 0,
            rows: 0,
        }
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// The next row as a JSON line, or `None` after the last batch.
    fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            match &mut self.current {
                Some((batch, row)) if *row < batch.num_rows() => {
                    let object = row_object(batch, *row);
                    *row += 1;
                    self.rows += 1;
                    let mut text = serde_json::to_vec(&object).unwrap_or_default();
                    text.push(b'\n');
                    return Ok(Some(text));
                }
                _ => match self.batches.next() {
                    Some(batch) => self.current = Some((batch?, 0)),
                    None => return Ok(None),
                },
            }
        }
    }
}

impl<I: Iterator<Item = io::Result<RecordBatch>>> Read for BatchRows<I> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.sent == self.line.len() {
            match self.next_line()? {
                Some(line) => {
                    self.line = line;
                    self.sent = 0;
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.line.len() - self.sent);
        buf[..n].copy_from_slice(&self.line[self.sent..self.sent + n]);
        self.sent += n;
        Ok(n)
    }
}

/// Row `row` of `batch` as a JSON object, one member per column.
fn row_object(batch: &RecordBatch, row: usize) -> Map<String, Value> {
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, column)| (field.name().clone(), value(column.as_ref(), row)))
        .collect()
}

/// The value at `row` of `array` as JSON: text, numbers, booleans, times as RFC 3339 text,
/// structs as objects, lists as arrays; a type with no JSON form (binary, intervals, …) as
/// `null`.
fn value(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Utf8 => Value::from(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Value::from(array.as_string::<i64>().value(row)),
        DataType::Utf8View => Value::from(array.as_string_view().value(row)),
        DataType::Boolean => Value::Bool(array.as_boolean().value(row)),
        DataType::Int8 => Value::from(array.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => Value::from(array.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => Value::from(array.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => Value::from(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => Value::from(array.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => Value::from(array.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => Value::from(array.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => Value::from(array.as_primitive::<UInt64Type>().value(row)),
        DataType::Float32 => float(f64::from(array.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Timestamp(unit, _) => {
            let (count, precision) = match unit {
                TimeUnit::Second => (
                    array
                        .as_primitive::<TimestampSecondType>()
                        .value(row)
                        .checked_mul(1000),
                    Precision::Millis,
                ),
                TimeUnit::Millisecond => (
                    Some(array.as_primitive::<TimestampMillisecondType>().value(row)),
                    Precision::Millis,
                ),
                TimeUnit::Microsecond => (
                    Some(array.as_primitive::<TimestampMicrosecondType>().value(row)),
                    Precision::Micros,
                ),
                TimeUnit::Nanosecond => (
                    Some(array.as_primitive::<TimestampNanosecondType>().value(row)),
                    Precision::Nanos,
                ),
            };
            count.map_or(Value::Null, |count| timestamp(count, precision))
        }
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            chrono::NaiveDate::from_num_days_from_ce_opt(days.saturating_add(EPOCH_DAYS_FROM_CE))
                .map_or(Value::Null, |date| Value::from(date.to_string()))
        }
        DataType::Struct(fields) => {
            let array = array.as_struct();
            Value::Object(
                fields
                    .iter()
                    .zip(array.columns())
                    .map(|(field, column)| (field.name().clone(), value(column.as_ref(), row)))
                    .collect(),
            )
        }
        DataType::List(_) => list(&array.as_list::<i32>().value(row)),
        DataType::LargeList(_) => list(&array.as_list::<i64>().value(row)),
        DataType::Dictionary(_, _) => match array.as_any_dictionary_opt() {
            Some(dictionary) => {
                let key = dictionary.normalized_keys()[row];
                value(dictionary.values().as_ref(), key)
            }
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn list(items: &dyn Array) -> Value {
    Value::Array((0..items.len()).map(|i| value(items, i)).collect())
}

/// A finite float as a JSON number; NaN and the infinities have none (`null`).
fn float(n: f64) -> Value {
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;
    use std::sync::Arc;

    use arrow_array::builder::{Int32Builder, ListBuilder};
    use arrow_array::types::Int8Type;
    use arrow_array::{
        ArrayRef, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray, StructArray,
        TimestampMicrosecondArray, TimestampNanosecondArray,
    };
    use arrow_schema::{DataType, Field};

    use super::BatchRows;

    fn text(batches: Vec<RecordBatch>) -> String {
        let mut text = String::new();
        BatchRows::new(batches.into_iter().map(Ok))
            .read_to_string(&mut text)
            .expect("reads");
        text
    }

    #[test]
    fn every_row_of_every_batch_is_one_line_with_times_in_their_precision() {
        let ids: ArrayRef = Arc::new(StringArray::from(vec![Some("CP1"), None]));
        let times: ArrayRef = Arc::new(
            TimestampMicrosecondArray::from(vec![1_764_410_400_123_456, 1_764_410_401_000_000])
                .with_timezone("UTC"),
        );
        let first =
            RecordBatch::try_from_iter([("charge_point_id", ids), ("ts", times)]).expect("batch");
        let nanos: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![1]));
        let ratio: ArrayRef = Arc::new(Float64Array::from(vec![f64::NAN]));
        let second = RecordBatch::try_from_iter([("ts", nanos), ("ratio", ratio)]).expect("batch");
        assert_eq!(
            text(vec![first, second]),
            "{\"charge_point_id\":\"CP1\",\"ts\":\"2025-11-29T10:00:00.123456Z\"}\n\
             {\"charge_point_id\":null,\"ts\":\"2025-11-29T10:00:01.000000Z\"}\n\
             {\"ts\":\"1970-01-01T00:00:00.000000001Z\",\"ratio\":null}\n"
        );
    }

    #[test]
    fn structs_lists_and_dictionaries_are_written_as_json() {
        let mut list = ListBuilder::new(Int32Builder::new());
        list.values().append_value(1);
        list.values().append_value(2);
        list.append(true);
        let list: ArrayRef = Arc::new(list.finish());
        let tag: ArrayRef = Arc::new(StringArray::from(vec!["TAG-1"]));
        let body: ArrayRef = Arc::new(StructArray::from(vec![(
            Arc::new(Field::new("id_tag", DataType::Utf8, false)),
            tag,
        )]));
        let action: ArrayRef = Arc::new(
            vec!["Authorize"]
                .into_iter()
                .collect::<DictionaryArray<Int8Type>>(),
        );
        let kind: ArrayRef = Arc::new(Int64Array::from(vec![2]));
        let batch = RecordBatch::try_from_iter([
            ("message_type", kind),
            ("action", action),
            ("body", body),
            ("values", list),
        ])
        .expect("batch");
        assert_eq!(
            text(vec![batch]),
            "{\"message_type\":2,\"action\":\"Authorize\",\"body\":{\"id_tag\":\"TAG-1\"},\"values\":[1,2]}\n"
        );
    }
}
