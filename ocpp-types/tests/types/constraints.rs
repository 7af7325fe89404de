//! Negative tests, one or more per kind of schema constraint: the strict types reject the
//! value with a pointer to it, and (where the official schemas are present) the official
//! schema rejects it too, so these are real violations and not our own strictness.

use crate::common::{official_errors, official_schemas, Direction};
use ocpp_model::{v16, v201, DecodeError, OcppVersion};
use serde_json::{json, Value};

struct Case {
    what: &'static str,
    version: OcppVersion,
    action: &'static str,
    payload: Value,
    pointer: &'static str,
}

fn decode_request(version: OcppVersion, action: &str, payload: &Value) -> Result<(), DecodeError> {
    match version {
        OcppVersion::V16 => action
            .parse()
            .and_then(|action| v16::Request::from_value(action, payload))
            .map(drop),
        _ => action
            .parse()
            .and_then(|action| v201::Request::from_value(action, payload))
            .map(drop),
    }
}

fn id_token(token: &str) -> Value {
    json!({"idToken": token, "type": "ISO14443"})
}

fn cases() -> Vec<Case> {
    let now = "2024-05-01T10:00:00Z";
    let boot16 = |vendor: Value| json!({"chargePointVendor": vendor, "chargePointModel": "M1"});
    let start16 = |timestamp: &str| json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": timestamp});
    let profile16 = |limit: Value| {
        json!({"connectorId": 1, "csChargingProfiles": {"chargingProfileId": 1, "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
            "chargingSchedule": {"chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}]}}})
    };
    let needs201 = |soc: i64| {
        json!({"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "DC",
            "dcChargingParameters": {"evMaxCurrent": 100, "evMaxVoltage": 400, "stateOfCharge": soc}}})
    };
    vec![
        Case {
            what: "missing required member",
            version: OcppVersion::V16,
            action: "Authorize",
            payload: json!({}),
            pointer: "",
        },
        Case {
            what: "missing required nested member",
            version: OcppVersion::V201,
            action: "Authorize",
            payload: json!({"idToken": {"idToken": "A"}}),
            pointer: "/idToken",
        },
        Case {
            what: "wrong type (number for string)",
            version: OcppVersion::V16,
            action: "BootNotification",
            payload: boot16(json!(5)),
            pointer: "/chargePointVendor",
        },
        Case {
            what: "wrong type (string for integer)",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: json!({"connectorId": "1", "idTag": "A", "meterStart": 0, "timestamp": now}),
            pointer: "/connectorId",
        },
        Case {
            what: "wrong type (fraction for integer)",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: json!({"connectorId": 1, "idTag": "A", "meterStart": 1.5, "timestamp": now}),
            pointer: "/meterStart",
        },
        Case {
            what: "wrong type (string for number)",
            version: OcppVersion::V16,
            action: "SetChargingProfile",
            payload: profile16(json!("16.0")),
            pointer: "/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0/limit",
        },
        Case {
            what: "wrong type (array for object)",
            version: OcppVersion::V16,
            action: "Authorize",
            payload: json!(["A"]),
            pointer: "",
        },
        Case {
            what: "wrong type (object for enumeration)",
            version: OcppVersion::V16,
            action: "ChangeAvailability",
            payload: json!({"connectorId": 0, "type": {"Operative": null}}),
            pointer: "/type",
        },
        Case {
            what: "null for an optional member",
            version: OcppVersion::V16,
            action: "StopTransaction",
            payload: json!({"meterStop": 1, "timestamp": now, "transactionId": 1, "reason": null}),
            pointer: "/reason",
        },
        Case {
            what: "null for an optional 2.0.1 member",
            version: OcppVersion::V201,
            action: "Authorize",
            payload: json!({"idToken": id_token("A"), "certificate": null}),
            pointer: "/certificate",
        },
        Case {
            what: "unknown enumeration value",
            version: OcppVersion::V201,
            action: "Reset",
            payload: json!({"type": "Hard"}),
            pointer: "/type",
        },
        Case {
            what: "enumeration value in the wrong case",
            version: OcppVersion::V16,
            action: "ChangeAvailability",
            payload: json!({"connectorId": 0, "type": "operative"}),
            pointer: "/type",
        },
        Case {
            what: "over-long string of multi-byte characters",
            version: OcppVersion::V16,
            action: "Authorize",
            payload: json!({"idTag": "é".repeat(21)}),
            pointer: "/idTag",
        },
        Case {
            what: "over-long 2.0.1 identifier",
            version: OcppVersion::V201,
            action: "Authorize",
            payload: json!({"idToken": id_token(&"€".repeat(37))}),
            pointer: "/idToken/idToken",
        },
        Case {
            what: "date-time without offset",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: start16("2024-05-01T10:00:00"),
            pointer: "/timestamp",
        },
        Case {
            what: "date-time with a space",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: start16("2024-05-01 10:00:00Z"),
            pointer: "/timestamp",
        },
        Case {
            what: "date-time with an hour-only offset",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: start16("2024-05-01T10:00:00+03"),
            pointer: "/timestamp",
        },
        Case {
            what: "date-time on no calendar day",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: start16("2023-02-29T10:00:00Z"),
            pointer: "/timestamp",
        },
        Case {
            what: "date-time with hour 24",
            version: OcppVersion::V16,
            action: "StartTransaction",
            payload: start16("2024-05-01T24:00:00Z"),
            pointer: "/timestamp",
        },
        Case {
            what: "empty array under minItems",
            version: OcppVersion::V16,
            action: "MeterValues",
            payload: json!({"connectorId": 1, "meterValue": []}),
            pointer: "/meterValue",
        },
        Case {
            what: "empty nested array under minItems",
            version: OcppVersion::V16,
            action: "MeterValues",
            payload: json!({"connectorId": 1, "meterValue": [{"timestamp": now, "sampledValue": []}]}),
            pointer: "/meterValue/0/sampledValue",
        },
        Case {
            what: "array over maxItems",
            version: OcppVersion::V201,
            action: "GetMonitoringReport",
            payload: json!({"requestId": 1, "monitoringCriteria": ["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring", "ThresholdMonitoring"]}),
            pointer: "/monitoringCriteria",
        },
        Case {
            what: "unknown member where the schema forbids extras",
            version: OcppVersion::V16,
            action: "Authorize",
            payload: json!({"idTag": "A", "connectorId": 1}),
            pointer: "/connectorId",
        },
        Case {
            what: "unknown nested member",
            version: OcppVersion::V201,
            action: "Authorize",
            payload: json!({"idToken": {"idToken": "A", "type": "Central", "extra": 1}}),
            pointer: "/idToken/extra",
        },
        Case {
            what: "customData on a 1.6 message",
            version: OcppVersion::V16,
            action: "Heartbeat",
            payload: json!({"customData": {"vendorId": "V"}}),
            pointer: "/customData",
        },
        Case {
            what: "customData without vendorId",
            version: OcppVersion::V201,
            action: "Heartbeat",
            payload: json!({"customData": {"x": 1}}),
            pointer: "/customData",
        },
        Case {
            what: "integer above maximum",
            version: OcppVersion::V201,
            action: "NotifyEVChargingNeeds",
            payload: needs201(101),
            pointer: "/chargingNeeds/dcChargingParameters/stateOfCharge",
        },
        Case {
            what: "integer below minimum",
            version: OcppVersion::V201,
            action: "NotifyEVChargingNeeds",
            payload: needs201(-1),
            pointer: "/chargingNeeds/dcChargingParameters/stateOfCharge",
        },
        Case {
            what: "number not a multiple of 0.1",
            version: OcppVersion::V16,
            action: "SetChargingProfile",
            payload: profile16(json!(16.05)),
            pointer: "/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0/limit",
        },
        Case {
            what: "relative reference where a URI is required",
            version: OcppVersion::V16,
            action: "GetDiagnostics",
            payload: json!({"location": "/var/log/diag"}),
            pointer: "/location",
        },
    ]
}

#[test]
fn every_constraint_violation_is_rejected_with_its_pointer() {
    let official = official_schemas().is_some();
    for case in cases() {
        let error = decode_request(case.version, case.action, &case.payload).expect_err(case.what);
        assert_eq!(
            error.pointer(),
            Some(case.pointer),
            "{}: {error}",
            case.what
        );
        if official {
            let errors =
                official_errors(case.version, case.action, Direction::Request, &case.payload);
            assert!(
                !errors.is_empty(),
                "{}: the official schema accepts it",
                case.what
            );
        }
    }
}

/// The boundaries themselves are valid, so the rejections above are not off by one.
#[test]
fn values_on_the_boundaries_are_accepted() {
    let now = "2024-05-01T10:00:00Z";
    let valid = [
        (
            OcppVersion::V16,
            "Authorize",
            json!({"idTag": "é".repeat(20)}),
        ),
        (
            OcppVersion::V201,
            "Authorize",
            json!({"idToken": id_token(&"€".repeat(36))}),
        ),
        (
            OcppVersion::V16,
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "2024-05-01t10:00:00.123456789z"}),
        ),
        (
            OcppVersion::V16,
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "2016-12-31T23:59:60Z"}),
        ),
        (
            OcppVersion::V16,
            "MeterValues",
            json!({"connectorId": 1, "meterValue": [{"timestamp": now, "sampledValue": [{"value": "1"}]}]}),
        ),
        (
            OcppVersion::V201,
            "GetMonitoringReport",
            json!({"requestId": 1, "monitoringCriteria": ["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"]}),
        ),
        (
            OcppVersion::V201,
            "NotifyEVChargingNeeds",
            json!({"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "DC", "dcChargingParameters": {"evMaxCurrent": 1, "evMaxVoltage": 1, "stateOfCharge": 100}}}),
        ),
        (
            OcppVersion::V16,
            "GetDiagnostics",
            json!({"location": "ftp://user@example.com/diag"}),
        ),
        (
            OcppVersion::V16,
            "BootNotification",
            json!({"chargePointVendor": "", "chargePointModel": ""}),
        ),
        (
            OcppVersion::V201,
            "DataTransfer",
            json!({"vendorId": "V", "data": null}),
        ),
    ];
    for (version, action, payload) in valid {
        if let Err(error) = decode_request(version, action, &payload) {
            panic!("{action} {payload}: {error}");
        }
        if official_schemas().is_some() {
            let errors = official_errors(version, action, Direction::Request, &payload);
            assert!(
                errors.is_empty(),
                "{action} {payload}: official schema says {errors:?}"
            );
        }
    }
}

#[test]
fn leap_second_only_at_the_end_of_a_utc_day() {
    let at = |timestamp: &str| json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": timestamp});
    assert!("StartTransaction"
        .parse()
        .and_then(|action| v16::Request::from_value(action, &at("2016-12-31T23:59:60Z")))
        .is_ok());
    assert!("StartTransaction"
        .parse()
        .and_then(|action| v16::Request::from_value(action, &at("2017-01-01T00:59:60+01:00")))
        .is_ok());
    assert!("StartTransaction"
        .parse()
        .and_then(|action| v16::Request::from_value(action, &at("2016-12-31T12:59:60Z")))
        .is_err());
}

fn reserve_now(id: &str) -> Value {
    serde_json::from_str(&format!(
        r#"{{"id": {id}, "expiryDateTime": "2024-05-01T10:00:00Z", "idToken": {{"idToken": "A", "type": "Central"}}}}"#
    ))
    .expect("JSON")
}

fn start_transaction(meter_start: &str) -> Value {
    serde_json::from_str(&format!(
        r#"{{"connectorId": 1, "idTag": "A", "meterStart": {meter_start}, "timestamp": "2024-05-01T10:00:00Z"}}"#
    ))
    .expect("JSON")
}

/// 2.0.1's draft-06 schemas count any integral number as an integer; 1.6's draft-04 schemas
/// want plain digits. Each version's types follow its own draft.
#[test]
fn integers_follow_each_versions_json_schema_draft() {
    let official = official_schemas().is_some();
    for (written, value) in [
        ("1.0", 1),
        ("1e2", 100),
        ("1E+2", 100),
        ("100.000", 100),
        ("700e-2", 7),
    ] {
        let payload = reserve_now(written);
        let request = "ReserveNow"
            .parse()
            .and_then(|action| v201::Request::from_value(action, &payload))
            .unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(request.to_value()["id"], json!(value), "{written}");
        if official {
            assert!(official_errors(
                OcppVersion::V201,
                "ReserveNow",
                Direction::Request,
                &payload
            )
            .is_empty());
        }
        let payload = start_transaction(written);
        let error = "StartTransaction"
            .parse()
            .and_then(|action| v16::Request::from_value(action, &payload))
            .expect_err(written);
        assert_eq!(error.pointer(), Some("/meterStart"));
        if official {
            assert!(!official_errors(
                OcppVersion::V16,
                "StartTransaction",
                Direction::Request,
                &payload
            )
            .is_empty());
        }
    }
    let error = "ReserveNow"
        .parse()
        .and_then(|action| v201::Request::from_value(action, &reserve_now("1.5")))
        .expect_err("fraction");
    assert_eq!(
        error.to_string(),
        "ReserveNow payload is invalid at /id: 1.5 is not an integer"
    );
}

/// The one deliberate limit: integers are `i64`. The schemas set no magnitude, so the official
/// validator accepts 2^64 where the types report it as out of range.
#[test]
fn integers_beyond_64_bits_are_rejected_by_name() {
    for version in [OcppVersion::V16, OcppVersion::V201] {
        let (action, payload, pointer) = match version {
            OcppVersion::V16 => (
                "StartTransaction",
                start_transaction("18446744073709551616"),
                "/meterStart",
            ),
            _ => ("ReserveNow", reserve_now("18446744073709551616"), "/id"),
        };
        let error = decode_request(version, action, &payload).expect_err("beyond i64");
        assert_eq!(error.pointer(), Some(pointer));
        if official_schemas().is_some() {
            assert!(official_errors(version, action, Direction::Request, &payload).is_empty());
        }
    }
    let error = decode_request(
        OcppVersion::V201,
        "ReserveNow",
        &reserve_now("18446744073709551616"),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("outside the 64-bit range"),
        "{error}"
    );
}
