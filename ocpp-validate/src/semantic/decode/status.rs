//! The StatusNotification payloads the status rules read.

use std::borrow::Cow;
use std::fmt;

use ocpp_model::OcppVersion;
use serde::{Deserialize, Deserializer};

use super::members::{integer, object, text};

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

/// A StatusNotification request of `version`: `None` when it lacks its connector or status.
pub(super) fn request<'de, D: Deserializer<'de>>(
    d: D,
    version: OcppVersion,
) -> Result<Option<Status<'de>>, D::Error> {
    Ok(match version {
        OcppVersion::V16 => {
            let status = object::<Status16<'de>, D>(d)?.unwrap_or_default();
            match (status.connector_id, status.status) {
                (Some(id), Some(now)) => Some(Status {
                    connector: Connector { evse: None, id },
                    status: now,
                    error_code: status.error_code,
                    vendor_error_code: status.vendor_error_code,
                }),
                _ => None,
            }
        }
        // 2.1's StatusNotification has 2.0.1's members.
        OcppVersion::V21 => return request(d, OcppVersion::V201),
        OcppVersion::V201 => {
            let status = object::<Status201<'de>, D>(d)?.unwrap_or_default();
            match (status.evse_id, status.connector_id, status.connector_status) {
                (Some(evse), Some(id), Some(now)) => Some(Status {
                    connector: Connector {
                        evse: Some(evse),
                        id,
                    },
                    status: now,
                    error_code: None,
                    vendor_error_code: None,
                }),
                _ => None,
            }
        }
    })
}
