//! The BootNotification payloads the boot rules read.

use std::borrow::Cow;

use ocpp_model::OcppVersion;
use serde::{Deserialize, Deserializer};

use super::members::{integer, object, read, text};
use super::Response;

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

/// A BootNotification request of `version`.
pub(super) fn request<'de, D: Deserializer<'de>>(
    d: D,
    version: OcppVersion,
) -> Result<Boot<'de>, D::Error> {
    Ok(match version {
        OcppVersion::V16 => {
            let boot = object::<Boot16<'de>, D>(d)?.unwrap_or_default();
            Boot {
                vendor: boot.charge_point_vendor,
                model: boot.charge_point_model,
                firmware: boot.firmware_version,
            }
        }
        // 2.1's BootNotification has 2.0.1's members.
        OcppVersion::V21 => return request(d, OcppVersion::V201),
        OcppVersion::V201 => {
            let boot = object::<Boot201<'de>, D>(d)?;
            let station = boot.and_then(|b| b.charging_station).unwrap_or_default();
            Boot {
                vendor: station.vendor_name,
                model: station.model,
                firmware: station.firmware_version,
            }
        }
    })
}

/// A BootNotification response of either version: `None` without a status.
pub(super) fn response<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Response>, D::Error> {
    let boot: BootResponse<'de> = read(d)?;
    Ok(boot.status.map(|status| Response::Boot {
        status: status.into_owned(),
        interval: boot.interval,
    }))
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BootResponse<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
    #[serde(alias = "heartbeatInterval", default, deserialize_with = "integer")]
    interval: Option<i64>,
}
