//! `validate_batches` and `summarize_batches`: the record pipeline of `ocpp-validate check`
//! and `summary` over Arrow record batches of data-lake rows, taken from pyarrow through the
//! Arrow C data interface (no Python object per row). The rows are read as
//! [`BatchRows`] reads them: each row one lake row, the same path as a Parquet file's.
//!
//! Memory: the batch being read, one row's JSON text, the pipeline's state per charge point
//! (bounded as in the CLI), the findings, and one 32-bit charge point number per row so that
//! every finding, also one the end of the input reveals, names its charge point.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufReader};
use std::rc::Rc;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::{DataType, Field, Schema};
use arrow_select::interleave::interleave;
use ocpp_validate::check::{run_reader, CheckOptions, Event, ReadError};
use ocpp_validate::semantic;
use ocpp_validate::summary::summarize;
use ocpp_validate::trace::arrow::BatchRows;
use ocpp_validate::trace::InputFormat;
use ocpp_validate::Category;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::{self, OcppError};
use crate::finding::Finding;
use crate::repair;

/// The batches of a Python iterable, converted as they are reached; the first Python error
/// is kept to be raised again once the pipeline stops.
struct PyBatches<'py> {
    iterator: Bound<'py, pyo3::types::PyIterator>,
    failed: Rc<RefCell<Option<PyErr>>>,
    kept: Rc<RefCell<Kept>>,
}

impl Iterator for PyBatches<'_> {
    type Item = io::Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self
            .iterator
            .next()?
            .and_then(|item| RecordBatch::from_pyarrow_bound(&item))
            .and_then(|batch| self.kept.borrow_mut().add(&batch).map(|()| batch));
        Some(batch.map_err(|error| {
            let message = error.to_string();
            self.failed.borrow_mut().get_or_insert(error);
            io::Error::other(message)
        }))
    }
}

/// The columns `keep` names, of every batch read: the findings take them from their row.
#[derive(Default)]
struct Kept {
    /// The column names.
    names: Vec<String>,
    /// The first batch's fields of those columns.
    fields: Vec<Field>,
    /// Per batch, its first row's index over all rows and its kept columns.
    batches: Vec<(usize, Vec<ArrayRef>)>,
    /// Rows read.
    rows: usize,
}

impl Kept {
    fn new(names: Vec<String>) -> Self {
        Self {
            names,
            ..Self::default()
        }
    }

    fn add(&mut self, batch: &RecordBatch) -> PyResult<()> {
        if self.names.is_empty() {
            return Ok(());
        }
        let schema = batch.schema();
        let mut columns = Vec::with_capacity(self.names.len());
        for name in &self.names {
            let index = schema.index_of(name).map_err(|_| {
                PyValueError::new_err(format!("keep: the rows have no column {name:?}"))
            })?;
            columns.push(Arc::clone(batch.column(index)));
            if self.fields.len() < self.names.len() {
                self.fields
                    .push(schema.field(index).clone().with_nullable(true));
            }
        }
        self.batches.push((self.rows, columns));
        self.rows += batch.num_rows();
        Ok(())
    }

    /// The kept columns of `rows` (indices over all rows), as fields and arrays.
    fn of_rows(&self, rows: &[usize]) -> PyResult<Vec<(Field, ArrayRef)>> {
        let located: Vec<(usize, usize)> = rows
            .iter()
            .map(|row| {
                let batch = self
                    .batches
                    .partition_point(|(first, _)| first <= row)
                    .saturating_sub(1);
                (
                    batch,
                    row - self.batches.get(batch).map_or(0, |(first, _)| *first),
                )
            })
            .collect();
        let mut kept = Vec::with_capacity(self.names.len());
        for (column, name) in self.names.iter().enumerate() {
            let Some(field) = self.fields.get(column) else {
                let nulls = arrow_array::new_null_array(&DataType::Null, rows.len());
                kept.push((Field::new(name, DataType::Null, true), nulls));
                continue;
            };
            let arrays: Vec<&dyn Array> = self
                .batches
                .iter()
                .map(|(_, columns)| columns[column].as_ref())
                .collect();
            let array = interleave(&arrays, &located).map_err(|e| {
                PyValueError::new_err(format!("keep: column {name:?} cannot be copied: {e}"))
            })?;
            kept.push((field.clone(), array));
        }
        Ok(kept)
    }
}

/// The pipeline's options for lake rows.
fn options(
    version: Option<&str>,
    columns: Option<HashMap<String, String>>,
    rules: bool,
    profile: Option<&str>,
) -> PyResult<CheckOptions> {
    let version = version.map(errors::version).transpose()?;
    let tolerant = profile.map(|name| repair::policy(Some(name))).transpose()?;
    Ok(CheckOptions::default()
        .with_input(Some(InputFormat::LakeJsonl))
        .with_version(version)
        .with_columns(errors::columns(columns)?)
        .with_semantic(rules.then(semantic::Config::default))
        .with_tolerant(tolerant))
}

/// Runs `read` over the rows of `batches`; a Python error raised while iterating is raised
/// again, a read error becomes `OcppError`.
fn over_rows<'py, T>(
    batches: &Bound<'py, PyAny>,
    kept: &Rc<RefCell<Kept>>,
    read: impl FnOnce(BufReader<BatchRows<PyBatches<'py>>>) -> Result<T, ReadError>,
) -> PyResult<T> {
    let failed = Rc::new(RefCell::new(None));
    let rows = BatchRows::new(PyBatches {
        iterator: batches.try_iter()?,
        failed: Rc::clone(&failed),
        kept: Rc::clone(kept),
    });
    let outcome = read(BufReader::new(rows));
    if let Some(error) = failed.borrow_mut().take() {
        return Err(error);
    }
    outcome.map_err(|error| OcppError::new_err(format!("the rows cannot be read: {error}")))
}

/// Charge point names, each stored once, and the one of each row.
#[derive(Default)]
struct ChargePoints {
    names: Vec<String>,
    numbers: HashMap<String, u32>,
    of_row: Vec<u32>,
}

impl ChargePoints {
    /// No charge point.
    const NONE: u32 = u32::MAX;

    fn heard(&mut self, row: usize, name: Option<&str>) {
        let number = match name {
            None => Self::NONE,
            Some(name) => match self.numbers.get(name) {
                Some(number) => *number,
                None => {
                    let number = u32::try_from(self.names.len()).unwrap_or(Self::NONE);
                    self.names.push(name.to_owned());
                    self.numbers.insert(name.to_owned(), number);
                    number
                }
            },
        };
        if self.of_row.len() <= row {
            self.of_row.resize(row + 1, Self::NONE);
        }
        self.of_row[row] = number;
    }

    fn of(&self, row: usize) -> Option<&str> {
        let number = *self.of_row.get(row)?;
        self.names
            .get(usize::try_from(number).ok()?)
            .map(String::as_str)
    }
}

/// The findings table's columns.
fn findings_schema() -> Schema {
    let text = |name, nullable| Field::new(name, DataType::Utf8, nullable);
    Schema::new(vec![
        Field::new("row", DataType::Int64, false),
        Field::new("line", DataType::Int64, false),
        text("charge_point_id", true),
        text("rule", false),
        text("severity", false),
        text("category", false),
        text("pointer", false),
        text("message", false),
        text("error_code", true),
        text("value", true),
    ])
}

/// The findings as one record batch of [`findings_schema`], then the kept columns.
fn findings_batch(
    found: &[(usize, usize, Finding)],
    charge_points: &ChargePoints,
    kept: &Kept,
) -> PyResult<RecordBatch> {
    let (mut row, mut line) = (Int64Builder::new(), Int64Builder::new());
    let mut texts: Vec<StringBuilder> = (0..8).map(|_| StringBuilder::new()).collect();
    for (record, at_line, finding) in found {
        row.append_value(i64::try_from(*record).unwrap_or(i64::MAX));
        line.append_value(i64::try_from(*at_line).unwrap_or(i64::MAX));
        let cells = [
            charge_points.of(*record),
            Some(finding.rule.as_str()),
            Some(finding.severity.as_str()),
            Some(finding.category.as_str()),
            Some(finding.pointer.as_str()),
            Some(finding.message.as_str()),
            finding.error_code.as_deref(),
            finding.value.as_deref(),
        ];
        for (builder, cell) in texts.iter_mut().zip(cells) {
            builder.append_option(cell);
        }
    }
    let mut columns: Vec<ArrayRef> = vec![Arc::new(row.finish()), Arc::new(line.finish())];
    columns.extend(
        texts
            .iter_mut()
            .map(|builder| Arc::new(builder.finish()) as ArrayRef),
    );
    let mut fields: Vec<Field> = findings_schema()
        .fields()
        .iter()
        .map(|field| field.as_ref().clone())
        .collect();
    let rows: Vec<usize> = found.iter().map(|(record, _, _)| *record).collect();
    for (field, array) in kept.of_rows(&rows)? {
        if fields.iter().any(|f| f.name() == field.name()) {
            return Err(PyValueError::new_err(format!(
                "keep: {:?} is a column of the findings already",
                field.name()
            )));
        }
        fields.push(field);
        columns.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| OcppError::new_err(format!("the findings table: {e}")))
}

/// Checks data-lake rows, given as an iterable of `pyarrow.RecordBatch`es, exactly as
/// `ocpp-validate check` checks a lake export: one row per OCPP-J message, the rows of each
/// charge point in time order (responses are paired with their calls across batches).
/// `columns` maps fields (`message_id`, `message_type`, `charge_point_id`, `action`, `body`,
/// `timestamp`, `direction`, `ocpp_version`) to column names; `version` is the version of
/// rows that do not name theirs (None guesses it); `semantic=False` turns the semantic rules
/// off; `profile` decodes tolerantly under a shipped profile. Returns one
/// `pyarrow.RecordBatch` of findings: `row` (0-based over all rows given), `line`,
/// `charge_point_id`, `rule`, `severity`, `category`, `pointer`, `message`, `error_code`,
/// `value` (JSON text), then a copy of each column `keep` names from the finding's row (a
/// key to join the findings with the rows: `message_id`, a time, a row id).
#[pyfunction]
#[pyo3(signature = (batches, version = None, columns = None, semantic = true, profile = None, keep = None))]
pub(crate) fn validate_batches<'py>(
    py: Python<'py>,
    batches: &Bound<'py, PyAny>,
    version: Option<&str>,
    columns: Option<HashMap<String, String>>,
    semantic: bool,
    profile: Option<&str>,
    keep: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(version, columns, semantic, profile)?.with_pairings(true);
    let mut charge_points = ChargePoints::default();
    let mut found = Vec::new();
    let kept = Rc::new(RefCell::new(Kept::new(keep.unwrap_or_default())));
    over_rows(batches, &kept, |rows| {
        run_reader(rows, options, &mut |event| match event {
            Event::Record(heard) => {
                charge_points.heard(heard.at.record, heard.charge_point.as_deref());
            }
            Event::Finding(finding) => {
                found.push((finding.at.record, finding.at.line, Finding::from(&finding)));
            }
            _ => {}
        })
    })?;
    let findings = findings_batch(&found, &charge_points, &kept.borrow())?;
    findings.to_pyarrow(py)
}

/// The repaired body and the repairs of one row.
#[derive(Default)]
struct Repaired {
    body: Option<String>,
    repairs: Vec<serde_json::Value>,
}

/// The entry of row `record`, the rows before it made.
fn at(rows: &mut Vec<Repaired>, record: usize) -> &mut Repaired {
    if rows.len() <= record {
        rows.resize_with(record + 1, Repaired::default);
    }
    &mut rows[record]
}

/// The position of the payload in a frame of message type `type_id`: a CALL's or SEND's
/// fourth element, a CALLRESULT's third, the details of an error.
fn payload_index(type_id: Option<u64>) -> Option<usize> {
    match type_id {
        Some(2 | 6) => Some(3),
        Some(3) => Some(2),
        Some(4 | 5) => Some(4),
        _ => None,
    }
}

/// Decodes data-lake rows (as `validate_batches` takes them) tolerantly under the shipped
/// `profile` (`None`: the rules' defaults), as `ocpp-validate check --tolerant` does, and
/// returns one `pyarrow.RecordBatch` with a row per row given: `row`, `body` (the payload
/// as decoded, repaired where the policy allows, as JSON text; null for a row whose frame
/// cannot be read) and `repairs` (a JSON array of the row's deviations: `rule`,
/// `severity`, `pointer`, `message`, `value`).
#[pyfunction]
#[pyo3(signature = (batches, profile = None, version = None, columns = None))]
pub(crate) fn repair_batches<'py>(
    py: Python<'py>,
    batches: &Bound<'py, PyAny>,
    profile: Option<&str>,
    version: Option<&str>,
    columns: Option<HashMap<String, String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = repair::policy(profile)?;
    let options = options(version, columns, false, None)?
        .with_tolerant(Some(policy))
        .with_pairings(true)
        .with_frames(true);
    let mut rows: Vec<Repaired> = Vec::new();
    over_rows(batches, &Rc::default(), |input| {
        run_reader(input, options, &mut |event| match event {
            Event::Record(heard) => {
                at(&mut rows, heard.at.record);
            }
            Event::Frame(read) => {
                let type_id = read.frame.get(0).and_then(serde_json::Value::as_u64);
                at(&mut rows, read.at.record).body = payload_index(type_id)
                    .and_then(|index| read.frame.get(index))
                    .map(serde_json::Value::to_string);
            }
            Event::Finding(finding) if finding.category == Category::Tolerant => {
                let found = Finding::from(&finding);
                at(&mut rows, finding.at.record)
                    .repairs
                    .push(serde_json::json!({
                        "rule": found.rule,
                        "severity": found.severity,
                        "pointer": found.pointer,
                        "message": found.message,
                        "value": finding.value,
                    }));
            }
            _ => {}
        })
    })?;
    let (mut index, mut body, mut repairs) = (
        Int64Builder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    for (n, repaired) in rows.into_iter().enumerate() {
        index.append_value(i64::try_from(n).unwrap_or(i64::MAX));
        body.append_option(repaired.body.as_deref());
        repairs.append_value(serde_json::Value::from(repaired.repairs).to_string());
    }
    let schema = Schema::new(vec![
        Field::new("row", DataType::Int64, false),
        Field::new("body", DataType::Utf8, true),
        Field::new("repairs", DataType::Utf8, false),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(index.finish()),
        Arc::new(body.finish()),
        Arc::new(repairs.finish()),
    ];
    RecordBatch::try_new(Arc::new(schema), columns)
        .map_err(|e| OcppError::new_err(format!("the repaired table: {e}")))?
        .to_pyarrow(py)
}

/// The summary of data-lake rows (an iterable of `pyarrow.RecordBatch`es, as
/// `validate_batches` takes them) as the JSON text `ocpp-validate summary --format json`
/// writes: per charge point its boots, connectors and charging sessions.
#[pyfunction]
#[pyo3(signature = (batches, version = None, columns = None))]
pub(crate) fn summarize_batches(
    batches: &Bound<'_, PyAny>,
    version: Option<&str>,
    columns: Option<HashMap<String, String>>,
) -> PyResult<String> {
    let options = options(version, columns, true, None)?;
    let summary = over_rows(batches, &Rc::default(), |rows| summarize(rows, &options))?;
    Ok(summary.to_json())
}
