//! A user's own serde types next to ocpp-model without its `lossless` feature: `flatten` and
//! `untagged` types holding `f64` decode (serde_json's `arbitrary_precision` breaks both), and
//! ocpp-model still reads decimals exactly, refusing the few numbers a binary float cannot tell
//! apart instead of guessing.

use ocpp_model::framing::Frame;
use ocpp_model::{v16, v201};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Reading {
    station: String,
    #[serde(flatten)]
    energy: Energy,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Energy {
    kwh: f64,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Limit {
    Amps(f64),
    Named(String),
}

#[test]
fn serde_json_keeps_its_default_number_and_map_types() {
    // With `arbitrary_precision` the number keeps its text ("1.10"); with `preserve_order`
    // the members keep their order. Neither may be switched on by depending on ocpp-model.
    let number: Value = serde_json::from_str("1.10").unwrap();
    assert_eq!(number.to_string(), "1.1");
    let object: Value = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
    assert_eq!(object.to_string(), r#"{"a":2,"b":1}"#);
}

#[test]
fn flatten_and_untagged_types_holding_f64_decode() {
    let reading: Reading = serde_json::from_str(r#"{"station":"CP-1","kwh":12.5}"#).unwrap();
    assert_eq!(
        reading,
        Reading {
            station: "CP-1".to_owned(),
            energy: Energy { kwh: 12.5 }
        }
    );
    let limits: Vec<Limit> = serde_json::from_str(r#"[16.0,"max"]"#).unwrap();
    assert_eq!(limits, [Limit::Amps(16.0), Limit::Named("max".to_owned())]);
}

#[test]
fn decimals_decode_exactly_and_frame_again() {
    let text = r#"[2,"7","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"2026-01-01T10:00:00Z","sampledValue":[{"value":12.345},{"value":-0.1}]}]}]"#;
    let Frame::Call(call) = text.parse::<v201::Frame>().unwrap() else {
        panic!("a CALL");
    };
    let request = call.decode::<v201::actions::MeterValues>().unwrap();
    let values: Vec<Decimal> = request.meter_value[0]
        .sampled_value
        .iter()
        .map(|sample| sample.value)
        .collect();
    assert_eq!(values, [Decimal::new(12_345, 3), Decimal::new(-1, 1)]);
    let framed = v201::Frame::from(call).to_string();
    assert!(framed.contains(r#""value":12.345"#), "{framed}");
}

#[test]
fn a_number_two_decimals_share_as_a_float_is_refused_with_the_remedy() {
    // -957014920816667.2 and -957014920816667.3 are the same f64: without `lossless` the
    // decoder cannot know which the sender wrote, and says so.
    let text = r#"[2,"8","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"2026-01-01T10:00:00Z","sampledValue":[{"value":-957014920816667.2}]}]}]"#;
    let Frame::Call(call) = text.parse::<v201::Frame>().unwrap() else {
        panic!("a CALL");
    };
    let error = call.decode::<v201::actions::MeterValues>().unwrap_err();
    let message = error.to_string();
    assert!(message.contains("lossless"), "{message}");
    assert_eq!(
        error.pointer(),
        Some("/meterValue/0/sampledValue/0/value"),
        "{message}"
    );
}

#[test]
fn version_1_6_messages_decode() {
    let text =
        r#"[2,"1","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"M1"}]"#;
    let Frame::Call(call) = text.parse::<v16::Frame>().unwrap() else {
        panic!("a CALL");
    };
    let boot = call.decode::<v16::actions::BootNotification>().unwrap();
    assert_eq!(boot.charge_point_model, "M1");
}
