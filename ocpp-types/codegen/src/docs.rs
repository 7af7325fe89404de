//! The one-line docs of actions and types, kept in `docs.toml` beside this crate.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ir::Initiator;

#[derive(Debug, Deserialize)]
pub(crate) struct Docs {
    pub(crate) v16: VersionDocs,
    pub(crate) v201: VersionDocs,
}

#[derive(Debug, Deserialize)]
pub(crate) struct VersionDocs {
    pub(crate) actions: BTreeMap<String, ActionDoc>,
    pub(crate) types: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActionDoc {
    pub(crate) from: From,
    pub(crate) summary: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum From {
    Station,
    Csms,
    Both,
}

impl From {
    pub(crate) fn initiator(self) -> Initiator {
        match self {
            From::Station => Initiator::ChargingStation,
            From::Csms => Initiator::Csms,
            From::Both => Initiator::Either,
        }
    }
}

impl Docs {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("docs.toml: {e}"))
    }
}

impl VersionDocs {
    pub(crate) fn action(&self, name: &str) -> Result<&ActionDoc, String> {
        self.actions
            .get(name)
            .ok_or_else(|| format!("docs.toml has no entry for action {name}"))
    }

    pub(crate) fn type_doc(&self, name: &str) -> Result<String, String> {
        self.types
            .get(name)
            .cloned()
            .ok_or_else(|| format!("docs.toml has no entry for type {name}"))
    }
}
