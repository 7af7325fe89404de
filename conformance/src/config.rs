//! The test-environment file (`--config FILE`, TOML, format version 1): what the CSMS under
//! test is provisioned with — identities, tokens, credentials, the station's topology and
//! default answers to CSMS CALLs. Every value has a built-in default that matches the
//! embedded reference CSMS; suites refer to the values as `${config.tokens.valid.id}` and
//! the like.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format version this crate reads.
pub const FORMAT: u32 = 1;

/// A test environment.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TestEnv {
    /// Format version of the file; must be 1.
    pub format: u32,
    /// The tokens the CSMS knows.
    #[serde(default)]
    pub tokens: Tokens,
    /// The station identities the CSMS is provisioned with; giving them says the CSMS answers
    /// the pending and rejected ones so (the Pending/Rejected cases then run).
    #[serde(default)]
    pub identities: Option<Identities>,
    /// Credentials.
    #[serde(default)]
    pub auth: Auth,
    /// The topology the simulated station reports.
    #[serde(default)]
    pub station: Topology,
    /// Answers to CSMS CALLs that no step waits for, by action (the CALLRESULT payload).
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
}

/// The tokens the CSMS knows, by what it answers for them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Tokens {
    /// A token the CSMS accepts.
    pub valid: Token,
    /// A token the CSMS does not know.
    pub invalid: Token,
    /// A token the CSMS has blocked.
    pub blocked: Token,
    /// A token that has expired.
    pub expired: Token,
    /// The group id of the valid token.
    pub group_id: String,
}

/// One token: its id and (2.0.1) its type; 1.6 uses the id only.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Token {
    /// The id (1.6 `idTag`, 2.0.1 `idToken`).
    pub id: String,
    /// The 2.0.1 `IdTokenEnumType`, `ISO14443` by default.
    #[serde(rename = "type", default = "iso14443")]
    pub kind: String,
}

/// The identities of the stations the cases play.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Identities {
    /// The identity of cases that name no other.
    pub default: String,
    /// A station the CSMS answers BootNotification `Pending`.
    pub pending: String,
    /// A station the CSMS answers BootNotification `Rejected`.
    pub rejected: String,
}

/// Credentials the stations present.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Auth {
    /// HTTP Basic credentials `user:password`; `${identity}` is each case's identity.
    #[serde(default)]
    pub basic: Option<String>,
}

/// The station's topology.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Topology {
    /// How many EVSEs (1.6: connectors) it has.
    pub evses: u32,
    /// How many connectors each EVSE has.
    pub connectors_per_evse: u32,
}

fn iso14443() -> String {
    "ISO14443".to_owned()
}

fn token(id: &str) -> Token {
    Token {
        id: id.to_owned(),
        kind: iso14443(),
    }
}

impl Default for Tokens {
    fn default() -> Self {
        Self {
            valid: token("TAG-0001"),
            invalid: token("INVALID-0001"),
            blocked: token("BLOCKED-0001"),
            expired: token("EXPIRED-0001"),
            group_id: "GROUP-1".to_owned(),
        }
    }
}

impl Default for Identities {
    fn default() -> Self {
        Self {
            default: "SIM-001".to_owned(),
            pending: "SIM-PENDING".to_owned(),
            rejected: "SIM-REJECTED".to_owned(),
        }
    }
}

impl Default for Topology {
    fn default() -> Self {
        Self {
            evses: 1,
            connectors_per_evse: 1,
        }
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self {
            format: FORMAT,
            tokens: Tokens::default(),
            identities: None,
            auth: Auth::default(),
            station: Topology::default(),
            answers: BTreeMap::new(),
        }
    }
}

/// A test-environment file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
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
    /// A format version this crate does not read.
    #[error("{name}: format {found} is not supported (this runner reads format {FORMAT})")]
    Format {
        /// The file's name.
        name: String,
        /// The format it declares.
        found: u32,
    },
    /// Basic credentials without a `:`.
    #[error("{name}: auth.basic must be user:password")]
    Basic {
        /// The file's name.
        name: String,
    },
}

impl TestEnv {
    /// Reads a test environment from TOML text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<Self, ConfigError> {
        let env: Self = toml::from_str(text).map_err(|error| ConfigError::Parse {
            name: name.to_owned(),
            error,
        })?;
        if env.format != FORMAT {
            return Err(ConfigError::Format {
                name: name.to_owned(),
                found: env.format,
            });
        }
        if env.auth.basic.as_ref().is_some_and(|b| !b.contains(':')) {
            return Err(ConfigError::Basic {
                name: name.to_owned(),
            });
        }
        Ok(env)
    }

    /// The identities, given or built in.
    pub fn identities(&self) -> Identities {
        self.identities.clone().unwrap_or_default()
    }

    /// The Basic credentials for a station called `identity`, if any.
    pub fn basic_for(&self, identity: &str) -> Option<(String, String)> {
        let text = self.auth.basic.as_ref()?.replace("${identity}", identity);
        let (user, password) = text.split_once(':')?;
        Some((user.to_owned(), password.to_owned()))
    }

    /// Every value as a scenario variable: `config.tokens.valid.id` and so on.
    pub fn variables(&self) -> BTreeMap<String, Value> {
        let mut tree = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(map) = tree.as_object_mut() {
            map.insert(
                "identities".to_owned(),
                serde_json::to_value(self.identities()).unwrap_or(Value::Null),
            );
            map.remove("answers");
        }
        let mut vars = BTreeMap::new();
        flatten("config", &tree, &mut vars);
        vars
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                flatten(&format!("{prefix}.{key}"), item, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

/// The JSON schema of the test-environment format, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(TestEnv);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses_and_flattens_to_variables() {
        let text = r#"format = 1
[tokens]
valid   = { id = "TAG-0001", type = "ISO14443" }
invalid = { id = "INVALID-0001", type = "ISO14443" }
blocked = { id = "BLOCKED-0001", type = "ISO14443" }
expired = { id = "EXPIRED-0001", type = "ISO14443" }
group_id = "GROUP-1"
[identities]
default  = "CP-7"
pending  = "CP-8"
rejected = "CP-9"
[auth]
basic = "${identity}:secret"
[station]
evses = 2
connectors_per_evse = 1
[answers]
GetConfiguration = { configurationKey = [] }
"#;
        let env = TestEnv::parse("env.toml", text).unwrap();
        let vars = env.variables();
        assert_eq!(vars["config.tokens.valid.id"], "TAG-0001");
        assert_eq!(vars["config.tokens.valid.type"], "ISO14443");
        assert_eq!(vars["config.identities.pending"], "CP-8");
        assert_eq!(vars["config.station.evses"], 2);
        assert_eq!(
            env.basic_for("CP-7"),
            Some(("CP-7".to_owned(), "secret".to_owned()))
        );
        assert!(env.answers.contains_key("GetConfiguration"));
    }

    #[test]
    fn bad_files_are_refused_naming_what_is_wrong() {
        let format = TestEnv::parse("a.toml", "format = 2\n").unwrap_err();
        assert!(format.to_string().contains("format 2"), "{format}");
        let unknown = TestEnv::parse("b.toml", "format = 1\n[tokenz]\n").unwrap_err();
        assert!(unknown.to_string().contains("line 2"), "{unknown}");
        let basic = TestEnv::parse("c.toml", "format = 1\n[auth]\nbasic = \"x\"\n").unwrap_err();
        assert!(basic.to_string().contains("user:password"), "{basic}");
    }
}
