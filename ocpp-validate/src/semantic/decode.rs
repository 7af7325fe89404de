//! Reads only what the semantic rules need from a frame: the message type and id, the action
//! of a CALL, and the payload of the few actions the rules follow, into small borrowed
//! structs. The frame is read from its text or from its parsed value alike; a frame whose
//! action no rule follows is read no further than its action name.

use std::borrow::Cow;
use std::fmt;

use ocpp_types::primitives::Decimal;
use ocpp_types::OcppVersion;
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
        interval: i64,
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
    pub(crate) vendor: Cow<'a, str>,
    pub(crate) model: Cow<'a, str>,
    pub(crate) firmware: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Boot16<'a> {
    #[serde(borrow)]
    charge_point_vendor: Cow<'a, str>,
    #[serde(borrow)]
    charge_point_model: Cow<'a, str>,
    #[serde(borrow)]
    firmware_version: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Boot201<'a> {
    #[serde(borrow)]
    charging_station: Station201<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Station201<'a> {
    #[serde(borrow)]
    vendor_name: Cow<'a, str>,
    #[serde(borrow)]
    model: Cow<'a, str>,
    #[serde(borrow)]
    firmware_version: Option<Cow<'a, str>>,
}

/// A 1.6 StartTransaction request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartTransaction<'a> {
    pub(crate) connector_id: i64,
    #[serde(borrow)]
    pub(crate) id_tag: Cow<'a, str>,
    pub(crate) meter_start: i64,
    #[serde(borrow)]
    pub(crate) timestamp: Cow<'a, str>,
}

/// A 1.6 StopTransaction request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StopTransaction<'a> {
    pub(crate) transaction_id: i64,
    pub(crate) meter_stop: i64,
    #[serde(borrow)]
    pub(crate) timestamp: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) transaction_data: Vec<MeterValue<'a>>,
    #[serde(borrow)]
    pub(crate) reason: Option<Cow<'a, str>>,
}

/// A MeterValues request of either version.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValues<'a> {
    /// 1.6 only: the connector (0 for the main meter).
    #[serde(default)]
    pub(crate) connector_id: i64,
    /// 1.6 only: the transaction the values belong to.
    pub(crate) transaction_id: Option<i64>,
    #[serde(borrow)]
    pub(crate) meter_value: Vec<MeterValue<'a>>,
}

/// One timestamped set of samples.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValue<'a> {
    #[serde(borrow)]
    pub(crate) timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) sampled_value: Vec<SampledValue<'a>>,
}

/// One sample, in either version's shape (1.6: `value` a string and `unit`; 2.0.1: `value` a
/// number and `unitOfMeasure.unit`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SampledValue<'a> {
    #[serde(borrow)]
    pub(crate) value: SampleValue<'a>,
    #[serde(borrow)]
    pub(crate) measurand: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) phase: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) unit: Option<Cow<'a, str>>,
    #[serde(borrow)]
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
#[derive(Debug, Deserialize)]
pub(crate) struct UnitOfMeasure<'a> {
    #[serde(borrow)]
    pub(crate) unit: Option<Cow<'a, str>>,
}

/// A sample's value as sent (1.6: text; 2.0.1: a number's exact digits), read as a decimal
/// only when a rule needs it.
#[derive(Debug)]
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

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = SampleValue(None);
        while let Some((_, Text(digits))) = map.next_entry::<IgnoredAny, Text<'de>>()? {
            value = SampleValue(Some(digits));
        }
        Ok(value)
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status16<'a> {
    connector_id: i64,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow)]
    error_code: Cow<'a, str>,
    #[serde(borrow)]
    vendor_error_code: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status201<'a> {
    evse_id: i64,
    connector_id: i64,
    #[serde(borrow)]
    connector_status: Cow<'a, str>,
}

/// A 2.0.1 TransactionEvent request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionEvent<'a> {
    #[serde(borrow)]
    pub(crate) event_type: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) timestamp: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) transaction_info: TransactionInfo<'a>,
    pub(crate) evse: Option<Evse>,
    #[serde(borrow)]
    pub(crate) id_token: Option<IdToken<'a>>,
    #[serde(borrow, default)]
    pub(crate) meter_value: Vec<MeterValue<'a>>,
}

/// 2.0.1 `transactionInfo`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionInfo<'a> {
    #[serde(borrow)]
    pub(crate) transaction_id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) stopped_reason: Option<Cow<'a, str>>,
}

/// 2.0.1 `evse`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Evse {
    pub(crate) id: i64,
    pub(crate) connector_id: Option<i64>,
}

/// 2.0.1 `idToken`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdToken<'a> {
    #[serde(borrow)]
    pub(crate) id_token: Cow<'a, str>,
}

/// The configuration key (1.6) and component variable (2.0.1) of the heartbeat interval.
const HEARTBEAT_INTERVAL: &str = "HeartbeatInterval";

/// A 1.6 ChangeConfiguration request.
#[derive(Deserialize)]
struct ChangeConfiguration<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

/// A 2.0.1 SetVariables request or response: the entries that name a variable.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetVariables<'a> {
    #[serde(borrow, alias = "setVariableResult")]
    set_variable_data: Vec<VariableEntry<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VariableEntry<'a> {
    #[serde(borrow)]
    attribute_value: Option<Cow<'a, str>>,
    #[serde(borrow)]
    attribute_status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    variable: Variable<'a>,
}

#[derive(Deserialize)]
struct Variable<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

impl<'a> SetVariables<'a> {
    fn heartbeat_interval(&self) -> Option<&VariableEntry<'a>> {
        self.set_variable_data
            .iter()
            .find(|entry| entry.variable.name == HEARTBEAT_INTERVAL)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BootResponse {
    status: String,
    #[serde(alias = "heartbeatInterval")]
    interval: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartResponse {
    transaction_id: i64,
}

#[derive(Deserialize)]
struct StatusResponse<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
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
                let boot = Boot16::deserialize(d)?;
                Request::Boot(Boot {
                    vendor: boot.charge_point_vendor,
                    model: boot.charge_point_model,
                    firmware: boot.firmware_version,
                })
            }
            Act::Boot => {
                let station = Boot201::deserialize(d)?.charging_station;
                Request::Boot(Boot {
                    vendor: station.vendor_name,
                    model: station.model,
                    firmware: station.firmware_version,
                })
            }
            Act::StatusNotification if v16 => {
                let status = Status16::deserialize(d)?;
                Request::Status(Status {
                    connector: Connector {
                        evse: None,
                        id: status.connector_id,
                    },
                    status: status.status,
                    error_code: Some(status.error_code),
                    vendor_error_code: status.vendor_error_code,
                })
            }
            Act::StatusNotification => {
                let status = Status201::deserialize(d)?;
                Request::Status(Status {
                    connector: Connector {
                        evse: Some(status.evse_id),
                        id: status.connector_id,
                    },
                    status: status.connector_status,
                    error_code: None,
                    vendor_error_code: None,
                })
            }
            Act::Heartbeat => {
                IgnoredAny::deserialize(d)?;
                Request::Heartbeat
            }
            Act::StartTransaction => Request::StartTransaction(Deserialize::deserialize(d)?),
            Act::StopTransaction => Request::StopTransaction(Deserialize::deserialize(d)?),
            Act::MeterValues => Request::MeterValues(Deserialize::deserialize(d)?),
            Act::TransactionEvent => Request::TransactionEvent(Deserialize::deserialize(d)?),
            Act::ChangeConfiguration => {
                let change = ChangeConfiguration::deserialize(d)?;
                let interval = (change.key == HEARTBEAT_INTERVAL)
                    .then(|| change.value.trim().parse().ok())
                    .flatten();
                Request::Configure(Act::ChangeConfiguration, interval)
            }
            Act::SetVariables => {
                let set = SetVariables::deserialize(d)?;
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
                let boot = BootResponse::deserialize(d)?;
                Some(Response::Boot {
                    status: boot.status,
                    interval: boot.interval,
                })
            }
            Act::StartTransaction => Some(Response::StartTransaction {
                transaction_id: StartResponse::deserialize(d)?.transaction_id,
            }),
            Act::ChangeConfiguration => Some(Response::Configured {
                accepted: StatusResponse::deserialize(d)?.status == "Accepted",
            }),
            Act::SetVariables => {
                let set = SetVariables::deserialize(d)?;
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
