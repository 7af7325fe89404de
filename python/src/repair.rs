//! `tolerant` and the `Repair`s it returns.

use ocpp_validate::tolerant::{decode_payload, Policy, Repair as Repaired, PROFILES};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors;

/// One deviation the tolerant decoder met: its rule (`date-time.missing-offset`, …), the
/// JSON pointer, the value as received and after normalization (JSON text; None when the
/// member was dropped or the rule denied), and the verdict (`"warn"` or `"deny"`).
#[pyclass(frozen, get_all, skip_from_py_object, module = "ocpp_toolkit")]
#[derive(Debug, Clone)]
pub(crate) struct Repair {
    /// The rule that matched.
    rule: &'static str,
    /// JSON pointer into the payload.
    pointer: String,
    /// The value as received, as JSON text.
    original: String,
    /// The value after normalization, as JSON text.
    normalized: Option<String>,
    /// What the policy made of it.
    verdict: &'static str,
}

#[pymethods]
impl Repair {
    fn __repr__(&self) -> String {
        format!(
            "Repair(rule={:?}, pointer={:?}, original={}, normalized={}, verdict={:?})",
            self.rule,
            self.pointer,
            self.original,
            self.normalized.as_deref().unwrap_or("None"),
            self.verdict
        )
    }
}

impl From<Repaired> for Repair {
    fn from(repair: Repaired) -> Self {
        Self {
            rule: repair.rule.id(),
            pointer: repair.pointer,
            original: repair.original.to_string(),
            normalized: repair.normalized.map(|value| value.to_string()),
            verdict: repair.verdict.as_str(),
        }
    }
}

/// A shipped tolerance profile by name (`None`: the rules' defaults).
pub(crate) fn policy(profile: Option<&str>) -> PyResult<Policy> {
    let Some(name) = profile else {
        return Ok(Policy::default());
    };
    match Policy::profile(name) {
        Some(Ok(policy)) => Ok(policy),
        Some(Err(e)) => Err(PyValueError::new_err(format!("profile {name}: {e}"))),
        None => {
            let known: Vec<&str> = PROFILES.iter().map(|(name, _)| *name).collect();
            Err(PyValueError::new_err(format!(
                "unknown profile {name:?}; the shipped ones are {}",
                known.join(", ")
            )))
        }
    }
}

/// Decodes `payload` (JSON text) as `action`'s `kind` in `version` tolerantly, under the
/// shipped `profile` (`None`: the rules' defaults): returns the normalized payload as JSON
/// text, the repairs, and whether the normalized payload now decodes strictly.
#[pyfunction]
#[pyo3(signature = (version, action, kind, payload, profile = None))]
pub(crate) fn tolerant(
    py: Python<'_>,
    version: &str,
    action: &str,
    kind: &str,
    payload: &str,
    profile: Option<&str>,
) -> PyResult<(String, Vec<Repair>, bool)> {
    let (version, kind) = (errors::version(version)?, errors::kind(kind)?);
    let payload = errors::payload(py, payload)?;
    let policy = policy(profile)?;
    let decoded = decode_payload(version, action, kind, payload, &policy)
        .map_err(|unknown| errors::unknown_action(py, &unknown))?;
    let decodes = decoded.message.is_ok() && !decoded.denied();
    Ok((
        decoded.payload.to_string(),
        decoded.repairs.into_iter().map(Repair::from).collect(),
        decodes,
    ))
}
