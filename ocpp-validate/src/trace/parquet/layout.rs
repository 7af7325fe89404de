//! Which Parquet files an input path stands for, and the partition values each one adds:
//! a file; a directory of them (Spark output folders, Hive-partitioned
//! `action=…/charge_point_id=…/part-….parquet` paths); or a Delta Lake table, whose JSON log
//! in `_delta_log/` lists the current files (`add` and `remove` actions, read in commit order).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ParquetError;

/// The deepest directory nesting walked below an input directory.
const MAX_DEPTH: usize = crate::trace::MAX_DATASET_DEPTH;

/// The value Hive writes for a null partition value.
pub(crate) const HIVE_NULL: &str = "__HIVE_DEFAULT_PARTITION__";

/// Partition columns: name and value (`None`: null), outermost first.
type Partition = Vec<(String, Option<String>)>;

/// One Parquet file and the partition columns its path gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The file.
    pub(crate) path: PathBuf,
    /// Its partition columns.
    pub(crate) partition: Partition,
}

/// The files `path` stands for, in reading order.
pub(crate) fn parts(path: &Path) -> Result<Vec<Part>, ParquetError> {
    let metadata = fs::metadata(path).map_err(|e| ParquetError::io(path, &e))?;
    if !metadata.is_dir() {
        return Ok(vec![Part {
            path: path.to_owned(),
            partition: Vec::new(),
        }]);
    }
    let log = path.join("_delta_log");
    let parts = if log.is_dir() {
        delta(path, &log)?
    } else {
        let mut parts = Vec::new();
        walk(path, &mut Vec::new(), &mut parts, 0)?;
        parts
    };
    if parts.is_empty() {
        return Err(ParquetError::at(path, "holds no .parquet file"));
    }
    Ok(parts)
}

/// Collects the `.parquet` files below `dir`, sorted by name, skipping names that start
/// with `.` or `_` (`_SUCCESS`, `_temporary/`, `.crc` files) as Spark and Hive do.
fn walk(
    dir: &Path,
    partition: &mut Partition,
    parts: &mut Vec<Part>,
    depth: usize,
) -> Result<(), ParquetError> {
    if depth > MAX_DEPTH {
        return Err(ParquetError::at(
            dir,
            &format!("is nested more than {MAX_DEPTH} directories deep"),
        ));
    }
    let entries = fs::read_dir(dir).map_err(|e| ParquetError::io(dir, &e))?;
    let mut entries: Vec<_> = entries
        .collect::<Result<_, _>>()
        .map_err(|e| ParquetError::io(dir, &e))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let path = entry.path();
        // Symbolic links to directories are not followed (no loops).
        let kind = entry.file_type().map_err(|e| ParquetError::io(&path, &e))?;
        if kind.is_dir() {
            let column = name.split_once('=').map(|(column, value)| {
                let value = unescape(value);
                (unescape(column), (value != HIVE_NULL).then_some(value))
            });
            let pushed = column.is_some();
            partition.extend(column);
            walk(&path, partition, parts, depth + 1)?;
            if pushed {
                partition.pop();
            }
        } else if name.ends_with(".parquet") {
            parts.push(Part {
                path,
                partition: partition.clone(),
            });
        }
    }
    Ok(())
}

/// The current files of a Delta table: its JSON commits `00000000000000000000.json`,
/// `…01.json`, … replayed in order (Delta transaction protocol, "Delta Log Entries" and
/// "Add File and Remove File"). A log that starts at a checkpoint, deletion vectors and
/// column mapping are refused, naming what is missing.
fn delta(table: &Path, log: &Path) -> Result<Vec<Part>, ParquetError> {
    let commits = commits(log)?;
    // The current files by their path in the log, in the order they were added.
    let mut current: Vec<(String, Partition)> = Vec::new();
    for commit in &commits {
        let text = fs::read_to_string(commit).map_err(|e| ParquetError::io(commit, &e))?;
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let action: Value = serde_json::from_str(line).map_err(|e| {
                ParquetError::at(
                    commit,
                    &format!("line {}: not a JSON action: {e}", index + 1),
                )
            })?;
            let at =
                |message: &str| ParquetError::at(commit, &format!("line {}: {message}", index + 1));
            if let Some(mode) = action
                .pointer("/metaData/configuration/delta.columnMapping.mode")
                .and_then(Value::as_str)
                .filter(|mode| *mode != "none")
            {
                return Err(at(&format!(
                    "column mapping mode {mode:?} is not supported (physical column names differ)"
                )));
            }
            if let Some(add) = action.get("add") {
                if add.get("deletionVector").is_some_and(|v| !v.is_null()) {
                    return Err(at("deletion vectors are not supported"));
                }
                let path = file_path(add).ok_or_else(|| at("an add action without a path"))?;
                let partition = add
                    .get("partitionValues")
                    .and_then(Value::as_object)
                    .map(|values| {
                        values
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
                            .collect()
                    })
                    .unwrap_or_default();
                current.retain(|(p, _)| *p != path);
                current.push((path, partition));
            } else if let Some(remove) = action.get("remove") {
                let path = file_path(remove).ok_or_else(|| at("a remove action without a path"))?;
                current.retain(|(p, _)| *p != path);
            }
        }
    }
    current
        .into_iter()
        .map(|(path, partition)| {
            let file = match path.strip_prefix("file://") {
                Some(absolute) => PathBuf::from(absolute),
                None if path.contains("://") => {
                    return Err(ParquetError::at(
                        table,
                        &format!("lists {path}, which is not a local file"),
                    ))
                }
                None => table.join(&path),
            };
            Ok(Part {
                path: file,
                partition,
            })
        })
        .collect()
}

/// The JSON commits of a Delta log, in order; a log that does not start at commit 0 or has
/// a gap is refused.
pub(crate) fn commits(log: &Path) -> Result<Vec<PathBuf>, ParquetError> {
    let entries = fs::read_dir(log).map_err(|e| ParquetError::io(log, &e))?;
    let mut commits: Vec<(u64, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ParquetError::io(log, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(version) = name.strip_suffix(".json").and_then(|v| v.parse().ok()) {
            commits.push((version, entry.path()));
        }
    }
    commits.sort();
    for (expected, (version, _)) in commits.iter().enumerate() {
        if *version != expected as u64 {
            return Err(ParquetError::at(
                log,
                &format!(
                    "has no commit {expected:020}.json (the log starts at a checkpoint or has a \
                     gap); checkpoints are not read: rewrite the table or keep its whole log"
                ),
            ));
        }
    }
    Ok(commits.into_iter().map(|(_, path)| path).collect())
}

/// The file an `add` or `remove` action names: a relative URI, percent-decoded.
fn file_path(action: &Value) -> Option<String> {
    action.get("path").and_then(Value::as_str).map(unescape)
}

/// `text` with its `%XX` escapes decoded (as Hive paths and Delta URIs write them); an
/// escape that is not two hexadecimal digits, or bytes that are not UTF-8, stay as written.
pub(crate) fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let digits = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match digits {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Adds the partition columns of `part` that a row lacks (the innermost directory wins
/// when a column is named twice).
pub(super) fn fill(row: &mut serde_json::Map<String, Value>, part: &Part) {
    for (column, value) in part.partition.iter().rev() {
        if !row.contains_key(column) {
            let value = value.clone().map_or(Value::Null, Value::String);
            row.insert(column.clone(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes_are_decoded_and_bad_ones_kept() {
        assert_eq!(unescape("2026-11-29 10%3A00%3A00"), "2026-11-29 10:00:00");
        assert_eq!(unescape("a%2"), "a%2");
        assert_eq!(unescape("a%zz%41"), "a%zzA");
        assert_eq!(unescape("%ff"), "%ff");
    }
}
