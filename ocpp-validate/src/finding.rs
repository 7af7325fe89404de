//! Findings: what a check reports, as data that every renderer prints.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use ocpp_model::AnyErrorCode;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(
    clippy::exhaustive_enums,
    reason = "every report maps each of the three severities, and a new one must be mapped everywhere"
)]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Position {
    /// 0-based index of the record in its input (blank lines are not records).
    pub record: usize,
    /// 1-based line of the record (0 when the input has no lines).
    pub line: usize,
}

impl Position {
    /// Record `record` (0-based), on line `line` (1-based).
    pub fn new(record: usize, line: usize) -> Self {
        Self { record, line }
    }
}

/// One thing a check found in one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
    pub error_code: Option<AnyErrorCode>,
}

/// The most characters of a value echoed in a report; a longer one is cut and its length
/// stated.
pub const MAX_ECHO: usize = 200;

/// The most characters of a message in a report (it may quote a value cut to [`MAX_ECHO`]).
pub const MAX_MESSAGE: usize = 4 * MAX_ECHO;

/// `text` cut to `max` characters, its full length stated when cut:
/// `AAAA… (1048576 characters)`.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    // Bytes bound characters from above, so most texts need no count.
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..end],
            text.chars().count()
        )),
    }
}

/// `value` as a report echoes it: a string cut to [`MAX_ECHO`] characters, any other value
/// whose JSON text is longer replaced by that text, cut.
pub fn cut_value(value: &Value) -> Cow<'_, Value> {
    match value {
        Value::String(text) => match cut(text, MAX_ECHO) {
            Cow::Borrowed(_) => Cow::Borrowed(value),
            Cow::Owned(short) => Cow::Owned(Value::String(short)),
        },
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            match cut(&text, MAX_ECHO) {
                Cow::Borrowed(_) => Cow::Borrowed(value),
                Cow::Owned(short) => Cow::Owned(Value::String(short)),
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Cow::Borrowed(value),
    }
}

/// A finding as reports write it: its message and value cut ([`MAX_MESSAGE`], [`MAX_ECHO`]),
/// every other member as it is.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Echo<'a> {
    /// Where the record is.
    #[serde(flatten)]
    pub at: Position,
    /// The rule.
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// Which layer found it.
    pub category: Category,
    /// JSON pointer into the payload.
    pub pointer: &'a str,
    /// The message, cut.
    pub message: Cow<'a, str>,
    /// The offending value, cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Cow<'a, Value>>,
    /// The CALLERROR code.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<AnyErrorCode>,
}

impl Finding {
    /// A finding of `rule` at `at`, about the record as a whole (no pointer, value or code).
    pub fn new(
        at: Position,
        rule: &'static str,
        severity: Severity,
        category: Category,
        message: impl Into<String>,
    ) -> Self {
        Self {
            at,
            rule,
            severity,
            category,
            pointer: String::new(),
            message: message.into(),
            value: None,
            error_code: None,
        }
    }

    /// The same finding, at the JSON pointer `pointer`.
    pub fn with_pointer(self, pointer: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            ..self
        }
    }

    /// The same finding, with the offending value.
    pub fn with_value(self, value: serde_json::Value) -> Self {
        Self {
            value: Some(value),
            ..self
        }
    }

    /// The same finding, with the CALLERROR code it calls for.
    pub fn with_error_code(self, code: AnyErrorCode) -> Self {
        Self {
            error_code: Some(code),
            ..self
        }
    }

    /// The finding as reports write it, long message and value cut.
    pub fn echo(&self) -> Echo<'_> {
        Echo {
            at: self.at,
            rule: self.rule,
            severity: self.severity,
            category: self.category,
            pointer: &self.pointer,
            message: cut(&self.message, MAX_MESSAGE),
            value: self.value.as_ref().map(cut_value),
            error_code: self.error_code,
        }
    }
}
