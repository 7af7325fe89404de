//! Reads only what the semantic rules need from a frame: the message type and id, the action
//! of a CALL, and the payload of the few actions the rules follow, into small borrowed
//! structs. The frame is read from its text or from its parsed value alike; a frame whose
//! action no rule follows is read no further than its action name.
//!
//! Each member a rule reads is taken on its own: one missing or of the wrong type is unknown
//! (`None`) and the others still count, so that a payload failing its schema (an `idTag` too
//! long, a `meterStart` sent as text) still tells the rules what it can. Only a frame that is
//! not an OCPP-J array, or an object naming a member twice, is not read at all.
//!
//! This module reads the frame and hands each payload to the file of its rule family:
//! `boot.rs`, `status.rs`, `transactions.rs`, `meter_values.rs` and `configuration.rs`;
//! `members.rs` reads one member of a payload.

use std::borrow::Cow;
use std::fmt;

use ocpp_model::OcppVersion;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use ocpp_model::PayloadKind;

use crate::tape::{Head, Tape};
use crate::trace::FrameSource;
use members::{read, Text};

mod boot;
mod configuration;
mod members;
mod meter_values;
mod status;
mod transactions;

pub(crate) use boot::Boot;
pub(crate) use meter_values::{MeterValue, MeterValues, SampledValue};
pub(crate) use status::{Connector, Status};
pub(crate) use transactions::{StartTransaction, StopTransaction, TransactionEvent};

/// The actions the rules follow, as a CALL and as the CALL a response answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    Boot,
    Heartbeat,
    StartTransaction,
    StopTransaction,
    MeterValues,
    StatusNotification,
    TransactionEvent,
    ChangeConfiguration,
    SetVariables,
    Other,
}

impl Act {
    fn of(version: OcppVersion, action: &str) -> Self {
        match (version, action) {
            (_, "BootNotification") => Self::Boot,
            (_, "Heartbeat") => Self::Heartbeat,
            (_, "MeterValues") => Self::MeterValues,
            (_, "StatusNotification") => Self::StatusNotification,
            (OcppVersion::V16, "StartTransaction") => Self::StartTransaction,
            (OcppVersion::V16, "StopTransaction") => Self::StopTransaction,
            (OcppVersion::V16, "ChangeConfiguration") => Self::ChangeConfiguration,
            (OcppVersion::V201, "SetVariables") => Self::SetVariables,
            (OcppVersion::V201, "TransactionEvent") => Self::TransactionEvent,
            (OcppVersion::V21, "SetVariables") => Self::SetVariables,
            (OcppVersion::V21, "TransactionEvent") => Self::TransactionEvent,
            _ => Self::Other,
        }
    }

    /// Whether the rules read the payload of a CALL of this action.
    fn reads_request(self) -> bool {
        !matches!(self, Self::Heartbeat | Self::Other)
    }

    /// Whether the rules read the payload of a CALLRESULT answering a CALL of this action.
    fn reads_response(self) -> bool {
        matches!(
            self,
            Self::Boot | Self::StartTransaction | Self::ChangeConfiguration | Self::SetVariables
        )
    }
}

/// The action the rules know a payload by, when they read that payload: a CALL of `action`
/// (`kind` a request) or the CALLRESULT answering one (a response).
pub(crate) fn reads(version: OcppVersion, action: &str, kind: PayloadKind) -> Option<Act> {
    let act = Act::of(version, action);
    let read = match kind {
        PayloadKind::Request => act.reads_request(),
        PayloadKind::Response => act.reads_response(),
    };
    read.then_some(act)
}

/// A frame as the rules see it.
#[derive(Debug)]
pub(crate) struct Message<'a> {
    pub(crate) id: Cow<'a, str>,
    pub(crate) kind: Kind<'a>,
}

/// What a frame is.
#[derive(Debug)]
pub(crate) enum Kind<'a> {
    Call(Request<'a>),
    /// A CALLRESULT, with its payload when it answers a CALL whose result a rule reads.
    Result(Option<Response>),
    Error,
}

/// The payload of a CALL, read for the actions the rules follow.
#[derive(Debug)]
pub(crate) enum Request<'a> {
    Boot(Boot<'a>),
    Heartbeat,
    StartTransaction(StartTransaction<'a>),
    StopTransaction(StopTransaction<'a>),
    MeterValues(MeterValues<'a>),
    Status(Status<'a>),
    TransactionEvent(TransactionEvent<'a>),
    /// ChangeConfiguration (1.6) or SetVariables (2.0.1), with the heartbeat interval it
    /// sets, if it sets one.
    Configure(Act, Option<i64>),
    Other,
}

impl Request<'_> {
    pub(crate) fn act(&self) -> Act {
        match self {
            Self::Boot(_) => Act::Boot,
            Self::Heartbeat => Act::Heartbeat,
            Self::StartTransaction(_) => Act::StartTransaction,
            Self::StopTransaction(_) => Act::StopTransaction,
            Self::MeterValues(_) => Act::MeterValues,
            Self::Status(_) => Act::StatusNotification,
            Self::TransactionEvent(_) => Act::TransactionEvent,
            Self::Configure(act, _) => *act,
            Self::Other => Act::Other,
        }
    }
}

/// The payload of a CALLRESULT whose CALL a rule follows.
#[derive(Debug)]
pub(crate) enum Response {
    Boot {
        status: String,
        interval: Option<i64>,
    },
    StartTransaction {
        transaction_id: i64,
    },
    /// The answer to ChangeConfiguration or SetVariables: whether a heartbeat interval it
    /// set was accepted.
    Configured {
        accepted: bool,
    },
}

/// Finds the action of the open CALL a response with this id answers.
pub(crate) type Lookup<'l> = &'l dyn Fn(&str) -> Option<Act>;

/// Reads a frame; `None` when it is not a well-formed OCPP-J array or the payload of a
/// followed action lacks what the rules read (the schema check reports those).
pub(crate) fn decode<'a>(
    frame: &'a FrameSource<'_>,
    version: OcppVersion,
    lookup: Lookup<'_>,
) -> Option<Message<'a>> {
    let visitor = FrameVisitor { version, lookup };
    match frame {
        FrameSource::Text(text) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let message = deserializer.deserialize_seq(visitor).ok()?;
            Some(message)
        }
        FrameSource::Value(value) => value.deserialize_seq(visitor).ok(),
    }
}

/// Reads a frame the validator accepted from what it recorded on `tape` while validating
/// it; `None` when the tape lacks what the rules read (the frame is then read from `text`).
pub(crate) fn decode_recorded<'a>(
    text: &'a str,
    tape: &'a Tape,
    version: OcppVersion,
    lookup: Lookup<'_>,
) -> Option<Message<'a>> {
    let (head, id, payload) = tape.read(text)?;
    let kind = match head {
        Head::Call { action } => {
            let act = Act::of(version, text.get(action.0 as usize..action.1 as usize)?);
            let request = match act {
                Act::Heartbeat => Request::Heartbeat,
                Act::Other => Request::Other,
                act => RequestSeed { version, act }
                    .deserialize(&mut payload?)
                    .ok()?,
            };
            Kind::Call(request)
        }
        Head::Result { answers } => match lookup(id).filter(|act| act.reads_response()) {
            None => Kind::Result(None),
            Some(act) if answers == Some(act) => {
                Kind::Result(ResponseSeed { act }.deserialize(&mut payload?).ok()?)
            }
            Some(_) => return None,
        },
    };
    Some(Message {
        id: Cow::Borrowed(id),
        kind,
    })
}

struct FrameVisitor<'l> {
    version: OcppVersion,
    lookup: Lookup<'l>,
}

impl<'de> Visitor<'de> for FrameVisitor<'_> {
    type Value = Message<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OCPP-J frame")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::custom("element missing");
        let type_id: u64 = seq.next_element()?.ok_or_else(missing)?;
        let Text(id) = seq.next_element()?.ok_or_else(missing)?;
        let kind = match type_id {
            2 => {
                let action: Cow<'de, str> = seq.next_element::<Text<'de>>()?.ok_or_else(missing)?.0;
                let act = Act::of(self.version, &action);
                let request = seq
                    .next_element_seed(RequestSeed {
                        version: self.version,
                        act,
                    })?
                    .ok_or_else(missing)?;
                Kind::Call(request)
            }
            3 => {
                let act = (self.lookup)(&id).unwrap_or(Act::Other);
                let response = seq
                    .next_element_seed(ResponseSeed { act })?
                    .ok_or_else(missing)?;
                Kind::Result(response)
            }
            4 => Kind::Error,
            _ => return Err(de::Error::custom("unknown message type")),
        };
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Message { id, kind })
    }
}

struct RequestSeed {
    version: OcppVersion,
    act: Act,
}

impl<'de> DeserializeSeed<'de> for RequestSeed {
    type Value = Request<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(match self.act {
            Act::Boot => Request::Boot(boot::request(d, self.version)?),
            Act::StatusNotification => {
                status::request(d, self.version)?.map_or(Request::Other, Request::Status)
            }
            Act::Heartbeat => {
                IgnoredAny::deserialize(d)?;
                Request::Heartbeat
            }
            Act::StartTransaction => Request::StartTransaction(read(d)?),
            Act::StopTransaction => Request::StopTransaction(read(d)?),
            Act::MeterValues => Request::MeterValues(read(d)?),
            Act::TransactionEvent => Request::TransactionEvent(read(d)?),
            Act::ChangeConfiguration => {
                Request::Configure(Act::ChangeConfiguration, configuration::change_interval(d)?)
            }
            Act::SetVariables => {
                Request::Configure(Act::SetVariables, configuration::set_interval(d)?)
            }
            Act::Other => {
                IgnoredAny::deserialize(d)?;
                Request::Other
            }
        })
    }
}

struct ResponseSeed {
    act: Act,
}

impl<'de> DeserializeSeed<'de> for ResponseSeed {
    type Value = Option<Response>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(match self.act {
            Act::Boot => boot::response(d)?,
            Act::StartTransaction => transactions::start_response(d)?,
            Act::ChangeConfiguration => Some(configuration::change_response(d)?),
            Act::SetVariables => Some(configuration::set_response(d)?),
            _ => {
                IgnoredAny::deserialize(d)?;
                None
            }
        })
    }
}

#[cfg(test)]
mod tests;
