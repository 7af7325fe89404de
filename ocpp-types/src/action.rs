//! What every action has: a name, a version, who starts it, and its two payload types.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An OCPP action, implemented by one uninhabited marker type per action and version (for
/// example [`v16::actions::Authorize`](crate::v16::actions::Authorize)), so that generic code
/// can be written once over every action.
pub trait Action: 'static {
    /// The action name as written in a CALL.
    const NAME: &'static str;
    /// The OCPP version the action belongs to.
    const VERSION: OcppVersion;
    /// Who sends the CALL.
    const INITIATOR: Initiator;
    /// The payload of the CALL.
    type Request: Payload;
    /// The payload of the CALLRESULT.
    type Response: Payload;
}

/// The response of an action that has none: an unconfirmed message (OCPP 2.1's SEND) is never
/// answered (Part 4 §4.2.4). No value of this type exists; reading one always fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "uninhabited: there are no variants to add"
)]
pub enum NoResponse {}

impl Serialize for NoResponse {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> Deserialize<'de> for NoResponse {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "an unconfirmed message (SEND) has no response",
        ))
    }
}

/// What every request and response type offers.
pub trait Payload:
    Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + Sync + 'static
{
}

impl<T> Payload for T where
    T: Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + Sync + 'static
{
}

/// An OCPP version this crate models: one variant per version feature compiled in, so a
/// `match` on it is exhaustive, and a version added to the crate is a compile error at every
/// `match` that must handle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(
    clippy::exhaustive_enums,
    reason = "one variant per version, matched exhaustively across the workspace so that a new version is a compile error at every dispatch"
)]
pub enum OcppVersion {
    /// OCPP 1.6 with its JSON binding (OCPP-J), including the security whitepaper's messages.
    #[cfg(feature = "v16")]
    V16,
    /// OCPP 2.0.1.
    #[cfg(feature = "v201")]
    V201,
    /// OCPP 2.1.
    #[cfg(feature = "v21")]
    V21,
}

impl OcppVersion {
    /// The version as people write it: `1.6` or `2.0.1`.
    pub const fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "v16")]
            Self::V16 => "1.6",
            #[cfg(feature = "v201")]
            Self::V201 => "2.0.1",
            #[cfg(feature = "v21")]
            Self::V21 => "2.1",
        }
    }

    /// The WebSocket subprotocol that selects the version: `ocpp1.6` or `ocpp2.0.1`.
    pub const fn subprotocol(self) -> &'static str {
        match self {
            #[cfg(feature = "v16")]
            Self::V16 => "ocpp1.6",
            #[cfg(feature = "v201")]
            Self::V201 => "ocpp2.0.1",
            #[cfg(feature = "v21")]
            Self::V21 => "ocpp2.1",
        }
    }
}

impl fmt::Display for OcppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl OcppVersion {
    /// Every version this crate models, oldest first.
    pub const ALL: &'static [Self] = &[
        #[cfg(feature = "v16")]
        Self::V16,
        #[cfg(feature = "v201")]
        Self::V201,
        #[cfg(feature = "v21")]
        Self::V21,
    ];

    /// The OCPP-J message types the version defines (2.1 adds CALLRESULTERROR and SEND).
    pub fn message_types(self) -> &'static [crate::framing::MessageTypeId] {
        use crate::framing::RpcErrorCode;
        match self {
            #[cfg(feature = "v16")]
            Self::V16 => crate::v16::ErrorCode::MESSAGE_TYPES,
            #[cfg(feature = "v201")]
            Self::V201 => crate::v201::ErrorCode::MESSAGE_TYPES,
            #[cfg(feature = "v21")]
            Self::V21 => crate::v21::ErrorCode::MESSAGE_TYPES,
        }
    }

    /// What the version knows of the action named `name` (case-sensitive) before any payload
    /// is read; `None` when the version has no such action.
    pub fn action(self, name: &str) -> Option<ActionInfo> {
        macro_rules! info {
            ($module:ident) => {
                crate::$module::ActionName::from_name(name).map(|action| ActionInfo {
                    name: action.as_str(),
                    initiator: action.initiator(),
                    has_response: action.has_response(),
                })
            };
        }
        match self {
            #[cfg(feature = "v16")]
            Self::V16 => info!(v16),
            #[cfg(feature = "v201")]
            Self::V201 => info!(v201),
            #[cfg(feature = "v21")]
            Self::V21 => info!(v21),
        }
    }

    /// The names of every action of the version, sorted.
    pub fn action_names(self) -> &'static [&'static str] {
        match self {
            #[cfg(feature = "v16")]
            Self::V16 => crate::v16::ActionName::NAMES,
            #[cfg(feature = "v201")]
            Self::V201 => crate::v201::ActionName::NAMES,
            #[cfg(feature = "v21")]
            Self::V21 => crate::v21::ActionName::NAMES,
        }
    }

    /// Reads a version as people and tools write it: `1.6`, `2.0.1`, the subprotocol names
    /// `ocpp1.6` / `ocpp2.0.1`, and the common spellings `1.6J`, `1.6-J`, `16`, `201`
    /// (case-insensitive, surrounding white space ignored).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        match text.strip_prefix("ocpp").unwrap_or(&text) {
            #[cfg(feature = "v16")]
            "1.6" | "1.6j" | "1.6-j" | "16" => Some(Self::V16),
            #[cfg(feature = "v201")]
            "2.0.1" | "201" => Some(Self::V201),
            #[cfg(feature = "v21")]
            "2.1" | "21" => Some(Self::V21),
            _ => None,
        }
    }
}

/// What a version knows of one of its actions before any payload is read
/// ([`OcppVersion::action`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action's name, in the version's spelling.
    pub name: &'static str,
    /// Who sends its CALL (or SEND).
    pub initiator: Initiator,
    /// Whether it is answered: `false` for OCPP 2.1's unconfirmed messages, sent as SEND.
    pub has_response: bool,
}

/// A text that names no OCPP version this crate models (or none compiled in).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown OCPP version {text:?} (expected {})", expected())]
pub struct UnknownVersion {
    text: String,
}

/// The versions compiled in, as a sentence: `1.6 or 2.0.1`, `1.6, 2.0.1 or 2.1`.
fn expected() -> String {
    let names: Vec<&str> = OcppVersion::ALL.iter().map(|v| v.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl FromStr for OcppVersion {
    type Err = UnknownVersion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or_else(|| UnknownVersion {
            text: text.to_owned(),
        })
    }
}

/// Serialized as [`OcppVersion::as_str`]: `"1.6"` or `"2.0.1"`.
impl Serialize for OcppVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserialized from any spelling [`OcppVersion::parse`] reads.
impl<'de> Deserialize<'de> for OcppVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Who sends the CALL of an action. OCPP 1.6 calls the two sides charge point and central
/// system; 2.0.1 calls them charging station and CSMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Initiator {
    /// The charging station (1.6: charge point).
    ChargingStation,
    /// The CSMS (1.6: central system).
    Csms,
    /// Either side (`DataTransfer`).
    Either,
}

impl Initiator {
    /// Whether a CALL of this action may come from `sender`.
    pub const fn allows(self, sender: Sender) -> bool {
        matches!(
            (self, sender),
            (Self::Either, _)
                | (Self::ChargingStation, Sender::ChargingStation)
                | (Self::Csms, Sender::Csms)
        )
    }
}

/// Which side sent one frame (where [`Initiator`] says which side starts an action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::exhaustive_enums, reason = "OCPP has two parties")]
pub enum Sender {
    /// The charging station (1.6: charge point).
    ChargingStation,
    /// The CSMS (1.6: central system).
    Csms,
}

impl Sender {
    /// The other side of the connection: the one that answers this side's CALLs.
    pub const fn peer(self) -> Self {
        match self {
            Self::ChargingStation => Self::Csms,
            Self::Csms => Self::ChargingStation,
        }
    }

    /// The Open OCPP Trace spelling of a frame sent by this side: `cp-to-csms` or
    /// `csms-to-cp`.
    pub const fn trace_direction(self) -> &'static str {
        match self {
            Self::ChargingStation => "cp-to-csms",
            Self::Csms => "csms-to-cp",
        }
    }

    /// Reads the Open OCPP Trace spelling of a direction.
    pub fn from_trace_direction(direction: &str) -> Option<Self> {
        match direction {
            "cp-to-csms" => Some(Self::ChargingStation),
            "csms-to-cp" => Some(Self::Csms),
            _ => None,
        }
    }
}
