//! Reads only what the semantic rules need from a frame: the message type and id, the action
//! of a CALL, and the payload of the few actions the rules follow, into small borrowed
//! structs. The frame is read from its text or from its parsed value alike; a frame whose
//! action no rule follows is read no further than its action name.
//!
//! Each member a rule reads is taken on its own: one missing or of the wrong type is unknown
//! (`None`) and the others still count, so that a payload failing its schema (an `idTag` too
//! long, a `meterStart` sent as text) still tells the rules what it can. Only a frame that is
//! not an OCPP-J array, or an object naming a member twice, is not read at all.

use std::borrow::Cow;
use std::fmt;

use ocpp_model::primitives::Decimal;
use ocpp_model::OcppVersion;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use crate::trace::FrameSource;

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
            _ => Self::Other,
        }
    }
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

/// A BootNotification of either version.
#[derive(Debug)]
pub(crate) struct Boot<'a> {
    pub(crate) vendor: Option<Cow<'a, str>>,
    pub(crate) model: Option<Cow<'a, str>>,
    pub(crate) firmware: Option<Cow<'a, str>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Boot16<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    charge_point_vendor: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    charge_point_model: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    firmware_version: Option<Cow<'a, str>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Boot201<'a> {
    #[serde(borrow, default, deserialize_with = "object")]
    charging_station: Option<Station201<'a>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Station201<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    vendor_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    model: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    firmware_version: Option<Cow<'a, str>>,
}

/// A 1.6 StartTransaction request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartTransaction<'a> {
    #[serde(default, deserialize_with = "integer")]
    pub(crate) connector_id: Option<i64>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) id_tag: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "integer")]
    pub(crate) meter_start: Option<i64>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) timestamp: Option<Cow<'a, str>>,
}

/// A 1.6 StopTransaction request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StopTransaction<'a> {
    #[serde(default, deserialize_with = "integer")]
    pub(crate) transaction_id: Option<i64>,
    #[serde(default, deserialize_with = "integer")]
    pub(crate) meter_stop: Option<i64>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) transaction_data: Vec<MeterValue<'a>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) reason: Option<Cow<'a, str>>,
}

/// A MeterValues request of either version.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValues<'a> {
    /// 1.6 only: the connector (0 for the main meter).
    #[serde(default, deserialize_with = "integer")]
    pub(crate) connector_id: Option<i64>,
    /// 1.6 only: the transaction the values belong to.
    #[serde(default, deserialize_with = "integer")]
    pub(crate) transaction_id: Option<i64>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) meter_value: Vec<MeterValue<'a>>,
}

/// One timestamped set of samples.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValue<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) sampled_value: Vec<SampledValue<'a>>,
}

/// One sample, in either version's shape (1.6: `value` a string and `unit`; 2.0.1: `value` a
/// number and `unitOfMeasure.unit`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SampledValue<'a> {
    #[serde(borrow, default)]
    pub(crate) value: SampleValue<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) measurand: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) phase: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) location: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) unit: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "object")]
    pub(crate) unit_of_measure: Option<UnitOfMeasure<'a>>,
}

impl SampledValue<'_> {
    /// The unit as sent, in either version's place.
    pub(crate) fn unit(&self) -> Option<&str> {
        self.unit
            .as_deref()
            .or_else(|| self.unit_of_measure.as_ref()?.unit.as_deref())
    }
}

/// 2.0.1 `unitOfMeasure`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UnitOfMeasure<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) unit: Option<Cow<'a, str>>,
}

/// A sample's value as sent (1.6: text; 2.0.1: a number's exact digits), read as a decimal
/// only when a rule needs it.
#[derive(Debug, Default)]
pub(crate) struct SampleValue<'a>(Option<Cow<'a, str>>);

impl SampleValue<'_> {
    /// The value as a decimal, `None` when it is not a number.
    pub(crate) fn decimal(&self) -> Option<Decimal> {
        decimal(self.0.as_deref()?)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for SampleValue<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SampleVisitor)
    }
}

/// Keeps a sample's value as text: 1.6 sends it as a string, and serde_json hands a 2.0.1
/// number's exact digits over as a one-entry map under `arbitrary_precision` (never `f64`).
struct SampleVisitor;

impl<'de> Visitor<'de> for SampleVisitor {
    type Value = SampleValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a decimal as text")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Borrowed(text))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(text.to_owned()))))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(SampleValue(number_digits(map)?))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(SampleValue(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(SampleValue(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(SampleValue(None))
    }
}

/// A decimal from its text, plain or in scientific notation.
fn decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    text.parse()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// A StatusNotification of either version, its connector named `evse/connector` in 2.0.1.
#[derive(Debug)]
pub(crate) struct Status<'a> {
    pub(crate) connector: Connector,
    pub(crate) status: Cow<'a, str>,
    pub(crate) error_code: Option<Cow<'a, str>>,
    /// 1.6 only: the vendor's own error code.
    pub(crate) vendor_error_code: Option<Cow<'a, str>>,
}

/// A connector: 1.6 numbers connectors per charge point, 2.0.1 per EVSE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Connector {
    pub(crate) evse: Option<i64>,
    pub(crate) id: i64,
}

impl fmt::Display for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.evse {
            Some(evse) => write!(f, "{evse}/{}", self.id),
            None => write!(f, "{}", self.id),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status16<'a> {
    #[serde(default, deserialize_with = "integer")]
    connector_id: Option<i64>,
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    error_code: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    vendor_error_code: Option<Cow<'a, str>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status201<'a> {
    #[serde(default, deserialize_with = "integer")]
    evse_id: Option<i64>,
    #[serde(default, deserialize_with = "integer")]
    connector_id: Option<i64>,
    #[serde(borrow, default, deserialize_with = "text")]
    connector_status: Option<Cow<'a, str>>,
}

/// A 2.0.1 TransactionEvent request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionEvent<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) event_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "object")]
    pub(crate) transaction_info: Option<TransactionInfo<'a>>,
    #[serde(default, deserialize_with = "object")]
    pub(crate) evse: Option<Evse>,
    #[serde(borrow, default, deserialize_with = "object")]
    pub(crate) id_token: Option<IdToken<'a>>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) meter_value: Vec<MeterValue<'a>>,
}

/// 2.0.1 `transactionInfo`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionInfo<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) transaction_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) stopped_reason: Option<Cow<'a, str>>,
}

/// 2.0.1 `evse`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Evse {
    #[serde(default, deserialize_with = "integer")]
    pub(crate) id: Option<i64>,
    #[serde(default, deserialize_with = "integer")]
    pub(crate) connector_id: Option<i64>,
}

/// 2.0.1 `idToken`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdToken<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) id_token: Option<Cow<'a, str>>,
}

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
#[serde(rename_all = "camelCase")]
struct BootResponse<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
    #[serde(alias = "heartbeatInterval", default, deserialize_with = "integer")]
    interval: Option<i64>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartResponse {
    #[serde(default, deserialize_with = "integer")]
    transaction_id: Option<i64>,
}

#[derive(Default, Deserialize)]
struct StatusResponse<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
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

struct FrameVisitor<'l> {
    version: OcppVersion,
    lookup: Lookup<'l>,
}

/// A string, borrowed from the input where it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped<'a>(#[serde(borrow)] Cow<'a, str>);
        Wrapped::deserialize(deserializer).map(|w| Text(w.0))
    }
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
        let v16 = self.version == OcppVersion::V16;
        Ok(match self.act {
            Act::Boot if v16 => {
                let boot = object::<Boot16<'de>, D>(d)?.unwrap_or_default();
                Request::Boot(Boot {
                    vendor: boot.charge_point_vendor,
                    model: boot.charge_point_model,
                    firmware: boot.firmware_version,
                })
            }
            Act::Boot => {
                let boot = object::<Boot201<'de>, D>(d)?;
                let station = boot.and_then(|b| b.charging_station).unwrap_or_default();
                Request::Boot(Boot {
                    vendor: station.vendor_name,
                    model: station.model,
                    firmware: station.firmware_version,
                })
            }
            Act::StatusNotification if v16 => {
                let status = object::<Status16<'de>, D>(d)?.unwrap_or_default();
                match (status.connector_id, status.status) {
                    (Some(id), Some(now)) => Request::Status(Status {
                        connector: Connector { evse: None, id },
                        status: now,
                        error_code: status.error_code,
                        vendor_error_code: status.vendor_error_code,
                    }),
                    _ => Request::Other,
                }
            }
            Act::StatusNotification => {
                let status = object::<Status201<'de>, D>(d)?.unwrap_or_default();
                match (status.evse_id, status.connector_id, status.connector_status) {
                    (Some(evse), Some(id), Some(now)) => Request::Status(Status {
                        connector: Connector {
                            evse: Some(evse),
                            id,
                        },
                        status: now,
                        error_code: None,
                        vendor_error_code: None,
                    }),
                    _ => Request::Other,
                }
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
                let change: ChangeConfiguration<'de> = read(d)?;
                let interval = (change.key.as_deref() == Some(HEARTBEAT_INTERVAL))
                    .then(|| change.value?.trim().parse().ok())
                    .flatten();
                Request::Configure(Act::ChangeConfiguration, interval)
            }
            Act::SetVariables => {
                let set: SetVariables<'de> = read(d)?;
                let interval = set
                    .heartbeat_interval()
                    .and_then(|entry| entry.attribute_value.as_deref()?.trim().parse().ok());
                Request::Configure(Act::SetVariables, interval)
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
            Act::Boot => {
                let boot: BootResponse<'de> = read(d)?;
                boot.status.map(|status| Response::Boot {
                    status: status.into_owned(),
                    interval: boot.interval,
                })
            }
            Act::StartTransaction => {
                let start: StartResponse = read(d)?;
                start
                    .transaction_id
                    .map(|transaction_id| Response::StartTransaction { transaction_id })
            }
            Act::ChangeConfiguration => {
                let answer: StatusResponse<'de> = read(d)?;
                Some(Response::Configured {
                    accepted: answer.status.as_deref() == Some("Accepted"),
                })
            }
            Act::SetVariables => {
                let set: SetVariables<'de> = read(d)?;
                let status = set
                    .heartbeat_interval()
                    .and_then(|e| e.attribute_status.as_deref());
                Some(Response::Configured {
                    accepted: status == Some("Accepted"),
                })
            }
            _ => {
                IgnoredAny::deserialize(d)?;
                None
            }
        })
    }
}

/// The token under which serde_json's `arbitrary_precision` hands a number over as a map.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A payload read member by member: one that is not an object reads as an empty one, so that
/// every member is unknown.
fn read<'de, T: Deserialize<'de> + Default, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    Ok(object(d)?.unwrap_or_default())
}

/// A member that should be an object: unknown when it is anything else.
fn object<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    struct Object<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain(seq).map(|()| None)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    d.deserialize_any(Object(std::marker::PhantomData))
}

/// A member that should be an array of objects: the objects in it, none when it is not an
/// array (an item that is not an object is left out).
fn list<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Items<T>(std::marker::PhantomData<T>);

    /// One item, read as an object.
    struct Item<T>(Option<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Item<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            object(d).map(Item)
        }
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(Item(item)) = seq.next_element::<Item<T>>()? {
                items.extend(item);
            }
            Ok(items)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            drain_map(map).map(|()| Vec::new())
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    d.deserialize_any(Items(std::marker::PhantomData))
}

/// A member that should be a string: unknown when it is anything else.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(Leaf).map(|leaf| match leaf {
        Scalar::Text(text) => Some(text),
        Scalar::Number(_) | Scalar::Other => None,
    })
}

/// A member that should be an integer: unknown when it is anything else (text, a fraction,
/// out of range).
fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(Leaf).map(|leaf| match leaf {
        Scalar::Number(digits) => digits.parse().ok(),
        Scalar::Text(_) | Scalar::Other => None,
    })
}

/// A JSON value as a leaf member sees it.
enum Scalar<'a> {
    Text(Cow<'a, str>),
    /// A number, by its digits as sent.
    Number(Cow<'a, str>),
    /// An object, an array, a boolean or null.
    Other,
}

struct Leaf;

impl<'de> Visitor<'de> for Leaf {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(Cow::Owned(n.to_string())))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(Cow::Owned(n.to_string())))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(Cow::Owned(n.to_string())))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(number_digits(map)?.map_or(Scalar::Other, Scalar::Number))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain(seq).map(|()| Scalar::Other)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
}

/// The digits of a number `arbitrary_precision` hands over as a map; `None` (the map read to
/// its end) for a JSON object.
fn number_digits<'de, A: de::MapAccess<'de>>(
    mut map: A,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    let Some(Text(key)) = map.next_key::<Text<'de>>()? else {
        return Ok(None);
    };
    if key == NUMBER_TOKEN {
        let Text(digits) = map.next_value()?;
        drain_map(map)?;
        return Ok(Some(digits));
    }
    map.next_value::<IgnoredAny>()?;
    drain_map(map).map(|()| None)
}

fn drain<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}
