//! The scenario file format (TOML, format version 1): a case is a list of steps that a
//! simulated charging station plays against a CSMS.

use std::collections::BTreeMap;

use ocpp_model::framing::MessageTypeId;
use ocpp_model::OcppVersion;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::matcher::Matcher;

/// The format version this crate reads.
pub const FORMAT: u32 = 1;

/// One conformance case.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Scenario {
    /// Format version of the file; must be 1.
    pub format: u32,
    /// Stable case id, normally the OCA test case it follows (`TC_B_01_CSMS`).
    pub id: String,
    /// A short title.
    pub name: String,
    /// Which OCPP version it speaks: `1.6`, `2.0.1` or `2.1`.
    pub version: Version,
    /// Where in the specification the case comes from.
    #[serde(default)]
    pub cites: String,
    /// Charge point identity to connect as; the runner's default when absent.
    #[serde(default)]
    pub identity: Option<String>,
    /// What the CSMS under test must provide for the case to run.
    #[serde(default)]
    pub requires: Vec<Requirement>,
    /// The steps, in order.
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// An OCPP version as written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the OCPP versions a scenario can name, as `OcppVersion`; callers match them all"
)]
pub enum Version {
    /// OCPP 1.6-J.
    #[serde(rename = "1.6")]
    V16,
    /// OCPP 2.0.1.
    #[serde(rename = "2.0.1")]
    V201,
    /// OCPP 2.1.
    #[serde(rename = "2.1")]
    V21,
}

impl From<Version> for OcppVersion {
    fn from(version: Version) -> Self {
        match version {
            Version::V16 => OcppVersion::V16,
            Version::V201 => OcppVersion::V201,
            Version::V21 => OcppVersion::V21,
        }
    }
}

/// A capability of the CSMS under test that a case depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Requirement {
    /// A way to make the CSMS send a CALL (`trigger` steps).
    Trigger,
    /// The CSMS answers BootNotification Pending and Rejected for the test environment's
    /// pending and rejected identities (`--boot-by-identity`, or `[identities]` in `--config`).
    BootByIdentity,
}

/// One step of a case.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Step {
    /// Send a CALL and check the CSMS's answer.
    Call {
        /// The action.
        action: String,
        /// The request payload; `${var}` in strings is substituted.
        #[serde(default = "empty_object")]
        payload: Value,
        /// What the answer must be.
        #[serde(default)]
        expect: Expect,
    },
    /// Wait for a CALL from the CSMS and answer it.
    ExpectCall {
        /// The action the CSMS must send.
        action: String,
        /// Matchers on the request payload, keyed by JSON pointer.
        #[serde(default, rename = "match")]
        matchers: BTreeMap<String, Matcher>,
        /// Values to remember, keyed by variable name, taken from JSON pointers.
        #[serde(default)]
        capture: BTreeMap<String, String>,
        /// How long to wait, in milliseconds.
        #[serde(default = "default_timeout")]
        timeout_ms: u64,
        /// The CALLRESULT payload to answer with.
        #[serde(default = "empty_object")]
        respond: Value,
        /// Answer with a CALLERROR of this code instead.
        #[serde(default)]
        respond_error: Option<String>,
        /// The CALLRESULTERROR the CSMS must answer the CALLRESULT with (OCPP 2.1), when the
        /// case makes it fail its schema.
        #[serde(default)]
        result_error: Option<ResultError>,
    },
    /// Send a SEND (OCPP 2.1: a message never answered) and fail on any answer to it.
    Send {
        /// The action.
        action: String,
        /// The payload; `${var}` in strings is substituted.
        #[serde(default = "empty_object")]
        payload: Value,
        /// How long to watch for an answer, in milliseconds.
        #[serde(default = "default_silence")]
        wait_ms: u64,
    },
    /// Make the CSMS send a CALL, through the configured trigger.
    Trigger {
        /// The action the CSMS should send.
        action: String,
        /// The payload it should send; `${var}` is substituted.
        #[serde(default = "empty_object")]
        payload: Value,
    },
    /// Send a text frame as written (a deliberately malformed frame) and expect a CALLERROR
    /// with one of the codes the specification's text allows.
    SendRaw {
        /// The frame text; `${id}` is replaced by a fresh message id.
        text: String,
        /// A CALLERROR code the answer may carry (short for one `accept` entry).
        #[serde(default)]
        error_code: Option<String>,
        /// The CALLERROR codes the answer may carry, each with the text that allows it.
        #[serde(default)]
        accept: Vec<AcceptedCode>,
        /// What no CALLERROR at all weighs (an error when absent).
        #[serde(default)]
        no_answer: Option<NoAnswer>,
        /// The message id the CALLERROR must carry; `${id}` by default.
        #[serde(default)]
        reply_id: Option<String>,
        /// How long to wait for the CALLERROR, in milliseconds.
        #[serde(default = "default_timeout")]
        timeout_ms: u64,
    },
    /// Pause.
    Wait {
        /// How long, in milliseconds.
        ms: u64,
    },
    /// Close the connection and open a new one.
    Reconnect {},
}

/// How much a deviation weighs: an error fails the case; a warning fails it only under
/// `--strict`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(
    clippy::exhaustive_enums,
    reason = "the two levels the specification's wording gives (SHALL, SHOULD); callers match both"
)]
pub enum Level {
    /// The text says SHALL / MUST, or admits this one answer only.
    #[default]
    Error,
    /// The text says SHOULD, allows several answers, or allows dropping the message.
    Warning,
}

/// A CALLERROR code a malformed frame may be answered with.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AcceptedCode {
    /// The code.
    pub code: String,
    /// Why the text allows it, with its section.
    pub reason: String,
}

/// What a malformed frame left without any CALLERROR weighs, and why.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NoAnswer {
    /// The deviation's level.
    pub level: Level,
    /// The text that decides it, with its section.
    pub reason: String,
}

/// The CALLRESULTERROR an `expect_call` step's CALLRESULT must get.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ResultError {
    /// The codes it may carry, each with the text that allows it.
    pub accept: Vec<AcceptedCode>,
    /// What no CALLRESULTERROR at all weighs (an error when absent).
    #[serde(default)]
    pub no_answer: Option<NoAnswer>,
    /// How long to wait for it, in milliseconds.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
}

/// What the answer to a CALL must be.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Expect {
    /// A CALLERROR with this code is expected instead of a CALLRESULT.
    #[serde(default)]
    pub error_code: Option<String>,
    /// Matchers on the CALLRESULT payload, keyed by JSON pointer.
    #[serde(default, rename = "match")]
    pub matchers: BTreeMap<String, Matcher>,
    /// Values to remember, keyed by variable name, taken from JSON pointers.
    #[serde(default)]
    pub capture: BTreeMap<String, String>,
    /// How long to wait, in milliseconds.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
}

impl Default for Expect {
    fn default() -> Self {
        Self {
            error_code: None,
            matchers: BTreeMap::new(),
            capture: BTreeMap::new(),
            timeout_ms: default_timeout(),
        }
    }
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

fn default_timeout() -> u64 {
    5_000
}

fn default_silence() -> u64 {
    1_000
}

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// Not valid TOML of the format.
    // Not a `source` field: the message already holds the TOML error, which would print
    // twice in an error chain.
    #[error("{name}: {error}")]
    Parse {
        /// The file's name.
        name: String,
        /// What is wrong, with its line and column.
        error: toml::de::Error,
    },
    /// A `send_raw` step that accepts no CALLERROR code.
    #[error("{name}: step {step} (send_raw) names no accepted code: give error_code or accept")]
    NoAcceptedCode {
        /// The file's name.
        name: String,
        /// The 1-based step.
        step: usize,
    },
    /// A format version this crate does not read.
    #[error("{name}: format {found} is not supported (this runner reads format {FORMAT})")]
    Format {
        /// The file's name.
        name: String,
        /// The format it declares.
        found: u32,
    },
    /// A step uses a message type the case's version does not define.
    #[error(
        "{name}: step {step}: OCPP {version} has no {message_type} (an OCPP 2.1 message type)"
    )]
    MessageType {
        /// The file's name.
        name: String,
        /// The 1-based step.
        step: usize,
        /// The message type's name.
        message_type: &'static str,
        /// The case's version.
        version: OcppVersion,
    },
    /// A step names an action the case's version does not define.
    #[error("{name}: step {step}: unknown action {action:?} for OCPP {version}{hint}")]
    UnknownAction {
        /// The file's name.
        name: String,
        /// The 1-based step.
        step: usize,
        /// The action as written.
        action: String,
        /// The case's version.
        version: OcppVersion,
        /// ` (did you mean …?)` or ` (an OCPP … action)`, or nothing.
        hint: String,
    },
}

/// The edit distance of `a` and `b` (insertions, deletions and substitutions of characters).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != *y);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// What to say after an unknown action: the nearest name of `version` when it is a few
/// letters away (case ignored), else the other version when that one defines the name.
fn action_hint(action: &str, version: OcppVersion) -> String {
    let wanted = action.to_ascii_lowercase();
    let nearest = version
        .action_names()
        .iter()
        .map(|name| (edit_distance(&wanted, &name.to_ascii_lowercase()), name))
        .min();
    if let Some((distance, name)) = nearest {
        if distance <= 1 + action.len() / 5 {
            return format!(" (did you mean {name}?)");
        }
    }
    OcppVersion::ALL
        .iter()
        .find(|other| **other != version && other.action_names().contains(&action))
        .map(|other| format!(" (an OCPP {other} action)"))
        .unwrap_or_default()
}

impl Step {
    /// The action the step names, if it names one.
    fn action(&self) -> Option<&str> {
        match self {
            Self::Call { action, .. }
            | Self::ExpectCall { action, .. }
            | Self::Trigger { action, .. }
            | Self::Send { action, .. } => Some(action),
            Self::SendRaw { .. } | Self::Wait { .. } | Self::Reconnect {} => None,
        }
    }

    /// The message type of 2.1 the step uses, if any.
    fn message_type(&self) -> Option<(MessageTypeId, &'static str)> {
        match self {
            Self::Send { .. } => Some((MessageTypeId::Send, "SEND")),
            Self::ExpectCall {
                result_error: Some(_),
                ..
            } => Some((MessageTypeId::CallResultError, "CALLRESULTERROR")),
            Self::Call { .. }
            | Self::ExpectCall { .. }
            | Self::Trigger { .. }
            | Self::SendRaw { .. }
            | Self::Wait { .. }
            | Self::Reconnect {} => None,
        }
    }
}

impl Scenario {
    /// Reads a scenario from TOML text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<Self, ScenarioError> {
        let scenario: Self = toml::from_str(text).map_err(|error| ScenarioError::Parse {
            name: name.to_owned(),
            error,
        })?;
        if scenario.format != FORMAT {
            return Err(ScenarioError::Format {
                name: name.to_owned(),
                found: scenario.format,
            });
        }
        let silent = scenario.steps.iter().position(|step| match step {
            Step::SendRaw {
                error_code: None,
                accept,
                ..
            }
            | Step::ExpectCall {
                result_error: Some(ResultError { accept, .. }),
                ..
            } => accept.is_empty(),
            _ => false,
        });
        if let Some(index) = silent {
            return Err(ScenarioError::NoAcceptedCode {
                name: name.to_owned(),
                step: index + 1,
            });
        }
        let version = OcppVersion::from(scenario.version);
        let undefined = scenario.steps.iter().enumerate().find_map(|(index, step)| {
            step.message_type()
                .filter(|(id, _)| !version.message_types().contains(id))
                .map(|(_, message_type)| (index, message_type))
        });
        if let Some((index, message_type)) = undefined {
            return Err(ScenarioError::MessageType {
                name: name.to_owned(),
                step: index + 1,
                message_type,
                version,
            });
        }
        let known = version.action_names();
        let unknown = scenario.steps.iter().enumerate().find_map(|(index, step)| {
            step.action()
                .filter(|action| !known.contains(action))
                .map(|action| (index, action))
        });
        if let Some((index, action)) = unknown {
            return Err(ScenarioError::UnknownAction {
                name: name.to_owned(),
                step: index + 1,
                action: action.to_owned(),
                version,
                hint: action_hint(action, version),
            });
        }
        Ok(scenario)
    }
}

/// The JSON schema of the scenario format, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Scenario);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Replaces `${name}` in every string of `value` by the captured variable; unknown names stay.
pub fn substitute(value: &Value, vars: &BTreeMap<String, Value>) -> Value {
    match value {
        Value::String(text) => substitute_str(text, vars),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, vars)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), substitute(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A string that is exactly `${name}` becomes the variable's value with its JSON type;
/// elsewhere the variable is spliced into the text.
fn substitute_str(text: &str, vars: &BTreeMap<String, Value>) -> Value {
    if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        if let Some(value) = vars.get(name) {
            return value.clone();
        }
    }
    let mut out = text.to_owned();
    for (name, value) in vars {
        let spliced = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("${{{name}}}"), &spliced);
    }
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn substitution_keeps_the_type_of_a_whole_value() {
        let vars = BTreeMap::from([("tx".to_owned(), json!(42)), ("tag".to_owned(), json!("A"))]);
        let out = substitute(
            &json!({"t": "${tx}", "s": "id-${tag}", "u": "${nope}"}),
            &vars,
        );
        assert_eq!(out, json!({"t": 42, "s": "id-A", "u": "${nope}"}));
    }

    #[test]
    fn a_wrong_format_version_is_refused() {
        let text = "format = 2\nid = \"X\"\nname = \"x\"\nversion = \"1.6\"\nstep = []\n";
        let error = Scenario::parse("x.toml", text).unwrap_err();
        assert!(
            error.to_string().contains("format 2 is not supported"),
            "{error}"
        );
    }

    #[test]
    fn a_2_1_case_names_2_1_actions_only() {
        let case = |version: &str| {
            format!(
                "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"{version}\"\n\
                 [[step]]\nkind = \"call\"\naction = \"NotifyPeriodicEventStream\"\n"
            )
        };
        let scenario = Scenario::parse("x.toml", &case("2.1")).unwrap();
        assert_eq!(OcppVersion::from(scenario.version), OcppVersion::V21);
        let error = Scenario::parse("x.toml", &case("2.0.1")).unwrap_err();
        assert!(
            error.to_string().contains("(an OCPP 2.1 action)"),
            "{error}"
        );
    }

    #[test]
    fn only_a_2_1_case_sends_a_send() {
        let case = |version: &str| {
            format!(
                "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"{version}\"\n\
                 [[step]]\nkind = \"send\"\naction = \"NotifyEvent\"\n"
            )
        };
        assert!(Scenario::parse("x.toml", &case("2.1")).is_ok());
        let error = Scenario::parse("x.toml", &case("2.0.1")).unwrap_err();
        assert!(
            error.to_string().contains("OCPP 2.0.1 has no SEND"),
            "{error}"
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("hartbeat", "heartbeat"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("reset", "reset"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn an_unknown_step_kind_names_its_line() {
        let text =
            "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"1.6\"\n[[step]]\nkind = \"dance\"\n";
        let error = Scenario::parse("x.toml", text).unwrap_err();
        assert!(error.to_string().contains("line 6"), "{error}");
    }
}
