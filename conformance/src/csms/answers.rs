//! The reference CSMS's answers to station-initiated CALLs, per version.

use std::sync::atomic::{AtomicI64, Ordering};

use ocpp_model::framing::{CallResult, MessageId};
use ocpp_model::primitives::DateTime;
use ocpp_model::OcppVersion;
use serde_json::Value;

/// Heartbeat interval announced in BootNotification answers, in seconds.
pub(super) const INTERVAL: i64 = 300;

/// Vendor id whose DataTransfer messages the reference CSMS accepts.
pub const VENDOR: &str = "org.ocpp-rs";

static NEXT_TRANSACTION: AtomicI64 = AtomicI64::new(1);

/// Now, in the RFC 3339 form OCPP uses (UTC, milliseconds).
pub(crate) fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The CALLRESULT for a schema-valid CALL with `message_id`, or `None` when the action is
/// not one a station sends.
pub(super) fn answer(
    version: OcppVersion,
    peer: &Peer<'_>,
    message_id: MessageId,
    action: &str,
    request: &Value,
) -> Option<CallResult> {
    match version {
        OcppVersion::V16 => answer_v16(peer, message_id, action, request),
        OcppVersion::V201 => answer_v201(peer, message_id, action, request),
        OcppVersion::V21 => answer_v21(peer, message_id, action, request),
    }
}

/// The station a CALL comes from, as the answers see it.
pub(super) struct Peer<'a> {
    /// Its identity.
    pub(super) identity: &'a str,
    /// Whether everything is accepted ([`Fault::AcceptEverything`](super::Fault)).
    pub(super) accept_all: bool,
}

/// The registration status of the peer: `…-PENDING` and `…-REJECTED` are kept waiting or
/// refused, all others accepted.
fn boot_status(peer: &Peer<'_>) -> Registration {
    let identity = peer.identity;
    if peer.accept_all {
        Registration::Accepted
    } else if identity.ends_with("-PENDING") {
        Registration::Pending
    } else if identity.ends_with("-REJECTED") {
        Registration::Rejected
    } else {
        Registration::Accepted
    }
}

/// What [`boot_status`] decides, in words both versions' status enums have.
enum Registration {
    Accepted,
    Pending,
    Rejected,
}

/// Tokens starting with `INVALID` are refused; all others accepted.
fn token_accepted(peer: &Peer<'_>, token: Option<&Value>) -> bool {
    peer.accept_all
        || !token
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("INVALID"))
}

/// Whether a DataTransfer is for [`VENDOR`], whose messages are accepted.
fn vendor_known(peer: &Peer<'_>, request: &Value) -> bool {
    peer.accept_all || request.get("vendorId").and_then(Value::as_str) == Some(VENDOR)
}

/// The current time as the generated types hold it.
fn current_time() -> DateTime {
    DateTime::try_from(chrono::Utc::now()).expect("the current year is within 0000..=9999")
}

fn answer_v16(peer: &Peer<'_>, id: MessageId, action: &str, request: &Value) -> Option<CallResult> {
    use ocpp_model::v16::{actions as a, datatypes::IdTagInfo, enums};
    let id_tag_info = || {
        IdTagInfo::new(if token_accepted(peer, request.get("idTag")) {
            enums::AuthorizationStatus::Accepted
        } else {
            enums::AuthorizationStatus::Invalid
        })
    };
    Some(match action {
        "BootNotification" => {
            let status = match boot_status(peer) {
                Registration::Accepted => enums::RegistrationStatus::Accepted,
                Registration::Pending => enums::RegistrationStatus::Pending,
                Registration::Rejected => enums::RegistrationStatus::Rejected,
            };
            let response = a::BootNotificationResponse::new(status, current_time(), INTERVAL);
            CallResult::new_typed::<a::BootNotification>(id, &response)
        }
        "Heartbeat" => {
            CallResult::new_typed::<a::Heartbeat>(id, &a::HeartbeatResponse::new(current_time()))
        }
        "Authorize" => {
            CallResult::new_typed::<a::Authorize>(id, &a::AuthorizeResponse::new(id_tag_info()))
        }
        "StartTransaction" => {
            let transaction_id = NEXT_TRANSACTION.fetch_add(1, Ordering::Relaxed);
            let response = a::StartTransactionResponse::new(id_tag_info(), transaction_id);
            CallResult::new_typed::<a::StartTransaction>(id, &response)
        }
        "StopTransaction" => {
            let mut response = a::StopTransactionResponse::new();
            if request.get("idTag").is_some() {
                response.id_tag_info = Some(id_tag_info());
            }
            CallResult::new_typed::<a::StopTransaction>(id, &response)
        }
        "MeterValues" => {
            CallResult::new_typed::<a::MeterValues>(id, &a::MeterValuesResponse::new())
        }
        "StatusNotification" => CallResult::new_typed::<a::StatusNotification>(
            id,
            &a::StatusNotificationResponse::new(),
        ),
        "DiagnosticsStatusNotification" => {
            CallResult::new_typed::<a::DiagnosticsStatusNotification>(
                id,
                &a::DiagnosticsStatusNotificationResponse::new(),
            )
        }
        "FirmwareStatusNotification" => CallResult::new_typed::<a::FirmwareStatusNotification>(
            id,
            &a::FirmwareStatusNotificationResponse::new(),
        ),
        // Accepts DataTransfer for [`VENDOR`] and echoes its `data` back, so a scenario can
        // see what it sent.
        "DataTransfer" => {
            let response = if vendor_known(peer, request) {
                let mut response =
                    a::DataTransferResponse::new(enums::DataTransferStatus::Accepted);
                response.data = request
                    .get("data")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                response
            } else {
                a::DataTransferResponse::new(enums::DataTransferStatus::UnknownVendorId)
            };
            CallResult::new_typed::<a::DataTransfer>(id, &response)
        }
        _ => return None,
    })
}

/// Defines `$name`, the answers of a version with 2.0.1's message shapes (2.0.1 and 2.1 share
/// the messages a station sends here, each version with its own types).
macro_rules! answer_ocpp2 {
    ($name:ident, $version:ident) => {
        fn $name(
            peer: &Peer<'_>,
            id: MessageId,
            action: &str,
            request: &Value,
        ) -> Option<CallResult> {
            use ocpp_model::$version::{actions as a, datatypes::IdTokenInfo, enums};
            let id_token_info = || {
                IdTokenInfo::new(
                    if token_accepted(peer, request.pointer("/idToken/idToken")) {
                        enums::AuthorizationStatusEnum::Accepted
                    } else {
                        enums::AuthorizationStatusEnum::Invalid
                    },
                )
            };
            Some(match action {
                "BootNotification" => {
                    let status = match boot_status(peer) {
                        Registration::Accepted => enums::RegistrationStatusEnum::Accepted,
                        Registration::Pending => enums::RegistrationStatusEnum::Pending,
                        Registration::Rejected => enums::RegistrationStatusEnum::Rejected,
                    };
                    let response =
                        a::BootNotificationResponse::new(current_time(), INTERVAL, status);
                    CallResult::new_typed::<a::BootNotification>(id, &response)
                }
                "Heartbeat" => CallResult::new_typed::<a::Heartbeat>(
                    id,
                    &a::HeartbeatResponse::new(current_time()),
                ),
                "Authorize" => CallResult::new_typed::<a::Authorize>(
                    id,
                    &a::AuthorizeResponse::new(id_token_info()),
                ),
                "TransactionEvent" => {
                    let mut response = a::TransactionEventResponse::new();
                    if request.get("idToken").is_some() {
                        response.id_token_info = Some(id_token_info());
                    }
                    CallResult::new_typed::<a::TransactionEvent>(id, &response)
                }
                "MeterValues" => {
                    CallResult::new_typed::<a::MeterValues>(id, &a::MeterValuesResponse::new())
                }
                "StatusNotification" => CallResult::new_typed::<a::StatusNotification>(
                    id,
                    &a::StatusNotificationResponse::new(),
                ),
                "NotifyReport" => {
                    CallResult::new_typed::<a::NotifyReport>(id, &a::NotifyReportResponse::new())
                }
                "NotifyEvent" => {
                    CallResult::new_typed::<a::NotifyEvent>(id, &a::NotifyEventResponse::new())
                }
                "SecurityEventNotification" => {
                    CallResult::new_typed::<a::SecurityEventNotification>(
                        id,
                        &a::SecurityEventNotificationResponse::new(),
                    )
                }
                "LogStatusNotification" => CallResult::new_typed::<a::LogStatusNotification>(
                    id,
                    &a::LogStatusNotificationResponse::new(),
                ),
                "FirmwareStatusNotification" => CallResult::new_typed::<
                    a::FirmwareStatusNotification,
                >(
                    id, &a::FirmwareStatusNotificationResponse::new()
                ),
                // As in 1.6: DataTransfer for [`VENDOR`] is accepted and its `data` echoed.
                "DataTransfer" => {
                    let response = if vendor_known(peer, request) {
                        let mut response =
                            a::DataTransferResponse::new(enums::DataTransferStatusEnum::Accepted);
                        response.data = request.get("data").cloned();
                        response
                    } else {
                        a::DataTransferResponse::new(enums::DataTransferStatusEnum::UnknownVendorId)
                    };
                    CallResult::new_typed::<a::DataTransfer>(id, &response)
                }
                _ => return None,
            })
        }
    };
}

answer_ocpp2!(answer_v201, v201);
answer_ocpp2!(answer_v21, v21);
