//! Findings: what a check reports, as data that every renderer prints.

use serde::Serialize;

use crate::code::ErrorCode;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information only.
    Info,
    /// Suspicious but not a violation of the specification (for example a call left
    /// unanswered at the end of a trace, which may simply have been cut there).
    Warning,
    /// A violation of the specification.
    Error,
}

/// Which layer a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The input record or the OCPP-J frame.
    Framing,
    /// The payload against its action's schema.
    Schema,
    /// Pairing responses with calls.
    Correlation,
    /// Rules across messages: transactions, meter values, statuses, timing.
    Semantic,
    /// A deviation the tolerant decoder forgave (warning) or was told to refuse (error).
    Tolerant,
}

/// Where a record is in its input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Position {
    /// 0-based index of the record in its input (blank lines are not records).
    pub record: usize,
    /// 1-based line of the record (0 when the input has no lines).
    pub line: usize,
}

/// One thing a check found in one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Where the record is.
    #[serde(flatten)]
    pub at: Position,
    /// Stable identifier of the rule (`schema-enum`, `frame-wrong-arity`, …).
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// Which layer found it.
    pub category: Category,
    /// JSON pointer into the payload; empty when the finding is about the whole record.
    pub pointer: String,
    /// A sentence for people.
    pub message: String,
    /// The offending value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The CALLERROR code a receiver must answer with, where the finding calls for one.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
}
