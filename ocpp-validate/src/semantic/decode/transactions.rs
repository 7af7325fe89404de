//! The transaction payloads the transaction rules read: 1.6 StartTransaction and
//! StopTransaction, 2.0.1 TransactionEvent.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

use super::members::{integer, list, object, read, text};
use super::{MeterValue, Response};

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

/// A 1.6 StartTransaction response: `None` without a transaction id.
pub(super) fn start_response<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Response>, D::Error> {
    let start: StartResponse = read(d)?;
    Ok(start
        .transaction_id
        .map(|transaction_id| Response::StartTransaction { transaction_id }))
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartResponse {
    #[serde(default, deserialize_with = "integer")]
    transaction_id: Option<i64>,
}
