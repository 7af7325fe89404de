//! Policies: the verdict for each rule, from the defaults, a shipped profile or a TOML file.

use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

use super::rules::{RuleId, Verdict, RULES};

/// The verdict for every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    verdicts: [Verdict; RULES.len()],
}

/// The profiles shipped with the crate: name and TOML text.
pub const PROFILES: &[(&str, &str)] = &[
    ("default", include_str!("../../profiles/default.toml")),
    (
        "python-export",
        include_str!("../../profiles/python-export.toml"),
    ),
    (
        "field-chargers",
        include_str!("../../profiles/field-chargers.toml"),
    ),
];

/// Why a profile could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The text is not TOML of the profile's shape.
    #[error("{source_name}: not a valid profile: {message}")]
    Syntax {
        /// The profile's name or file.
        source_name: String,
        /// The TOML parser's explanation, with the position.
        message: String,
    },
    /// A rule id that is not in the registry.
    #[error("{source_name}: unknown rule {rule:?} (see `ocpp-validate rules`)")]
    UnknownRule {
        /// The profile's name or file.
        source_name: String,
        /// The id given.
        rule: String,
    },
    /// `extends` names no shipped profile.
    #[error("{source_name}: extends unknown profile {name:?}")]
    UnknownBase {
        /// The profile's name or file.
        source_name: String,
        /// The name given.
        name: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    extends: Option<String>,
    #[serde(default, rename = "description")]
    _description: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, Verdict>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            verdicts: std::array::from_fn(|i| RULES[i].default),
        }
    }
}

impl Policy {
    /// Every rule set to the same verdict.
    pub fn all(verdict: Verdict) -> Self {
        Self {
            verdicts: [verdict; RULES.len()],
        }
    }

    /// The verdict for a rule.
    pub fn verdict(&self, rule: RuleId) -> Verdict {
        self.verdicts[rule as usize]
    }

    /// This policy with one rule's verdict changed.
    pub fn with(mut self, rule: RuleId, verdict: Verdict) -> Self {
        self.verdicts[rule as usize] = verdict;
        self
    }

    /// A shipped profile by name.
    pub fn profile(name: &str) -> Option<Result<Self, ProfileError>> {
        PROFILES
            .iter()
            .find(|(profile, _)| *profile == name)
            .map(|(_, text)| Self::from_toml(name, text))
    }

    /// A profile from TOML text: an optional `extends = "NAME"` (a shipped profile, else the
    /// rule defaults) and a `[rules]` table of `"rule.id" = "allow" | "warn" | "deny"`.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Self, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        let mut policy = match file.extends {
            None => Self::default(),
            Some(base) if base == source_name => Self::default(),
            Some(base) => match Self::profile(&base) {
                Some(policy) => policy?,
                None => {
                    return Err(ProfileError::UnknownBase {
                        source_name: source_name.to_owned(),
                        name: base,
                    })
                }
            },
        };
        for (id, verdict) in file.rules {
            let rule = RuleId::from_id(&id).ok_or_else(|| ProfileError::UnknownRule {
                source_name: source_name.to_owned(),
                rule: id.clone(),
            })?;
            policy = policy.with(rule, verdict);
        }
        Ok(policy)
    }
}
