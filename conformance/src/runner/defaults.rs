//! The reference station's answers to CSMS CALLs that no step waits for: schema-valid,
//! `Accepted`-style, and GetConfiguration / GetVariables with the values the station reports.

use ocpp_types::OcppVersion;
use ocpp_validate::{validate_payload, PayloadKind};
use serde_json::{json, Value};

/// The configuration keys the simulated 1.6 station reports: key, read-only, value.
const KEYS_V16: &[(&str, bool, &str)] = &[
    ("HeartbeatInterval", false, "300"),
    ("MeterValueSampleInterval", false, "60"),
    ("ConnectionTimeOut", false, "60"),
    ("NumberOfConnectors", true, "1"),
];

/// The variables the simulated 2.0.1 station reports: component, variable, value.
const VARIABLES_V201: &[(&str, &str, &str)] = &[
    ("OCPPCommCtrlr", "HeartbeatInterval", "300"),
    ("AlignedDataCtrlr", "Interval", "60"),
    ("TxCtrlr", "EVConnectionTimeOut", "60"),
];

/// The CALLRESULT payload the simulated station sends for a CSMS CALL, or the CALLERROR code
/// when it has none: `NotSupported` for an action the version defines, `NotImplemented` for
/// one it does not (OCPP-J 1.6 §4.2.3 Table 7; OCPP 2.0.1 Part 4 §4.3).
pub fn reference_answer(
    version: OcppVersion,
    action: &str,
    request: &Value,
) -> Result<Value, &'static str> {
    let answer = match version {
        OcppVersion::V16 => answer_v16(action, request),
        OcppVersion::V201 => answer_v201(action, request),
    };
    answer.ok_or_else(
        || match validate_payload(version, action, PayloadKind::Request, request) {
            Ok(_) => "NotSupported",
            Err(_) => "NotImplemented",
        },
    )
}

fn answer_v16(action: &str, request: &Value) -> Option<Value> {
    Some(match action {
        "GetConfiguration" => get_configuration(request),
        "UnlockConnector" => json!({"status": "Unlocked"}),
        "GetLocalListVersion" => json!({"listVersion": 0}),
        "GetCompositeSchedule" => json!({"status": "Rejected"}),
        "DataTransfer" => json!({"status": "UnknownVendorId"}),
        "GetDiagnostics" | "UpdateFirmware" => json!({}),
        "CancelReservation"
        | "ChangeAvailability"
        | "ChangeConfiguration"
        | "ClearCache"
        | "ClearChargingProfile"
        | "RemoteStartTransaction"
        | "RemoteStopTransaction"
        | "ReserveNow"
        | "Reset"
        | "SendLocalList"
        | "SetChargingProfile"
        | "TriggerMessage" => json!({"status": "Accepted"}),
        _ => return None,
    })
}

/// The requested keys the station has, and the names of those it has not; every key when
/// none is named (OCPP 1.6 §5.8).
fn get_configuration(request: &Value) -> Value {
    let entry = |(key, readonly, value): &(&str, bool, &str)| json!({"key": key, "readonly": readonly, "value": value});
    let Some(wanted) = request
        .get("key")
        .and_then(Value::as_array)
        .filter(|k| !k.is_empty())
    else {
        return json!({"configurationKey": KEYS_V16.iter().map(entry).collect::<Vec<_>>()});
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for key in wanted.iter().filter_map(Value::as_str) {
        match KEYS_V16.iter().find(|(k, ..)| *k == key) {
            Some(found) => known.push(entry(found)),
            None => unknown.push(json!(key)),
        }
    }
    let mut answer = json!({"configurationKey": known});
    if !unknown.is_empty() {
        answer["unknownKey"] = Value::Array(unknown);
    }
    answer
}

fn answer_v201(action: &str, request: &Value) -> Option<Value> {
    Some(match action {
        "GetVariables" => get_variables(request),
        "SetVariables" => set_variables(request),
        "UnlockConnector" => json!({"status": "Unlocked"}),
        "GetLocalListVersion" => json!({"versionNumber": 0}),
        "GetTransactionStatus" => json!({"messagesInQueue": false}),
        "DataTransfer" => json!({"status": "UnknownVendorId"}),
        "CancelReservation"
        | "ChangeAvailability"
        | "ClearCache"
        | "ClearChargingProfile"
        | "GetBaseReport"
        | "RequestStartTransaction"
        | "RequestStopTransaction"
        | "ReserveNow"
        | "Reset"
        | "SendLocalList"
        | "SetChargingProfile"
        | "TriggerMessage"
        | "UpdateFirmware" => json!({"status": "Accepted"}),
        _ => return None,
    })
}

/// One result per requested variable: its value when the station has it, else
/// `UnknownVariable`.
fn get_variables(request: &Value) -> Value {
    let results: Vec<Value> = items(request, "getVariableData")
        .map(|item| {
            let component = item.get("component").cloned().unwrap_or(json!({}));
            let variable = item.get("variable").cloned().unwrap_or(json!({}));
            let found = VARIABLES_V201.iter().find(|(c, v, _)| {
                component.get("name").and_then(Value::as_str) == Some(c)
                    && variable.get("name").and_then(Value::as_str) == Some(v)
            });
            match found {
                Some((.., value)) => json!({"attributeStatus": "Accepted", "attributeValue": value,
                    "component": component, "variable": variable}),
                None => json!({"attributeStatus": "UnknownVariable",
                    "component": component, "variable": variable}),
            }
        })
        .collect();
    json!({ "getVariableResult": results })
}

/// Every requested variable set: `Accepted`.
fn set_variables(request: &Value) -> Value {
    let results: Vec<Value> = items(request, "setVariableData")
        .map(|item| {
            json!({"attributeStatus": "Accepted",
                "component": item.get("component").cloned().unwrap_or(json!({})),
                "variable": item.get("variable").cloned().unwrap_or(json!({}))})
        })
        .collect();
    json!({ "setVariableResult": results })
}

fn items<'a>(request: &'a Value, member: &str) -> impl Iterator<Item = &'a Value> {
    request
        .get(member)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every default answer is valid against the version's response schema.
    #[test]
    fn every_default_answer_is_schema_valid() {
        let v16 = [
            ("GetConfiguration", json!({})),
            (
                "GetConfiguration",
                json!({"key": ["HeartbeatInterval", "Nope"]}),
            ),
            ("UnlockConnector", json!({"connectorId": 1})),
            ("GetLocalListVersion", json!({})),
            (
                "GetCompositeSchedule",
                json!({"connectorId": 1, "duration": 60}),
            ),
            ("DataTransfer", json!({"vendorId": "x"})),
            ("GetDiagnostics", json!({"location": "ftp://x"})),
            ("Reset", json!({"type": "Soft"})),
            ("TriggerMessage", json!({"requestedMessage": "Heartbeat"})),
        ];
        let v201 = [
            (
                "GetVariables",
                json!({"getVariableData": [
                {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
                {"component": {"name": "X"}, "variable": {"name": "Y"}}]}),
            ),
            (
                "SetVariables",
                json!({"setVariableData": [{"attributeValue": "1",
                "component": {"name": "X"}, "variable": {"name": "Y"}}]}),
            ),
            (
                "GetBaseReport",
                json!({"requestId": 1, "reportBase": "FullInventory"}),
            ),
            ("GetTransactionStatus", json!({})),
            ("GetLocalListVersion", json!({})),
            ("UnlockConnector", json!({"evseId": 1, "connectorId": 1})),
            ("Reset", json!({"type": "Immediate"})),
        ];
        let all = v16
            .iter()
            .map(|c| (OcppVersion::V16, c))
            .chain(v201.iter().map(|c| (OcppVersion::V201, c)));
        for (version, (action, request)) in all {
            let answer = reference_answer(version, action, request).unwrap();
            let violations =
                validate_payload(version, action, PayloadKind::Response, &answer).unwrap();
            assert!(violations.is_empty(), "{version} {action}: {violations:?}");
        }
    }

    #[test]
    fn an_action_without_a_default_gets_the_fitting_callerror_code() {
        let request = json!({"requestId": 1, "log": {"remoteLocation": "ftp://x"}, "logType": "DiagnosticsLog"});
        assert_eq!(
            reference_answer(OcppVersion::V201, "GetLog", &request),
            Err("NotSupported")
        );
        assert_eq!(
            reference_answer(OcppVersion::V16, "NoSuchAction", &json!({})),
            Err("NotImplemented")
        );
    }
}
