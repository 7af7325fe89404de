//! The configuration payloads the heartbeat rules read: 1.6 ChangeConfiguration and 2.0.1
//! SetVariables, when they set the heartbeat interval.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

use super::members::{list, object, read, text};
use super::Response;

/// The configuration key (1.6) and component variable (2.0.1) of the heartbeat interval.
const HEARTBEAT_INTERVAL: &str = "HeartbeatInterval";

/// A 1.6 ChangeConfiguration request.
#[derive(Default, Deserialize)]
struct ChangeConfiguration<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    key: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    value: Option<Cow<'a, str>>,
}

/// A 2.0.1 SetVariables request or response: the entries that name a variable.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetVariables<'a> {
    #[serde(
        borrow,
        alias = "setVariableResult",
        default,
        deserialize_with = "list"
    )]
    set_variable_data: Vec<VariableEntry<'a>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VariableEntry<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    attribute_value: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    attribute_status: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "object")]
    variable: Option<Variable<'a>>,
}

#[derive(Default, Deserialize)]
struct Variable<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    name: Option<Cow<'a, str>>,
}

impl<'a> SetVariables<'a> {
    fn heartbeat_interval(&self) -> Option<&VariableEntry<'a>> {
        self.set_variable_data.iter().find(|entry| {
            entry.variable.as_ref().and_then(|v| v.name.as_deref()) == Some(HEARTBEAT_INTERVAL)
        })
    }
}

#[derive(Default, Deserialize)]
struct StatusResponse<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
}

/// The heartbeat interval a 1.6 ChangeConfiguration request sets, if it sets one.
pub(super) fn change_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let change: ChangeConfiguration<'de> = read(d)?;
    Ok((change.key.as_deref() == Some(HEARTBEAT_INTERVAL))
        .then(|| change.value?.trim().parse().ok())
        .flatten())
}

/// The heartbeat interval a 2.0.1 SetVariables request sets, if it sets one.
pub(super) fn set_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let set: SetVariables<'de> = read(d)?;
    Ok(set
        .heartbeat_interval()
        .and_then(|entry| entry.attribute_value.as_deref()?.trim().parse().ok()))
}

/// A 1.6 ChangeConfiguration response: whether the change was accepted.
pub(super) fn change_response<'de, D: Deserializer<'de>>(d: D) -> Result<Response, D::Error> {
    let answer: StatusResponse<'de> = read(d)?;
    Ok(Response::Configured {
        accepted: answer.status.as_deref() == Some("Accepted"),
    })
}

/// A 2.0.1 SetVariables response: whether the heartbeat interval it set was accepted.
pub(super) fn set_response<'de, D: Deserializer<'de>>(d: D) -> Result<Response, D::Error> {
    let set: SetVariables<'de> = read(d)?;
    let status = set
        .heartbeat_interval()
        .and_then(|e| e.attribute_status.as_deref());
    Ok(Response::Configured {
        accepted: status == Some("Accepted"),
    })
}
