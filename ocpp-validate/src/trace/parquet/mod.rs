//! Parquet inputs (the `parquet` feature, on by default): a `.parquet` file, a directory of
//! them, or a Delta Lake table ([`layout`](self) says which files), read as data-lake rows.
//!
//! [`ParquetRows`] reads the files row group by row group, one row at a time, and writes each
//! row as one JSON Lines lake row: columns become members, a struct `body` an object, Parquet
//! timestamps RFC 3339 text in UTC with the precision stored. The lines then take the same
//! row-to-record path as a JSON Lines export ([`InputFormat::LakeJsonl`](super::InputFormat)), so every
//! rule applies alike. Partition values from the path fill the columns a row lacks.
//!
//! Memory: one row's JSON text, and the parquet reader's state for one row group (a page per
//! column and up to 1,024 decoded values per column); never a whole file.

pub(crate) mod layout;
pub(crate) mod value;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::reader::RowIter;
use thiserror::Error;

use layout::Part;

/// A Parquet input that cannot be read: which file or directory, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
#[non_exhaustive]
pub struct ParquetError {
    /// The file or directory.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ParquetError {
    pub(crate) fn at(path: &Path, message: &str) -> Self {
        Self {
            path: path.display().to_string(),
            message: message.to_owned(),
        }
    }

    fn io(path: &Path, error: &io::Error) -> Self {
        Self::at(path, &error.to_string())
    }
}

impl From<ParquetError> for io::Error {
    fn from(error: ParquetError) -> Self {
        io::Error::new(io::ErrorKind::InvalidData, error)
    }
}

/// The rows of a Parquet input as JSON Lines lake rows, one row read at a time.
pub struct ParquetRows {
    /// The files still to read.
    parts: VecDeque<Part>,
    /// The file being read: its part, its rows, its nanosecond columns.
    current: Option<(Part, RowIter<'static>, Vec<String>)>,
    /// The JSON text of the row being handed out, and how much of it was handed out.
    line: Vec<u8>,
    sent: usize,
    /// Rows read so far.
    rows: u64,
    /// The most bytes of row text held at once.
    most_buffered: usize,
}

impl std::fmt::Debug for ParquetRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetRows")
            .field("parts", &self.parts)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl ParquetRows {
    /// The rows of a `.parquet` file, a directory of them or a Delta table; the files are
    /// listed (and a Delta log read) now, each file opened when its turn comes.
    pub fn open(path: &Path) -> Result<Self, ParquetError> {
        Ok(Self::new(layout::parts(path)?.into()))
    }

    /// The rows of one Parquet file held in memory (named `<bytes>` in errors).
    pub fn from_bytes(bytes: Bytes) -> Result<Self, ParquetError> {
        let part = Part {
            path: PathBuf::from("<bytes>"),
            partition: Vec::new(),
        };
        let length = bytes.len() as u64;
        let rows = guarded(&part.path, || {
            let reader = SerializedFileReader::new(bytes).map_err(|e| e.to_string())?;
            chunks_inside(&reader, length).map(|()| reader)
        })
        .map_err(|message| ParquetError::at(&part.path, &message))?;
        let mut reader = Self::new(VecDeque::new());
        reader.current = Some(start(part, Box::new(rows)));
        Ok(reader)
    }

    fn new(parts: VecDeque<Part>) -> Self {
        Self {
            parts,
            current: None,
            line: Vec::new(),
            sent: 0,
            rows: 0,
            most_buffered: 0,
        }
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// The most bytes of row text held at once: one row's JSON line, however many rows.
    pub fn most_bytes_buffered(&self) -> usize {
        self.most_buffered
    }

    /// The next row as a JSON line, or `None` at the end of the last file.
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, ParquetError> {
        loop {
            let Some((part, rows, nanos)) = &mut self.current else {
                let Some(part) = self.parts.pop_front() else {
                    return Ok(None);
                };
                let file = File::open(&part.path).map_err(|e| ParquetError::io(&part.path, &e))?;
                let length = file
                    .metadata()
                    .map_err(|e| ParquetError::io(&part.path, &e))?
                    .len();
                let reader = guarded(&part.path, || {
                    let reader = SerializedFileReader::new(file).map_err(|e| e.to_string())?;
                    chunks_inside(&reader, length).map(|()| reader)
                })
                .map_err(|message| ParquetError::at(&part.path, &message))?;
                self.current = Some(start(part, Box::new(reader)));
                continue;
            };
            let row = guarded(&part.path, || {
                rows.next().transpose().map_err(|e| e.to_string())
            });
            match row {
                Ok(Some(row)) => {
                    self.rows += 1;
                    let mut object = value::row(&row, nanos);
                    layout::fill(&mut object, part);
                    let mut text = serde_json::to_vec(&object).unwrap_or_default();
                    text.push(b'\n');
                    return Ok(Some(text));
                }
                Ok(None) => self.current = None,
                Err(message) => {
                    let path = part.path.clone();
                    self.current = None;
                    self.parts.clear();
                    return Err(ParquetError::at(
                        &path,
                        &format!("after row {}: {message}", self.rows),
                    ));
                }
            }
        }
    }
}

/// The rows of an opened file, and the columns whose integers are nanosecond times.
fn start(part: Part, reader: Box<dyn FileReader>) -> (Part, RowIter<'static>, Vec<String>) {
    let nanos = value::nanosecond_columns(reader.metadata().file_metadata().schema_descr());
    (part, RowIter::from_file_into(reader), nanos)
}

/// Refuses a footer whose column chunks start or end outside the file's `length` bytes (or
/// have a negative offset or size): the parquet reader asserts on those when it reaches them
/// (`ColumnChunkMetaData::byte_range`) instead of returning an error.
fn chunks_inside(reader: &dyn FileReader, length: u64) -> Result<(), String> {
    for (index, group) in reader.metadata().row_groups().iter().enumerate() {
        for column in group.columns() {
            let offset = column
                .dictionary_page_offset()
                .unwrap_or_else(|| column.data_page_offset());
            let size = column.compressed_size();
            let end = u64::try_from(offset)
                .ok()
                .zip(u64::try_from(size).ok())
                .and_then(|(offset, size)| offset.checked_add(size));
            if end.is_none_or(|end| end > length) {
                return Err(format!(
                    "row group {index}: column {} lies outside the file's {length} bytes (offset {offset}, {size} bytes)",
                    column.column_path()
                ));
            }
        }
    }
    Ok(())
}

/// Runs a step of the parquet reader, turning a panic (it has some for column types it does
/// not convert, and for some damaged files) into an error naming the file.
fn guarded<T>(path: &Path, step: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        Err(format!(
            "the parquet reader cannot read {}: {reason}",
            path.display()
        ))
    })
}

impl Read for ParquetRows {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.sent == self.line.len() {
            match self.next_line()? {
                Some(line) => {
                    self.most_buffered = self.most_buffered.max(line.len());
                    self.line = line;
                    self.sent = 0;
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.line.len() - self.sent);
        buf[..n].copy_from_slice(&self.line[self.sent..n + self.sent]);
        self.sent += n;
        Ok(n)
    }
}
