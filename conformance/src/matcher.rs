//! Matchers on payload members: each names a condition a member must meet.

use std::collections::BTreeMap;

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::scenario::substitute;

/// Conditions on one member; every condition given must hold.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Matcher {
    /// Exactly this value.
    #[serde(default)]
    pub eq: Option<Value>,
    /// `true`: present with any value.
    #[serde(default)]
    pub present: bool,
    /// `true`: must not be present.
    #[serde(default)]
    pub absent: bool,
    /// One of these values.
    #[serde(default)]
    pub one_of: Option<Vec<Value>>,
    /// A string matching this regular expression.
    #[serde(default)]
    pub regex: Option<String>,
    /// A JSON type: `string`, `integer`, `number`, `boolean`, `object`, `array`.
    #[serde(default, rename = "type")]
    pub json_type: Option<String>,
    /// A number at least this.
    #[serde(default)]
    pub min: Option<f64>,
    /// A number at most this.
    #[serde(default)]
    pub max: Option<f64>,
}

impl Matcher {
    /// The matcher with `${var}` in its `eq` and `one_of` values replaced by captured values.
    pub fn substituted(&self, vars: &BTreeMap<String, Value>) -> Self {
        Self {
            eq: self.eq.as_ref().map(|v| substitute(v, vars)),
            one_of: self
                .one_of
                .as_ref()
                .map(|options| options.iter().map(|v| substitute(v, vars)).collect()),
            ..self.clone()
        }
    }

    /// Checks the member at `pointer` of `payload`; the reason when it does not match.
    pub fn check(&self, payload: &Value, pointer: &str) -> Result<(), Mismatch> {
        let mismatch = |kind| Mismatch {
            pointer: pointer.to_owned(),
            kind: Box::new(kind),
        };
        let found = payload.pointer(pointer);
        let Some(value) = found else {
            return if self.absent {
                Ok(())
            } else {
                Err(mismatch(MismatchKind::Missing))
            };
        };
        if self.absent {
            return Err(mismatch(MismatchKind::Present(value.clone())));
        }
        if let Some(expected) = &self.eq {
            if value != expected {
                return Err(mismatch(MismatchKind::NotEqual {
                    found: value.clone(),
                    expected: expected.clone(),
                }));
            }
        }
        if let Some(options) = &self.one_of {
            if !options.contains(value) {
                return Err(mismatch(MismatchKind::NotOneOf {
                    found: value.clone(),
                    options: options.clone(),
                }));
            }
        }
        if let Some(pattern) = &self.regex {
            let re = Regex::new(pattern).map_err(|e| mismatch(MismatchKind::BadRegex(e)))?;
            if !value.as_str().is_some_and(|s| re.is_match(s)) {
                return Err(mismatch(MismatchKind::NoMatch {
                    found: value.clone(),
                    pattern: pattern.clone(),
                }));
            }
        }
        if let Some(kind) = &self.json_type {
            if !has_type(value, kind) {
                return Err(mismatch(MismatchKind::WrongType {
                    found: value.clone(),
                    json_type: kind.clone(),
                }));
            }
        }
        if self.min.is_some() || self.max.is_some() {
            let Some(number) = value.as_f64() else {
                return Err(mismatch(MismatchKind::NotANumber(value.clone())));
            };
            if self.min.is_some_and(|min| number < min) || self.max.is_some_and(|max| number > max)
            {
                return Err(mismatch(MismatchKind::OutOfRange(number)));
            }
        }
        Ok(())
    }
}

/// A member that does not meet its [`Matcher`]: where, and which condition failed.
#[derive(Debug, thiserror::Error)]
#[error("{pointer}: {kind}")]
#[non_exhaustive]
pub struct Mismatch {
    /// The JSON pointer of the member.
    pub pointer: String,
    /// The condition that failed, with the values involved.
    pub kind: Box<MismatchKind>,
}

/// The condition of a [`Matcher`] a member failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The member is missing.
    #[error("missing")]
    Missing,
    /// The member is present (with this value) but must be absent.
    #[error("present ({0}) but must be absent")]
    Present(Value),
    /// The member is not the `eq` value.
    #[error("{found} is not {expected}")]
    NotEqual {
        /// The member's value.
        found: Value,
        /// The value it must be.
        expected: Value,
    },
    /// The member is none of the `one_of` values.
    #[error("{found} is not one of {}", list(options))]
    NotOneOf {
        /// The member's value.
        found: Value,
        /// The values it may be.
        options: Vec<Value>,
    },
    /// The `regex` is no regular expression.
    #[error("bad regex: {0}")]
    BadRegex(#[source] regex::Error),
    /// The member is no string matching the `regex`.
    #[error("{found} does not match /{pattern}/")]
    NoMatch {
        /// The member's value.
        found: Value,
        /// The regular expression.
        pattern: String,
    },
    /// The member is not of the JSON `type`.
    #[error("{found} is not of type {json_type}")]
    WrongType {
        /// The member's value.
        found: Value,
        /// The type it must have.
        json_type: String,
    },
    /// `min` or `max` is given and the member is no number.
    #[error("{0} is not a number")]
    NotANumber(Value),
    /// The member is a number outside `min`..=`max`.
    #[error("{0} is out of range")]
    OutOfRange(f64),
}

/// The values of `one_of`, comma-separated.
fn list(options: &[Value]) -> String {
    let list: Vec<String> = options.iter().map(Value::to_string).collect();
    list.join(", ")
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matcher(toml_text: &str) -> Matcher {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn each_condition_fires_on_a_bad_value_and_passes_a_good_one() {
        let payload =
            json!({"status": "Accepted", "interval": 300, "time": "2026-01-01T00:00:00Z"});
        let cases = [
            ("eq = \"Accepted\"", "/status", true),
            ("eq = \"Rejected\"", "/status", false),
            ("present = true", "/interval", true),
            ("present = true", "/nope", false),
            ("absent = true", "/nope", true),
            ("absent = true", "/status", false),
            ("one_of = [\"Accepted\", \"Pending\"]", "/status", true),
            ("one_of = [\"Pending\"]", "/status", false),
            ("regex = \"^2026-\"", "/time", true),
            ("regex = \"^1999-\"", "/time", false),
            ("type = \"integer\"", "/interval", true),
            ("type = \"string\"", "/interval", false),
            ("min = 1\nmax = 300", "/interval", true),
            ("min = 301", "/interval", false),
        ];
        for (text, pointer, ok) in cases {
            let result = matcher(text).check(&payload, pointer);
            assert_eq!(result.is_ok(), ok, "{text} on {pointer}: {result:?}");
        }
    }
}
