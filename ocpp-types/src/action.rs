//! What every action has: a name, a version, who starts it, and its two payload types.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

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

/// What every request and response type offers.
pub trait Payload:
    Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + Sync + 'static
{
}

impl<T> Payload for T where
    T: Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + Sync + 'static
{
}

/// An OCPP version this crate models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OcppVersion {
    /// OCPP 1.6 with its JSON binding (OCPP-J), including the security whitepaper's messages.
    V16,
    /// OCPP 2.0.1.
    V201,
}

impl OcppVersion {
    /// The version as people write it: `1.6` or `2.0.1`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V16 => "1.6",
            Self::V201 => "2.0.1",
        }
    }

    /// The WebSocket subprotocol that selects the version: `ocpp1.6` or `ocpp2.0.1`.
    pub const fn subprotocol(self) -> &'static str {
        match self {
            Self::V16 => "ocpp1.6",
            Self::V201 => "ocpp2.0.1",
        }
    }
}

impl fmt::Display for OcppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
