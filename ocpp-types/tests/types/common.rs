//! Shared by the tests that compare the types with the official OCPP JSON schemas.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use jsonschema::Validator;
use ocpp_model::OcppVersion;
use serde_json::Value;

/// Which payload of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// The folder holding the official schemas (`v16/`, `v201/`, each possibly with a `schemas/`
/// folder inside as in the `ocpp` package on PyPI): `OCPP_OFFICIAL_SCHEMAS`, or
/// `../shared/ocpp-schemas` beside the workspace. `None`, with a note on stderr, when absent.
pub(crate) fn official_schemas() -> Option<PathBuf> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::var_os("OCPP_OFFICIAL_SCHEMAS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/ocpp-schemas")
            });
        if dir.join("v16").is_dir() && dir.join("v201").is_dir() {
            Some(dir)
        } else {
            eprintln!(
                "SKIPPED: official OCPP schemas not found at {}; the tests that compare with them \
                 pass without checking (set OCPP_OFFICIAL_SCHEMAS; see README)",
                dir.display()
            );
            None
        }
    })
    .clone()
}

/// The folder of one version's schemas below the root.
pub(crate) fn version_dir(module: &str) -> Option<PathBuf> {
    let root = official_schemas()?;
    let packaged = root.join(module).join("schemas");
    Some(if packaged.is_dir() {
        packaged
    } else {
        root.join(module)
    })
}

/// The path of an action's schema, below the root.
pub(crate) fn schema_path(
    version: OcppVersion,
    action: &str,
    direction: Direction,
) -> Option<PathBuf> {
    let file = match (version, direction) {
        (OcppVersion::V16, Direction::Request) => format!("{action}.json"),
        (OcppVersion::V16, Direction::Response) => format!("{action}Response.json"),
        (_, Direction::Request) => format!("{action}Request.json"),
        (_, Direction::Response) => format!("{action}Response.json"),
    };
    let module = if version == OcppVersion::V16 {
        "v16"
    } else {
        "v201"
    };
    Some(version_dir(module)?.join(file))
}

/// A validator for the official schema of an action, with format checking on; built once.
pub(crate) fn official_validator(
    version: OcppVersion,
    action: &str,
    direction: Direction,
) -> &'static Validator {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, &'static Validator>>> = OnceLock::new();
    let path = schema_path(version, action, direction).expect("official schemas present");
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .expect("validator cache");
    cache.entry(path.clone()).or_insert_with(|| {
        let schema = load_schema(&path);
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Box::leak(Box::new(validator))
    })
}

/// A schema file's JSON.
pub(crate) fn load_schema(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The official schema's errors for an instance, one line each (`pointer: message`).
pub(crate) fn official_errors(
    version: OcppVersion,
    action: &str,
    direction: Direction,
    instance: &Value,
) -> Vec<String> {
    official_validator(version, action, direction)
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
