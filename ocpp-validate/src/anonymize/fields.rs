//! Which members of a payload hold personal or secret values, and what replaces them.
//!
//! Members are told by name wherever they are in a payload (names compared without case and
//! underscores, so the snake_case bodies of lake exports are read too), and by context for
//! the secrets that configuration messages carry as data: the value of the 1.6
//! `AuthorizationKey` configuration key, and the values of the 2.0.1 / 2.1
//! `BasicAuthPassword` variable (in SetVariables, GetVariables and NotifyReport), the
//! members of a VPN configuration, NotifyCustomerInformation's `data` and the content of a
//! `personalMessage`. Enumerated
//! values are never touched, so a payload valid before is valid after.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::pseudonym::Pseudonyms;
use super::url;

/// What replaces a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An id tag or token: a pseudonym that keeps case-insensitive matching.
    IdToken,
    /// A transaction id given as text.
    TransactionId,
    /// A serial number, ICCID or IMSI.
    Serial,
    /// A charge point's identity.
    Identity,
    /// What identifies a customer (CustomerInformation).
    Customer,
    /// A password, key, PIN or user name.
    Secret,
    /// A certificate, a chain or a signing request: replaced by a marker.
    Certificate,
    /// A URL: its user, password and query values get pseudonyms.
    Url,
    /// Free text kept unless asked to drop it (`--drop`).
    FreeText,
}

impl Kind {
    /// The name the pseudonyms of this kind are drawn under.
    fn name(self) -> &'static str {
        match self {
            Self::IdToken => "idToken",
            Self::TransactionId => "transactionId",
            Self::Serial => "serial",
            Self::Identity => "identity",
            Self::Customer => "customer",
            Self::Secret => "secret",
            Self::Certificate => "certificate",
            Self::Url => "url",
            Self::FreeText => "text",
        }
    }
}

/// The members replaced by name, their names lower-cased and without underscores.
const MEMBERS: &[(&str, Kind)] = &[
    ("idtag", Kind::IdToken),
    ("parentidtag", Kind::IdToken),
    ("idtoken", Kind::IdToken),
    ("additionalidtoken", Kind::IdToken),
    ("transactionid", Kind::TransactionId),
    ("chargepointserialnumber", Kind::Serial),
    ("chargeboxserialnumber", Kind::Serial),
    ("serialnumber", Kind::Serial),
    ("meterserialnumber", Kind::Serial),
    ("iccid", Kind::Serial),
    ("imsi", Kind::Serial),
    ("customeridentifier", Kind::Customer),
    ("apnusername", Kind::Secret),
    ("apnpassword", Kind::Secret),
    ("simpin", Kind::Secret),
    ("certificate", Kind::Certificate),
    ("certificatechain", Kind::Certificate),
    ("csr", Kind::Certificate),
    ("exirequest", Kind::Certificate),
    ("exiresponse", Kind::Certificate),
    ("location", Kind::Url),
    ("remotelocation", Kind::Url),
    ("info", Kind::FreeText),
    ("vendorerrorcode", Kind::FreeText),
    ("data", Kind::FreeText),
    ("additionalinfo", Kind::FreeText),
    ("techinfo", Kind::FreeText),
];

/// The members of a VPN configuration (2.0.1 `VPNType`, told by its `server`) that are secret.
const VPN_SECRETS: &[&str] = &["user", "group", "password", "key"];
/// The 1.6 configuration key whose value is a secret.
const SECRET_KEYS: &[&str] = &["AuthorizationKey"];
/// The 2.0.1 and 2.1 variables whose values are secrets.
const SECRET_VARIABLES: &[&str] = &["BasicAuthPassword"];

/// What replaces the markers of certificates, cut to the original's length.
const CERTIFICATE_MARKER: &str = "-----REMOVED-----";

/// A member name as the table holds it.
pub(crate) fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The kind of a member, by its name.
pub(crate) fn kind_of(name: &str) -> Option<Kind> {
    let name = normalized(name);
    MEMBERS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, kind)| *kind)
}

/// Every member name the table knows, as written in the table.
pub(crate) fn known_members() -> impl Iterator<Item = &'static str> {
    MEMBERS.iter().map(|(name, _)| *name)
}

/// What is replaced and how; counts what it replaces, by member name.
#[derive(Debug)]
pub(crate) struct Replacer {
    pub(crate) pseudonyms: Pseudonyms,
    /// Member names kept verbatim (normalized).
    pub(crate) keep: BTreeSet<String>,
    /// Member names replaced even when free text or unknown (normalized).
    pub(crate) drop: BTreeSet<String>,
    /// Values replaced, by member name as first seen.
    pub(crate) counts: BTreeMap<String, usize>,
}

impl Replacer {
    /// The pseudonym of a value of `kind`, counted under `member`.
    pub(crate) fn replace(&mut self, member: &str, kind: Kind, value: &str) -> String {
        let replaced = match kind {
            Kind::Certificate => CERTIFICATE_MARKER
                .chars()
                .take(value.chars().count())
                .collect(),
            Kind::Url => {
                url::anonymized(value, |part| self.pseudonyms.of(kind.name(), part, false))
            }
            Kind::IdToken => self.pseudonyms.of(kind.name(), value, true),
            _ => self.pseudonyms.of(kind.name(), value, false),
        };
        // A URL without credentials or query (or an enumerated `location`) stays as it was.
        if replaced != value {
            *self.counts.entry(member.to_owned()).or_default() += 1;
        }
        replaced
    }

    /// The kind a member is replaced as, after `--keep` and `--drop`; `None` to keep it.
    fn decided(&self, name: &str) -> Option<Kind> {
        let normalized = normalized(name);
        if self.keep.contains(&normalized) {
            return None;
        }
        match kind_of(name) {
            Some(Kind::FreeText) => self.drop.contains(&normalized).then_some(Kind::FreeText),
            Some(kind) => Some(kind),
            None => self.drop.contains(&normalized).then_some(Kind::FreeText),
        }
    }

    /// Replaces the personal and secret values of a payload in place.
    pub(crate) fn payload(&mut self, payload: &mut Value) {
        self.walk(payload, 0);
    }

    fn walk(&mut self, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Array(items) => items.iter_mut().for_each(|item| self.walk(item, depth + 1)),
            Value::Object(members) => {
                let secret_value = members
                    .get("key")
                    .and_then(Value::as_str)
                    .is_some_and(|key| SECRET_KEYS.contains(&key));
                let secret_variable = members
                    .get("variable")
                    .and_then(|v| v.get("name"))
                    .and_then(Value::as_str)
                    .is_some_and(|name| SECRET_VARIABLES.contains(&name));
                let vpn = members.contains_key("server") && members.contains_key("password");
                // NotifyCustomerInformation: its `data` is what the CSMS asked about a customer.
                let customer_report = members.contains_key("seqNo") && members.contains_key("tbc");
                for (name, member) in members.iter_mut() {
                    let by_context = match name.as_str() {
                        "value" if secret_value => Some(Kind::Secret),
                        "attributeValue" if secret_variable => Some(Kind::Secret),
                        "variableAttribute" if secret_variable => {
                            self.secret_values(member);
                            continue;
                        }
                        "data" if customer_report => Some(Kind::Customer),
                        // 2.0.1 IdTokenInfo: a message to the driver, possibly by name.
                        "personalMessage" => {
                            if let Some(Value::String(text)) = member.get_mut("content") {
                                *text = self.replace("personalMessage", Kind::Customer, text);
                            }
                            continue;
                        }
                        name if vpn && VPN_SECRETS.contains(&name) => Some(Kind::Secret),
                        _ => None,
                    };
                    match (by_context.or_else(|| self.decided(name)), member) {
                        (Some(kind), Value::String(text)) => *text = self.replace(name, kind, text),
                        (Some(Kind::FreeText), other) => self.all_strings(name, other, depth + 1),
                        (_, other) => self.walk(other, depth + 1),
                    }
                }
            }
            _ => {}
        }
    }

    /// The `value` of each attribute of a secret variable (NotifyReport's `variableAttribute`).
    fn secret_values(&mut self, attributes: &mut Value) {
        for attribute in attributes.as_array_mut().into_iter().flatten() {
            if let Some(Value::String(text)) = attribute.get_mut("value") {
                *text = self.replace("value", Kind::Secret, text);
            }
        }
    }

    /// Every string inside a free-text member that is not a string (DataTransfer `data` in
    /// 2.0.1 may be any JSON).
    fn all_strings(&mut self, name: &str, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) => *text = self.replace(name, Kind::FreeText, text),
            Value::Array(items) => items
                .iter_mut()
                .for_each(|v| self.all_strings(name, v, depth + 1)),
            Value::Object(members) => members
                .values_mut()
                .for_each(|v| self.all_strings(name, v, depth + 1)),
            _ => {}
        }
    }
}

/// How deep a payload is walked (serde_json reads at most 128 levels).
const MAX_DEPTH: usize = 128;
