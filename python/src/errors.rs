//! The exceptions, and the argument parsing every function shares (versions, kinds, JSON).

use std::collections::HashMap;

use ocpp_model::OcppVersion;
use ocpp_validate::trace::Columns;
use ocpp_validate::{PayloadKind, UnknownAction};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    ocpp_toolkit,
    OcppError,
    PyException,
    "What every error of ocpp_toolkit is."
);
pyo3::create_exception!(
    ocpp_toolkit,
    FrameError,
    OcppError,
    "A text that is not an OCPP-J frame: `rule` (`frame-not-json`, `frame-wrong-arity`, …), \
     `error_code` (what a receiver answers, or None) and `reply_id`."
);
pyo3::create_exception!(
    ocpp_toolkit,
    PayloadError,
    OcppError,
    "A payload that is not JSON: `line` and `column` of the first error."
);
pyo3::create_exception!(
    ocpp_toolkit,
    UnknownActionError,
    OcppError,
    "An action the version does not define: `version` and `action`."
);

/// `error` with `attributes` set on the exception object.
pub(crate) fn with_attributes<'py>(
    py: Python<'py>,
    error: PyErr,
    attributes: &[(&str, Bound<'py, PyAny>)],
) -> PyErr {
    let value = error.value(py);
    for (name, attribute) in attributes {
        if let Err(failed) = value.setattr(*name, attribute) {
            return failed;
        }
    }
    error
}

/// `"1.6"`, `"2.0.1"` or `"2.1"`.
pub(crate) fn version(text: &str) -> PyResult<OcppVersion> {
    text.parse().map_err(|_| {
        PyValueError::new_err(format!(
            "unknown OCPP version {text:?}: give \"1.6\", \"2.0.1\" or \"2.1\""
        ))
    })
}

/// `"request"` or `"response"`.
pub(crate) fn kind(text: &str) -> PyResult<PayloadKind> {
    match text {
        "request" => Ok(PayloadKind::Request),
        "response" => Ok(PayloadKind::Response),
        other => Err(PyValueError::new_err(format!(
            "unknown payload kind {other:?}: give \"request\" or \"response\""
        ))),
    }
}

/// The payload JSON text, parsed.
pub(crate) fn payload(py: Python<'_>, text: &str) -> PyResult<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| {
        let error = PayloadError::new_err(format!("the payload is not JSON: {e}"));
        let (line, column) = (e.line().into_pyobject(py), e.column().into_pyobject(py));
        match (line, column) {
            (Ok(line), Ok(column)) => with_attributes(
                py,
                error,
                &[("line", line.into_any()), ("column", column.into_any())],
            ),
            _ => error,
        }
    })
}

/// An unknown action as the exception.
pub(crate) fn unknown_action(py: Python<'_>, unknown: &UnknownAction) -> PyErr {
    let error = UnknownActionError::new_err(unknown.to_string());
    let attributes = [
        ("version", unknown.version.to_string()),
        ("action", unknown.action.clone()),
    ];
    let attributes: Vec<_> = attributes
        .iter()
        .filter_map(|(name, value)| Some((*name, value.into_pyobject(py).ok()?.into_any())))
        .collect();
    with_attributes(py, error, &attributes)
}

/// The lake column names with `overrides` (field → column name) applied.
pub(crate) fn columns(overrides: Option<HashMap<String, String>>) -> PyResult<Columns> {
    let overrides: Vec<String> = overrides
        .unwrap_or_default()
        .into_iter()
        .map(|(field, name)| format!("{field}={name}"))
        .collect();
    Columns::with_overrides(&overrides.join(","))
        .map_err(|e| PyValueError::new_err(format!("columns: {e}")))
}
