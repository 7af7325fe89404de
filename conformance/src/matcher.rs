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
    pub fn check(&self, payload: &Value, pointer: &str) -> Result<(), String> {
        let found = payload.pointer(pointer);
        let Some(value) = found else {
            return if self.absent {
                Ok(())
            } else {
                Err(format!("{pointer}: missing"))
            };
        };
        if self.absent {
            return Err(format!("{pointer}: present ({value}) but must be absent"));
        }
        if let Some(expected) = &self.eq {
            if value != expected {
                return Err(format!("{pointer}: {value} is not {expected}"));
            }
        }
        if let Some(options) = &self.one_of {
            if !options.contains(value) {
                let list: Vec<String> = options.iter().map(Value::to_string).collect();
                return Err(format!(
                    "{pointer}: {value} is not one of {}",
                    list.join(", ")
                ));
            }
        }
        if let Some(pattern) = &self.regex {
            let re = Regex::new(pattern).map_err(|e| format!("{pointer}: bad regex: {e}"))?;
            if !value.as_str().is_some_and(|s| re.is_match(s)) {
                return Err(format!("{pointer}: {value} does not match /{pattern}/"));
            }
        }
        if let Some(kind) = &self.json_type {
            if !has_type(value, kind) {
                return Err(format!("{pointer}: {value} is not of type {kind}"));
            }
        }
        if self.min.is_some() || self.max.is_some() {
            let Some(number) = value.as_f64() else {
                return Err(format!("{pointer}: {value} is not a number"));
            };
            if self.min.is_some_and(|min| number < min) || self.max.is_some_and(|max| number > max)
            {
                return Err(format!("{pointer}: {number} is out of range"));
            }
        }
        Ok(())
    }
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
