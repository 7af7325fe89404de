//! The typed path through a frame: decoding a CALL or CALLRESULT as one action's payload,
//! building frames from typed payloads, the sum types' conversions, and the either-version
//! vocabulary (`OcppVersion`, `Sender`).

use ocpp_model::framing::{Call, CallResult, Frame, MessageId};
use ocpp_model::primitives::BoundedString;
use ocpp_model::{v16, v201, DecodeError, Initiator, OcppVersion, Sender};
use rust_decimal::Decimal;

fn call(text: &str) -> Call {
    match text.parse::<v201::Frame>() {
        Ok(Frame::Call(call)) => call,
        other => panic!("not a CALL: {other:?}"),
    }
}

#[test]
fn a_call_decodes_as_its_own_action() {
    let call = call(r#"[2,"a7","Authorize",{"idToken":{"idToken":"04A2B3C4","type":"ISO14443"}}]"#);
    let request = call
        .decode::<v201::actions::Authorize>()
        .expect("a valid Authorize");
    assert_eq!(request.id_token.id_token, "04A2B3C4");
}

#[test]
fn a_call_of_another_action_is_a_wrong_action_error() {
    let call = call(r#"[2,"h1","Heartbeat",{}]"#);
    let error = call.decode::<v201::actions::Authorize>().unwrap_err();
    assert_eq!(
        error,
        DecodeError::WrongAction {
            expected: "Authorize",
            found: "Heartbeat".to_owned(),
        }
    );
    assert_eq!(error.pointer(), None);
    assert_eq!(error.to_string(), "the CALL is Heartbeat, not Authorize");
}

#[test]
fn an_invalid_payload_names_the_pointer() {
    let long = "x".repeat(37);
    let call = call(&format!(
        r#"[2,"a8","Authorize",{{"idToken":{{"idToken":"{long}","type":"Central"}}}}]"#
    ));
    let error = call.decode::<v201::actions::Authorize>().unwrap_err();
    assert_eq!(error.pointer(), Some("/idToken/idToken"));
}

#[test]
fn a_decimal_keeps_its_digits_on_the_typed_path() {
    // -957014920816667.3 reaches a decoder reading a `Value` as an f64 that two decimals
    // print as; the typed path must settle it from the text, as `from_value` does.
    let call = call(
        r#"[2,"n1","NotifyEVChargingSchedule",{"evseId":0,"timeBase":"2024-05-01T10:00:00Z","chargingSchedule":{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":-957014920816667.3}]}}]"#,
    );
    let request = call
        .decode::<v201::actions::NotifyEVChargingSchedule>()
        .expect("valid");
    let expected: Decimal = "-957014920816667.3".parse().expect("decimal");
    assert_eq!(
        request.charging_schedule.charging_schedule_period[0].limit,
        expected
    );
}

#[test]
fn typed_frames_round_trip() {
    let request = v16::actions::AuthorizeRequest::new(BoundedString::new("04A2B3C4").unwrap());
    let call = Call::new_typed::<v16::actions::Authorize>(MessageId::new("1").unwrap(), &request);
    assert_eq!(
        v16::Frame::from(call.clone()).to_string(),
        r#"[2,"1","Authorize",{"idTag":"04A2B3C4"}]"#
    );
    assert_eq!(call.decode::<v16::actions::Authorize>(), Ok(request));

    let response = v201::actions::HeartbeatResponse::new("2024-05-01T10:00:00Z".parse().unwrap());
    let result =
        CallResult::new_typed::<v201::actions::Heartbeat>(MessageId::new("2").unwrap(), &response);
    assert_eq!(
        v201::Frame::from(result.clone()).to_string(),
        r#"[3,"2",{"currentTime":"2024-05-01T10:00:00Z"}]"#
    );
    assert_eq!(result.decode::<v201::actions::Heartbeat>(), Ok(response));
}

#[test]
fn a_sum_type_converts_back_to_the_payload_it_holds() {
    let request = v16::actions::AuthorizeRequest::new(BoundedString::new("T-1").unwrap());
    let any = v16::Request::from(request.clone());
    assert_eq!(v16::actions::AuthorizeRequest::try_from(any), Ok(request));

    let heartbeat = v16::Request::from(v16::actions::HeartbeatRequest::new());
    let back = v16::actions::AuthorizeRequest::try_from(heartbeat.clone());
    assert_eq!(back, Err(heartbeat));
}

#[test]
fn versions_parse_from_the_spellings_in_use() {
    for (text, version) in [
        ("1.6", OcppVersion::V16),
        ("ocpp1.6", OcppVersion::V16),
        (" 1.6J ", OcppVersion::V16),
        ("1.6-j", OcppVersion::V16),
        ("16", OcppVersion::V16),
        ("2.0.1", OcppVersion::V201),
        ("OCPP2.0.1", OcppVersion::V201),
        ("201", OcppVersion::V201),
    ] {
        assert_eq!(text.parse::<OcppVersion>(), Ok(version), "{text:?}");
    }
    for text in ["", "2.0", "1.5", "2.2", "ocpp", "1.6.1"] {
        let error = text.parse::<OcppVersion>().unwrap_err();
        assert!(
            error.to_string().starts_with("unknown OCPP version"),
            "{text:?}"
        );
    }
    for version in OcppVersion::ALL {
        assert_eq!(version.subprotocol().parse::<OcppVersion>(), Ok(*version));
    }
}

#[test]
fn versions_serialize_as_written_and_deserialize_any_spelling() {
    assert_eq!(
        serde_json::to_string(&OcppVersion::V201).unwrap(),
        r#""2.0.1""#
    );
    assert_eq!(
        serde_json::from_str::<OcppVersion>(r#""ocpp1.6""#).unwrap(),
        OcppVersion::V16
    );
    let expected = if cfg!(feature = "v21") {
        "1.6, 2.0.1 or 2.1"
    } else {
        "1.6 or 2.0.1"
    };
    let error = serde_json::from_str::<OcppVersion>(r#""1.7""#).unwrap_err();
    assert!(
        error.to_string().contains(&format!(
            "unknown OCPP version \"1.7\" (expected {expected})"
        )),
        "{error}"
    );
}

#[test]
fn senders_name_trace_directions_and_initiators_admit_them() {
    for sender in [Sender::ChargingStation, Sender::Csms] {
        assert_eq!(
            Sender::from_trace_direction(sender.trace_direction()),
            Some(sender)
        );
        assert_ne!(sender.peer(), sender);
        assert_eq!(sender.peer().peer(), sender);
        assert!(Initiator::Either.allows(sender));
    }
    assert_eq!(Sender::from_trace_direction("up"), None);
    assert!(Initiator::Csms.allows(Sender::Csms));
    assert!(!Initiator::Csms.allows(Sender::ChargingStation));
    assert!(!Initiator::ChargingStation.allows(Sender::Csms));
}
