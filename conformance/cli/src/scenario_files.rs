//! The files `run --scenario` names: files as given, directories read recursively for
//! `*.toml` in sorted order, so that a run's case order does not depend on the file system.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use ocpp_conformance::scenario::Scenario;

/// Every scenario of `paths`, in order: a file as given, a directory's `*.toml` files sorted
/// by path (subdirectories included, see [`collect`]). A directory without any is an error
/// naming it.
pub(crate) fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<Scenario>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect(path, &mut found)?;
            if found.is_empty() {
                bail!(
                    "{}: no *.toml scenario file in this directory",
                    path.display()
                );
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(Scenario::parse(&path.display().to_string(), &text)?)
        })
        .collect()
}

/// Adds the `*.toml` files under `dir` to `found`: names starting with `.` are skipped (a
/// `.git`, an editor's files), and symbolic links to directories are not followed (no cycles).
fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", path.display()))?;
        if kind.is_dir() {
            collect(&path, found)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}
