//! Generates the per-action modules of `ocpp-model` from the official OCPP JSON schemas.
//!
//! The generated files are committed; `cargo run -p ocpp-codegen` rewrites them and
//! `cargo run -p ocpp-codegen -- --check` (also run as a test) fails when they are stale.

mod docs;
mod emit;
mod ir;
mod names;
mod read;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Folders below `ocpp-types/src` that hold only generated files.
const GENERATED_DIRS: &[&str] = &[
    "v16/actions",
    "v16/datatypes",
    "v16/enums",
    "v16/messages",
    "v201/actions",
    "v201/datatypes",
    "v201/enums",
    "v201/messages",
    "v21/actions",
    "v21/datatypes",
    "v21/enums",
    "v21/messages",
];

/// One generated file: its path below `ocpp-types/src` and its formatted text.
#[derive(Debug)]
pub struct GeneratedFile {
    /// Path relative to `ocpp-types/src`, with `/` separators.
    pub path: String,
    /// The rustfmt-formatted source.
    pub text: String,
}

/// Where the generator reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The official schemas: a folder with `v16/`, `v201/` and `v21/`.
    pub schemas: PathBuf,
    /// `docs.toml`, the one-line docs of actions and types.
    pub docs: PathBuf,
    /// `ocpp-types/src`.
    pub out: PathBuf,
}

impl Paths {
    /// The paths in this repository; the schemas come from `OCPP_OFFICIAL_SCHEMAS` or else
    /// `../shared/ocpp-schemas` beside the workspace.
    pub fn from_workspace() -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let workspace = manifest.join("../..");
        let schemas = std::env::var_os("OCPP_OFFICIAL_SCHEMAS")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace.join("../shared/ocpp-schemas"));
        Self {
            schemas,
            docs: manifest.join("docs.toml"),
            out: workspace.join("ocpp-types/src"),
        }
    }
}

/// Reads the schemas and produces every generated file, formatted.
pub fn generate(paths: &Paths) -> Result<Vec<GeneratedFile>, String> {
    let docs_text =
        fs::read_to_string(&paths.docs).map_err(|e| format!("{}: {e}", paths.docs.display()))?;
    let docs = docs::Docs::parse(&docs_text)?;
    let mut files = Vec::new();
    for (layout, version_docs) in [
        (read::V16, &docs.v16),
        (read::V201, &docs.v201),
        (read::V21, &docs.v21),
    ] {
        let dir = version_dir(&paths.schemas, layout.module);
        let version = read::read_version(&dir, layout, version_docs)?;
        for file in emit::version(&version) {
            files.push(GeneratedFile {
                text: rustfmt(&file.text).map_err(|e| format!("{}: {e}", file.path))?,
                path: file.path,
            });
        }
    }
    Ok(files)
}

/// Writes the files, removing generated files that are no longer produced.
pub fn write(paths: &Paths, files: &[GeneratedFile]) -> Result<(), String> {
    for stale in stale_files(paths, files)? {
        fs::remove_file(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
    }
    for file in files {
        let path = paths.out.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        if fs::read_to_string(&path).ok().as_deref() != Some(file.text.as_str()) {
            fs::write(&path, &file.text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The paths (below `ocpp-types/src`) that differ from what the generator produces: changed,
/// missing, or no longer generated.
pub fn differences(paths: &Paths, files: &[GeneratedFile]) -> Result<Vec<String>, String> {
    let mut differing: Vec<String> = files
        .iter()
        .filter(|file| {
            fs::read_to_string(paths.out.join(&file.path))
                .ok()
                .as_deref()
                != Some(file.text.as_str())
        })
        .map(|file| file.path.clone())
        .collect();
    for stale in stale_files(paths, files)? {
        differing.push(
            stale
                .strip_prefix(&paths.out)
                .unwrap_or(&stale)
                .display()
                .to_string(),
        );
    }
    Ok(differing)
}

fn stale_files(paths: &Paths, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, String> {
    let mut stale = Vec::new();
    for dir in GENERATED_DIRS {
        let Ok(entries) = fs::read_dir(paths.out.join(dir)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let relative = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if !files.iter().any(|f| f.path == relative) {
                stale.push(entry.path());
            }
        }
    }
    Ok(stale)
}

/// The folder of one version's schemas: `ROOT/v16`, or `ROOT/v16/schemas` as the `ocpp`
/// package on PyPI lays them out.
pub fn version_dir(root: &Path, module: &str) -> PathBuf {
    let packaged = root.join(module).join("schemas");
    if packaged.is_dir() {
        packaged
    } else {
        root.join(module)
    }
}

fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(source.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}\n--- source ---\n{source}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}
