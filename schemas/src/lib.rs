//! The JSON schemas of every `ocpp-model` payload, one file per action and direction, named
//! like the official files (`v16/Authorize.json`, `v16/AuthorizeResponse.json`,
//! `v201/AuthorizeRequest.json`, `v21/NotifyPeriodicEventStream.json`, …) so the two sets can
//! be compared file by file.
//!
//! `cargo run -p ocpp-schemas` rewrites `schemas/v16`, `schemas/v201` and `schemas/v21`;
//! `cargo run -p ocpp-schemas -- --check` fails when they are stale.

use std::fs;
use std::path::{Path, PathBuf};

use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use serde_json::Value;

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

/// The version's folder, named like the official set's.
pub fn folder(version: OcppVersion) -> &'static str {
    match version {
        OcppVersion::V16 => "v16",
        OcppVersion::V201 => "v201",
        OcppVersion::V21 => "v21",
    }
}

/// The file name of an action's schema, as the official set names it: 1.6 requests have no
/// `Request` suffix, later versions' do, but for 2.1's unconfirmed messages (Part 4 §4.1.3).
pub fn file_name(version: OcppVersion, action: &str, kind: PayloadKind) -> String {
    let answered = version.action(action).is_none_or(|info| info.has_response);
    let suffix = match (version, kind) {
        (OcppVersion::V16, PayloadKind::Request) => "",
        (OcppVersion::V201 | OcppVersion::V21, PayloadKind::Request) if answered => "Request",
        (OcppVersion::V201 | OcppVersion::V21, PayloadKind::Request) => "",
        (_, PayloadKind::Response) => "Response",
    };
    format!("{}/{action}{suffix}.json", folder(version))
}

/// The schema of one payload, generated from the types; `None` for an action the version
/// lacks, and for the response of an unconfirmed action, which has none.
pub fn schema(version: OcppVersion, action: &str, kind: PayloadKind) -> Option<Value> {
    let info = version.action(action)?;
    if kind == PayloadKind::Response && !info.has_response {
        return None;
    }
    AnyMessage::json_schema(version, kind, action).map(|schema| schema.to_value())
}

/// Every (version, action) pair.
pub fn actions() -> Vec<(OcppVersion, &'static str)> {
    OcppVersion::ALL
        .iter()
        .flat_map(|&version| version.action_names().iter().map(move |&a| (version, a)))
        .collect()
}

/// Every schema file.
pub fn generate() -> Vec<SchemaFile> {
    let mut files = Vec::new();
    for (version, action) in actions() {
        for kind in [PayloadKind::Request, PayloadKind::Response] {
            if let Some(schema) = schema(version, action, kind) {
                let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
                text.push('\n');
                files.push(SchemaFile {
                    path: file_name(version, action, kind),
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
    for sub in OcppVersion::ALL.iter().map(|&version| folder(version)) {
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
