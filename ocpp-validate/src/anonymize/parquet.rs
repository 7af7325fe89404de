//! A Parquet lake export anonymized into Parquet: the same Arrow schema (column names,
//! types, nullability, metadata), the input's row group size and compression; only the
//! charge point column and the body column change, as in a lake JSON Lines row.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

use super::{Anonymizer, Outcome};
use crate::trace::parquet::ParquetError;

impl Anonymizer {
    /// Anonymizes the Parquet file at `path` into `out`, as Parquet. The body column must
    /// hold text (the JSON payload); a nested body is refused before anything is written, as
    /// rewriting its structure is not supported (convert with `--to open-trace` instead).
    pub fn anonymize_parquet<W: Write + Send>(
        &mut self,
        path: &Path,
        out: W,
    ) -> Result<Outcome, ParquetError> {
        let failed = |e: &dyn std::fmt::Display| ParquetError::at(path, &e.to_string());
        let file = File::open(path).map_err(|e| failed(&e))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| failed(&e))?;
        let schema = builder.schema().clone();
        let metadata = builder.metadata().clone();
        let column = |name: &str| schema.index_of(name).ok();
        let identity = column(&self.columns.charge_point_id);
        let body = column(&self.columns.body);
        for index in identity.iter().chain(body.iter()) {
            let field = schema.field(*index);
            if !is_text(field.data_type()) {
                return Err(failed(&format!(
                    "column {} is {}, not text: it cannot be anonymized in place (use --to open-trace)",
                    field.name(),
                    field.data_type()
                )));
            }
        }
        let mut properties = WriterProperties::builder();
        if let Some(group) = metadata.row_groups().first() {
            let rows = usize::try_from(group.num_rows()).unwrap_or(0).max(1);
            properties = properties.set_max_row_group_row_count(Some(rows));
            if let Some(chunk) = group.columns().first() {
                properties = properties.set_compression(chunk.compression());
            }
        }
        let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties.build()))
            .map_err(|e| failed(&e))?;
        let mut outcome = Outcome::default();
        for batch in builder.build().map_err(|e| failed(&e))? {
            let batch = batch.map_err(|e| failed(&e))?;
            let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
            if let Some(index) = identity {
                let name = self.columns.charge_point_id.clone();
                columns[index] = map_text(&columns[index], |id| self.identity(&name, id));
            }
            if let Some(index) = body {
                columns[index] = map_text(&columns[index], |text| self.body_text(text));
            }
            let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| failed(&e))?;
            writer.write(&batch).map_err(|e| failed(&e))?;
            outcome.written += batch.num_rows();
        }
        writer.close().map_err(|e| failed(&e))?;
        Ok(outcome)
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// A text column with `f` applied to every value (nulls stay null).
fn map_text(array: &ArrayRef, mut f: impl FnMut(&str) -> String) -> ArrayRef {
    let any = array.as_any();
    if let Some(texts) = any.downcast_ref::<StringArray>() {
        return Arc::new(texts.iter().map(|v| v.map(&mut f)).collect::<StringArray>());
    }
    if let Some(texts) = any.downcast_ref::<LargeStringArray>() {
        return Arc::new(
            texts
                .iter()
                .map(|v| v.map(&mut f))
                .collect::<LargeStringArray>(),
        );
    }
    if let Some(texts) = any.downcast_ref::<StringViewArray>() {
        return Arc::new(
            texts
                .iter()
                .map(|v| v.map(&mut f))
                .collect::<StringViewArray>(),
        );
    }
    Arc::clone(array)
}
