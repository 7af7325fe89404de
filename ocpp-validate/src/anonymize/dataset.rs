//! A directory of Parquet files, or a Delta table, anonymized into a directory of the same
//! layout: every file the input reads as is rewritten as [`Anonymizer::anonymize_parquet`]
//! rewrites one file, at the same relative path, except that a Hive partition directory of the
//! charge point column (`charge_point_id=CP001/`) gets the identity's pseudonym.
//!
//! A Delta table also gets its log, commit by commit (Delta transaction protocol, "Delta Log
//! Entries"): `add` and `remove` actions name the new paths, their `partitionValues` carry the
//! pseudonym, an `add` of a rewritten file its new `size`; the `stats` of every action go, as
//! their minimum and maximum values are copies of column values; `commitInfo` keeps only what
//! describes the operation (its `operationParameters` can quote values in a predicate, its user
//! and notebook members name people). Change data files (`cdc` actions) are refused. Files
//! that are not data (`_SUCCESS`, checksums, `.crc` files) are not written.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::{Anonymizer, Outcome};
use crate::trace::parquet::layout::{self, HIVE_NULL};
use crate::trace::parquet::ParquetError;

/// The `commitInfo` members kept: what the operation was and did, in numbers.
const COMMIT_INFO_KEPT: [&str; 8] = [
    "timestamp",
    "operation",
    "readVersion",
    "isolationLevel",
    "isBlindAppend",
    "operationMetrics",
    "engineInfo",
    "txnId",
];

/// The size of each rewritten file, by its relative path in the input (as the file system
/// names it).
type Written = HashMap<PathBuf, u64>;

impl Anonymizer {
    /// Anonymizes the directory of Parquet files or the Delta table at `input` into the
    /// directory `output`, which must not exist yet or be empty. The rows written are
    /// counted in the outcome.
    pub fn anonymize_parquet_dataset(
        &mut self,
        input: &Path,
        output: &Path,
    ) -> Result<Outcome, ParquetError> {
        let parts = layout::parts(input)?;
        empty_directory(output)?;
        let mut written = Written::new();
        let mut outcome = Outcome::default();
        for part in &parts {
            let relative = part.path.strip_prefix(input).map_err(|_| {
                ParquetError::at(
                    &part.path,
                    "lies outside the table directory: the layout cannot be mirrored",
                )
            })?;
            let renamed = self.partition_path(relative)?;
            let target = output.join(&renamed);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| ParquetError::at(parent, &e.to_string()))?;
            }
            let failed = |e: io::Error| ParquetError::at(&target, &e.to_string());
            let file = File::create(&target).map_err(failed)?;
            let rows = self.anonymize_parquet(&part.path, BufWriter::new(file))?;
            outcome.written += rows.written;
            let size = fs::metadata(&target).map_err(failed)?.len();
            written.insert(relative.to_owned(), size);
        }
        let log = input.join("_delta_log");
        if log.is_dir() {
            self.delta_log(&log, &output.join("_delta_log"), &written)?;
        }
        Ok(outcome)
    }

    /// `relative` with the value of every partition directory of the charge point column
    /// replaced by its pseudonym (Hive-escaped); the file name and other directories stay.
    fn partition_path(&mut self, relative: &Path) -> Result<PathBuf, ParquetError> {
        let column = self.columns.charge_point_id.clone();
        let mut renamed = PathBuf::new();
        let mut components = relative.components().peekable();
        while let Some(component) = components.next() {
            let Component::Normal(name) = component else {
                return Err(ParquetError::at(relative, "is not a plain relative path"));
            };
            let is_directory = components.peek().is_some();
            let partition = name
                .to_str()
                .filter(|_| is_directory)
                .and_then(|name| name.split_once('='))
                .filter(|(key, value)| {
                    layout::unescape(key) == column && layout::unescape(value) != HIVE_NULL
                });
            match partition {
                Some((key, value)) => {
                    let pseudonym = self.identity(&column, &layout::unescape(value));
                    renamed.push(format!("{key}={}", hive_escaped(&pseudonym)));
                }
                None => renamed.push(name),
            }
        }
        Ok(renamed)
    }

    /// Writes the anonymized commits of the Delta log `log` into `out`.
    fn delta_log(&mut self, log: &Path, out: &Path, written: &Written) -> Result<(), ParquetError> {
        fs::create_dir_all(out).map_err(|e| ParquetError::at(out, &e.to_string()))?;
        for commit in layout::commits(log)? {
            let text = fs::read_to_string(&commit)
                .map_err(|e| ParquetError::at(&commit, &e.to_string()))?;
            let mut lines = String::with_capacity(text.len());
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let at = |message: &str| {
                    ParquetError::at(&commit, &format!("line {}: {message}", index + 1))
                };
                let mut action: Map<String, Value> = serde_json::from_str(line)
                    .map_err(|e| at(&format!("not a JSON action: {e}")))?;
                if action.contains_key("cdc") {
                    return Err(at(
                        "change data files (cdc actions) are not anonymized: read the table with \
                         --to open-trace, or disable its change data feed",
                    ));
                }
                for kind in ["add", "remove"] {
                    if let Some(Value::Object(file)) = action.get_mut(kind) {
                        self.file_action(file, kind == "add", written)
                            .map_err(|message| at(&message))?;
                    }
                }
                if let Some(Value::Object(info)) = action.get_mut("commitInfo") {
                    info.retain(|member, _| COMMIT_INFO_KEPT.contains(&member.as_str()));
                }
                lines.push_str(&Value::Object(action).to_string());
                lines.push('\n');
            }
            let target = out.join(commit.file_name().unwrap_or_default());
            fs::write(&target, lines).map_err(|e| ParquetError::at(&target, &e.to_string()))?;
        }
        Ok(())
    }

    /// An `add` or `remove` action pointed at the anonymized file.
    fn file_action(
        &mut self,
        file: &mut Map<String, Value>,
        is_add: bool,
        written: &Written,
    ) -> Result<(), String> {
        let Some(Value::String(path)) = file.get("path") else {
            return Err("a file action without a path".to_owned());
        };
        let on_disk = PathBuf::from(layout::unescape(path));
        if on_disk.is_absolute() || path.contains("://") {
            return Err(format!(
                "names {path}, not a path inside the table: the layout cannot be mirrored"
            ));
        }
        let renamed = self.partition_path(&on_disk).map_err(|e| e.message)?;
        if renamed != on_disk {
            let renamed = renamed.to_str().ok_or("a path that is not UTF-8")?;
            file.insert("path".to_owned(), Value::String(uri_escaped(renamed)));
        }
        let column = self.columns.charge_point_id.clone();
        if let Some(Value::String(value)) = file
            .get_mut("partitionValues")
            .and_then(|values| values.get_mut(&column))
        {
            *value = self.identity(&column, value);
        }
        file.remove("stats");
        if is_add {
            if let Some(size) = written.get(&on_disk) {
                file.insert("size".to_owned(), Value::from(*size));
            }
        }
        Ok(())
    }
}

/// Refuses an `output` that exists and is not an empty directory; creates it otherwise.
fn empty_directory(output: &Path) -> Result<(), ParquetError> {
    let failed = |e: io::Error| ParquetError::at(output, &e.to_string());
    match fs::read_dir(output) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ParquetError::at(
                    output,
                    "is not empty: a Parquet directory or Delta table is written into a new or \
                     empty directory",
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(output).map_err(failed),
        Err(e) => Err(failed(e)),
    }
}

/// A partition value as Hive and Spark write it in a directory name: `%XX` for control
/// characters, the space, and `"#%'*/:=?\{[]^` and DEL.
fn hive_escaped(value: &str) -> String {
    escaped(value, |c| {
        c.is_ascii_control() || c == ' ' || "\"#%'*/:=?\\{[]^".contains(c)
    })
}

/// A relative path as a Delta log's `path` URI: `%XX` for every byte but letters, digits,
/// `-._~`, `/` and `=`.
fn uri_escaped(path: &str) -> String {
    escaped(path, |c| {
        !(c.is_ascii_alphanumeric() || "-._~/=".contains(c))
    })
}

/// `text` with every character `escape` picks written as `%XX` UTF-8 bytes.
fn escaped(text: &str, escape: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if escape(c) {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{hive_escaped, uri_escaped};
    use crate::trace::parquet::layout::unescape;

    #[test]
    fn escapes_decode_to_what_they_encode() {
        assert_eq!(hive_escaped("CP:01 a/b"), "CP%3A01%20a%2Fb");
        assert_eq!(
            uri_escaped("id=CP%3A01/part-0.parquet"),
            "id=CP%253A01/part-0.parquet"
        );
        assert_eq!(uri_escaped("é"), "%C3%A9");
        for value in ["CP:01 a/b", "x=y%z", "é€", "plain-1"] {
            assert_eq!(unescape(&hive_escaped(value)), value);
            assert_eq!(unescape(&uri_escaped(value)), value);
        }
    }
}
