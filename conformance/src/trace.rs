//! Captured traces for `replay` and load mode: records of any format `ocpp-validate` reads,
//! each frame parsed, and the errors that make a trace unusable.

use ocpp_validate::trace::{FrameSource, RecordIssue};
use serde_json::Value;

/// A trace that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// Reading failed.
    #[error("reading the trace: {0}")]
    Io(#[from] std::io::Error),
    /// A record is unusable.
    #[error("line {line}: {message}")]
    Record {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The trace cannot be played as asked (charge points, versions).
    #[error("{0}")]
    Unusable(String),
    /// No CALL of a station's was found (load mode replays only those).
    #[error("the trace holds no CALL sent by a station")]
    NoCalls,
}

/// The frame a record on `line` holds, parsed as JSON.
pub fn parse_frame(
    line: usize,
    frame: Result<FrameSource<'_>, RecordIssue>,
) -> Result<Value, TraceError> {
    let problem = |message| TraceError::Record { line, message };
    match frame.map_err(|issue| problem(issue.message))? {
        FrameSource::Text(text) => {
            serde_json::from_str(&text).map_err(|e| problem(format!("not JSON: {e}")))
        }
        FrameSource::Value(value) => Ok(value),
    }
}
