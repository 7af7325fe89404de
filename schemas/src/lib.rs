//! The JSON schemas of every `ocpp-model` payload, one file per action and direction, named
//! like the official files (`v16/Authorize.json`, `v16/AuthorizeResponse.json`,
//! `v201/AuthorizeRequest.json`, …) so the two sets can be compared file by file.
//!
//! `cargo run -p ocpp-schemas` rewrites `schemas/v16` and `schemas/v201`;
//! `cargo run -p ocpp-schemas -- --check` fails when they are stale.

use std::fs;
use std::path::{Path, PathBuf};

use ocpp_model::{v16, v201, OcppVersion};
use serde_json::Value;

/// Which payload of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The CALL payload.
    Request,
    /// The CALLRESULT payload.
    Response,
}

/// One schema file: its path below `schemas/` and its text.
#[derive(Debug)]
pub struct SchemaFile {
    /// For example `v16/BootNotificationResponse.json`.
    pub path: String,
    /// Pretty-printed JSON with a final newline.
    pub text: String,
}

/// The folder the files live in (this crate's folder).
pub fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file name of an action's schema, as the official set names it.
pub fn file_name(version: OcppVersion, action: &str, direction: Direction) -> String {
    match (version, direction) {
        (OcppVersion::V16, Direction::Request) => format!("v16/{action}.json"),
        (OcppVersion::V16, Direction::Response) => format!("v16/{action}Response.json"),
        (_, Direction::Request) => format!("v201/{action}Request.json"),
        (_, Direction::Response) => format!("v201/{action}Response.json"),
    }
}

/// The schema of one payload, generated from the types.
pub fn schema(version: OcppVersion, action: &str, direction: Direction) -> Option<Value> {
    let schema = match version {
        OcppVersion::V16 => {
            let action = v16::ActionName::from_name(action)?;
            match direction {
                Direction::Request => v16::Request::json_schema(action),
                Direction::Response => v16::Response::json_schema(action),
            }
        }
        _ => {
            let action = v201::ActionName::from_name(action)?;
            match direction {
                Direction::Request => v201::Request::json_schema(action),
                Direction::Response => v201::Response::json_schema(action),
            }
        }
    };
    Some(schema.to_value())
}

/// Every (version, action) pair.
pub fn actions() -> Vec<(OcppVersion, &'static str)> {
    let v16 = v16::ActionName::ALL
        .iter()
        .map(|a| (OcppVersion::V16, a.as_str()));
    let v201 = v201::ActionName::ALL
        .iter()
        .map(|a| (OcppVersion::V201, a.as_str()));
    v16.chain(v201).collect()
}

/// Every schema file.
pub fn generate() -> Vec<SchemaFile> {
    let mut files = Vec::new();
    for (version, action) in actions() {
        for direction in [Direction::Request, Direction::Response] {
            if let Some(schema) = schema(version, action, direction) {
                let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
                text.push('\n');
                files.push(SchemaFile {
                    path: file_name(version, action, direction),
                    text,
                });
            }
        }
    }
    files
}

/// The files below `dir` that differ from `files`: changed, missing, or not generated.
pub fn differences(dir: &Path, files: &[SchemaFile]) -> Vec<String> {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|f| fs::read_to_string(dir.join(&f.path)).ok().as_deref() != Some(f.text.as_str()))
        .map(|f| f.path.clone())
        .collect();
    for sub in ["v16", "v201"] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = format!("{sub}/{}", entry.file_name().to_string_lossy());
            if !files.iter().any(|f| f.path == path) {
                stale.push(path);
            }
        }
    }
    stale
}

/// Writes the files below `dir`, removing schema files no longer generated.
pub fn write(dir: &Path, files: &[SchemaFile]) -> std::io::Result<()> {
    for path in differences(dir, files) {
        let full = dir.join(&path);
        match files.iter().find(|f| f.path == path) {
            Some(file) => {
                if let Some(parent) = full.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&full, &file.text)?;
            }
            None => fs::remove_file(&full)?,
        }
    }
    Ok(())
}
