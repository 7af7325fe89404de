//! OCPP 2.1 types: what differs from 2.0.1, the unconfirmed action, bounded decimals.
//! Alone: `cargo test -p ocpp-model --features v21 --test v21`; the workspace tests run it too.

use ocpp_model::framing::{Frame, FrameError, MessageTypeId};
use ocpp_model::{v16, v201, v21, Action, AnyErrorCode, AnyFrame, DecodeError, OcppVersion};
use serde_json::json;

#[test]
fn every_action_of_the_schemas_is_typed() {
    assert_eq!(v21::ActionName::ALL.len(), 91);
    let unconfirmed: Vec<_> = v21::ActionName::ALL
        .iter()
        .filter(|action| !action.has_response())
        .collect();
    assert_eq!(unconfirmed, [&v21::ActionName::NotifyPeriodicEventStream]);
}

#[test]
fn the_version_is_read_as_people_write_it() {
    for text in ["2.1", "ocpp2.1", "OCPP2.1", " 21 "] {
        assert_eq!(text.parse::<OcppVersion>(), Ok(OcppVersion::V21), "{text}");
    }
    assert_eq!(OcppVersion::V21.subprotocol(), "ocpp2.1");
    assert_eq!(v21::actions::Authorize::VERSION, OcppVersion::V21);
}

#[test]
fn an_id_token_holds_255_characters_in_2_1() {
    let payload =
        |length: usize| json!({"idToken": {"idToken": "x".repeat(length), "type": "Central"}});
    let action = v21::ActionName::Authorize;
    assert!(v21::Request::from_value(action, &payload(255)).is_ok());
    let error = v21::Request::from_value(action, &payload(256)).unwrap_err();
    assert_eq!(error.pointer(), Some("/idToken/idToken"));
}

#[test]
fn a_bounded_decimal_keeps_its_bounds_and_digits() {
    let request = |soc: serde_json::Value| {
        json!({
            "eventType": "BatteryIn", "requestId": 1,
            "idToken": {"idToken": "A1", "type": "Central"},
            "batteryData": [{"evseId": 1, "serialNumber": "B-7", "soC": soc, "soH": 99.5}]
        })
    };
    let action = v21::ActionName::BatterySwap;
    for inside in [json!(0), json!(100), json!(57.25)] {
        let decoded = v21::Request::from_value(action, &request(inside.clone()));
        assert!(decoded.is_ok(), "{inside}: {decoded:?}");
        assert_eq!(decoded.unwrap().to_value()["batteryData"][0]["soC"], inside);
    }
    for outside in [json!(-0.01), json!(100.5)] {
        let error = v21::Request::from_value(action, &request(outside.clone())).unwrap_err();
        assert_eq!(error.pointer(), Some("/batteryData/0/soC"), "{outside}");
    }
}

#[test]
fn the_unconfirmed_message_decodes_and_has_no_response() {
    // The payload of Part 4 §4.2.4's example, with `basetime`, which the schema requires and
    // the example omits.
    let text = r#"{"id":123,"pending":0,"basetime":"2024-08-27T12:30:40Z","data":[{"t":0,"v":"230.4"},{"t":5,"v":"230.2"}]}"#;
    let action = v21::ActionName::NotifyPeriodicEventStream;
    let v21::Request::NotifyPeriodicEventStream(message) =
        v21::Request::from_json(action, text).expect("valid")
    else {
        panic!("another action");
    };
    assert_eq!(message.data.len(), 2);
    let error = v21::Response::from_value(action, &json!({})).unwrap_err();
    assert!(matches!(
        error,
        DecodeError::NoResponse {
            action: "NotifyPeriodicEventStream"
        }
    ));
    assert!(v21::Response::validate(action, &json!({})).is_err());
}

#[test]
fn decoding_checks_what_the_2_0_1_layer_checks() {
    let action = v21::ActionName::Heartbeat;
    assert!(v21::Request::from_value(action, &json!({})).is_ok());
    let error = v21::Request::from_value(action, &json!({"extra": 1})).unwrap_err();
    assert_eq!(error.pointer(), Some("/extra"));
    let boot = v21::ActionName::BootNotification;
    let missing = v21::Request::from_value(boot, &json!({"reason": "PowerUp"})).unwrap_err();
    assert!(missing.to_string().contains("chargingStation"), "{missing}");
}

#[test]
fn send_and_callresulterror_are_frames_of_2_1_alone() {
    // Part 4 §4.2.4's SEND and a CALLRESULTERROR (§4.2.3), which 1.6 and 2.0.1 do not define.
    let send = r#"[6,"19223201","NotifyPeriodicEventStream",{"id":123,"pending":0,"basetime":"2024-08-27T12:30:40Z","data":[{"t":0,"v":"230.4"}]}]"#;
    let result_error = r#"[5,"162376037","FormatViolation","the CALLRESULT lacks idTokenInfo",{}]"#;
    let Frame::Send(call) = send.parse::<v21::Frame>().expect("a SEND") else {
        panic!("not read as SEND");
    };
    assert_eq!(call.action, "NotifyPeriodicEventStream");
    assert!(call
        .decode::<v21::actions::NotifyPeriodicEventStream>()
        .is_ok());
    let frame = result_error
        .parse::<v21::Frame>()
        .expect("a CALLRESULTERROR");
    let Frame::CallResultError(error) = &frame else {
        panic!("not read as CALLRESULTERROR");
    };
    assert_eq!(error.error_code, v21::ErrorCode::FormatViolation);
    assert_eq!(frame.message_type_id(), MessageTypeId::CallResultError);
    assert_eq!(frame.to_string(), result_error);
    assert_eq!(
        send.parse::<v21::Frame>().expect("a SEND").to_string(),
        send
    );

    let any = AnyFrame::parse(OcppVersion::V21, result_error).expect("a 2.1 frame");
    assert_eq!(
        any.error_code(),
        Some(AnyErrorCode::V21(v21::ErrorCode::FormatViolation))
    );
    assert_eq!(
        AnyFrame::parse(OcppVersion::V21, send)
            .expect("2.1")
            .action(),
        Some("NotifyPeriodicEventStream")
    );

    for text in [send, result_error] {
        let number = &text[1..2];
        let unknown = FrameError::UnknownMessageTypeId(number.to_owned());
        assert_eq!(text.parse::<v201::Frame>(), Err(unknown.clone()), "{text}");
        assert_eq!(text.parse::<v16::Frame>(), Err(unknown), "{text}");
    }
}

#[test]
fn each_version_names_its_actions_in_a_static_list() {
    let counts: Vec<usize> = ocpp_model::OcppVersion::ALL
        .iter()
        .map(|&version| {
            let names: &'static [&'static str] = version.action_names();
            for &name in names {
                assert_eq!(version.action(name).map(|info| info.name), Some(name));
            }
            assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "sorted");
            names.len()
        })
        .collect();
    assert_eq!(counts, [39, 64, 91]);
}
