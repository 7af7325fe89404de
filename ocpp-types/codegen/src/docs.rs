//! The one-line docs of actions and types, kept in `docs.toml` beside this crate.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ir::Initiator;

/// The docs of each version. OCPP 2.1 keeps most of 2.0.1's actions and types: its table
/// holds what is new or changed, and takes 2.0.1's entry for the rest.
#[derive(Debug, Deserialize)]
pub(crate) struct Docs {
    pub(crate) v16: VersionDocs,
    pub(crate) v201: VersionDocs,
    pub(crate) v21: VersionDocs,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct VersionDocs {
    pub(crate) actions: BTreeMap<String, ActionDoc>,
    pub(crate) types: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
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
        let mut docs: Self = toml::from_str(text).map_err(|e| format!("docs.toml: {e}"))?;
        for (name, doc) in &docs.v201.actions {
            docs.v21
                .actions
                .entry(name.clone())
                .or_insert_with(|| doc.clone());
        }
        for (name, doc) in &docs.v201.types {
            docs.v21
                .types
                .entry(name.clone())
                .or_insert_with(|| doc.clone());
        }
        Ok(docs)
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
