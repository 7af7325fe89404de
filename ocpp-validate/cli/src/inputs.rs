//! The inputs named on the command line: files, directories read recursively, Parquet
//! datasets, and standard input (`-`, or nothing named).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};

use ocpp_validate::trace::is_parquet;
#[cfg(feature = "parquet")]
use ocpp_validate::trace::parquet;

use crate::progress;

/// Standard input as an input.
pub(crate) fn stdin() -> &'static Path {
    Path::new("-")
}

/// The inputs to read, in order: `-` for standard input when `files` is empty; a directory
/// that is no Parquet dataset stands for the files under it, at any depth, sorted by path,
/// names starting with `.` left out. A directory holding no such file is an error.
pub(crate) fn expand(files: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    if files.is_empty() {
        return Ok(vec![stdin().to_owned()]);
    }
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        if file.as_path() != stdin() && file.is_dir() && !is_parquet(file) {
            let before = inputs.len();
            walk(file, &mut inputs, 0)?;
            if inputs.len() == before {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{}: a directory with no files to read", file.display()),
                ));
            }
        } else {
            inputs.push(file.clone());
        }
    }
    Ok(inputs)
}

/// How deep a directory input is walked.
const MAX_DEPTH: usize = 32;

/// Appends the files under `dir` (Parquet datasets as one input each), sorted by path;
/// symbolic links to directories are not followed.
fn walk(dir: &Path, inputs: &mut Vec<PathBuf>, depth: usize) -> io::Result<()> {
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", dir.display()));
    if depth > MAX_DEPTH {
        return Err(io::Error::other(format!(
            "{}: nested more than {MAX_DEPTH} directories deep",
            dir.display()
        )));
    }
    let mut entries = fs::read_dir(dir)
        .map_err(named)?
        .map(|entry| entry.and_then(|e| Ok((e.path(), e.file_type()?))))
        .collect::<io::Result<Vec<_>>>()
        .map_err(named)?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in entries {
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if kind.is_dir() && !is_parquet(&path) {
            walk(&path, inputs, depth + 1)?;
        } else if kind.is_dir() || path.is_file() {
            inputs.push(path);
        }
    }
    Ok(())
}

/// How an input is named in messages.
pub(crate) fn name(input: &Path) -> String {
    if input == stdin() {
        "<stdin>".to_owned()
    } else {
        input.display().to_string()
    }
}

/// Opens an input: standard input for `-` (with a hint on standard error when it is a
/// terminal, unless `quiet`), else the file, with a progress bar when that is worth showing
/// (never when `quiet`). A Parquet file, a directory of them or a Delta table is read as
/// JSON Lines lake rows.
pub(crate) fn open(input: &Path, quiet: bool) -> io::Result<Box<dyn BufRead>> {
    if input == stdin() {
        let stdin = io::stdin();
        if !quiet && stdin.is_terminal() {
            eprintln!(
                "ocpp-validate: reading a trace from the terminal; end it with Ctrl-D, or name \
                 the files to read (see --help)"
            );
        }
        return Ok(Box::new(stdin.lock()));
    }
    if is_parquet(input) {
        #[cfg(feature = "parquet")]
        return Ok(Box::new(BufReader::new(parquet::ParquetRows::open(input)?)));
        #[cfg(not(feature = "parquet"))]
        return Err(io::Error::other(
            "a Parquet input, and this build has no `parquet` feature",
        ));
    }
    let file = File::open(input)?;
    if quiet {
        Ok(Box::new(BufReader::new(file)))
    } else {
        Ok(Box::new(BufReader::new(progress::track(
            file,
            &input.display().to_string(),
        ))))
    }
}
