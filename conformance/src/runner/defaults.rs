//! The reference station's answers to CSMS CALLs that no step waits for: schema-valid,
//! `Accepted`-style, and GetConfiguration / GetVariables with the values the station reports,
//! its topology (the test-environment file's `[station]`) included.

use ocpp_model::OcppVersion;
use ocpp_validate::{validate_payload, PayloadKind};
use serde_json::{json, Value};

use crate::config::Topology;

/// The configuration keys the simulated 1.6 station reports: key, read-only, value (its
/// `NumberOfConnectors` comes from the topology).
const KEYS_V16: &[(&str, bool, &str)] = &[
    ("HeartbeatInterval", false, "300"),
    ("MeterValueSampleInterval", false, "60"),
    ("ConnectionTimeOut", false, "60"),
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
    topology: &Topology,
) -> Result<Value, &'static str> {
    let answer = match version {
        OcppVersion::V16 => answer_v16(action, request, topology),
        // 2.1 keeps 2.0.1's shapes for every answer given here; the tests prove each one
        // valid against both versions' schemas.
        OcppVersion::V201 | OcppVersion::V21 => answer_ocpp2(action, request, topology),
    };
    answer.ok_or_else(
        || match validate_payload(version, action, PayloadKind::Request, request) {
            Ok(_) => "NotSupported",
            Err(_) => "NotImplemented",
        },
    )
}

/// Whether a 1.6 connector id (0 the whole charge point) is one the station has: in 1.6
/// each EVSE of the topology is one connector.
fn has_connector_v16(request: &Value, topology: &Topology) -> bool {
    number(request, "/connectorId").is_none_or(|id| id <= u64::from(topology.evses))
}

/// Whether the EVSE (0 the whole station) and connector a 2.0.1 request names exist.
fn has_connector_v201(evse: Option<u64>, connector: Option<u64>, topology: &Topology) -> bool {
    evse.is_none_or(|id| id <= u64::from(topology.evses))
        && connector.is_none_or(|id| (1..=u64::from(topology.connectors_per_evse)).contains(&id))
}

fn number(value: &Value, pointer: &str) -> Option<u64> {
    value.pointer(pointer).and_then(Value::as_u64)
}

fn answer_v16(action: &str, request: &Value, topology: &Topology) -> Option<Value> {
    let known = has_connector_v16(request, topology);
    Some(match action {
        "GetConfiguration" => get_configuration(request, topology),
        // OCPP 1.6 §6.52 UnlockStatus: NotSupported for a connector it cannot unlock.
        "UnlockConnector" if !known => json!({"status": "NotSupported"}),
        "UnlockConnector" => json!({"status": "Unlocked"}),
        "ChangeAvailability" if !known => json!({"status": "Rejected"}),
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
fn get_configuration(request: &Value, topology: &Topology) -> Value {
    let connectors = topology.evses.to_string();
    let keys: Vec<(&str, bool, &str)> = KEYS_V16
        .iter()
        .copied()
        .chain([("NumberOfConnectors", true, connectors.as_str())])
        .collect();
    let entry = |(key, readonly, value): &(&str, bool, &str)| json!({"key": key, "readonly": readonly, "value": value});
    let Some(wanted) = request
        .get("key")
        .and_then(Value::as_array)
        .filter(|k| !k.is_empty())
    else {
        return json!({"configurationKey": keys.iter().map(entry).collect::<Vec<_>>()});
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for key in wanted.iter().filter_map(Value::as_str) {
        match keys.iter().find(|(k, ..)| *k == key) {
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

fn answer_ocpp2(action: &str, request: &Value, topology: &Topology) -> Option<Value> {
    Some(match action {
        "GetVariables" => get_variables(request, topology),
        "SetVariables" => set_variables(request),
        // OCPP 2.0.1 Part 2 UnlockStatusEnumType: UnknownConnector for one it does not have.
        "UnlockConnector"
            if !has_connector_v201(
                number(request, "/evseId"),
                number(request, "/connectorId"),
                topology,
            ) =>
        {
            json!({"status": "UnknownConnector"})
        }
        "UnlockConnector" => json!({"status": "Unlocked"}),
        "ChangeAvailability"
            if !has_connector_v201(
                number(request, "/evse/id"),
                number(request, "/evse/connectorId"),
                topology,
            ) =>
        {
            json!({"status": "Rejected"})
        }
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
/// `UnknownVariable`. The `EVSE` and `Connector` components answer `AvailabilityState` for
/// the EVSEs and connectors of the topology, and are `UnknownComponent` beyond it.
fn get_variables(request: &Value, topology: &Topology) -> Value {
    let results: Vec<Value> = items(request, "getVariableData")
        .map(|item| {
            let component = item.get("component").cloned().unwrap_or(json!({}));
            let variable = item.get("variable").cloned().unwrap_or(json!({}));
            let component_name = component.get("name").and_then(Value::as_str);
            let variable_name = variable.get("name").and_then(Value::as_str);
            let evse = number(&component, "/evse/id");
            let connector = number(&component, "/evse/connectorId");
            let value = match component_name {
                Some("EVSE" | "Connector")
                    if evse.is_none()
                        || evse == Some(0)
                        || !has_connector_v201(evse, connector, topology)
                        || (component_name == Some("Connector") && connector.is_none()) =>
                {
                    Err("UnknownComponent")
                }
                Some("EVSE" | "Connector") if variable_name == Some("AvailabilityState") => {
                    Ok("Available")
                }
                _ => VARIABLES_V201
                    .iter()
                    .find(|(c, v, _)| component_name == Some(c) && variable_name == Some(v))
                    .map(|(.., value)| *value)
                    .ok_or("UnknownVariable"),
            };
            match value {
                Ok(value) => json!({"attributeStatus": "Accepted", "attributeValue": value,
                    "component": component, "variable": variable}),
                Err(status) => json!({"attributeStatus": status,
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
        let v21 = [
            (
                "RequestStartTransaction",
                json!({"remoteStartId": 1,
                "idToken": {"idToken": "TOKEN-1", "type": "ISO14443"}}),
            ),
            ("RequestStopTransaction", json!({"transactionId": "tx-1"})),
            (
                "ChangeAvailability",
                json!({"operationalStatus": "Inoperative", "evse": {"id": 1}}),
            ),
            ("TriggerMessage", json!({"requestedMessage": "Heartbeat"})),
            ("DataTransfer", json!({"vendorId": "x"})),
        ];
        let all = v16
            .iter()
            .map(|c| (OcppVersion::V16, c))
            .chain(v201.iter().map(|c| (OcppVersion::V201, c)))
            .chain(v201.iter().chain(v21.iter()).map(|c| (OcppVersion::V21, c)));
        for (version, (action, request)) in all {
            let answer = reference_answer(version, action, request, &Topology::default()).unwrap();
            let violations =
                validate_payload(version, action, PayloadKind::Response, &answer).unwrap();
            assert!(violations.is_empty(), "{version} {action}: {violations:?}");
        }
    }

    #[test]
    fn an_action_without_a_default_gets_the_fitting_callerror_code() {
        let request = json!({"requestId": 1, "log": {"remoteLocation": "ftp://x"}, "logType": "DiagnosticsLog"});
        assert_eq!(
            reference_answer(OcppVersion::V201, "GetLog", &request, &Topology::default()),
            Err("NotSupported")
        );
        assert_eq!(
            reference_answer(
                OcppVersion::V16,
                "NoSuchAction",
                &json!({}),
                &Topology::default()
            ),
            Err("NotImplemented")
        );
    }

    #[test]
    fn the_topology_decides_connectors_and_evses() {
        let topology = Topology {
            evses: 3,
            connectors_per_evse: 2,
        };
        let v16 = |action, request: Value| {
            reference_answer(OcppVersion::V16, action, &request, &topology).unwrap()
        };
        let keys = v16("GetConfiguration", json!({"key": ["NumberOfConnectors"]}));
        assert_eq!(keys["configurationKey"][0]["value"], "3");
        assert_eq!(
            v16("UnlockConnector", json!({"connectorId": 3}))["status"],
            "Unlocked"
        );
        assert_eq!(
            v16("UnlockConnector", json!({"connectorId": 4}))["status"],
            "NotSupported"
        );
        let change = json!({"connectorId": 4, "type": "Inoperative"});
        assert_eq!(v16("ChangeAvailability", change)["status"], "Rejected");
        let v201 = |action, request: Value| {
            reference_answer(OcppVersion::V201, action, &request, &topology).unwrap()
        };
        let state = |evse: u64, connector: u64| {
            json!({"component": {"name": "Connector", "evse": {"id": evse, "connectorId": connector}},
                "variable": {"name": "AvailabilityState"}})
        };
        let answer = v201(
            "GetVariables",
            json!({"getVariableData": [state(3, 2), state(3, 3), state(4, 1)]}),
        );
        let statuses: Vec<&Value> = (0..3)
            .map(|i| &answer["getVariableResult"][i]["attributeStatus"])
            .collect();
        assert_eq!(
            statuses,
            ["Accepted", "UnknownComponent", "UnknownComponent"]
        );
        let unlock = json!({"evseId": 2, "connectorId": 3});
        assert_eq!(
            v201("UnlockConnector", unlock)["status"],
            "UnknownConnector"
        );
        let change = json!({"operationalStatus": "Inoperative", "evse": {"id": 4}});
        assert_eq!(v201("ChangeAvailability", change)["status"], "Rejected");
        for (action, request) in [
            (
                "GetVariables",
                json!({"getVariableData": [state(3, 2), state(9, 1)]}),
            ),
            ("UnlockConnector", json!({"evseId": 9, "connectorId": 1})),
        ] {
            let answer = v201(action, request);
            let violations =
                validate_payload(OcppVersion::V201, action, PayloadKind::Response, &answer)
                    .unwrap();
            assert!(violations.is_empty(), "{action}: {violations:?}");
        }
    }
}
