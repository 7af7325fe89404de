//! The reference CSMS's answers to station-initiated CALLs, per version.

use std::sync::atomic::{AtomicI64, Ordering};

use ocpp_model::OcppVersion;
use serde_json::{json, Value};

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

/// The CALLRESULT payload for a schema-valid CALL, or `None` when the action is not one a
/// station sends.
pub(super) fn answer(
    version: OcppVersion,
    identity: &str,
    action: &str,
    request: &Value,
) -> Option<Value> {
    match version {
        OcppVersion::V16 => answer_v16(identity, action, request),
        OcppVersion::V201 => answer_v201(identity, action, request),
    }
}

fn boot_status(identity: &str) -> &'static str {
    if identity.ends_with("-PENDING") {
        "Pending"
    } else if identity.ends_with("-REJECTED") {
        "Rejected"
    } else {
        "Accepted"
    }
}

/// Tokens starting with `INVALID` are refused; all others accepted.
fn token_status(token: Option<&Value>, refused: &'static str) -> &'static str {
    match token.and_then(Value::as_str) {
        Some(t) if t.starts_with("INVALID") => refused,
        _ => "Accepted",
    }
}

/// Accepts DataTransfer for [`VENDOR`] and echoes its `data` back (both versions' responses
/// carry an optional `data`), so a scenario can see what it sent.
fn data_transfer(request: &Value) -> Value {
    if request.get("vendorId").and_then(Value::as_str) == Some(VENDOR) {
        match request.get("data") {
            Some(data) => json!({"status": "Accepted", "data": data}),
            None => json!({"status": "Accepted"}),
        }
    } else {
        json!({"status": "UnknownVendorId"})
    }
}

fn answer_v16(identity: &str, action: &str, request: &Value) -> Option<Value> {
    let id_tag_info = || json!({"status": token_status(request.get("idTag"), "Invalid")});
    Some(match action {
        "BootNotification" => {
            json!({"status": boot_status(identity), "currentTime": now(), "interval": INTERVAL})
        }
        "Heartbeat" => json!({"currentTime": now()}),
        "Authorize" => json!({"idTagInfo": id_tag_info()}),
        "StartTransaction" => json!({
            "transactionId": NEXT_TRANSACTION.fetch_add(1, Ordering::Relaxed),
            "idTagInfo": id_tag_info(),
        }),
        "StopTransaction" if request.get("idTag").is_some() => json!({"idTagInfo": id_tag_info()}),
        "StopTransaction"
        | "MeterValues"
        | "StatusNotification"
        | "DiagnosticsStatusNotification"
        | "FirmwareStatusNotification" => json!({}),
        "DataTransfer" => data_transfer(request),
        _ => return None,
    })
}

fn answer_v201(identity: &str, action: &str, request: &Value) -> Option<Value> {
    let token = request.pointer("/idToken/idToken");
    Some(match action {
        "BootNotification" => {
            json!({"status": boot_status(identity), "currentTime": now(), "interval": INTERVAL})
        }
        "Heartbeat" => json!({"currentTime": now()}),
        "Authorize" => json!({"idTokenInfo": {"status": token_status(token, "Invalid")}}),
        "TransactionEvent" if request.get("idToken").is_some() => {
            json!({"idTokenInfo": {"status": token_status(token, "Invalid")}})
        }
        "TransactionEvent"
        | "MeterValues"
        | "StatusNotification"
        | "NotifyReport"
        | "NotifyEvent"
        | "SecurityEventNotification"
        | "LogStatusNotification"
        | "FirmwareStatusNotification" => json!({}),
        "DataTransfer" => data_transfer(request),
        _ => return None,
    })
}
