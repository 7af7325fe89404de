//! `decode_frame` and the `Frame` it returns.

use ocpp_validate::{check_frame, FrameParts};
use pyo3::prelude::*;

use crate::errors::{self, FrameError};

/// An OCPP-J frame, decoded strictly: its message type (`"CALL"`, `"CALLRESULT"`,
/// `"CALLERROR"`, and in OCPP 2.1 `"CALLRESULTERROR"` and `"SEND"`), message id, the action
/// of a CALL or SEND, the payload of a CALL, CALLRESULT or SEND as JSON text, and the error
/// code of an error.
#[pyclass(frozen, get_all, skip_from_py_object, module = "ocpp_toolkit")]
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// The message type.
    message_type: &'static str,
    /// The message id.
    message_id: String,
    /// The action a CALL or SEND names.
    action: Option<String>,
    /// The payload, as JSON text.
    payload: Option<String>,
    /// The error code of a CALLERROR or CALLRESULTERROR.
    error_code: Option<&'static str>,
}

#[pymethods]
impl Frame {
    fn __repr__(&self) -> String {
        format!(
            "Frame(message_type={:?}, message_id={:?}, action={:?})",
            self.message_type, self.message_id, self.action
        )
    }
}

impl From<FrameParts> for Frame {
    fn from(parts: FrameParts) -> Self {
        let text = |payload: serde_json::Map<String, serde_json::Value>| {
            Some(serde_json::Value::Object(payload).to_string())
        };
        let frame = |message_type, message_id| Frame {
            message_type,
            message_id,
            action: None,
            payload: None,
            error_code: None,
        };
        match parts {
            FrameParts::Call {
                message_id,
                action,
                payload,
            } => Frame {
                action: Some(action),
                payload: text(payload),
                ..frame("CALL", message_id)
            },
            FrameParts::CallResult {
                message_id,
                payload,
            } => Frame {
                payload: text(payload),
                ..frame("CALLRESULT", message_id)
            },
            FrameParts::CallError {
                message_id,
                error_code,
            } => Frame {
                error_code: Some(error_code),
                ..frame("CALLERROR", message_id)
            },
            FrameParts::CallResultError {
                message_id,
                error_code,
            } => Frame {
                error_code: Some(error_code),
                ..frame("CALLRESULTERROR", message_id)
            },
            FrameParts::Send {
                message_id,
                action,
                payload,
            } => Frame {
                action: Some(action),
                payload: text(payload),
                ..frame("SEND", message_id)
            },
        }
    }
}

/// Decodes `text` as an OCPP-J frame of `version` (`"1.6"`, `"2.0.1"` or `"2.1"`); a text
/// that is not one raises `FrameError` with the rule, the error code a receiver answers with
/// and the message id to answer with.
#[pyfunction]
#[pyo3(signature = (text, version = "1.6"))]
pub(crate) fn decode_frame(py: Python<'_>, text: &str, version: &str) -> PyResult<Frame> {
    let version = errors::version(version)?;
    match check_frame(version, text) {
        Ok(frame) => Ok(FrameParts::from(frame).into()),
        Err(issue) => {
            let error = FrameError::new_err(issue.message.clone());
            let code = issue.error_code.map(|code| code.as_str());
            let attributes = (
                issue.rule.into_pyobject(py),
                code.into_pyobject(py),
                issue.reply_id.into_pyobject(py),
            );
            match attributes {
                (Ok(rule), Ok(code), Ok(reply_id)) => Err(errors::with_attributes(
                    py,
                    error,
                    &[
                        ("rule", rule.into_any()),
                        ("error_code", code.into_any()),
                        ("reply_id", reply_id.into_any()),
                    ],
                )),
                _ => Err(error),
            }
        }
    }
}
