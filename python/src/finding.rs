//! `validate` and the `Finding` it returns (also what the batch pipeline finds, as rows).

use ocpp_validate::{validate_payload, Finding as Found, Violation, ViolationKind};
use pyo3::prelude::*;

use crate::errors;

/// One thing a check found: the rule (`schema-enum`, `correlation-unanswered-call`, …), how
/// bad it is, which layer found it, the JSON pointer into the payload, a sentence, the
/// offending value as JSON text and the CALLERROR code a receiver answers with, if any.
#[pyclass(frozen, get_all, skip_from_py_object, module = "ocpp_toolkit")]
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// Stable rule id.
    pub(crate) rule: String,
    /// `"error"`, `"warning"` or `"info"`.
    pub(crate) severity: String,
    /// `"framing"`, `"schema"`, `"correlation"`, `"semantic"` or `"tolerant"`.
    pub(crate) category: String,
    /// JSON pointer into the payload; empty when the finding is about the whole record.
    pub(crate) pointer: String,
    /// A sentence for people.
    pub(crate) message: String,
    /// The CALLERROR code the finding calls for, if any.
    pub(crate) error_code: Option<String>,
    /// The offending value as JSON text, where there is one.
    pub(crate) value: Option<String>,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(rule={:?}, severity={:?}, pointer={:?}, message={:?})",
            self.rule, self.severity, self.pointer, self.message
        )
    }
}

/// A serialized enum's text (`Severity::Error` → `"error"`).
pub(crate) fn label(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

impl From<&Found> for Finding {
    fn from(found: &Found) -> Self {
        Self {
            rule: found.rule.to_owned(),
            severity: label(found.severity),
            category: label(found.category),
            pointer: found.pointer.clone(),
            message: found.message.clone(),
            error_code: found.error_code.map(|code| code.as_str().to_owned()),
            value: found.value.as_ref().map(serde_json::Value::to_string),
        }
    }
}

impl Finding {
    /// A schema violation of `payload`, as the pipeline reports it (an error of the schema
    /// layer, the offending value echoed but for a missing member).
    fn violation(violation: Violation, payload: &serde_json::Value) -> Self {
        let value = match violation.kind {
            ViolationKind::Required { .. } => None,
            _ => payload.pointer(&violation.pointer).map(|v| v.to_string()),
        };
        Self {
            rule: violation.kind.rule().to_owned(),
            severity: "error".to_owned(),
            category: "schema".to_owned(),
            pointer: violation.pointer,
            message: violation.message,
            error_code: Some(violation.error_code.as_str().to_owned()),
            value,
        }
    }
}

/// Every violation of `payload` (JSON text) against the schema of `action`'s `kind`
/// (`"request"` or `"response"`) in `version`, in document order; empty when it is valid.
#[pyfunction]
pub(crate) fn validate(
    py: Python<'_>,
    version: &str,
    action: &str,
    kind: &str,
    payload: &str,
) -> PyResult<Vec<Finding>> {
    let (version, kind) = (errors::version(version)?, errors::kind(kind)?);
    let payload = errors::payload(py, payload)?;
    let violations = validate_payload(version, action, kind, &payload)
        .map_err(|unknown| errors::unknown_action(py, &unknown))?;
    Ok(violations
        .into_iter()
        .map(|violation| Finding::violation(violation, &payload))
        .collect())
}
