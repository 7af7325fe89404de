//! Integration tests for `ocpp_model::framing` and the per-version CALLERROR error codes.

use std::fmt::Debug;

use arbitrary::{Arbitrary, Unstructured};
use ocpp_model::framing::{
    Call, CallError, CallResult, Frame, FrameError, MessageId, MessageTypeId, RpcErrorCode,
};
use ocpp_model::{v16, v201};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

type Frame16 = Frame<v16::ErrorCode>;
type Frame201 = Frame<v201::ErrorCode>;

/// Parses a JSON object literal used as a payload.
fn object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("test payload {text} is not an object: {other:?}"),
    }
}

/// Builds a message id the test knows to be valid.
fn id(text: &str) -> MessageId {
    MessageId::new(text).expect("test message id is valid")
}

/// Decodes `text`, checks the decoded frame equals `expected`, and that every encoding
/// path gives `compact` back and decodes to the same frame.
fn assert_round_trip<E: RpcErrorCode>(text: &str, compact: &str, expected: &Frame<E>) {
    let decoded = Frame::<E>::from_str(text).expect("frame decodes");
    assert_eq!(&decoded, expected);
    assert_eq!(decoded.to_string(), compact);
    assert_eq!(
        serde_json::to_string(&decoded).expect("serializes"),
        compact
    );
    assert_eq!(
        decoded.to_value(),
        serde_json::from_str::<Value>(compact).expect("compact text is JSON")
    );
    assert_eq!(Frame::<E>::from_str(compact).as_ref(), Ok(expected));
    assert_eq!(text.parse::<Frame<E>>().as_ref(), Ok(expected));
    assert_eq!(
        Frame::<E>::from_slice(compact.as_bytes()).as_ref(),
        Ok(expected)
    );
    assert_eq!(
        Frame::<E>::from_value(decoded.to_value()).as_ref(),
        Ok(expected)
    );
    assert_eq!(
        serde_json::from_str::<Frame<E>>(compact).expect("deserializes"),
        *expected
    );
}

// ---------------------------------------------------------------- round trips

#[test]
fn call_round_trips_v16() {
    let text = r#"[2,
        "19223201",
        "BootNotification",
        {"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}
    ]"#;
    let compact = r#"[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]"#;
    let expected = Frame16::Call(Call::new(
        id("19223201"),
        "BootNotification",
        object(r#"{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}"#),
    ));
    assert_round_trip(text, compact, &expected);
    assert_eq!(expected.message_type_id(), MessageTypeId::Call);
    assert_eq!(expected.message_id().as_str(), "19223201");
}

#[test]
fn call_result_round_trips_v16() {
    let text = r#"[3, "19223201", {"status":"Accepted", "currentTime":"2013-02-01T20:53:32.486Z", "heartbeatInterval":300}]"#;
    let compact = r#"[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","heartbeatInterval":300}]"#;
    let expected = Frame16::CallResult(CallResult::new(
        id("19223201"),
        object(
            r#"{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","heartbeatInterval":300}"#,
        ),
    ));
    assert_round_trip(text, compact, &expected);
    assert_eq!(expected.message_type_id(), MessageTypeId::CallResult);
}

#[test]
fn call_error_round_trips_v16() {
    let text = r#"[4, "162376037", "NotSupported", "SendLocalList.req not implemented", {}]"#;
    let compact = r#"[4,"162376037","NotSupported","SendLocalList.req not implemented",{}]"#;
    let error = CallError::new(
        id("162376037"),
        v16::ErrorCode::NotSupported,
        "SendLocalList.req not implemented",
        Map::new(),
    )
    .expect("valid call error");
    assert_eq!(
        error.error_description(),
        "SendLocalList.req not implemented"
    );
    let expected = Frame16::CallError(error);
    assert_round_trip(text, compact, &expected);
    assert_eq!(expected.message_type_id(), MessageTypeId::CallError);
    assert_eq!(expected.message_id().as_str(), "162376037");
}

#[test]
fn every_v16_error_code_round_trips_in_a_call_error() {
    for &code in v16::ErrorCode::ALL {
        let compact = format!(r#"[4,"1","{}","",{{"why":[1,2.50]}}]"#, code.as_str());
        let expected = Frame16::CallError(
            CallError::new(id("1"), code, "", object(r#"{"why":[1,2.50]}"#)).expect("valid"),
        );
        assert_round_trip(&compact, &compact, &expected);
    }
}

#[test]
fn call_round_trips_v201() {
    let text = r#"[2,
        "19223201",
        "BootNotification",
        {
          "reason": "PowerUp",
          "chargingStation": {
              "model": "SingleSocketCharger",
              "vendorName": "VendorX"
          }
        }
    ]"#;
    let compact = r#"[2,"19223201","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"SingleSocketCharger","vendorName":"VendorX"}}]"#;
    let expected = Frame201::Call(Call::new(
        id("19223201"),
        "BootNotification",
        object(
            r#"{"reason":"PowerUp","chargingStation":{"model":"SingleSocketCharger","vendorName":"VendorX"}}"#,
        ),
    ));
    assert_round_trip(text, compact, &expected);
}

#[test]
fn call_result_round_trips_v201() {
    let text = r#"[3, "19223201", {"currentTime": "2013-02-01T20:53:32.486Z", "interval": 300, "status": "Accepted"}]"#;
    let compact = r#"[3,"19223201",{"currentTime":"2013-02-01T20:53:32.486Z","interval":300,"status":"Accepted"}]"#;
    let expected = Frame201::CallResult(CallResult::new(
        id("19223201"),
        object(r#"{"currentTime":"2013-02-01T20:53:32.486Z","interval":300,"status":"Accepted"}"#),
    ));
    assert_round_trip(text, compact, &expected);
}

#[test]
fn call_error_round_trips_v201() {
    let text =
        r#"[4, "162376037", "NotSupported", "SetDisplayMessageRequest not implemented", {}]"#;
    let compact = r#"[4,"162376037","NotSupported","SetDisplayMessageRequest not implemented",{}]"#;
    let expected = Frame201::CallError(
        CallError::new(
            id("162376037"),
            v201::ErrorCode::NotSupported,
            "SetDisplayMessageRequest not implemented",
            Map::new(),
        )
        .expect("valid call error"),
    );
    assert_round_trip(text, compact, &expected);
}

#[test]
fn every_v201_error_code_round_trips_in_a_call_error() {
    for &code in v201::ErrorCode::ALL {
        let compact = format!(r#"[4,"-1","{}","d",{{}}]"#, code.as_str());
        let expected =
            Frame201::CallError(CallError::new(id("-1"), code, "d", Map::new()).expect("valid"));
        assert_round_trip(&compact, &compact, &expected);
    }
}

#[test]
fn numbers_keep_their_digits_and_members_keep_their_order() {
    // Digits, trailing zeros, `-0` and out-of-range magnitudes survive; serde_json only
    // spells the exponent as `e` with an explicit sign.
    let compact = r#"[3,"n",{"z":1.50,"a":1e400,"m":-0,"big":123456789012345678901234567890,"e":2E-7,"s":"\u00e9\n"}]"#;
    let frame = Frame201::from_str(compact).expect("decodes");
    let Frame::CallResult(result) = &frame else {
        panic!("expected a CALLRESULT, got {frame:?}");
    };
    let keys: Vec<&str> = result.payload.keys().map(String::as_str).collect();
    assert_eq!(keys, ["z", "a", "m", "big", "e", "s"]);
    assert_eq!(
        frame.to_string(),
        r#"[3,"n",{"z":1.50,"a":1e+400,"m":-0,"big":123456789012345678901234567890,"e":2e-7,"s":"é\n"}]"#
    );
    assert_eq!(Frame201::from_str(&frame.to_string()), Ok(frame));
}

#[test]
fn empty_payloads_and_empty_strings_are_accepted() {
    let frame = Frame16::from_str(r#"[2,"","",{}]"#).expect("decodes");
    assert_eq!(frame, Frame16::Call(Call::new(id(""), "", Map::new())));
    assert_eq!(frame.to_string(), r#"[2,"","",{}]"#);
}

#[test]
fn frames_convert_from_their_parts() {
    let call = Call::new(id("a"), "Heartbeat", Map::new());
    assert_eq!(Frame16::from(call.clone()), Frame16::Call(call));
    let result = CallResult::new(id("a"), object(r#"{"currentTime":"2024-01-01T00:00:00Z"}"#));
    assert_eq!(
        Frame201::from(result.clone()).to_string(),
        r#"[3,"a",{"currentTime":"2024-01-01T00:00:00Z"}]"#
    );
    let error = CallError::new(id("a"), v201::ErrorCode::RpcFrameworkError, "x", Map::new())
        .expect("valid");
    assert_eq!(
        Frame201::from(error).to_value(),
        json!([4, "a", "RpcFrameworkError", "x", {}])
    );
}

// ---------------------------------------------------------------- message id

#[test]
fn message_id_counts_characters_not_bytes() {
    let thirty_six = "é".repeat(36);
    assert_eq!(thirty_six.len(), 72);
    let ok = MessageId::new(thirty_six.clone()).expect("36 characters are allowed");
    assert_eq!(ok.as_str(), thirty_six);

    let emoji = "🔌".repeat(36);
    assert_eq!(
        MessageId::new(emoji.clone()).map(MessageId::into_string),
        Ok(emoji)
    );

    assert_eq!(
        MessageId::new("é".repeat(37)),
        Err(FrameError::MessageIdTooLong { length: 37 })
    );
    assert_eq!(
        MessageId::new("x".repeat(37)),
        Err(FrameError::MessageIdTooLong { length: 37 })
    );
    assert_eq!(MessageId::MAX_CHARS, 36);

    let frame = Frame16::from_str(&format!(r#"[3,"{thirty_six}",{{}}]"#)).expect("decodes");
    assert_eq!(frame.message_id().as_str(), thirty_six);
    assert_eq!(
        Frame16::from_str(&format!(r#"[3,"{}",{{}}]"#, "é".repeat(37))),
        Err(FrameError::MessageIdTooLong { length: 37 })
    );
}

#[test]
fn message_id_accepts_empty_and_uuid() {
    assert_eq!(id("").as_str(), "");
    let uuid = "4f1c6a2e-9d3b-4e8a-b5c7-0a1b2c3d4e5f";
    assert_eq!(uuid.chars().count(), 36);
    let message_id = id(uuid);
    assert_eq!(message_id.to_string(), uuid);
    assert_eq!(message_id.as_ref(), uuid);
    assert_eq!(String::from(message_id.clone()), uuid);
    assert_eq!(MessageId::try_from(uuid.to_owned()), Ok(message_id.clone()));
    assert_eq!(MessageId::try_from(uuid), Ok(message_id.clone()));
    assert_eq!(uuid.parse::<MessageId>(), Ok(message_id));
}

#[test]
fn message_id_serde_applies_the_same_limit() {
    let ok: MessageId = serde_json::from_value(json!("é".repeat(36))).expect("36 characters");
    assert_eq!(
        serde_json::to_value(&ok).expect("serializes"),
        json!("é".repeat(36))
    );
    let too_long = serde_json::from_value::<MessageId>(json!("é".repeat(37)))
        .expect_err("37 characters are rejected");
    assert_eq!(
        too_long.to_string(),
        "message id at index 1 has 37 characters, at most 36 are allowed"
    );
    assert!(serde_json::from_value::<MessageId>(json!(5)).is_err());
}

// ---------------------------------------------------------------- message type id

#[test]
fn message_type_ids_match_the_spec_numbers() {
    assert_eq!(MessageTypeId::Call.as_u8(), 2);
    assert_eq!(MessageTypeId::CallResult.as_u8(), 3);
    assert_eq!(MessageTypeId::CallError.as_u8(), 4);
    assert_eq!(u8::from(MessageTypeId::CallError), 4);
    assert_eq!(MessageTypeId::try_from(2_u64), Ok(MessageTypeId::Call));
    assert_eq!(MessageTypeId::try_from(3_u8), Ok(MessageTypeId::CallResult));
    assert_eq!(MessageTypeId::try_from(4_u64), Ok(MessageTypeId::CallError));
    assert_eq!(
        MessageTypeId::try_from(1_u64),
        Err(FrameError::UnknownMessageTypeId("1".to_owned()))
    );
    // OCPP 2.1 Part 4 §4.1.3 Table 3 numbers the two new types; versions without them refuse
    // such frames (see `rejects_unknown_message_type_ids_as_written`).
    assert_eq!(
        MessageTypeId::try_from(5_u8),
        Ok(MessageTypeId::CallResultError)
    );
    assert_eq!(MessageTypeId::try_from(6_u64), Ok(MessageTypeId::Send));
    assert_eq!(
        MessageTypeId::try_from(7_u8),
        Err(FrameError::UnknownMessageTypeId("7".to_owned()))
    );
    assert_eq!(
        MessageTypeId::ALL,
        [
            MessageTypeId::Call,
            MessageTypeId::CallResult,
            MessageTypeId::CallError,
            MessageTypeId::CallResultError,
            MessageTypeId::Send
        ]
    );
    let arities: Vec<usize> = MessageTypeId::ALL.iter().map(|t| t.arity()).collect();
    assert_eq!(arities, [4, 3, 5, 5, 4]);
    let names: Vec<String> = MessageTypeId::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        ["CALL", "CALLRESULT", "CALLERROR", "CALLRESULTERROR", "SEND"]
    );
    assert_eq!(
        <v16::ErrorCode as RpcErrorCode>::MESSAGE_TYPES,
        &MessageTypeId::ALL[..3]
    );
    assert_eq!(
        <v201::ErrorCode as RpcErrorCode>::MESSAGE_TYPES,
        &MessageTypeId::ALL[..3]
    );
    assert_eq!(
        serde_json::to_string(&MessageTypeId::CallResult).expect("ser"),
        "3"
    );
    assert_eq!(
        serde_json::from_str::<MessageTypeId>("4").expect("de"),
        MessageTypeId::CallError
    );
    assert!(serde_json::from_str::<MessageTypeId>("7").is_err());
}

// ---------------------------------------------------------------- error codes

/// Checks a version's table: spelling, order, serde and `from_wire` agree.
fn assert_error_code_table<E>(expected: &[&str])
where
    E: RpcErrorCode + serde::Serialize + serde::de::DeserializeOwned + Debug,
{
    let spelled: Vec<&str> = E::ALL.iter().map(RpcErrorCode::as_str).collect();
    assert_eq!(spelled, expected);
    for &code in E::ALL {
        assert_eq!(E::from_wire(code.as_str()), Some(code));
        let json = serde_json::to_value(code).expect("serializes");
        assert_eq!(json, Value::String(code.as_str().to_owned()));
        assert_eq!(
            serde_json::from_value::<E>(json).expect("deserializes"),
            code
        );
        assert_eq!(E::from_wire(&code.as_str().to_lowercase()), None);
        let map_form = json!({ code.as_str(): null });
        assert!(serde_json::from_value::<E>(map_form).is_err());
    }
    assert_eq!(E::from_wire("Error"), None);
    assert!(serde_json::from_value::<E>(json!("Error")).is_err());
}

#[test]
fn v16_error_codes_are_the_ocpp_j_16_table() {
    assert_error_code_table::<v16::ErrorCode>(&[
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    ]);
    assert_eq!(v16::ErrorCode::MAX_ERROR_DESCRIPTION_CHARS, None);
    assert_eq!(
        v16::ErrorCode::FormationViolation.to_string(),
        "FormationViolation"
    );
}

#[test]
fn v201_error_codes_are_the_part_4_table() {
    assert_error_code_table::<v201::ErrorCode>(&[
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    ]);
    assert_eq!(v201::ErrorCode::MAX_ERROR_DESCRIPTION_CHARS, Some(255));
    assert_eq!(
        v201::ErrorCode::RpcFrameworkError.to_string(),
        "RpcFrameworkError"
    );
}

#[test]
fn versions_reject_each_others_spellings() {
    for other in [
        "FormatViolation",
        "OccurrenceConstraintViolation",
        "MessageTypeNotSupported",
        "RpcFrameworkError",
    ] {
        let text = format!(r#"[4,"1","{other}","",{{}}]"#);
        let error = Frame16::from_str(&text).expect_err("not a 1.6 code");
        assert_eq!(error, FrameError::UnknownErrorCode(other.to_owned()));
        assert_eq!(error.rule(), "error-code-unknown");
        assert_eq!(v16::ErrorCode::from_wire(other), None);
    }
    for other in ["FormationViolation", "OccurenceConstraintViolation"] {
        let text = format!(r#"[4,"1","{other}","",{{}}]"#);
        let error = Frame201::from_str(&text).expect_err("not a 2.0.1 code");
        assert_eq!(error, FrameError::UnknownErrorCode(other.to_owned()));
        assert_eq!(v201::ErrorCode::from_wire(other), None);
    }
    assert!(serde_json::from_value::<v16::ErrorCode>(json!("FormatViolation")).is_err());
    assert!(serde_json::from_value::<v201::ErrorCode>(json!("FormationViolation")).is_err());
}

// ---------------------------------------------------------------- error description limit

#[test]
fn v201_error_description_is_limited_to_255_characters() {
    let fits = "é".repeat(255);
    let error = CallError::new(
        id("1"),
        v201::ErrorCode::GenericError,
        fits.clone(),
        Map::new(),
    )
    .expect("255 characters are allowed");
    assert_eq!(error.error_description(), fits);
    let text = format!(r#"[4,"1","GenericError","{fits}",{{}}]"#);
    assert_eq!(
        Frame201::from_str(&text),
        Ok(Frame::CallError(error.clone()))
    );

    let too_long = "é".repeat(256);
    let expected = FrameError::ErrorDescriptionTooLong {
        length: 256,
        max: 255,
    };
    assert_eq!(
        CallError::new(
            id("1"),
            v201::ErrorCode::GenericError,
            too_long.clone(),
            Map::new()
        ),
        Err(expected.clone())
    );
    let mut kept = error.clone();
    assert_eq!(
        kept.set_error_description(too_long.clone()),
        Err(expected.clone())
    );
    assert_eq!(kept, error);
    assert_eq!(kept.set_error_description("short"), Ok(()));
    assert_eq!(kept.error_description(), "short");

    let text = format!(r#"[4,"1","GenericError","{too_long}",{{}}]"#);
    assert_eq!(Frame201::from_str(&text), Err(expected));
}

#[test]
fn v16_error_description_has_no_limit() {
    let long = "x".repeat(1000);
    let text = format!(r#"[4,"1","GenericError","{long}",{{}}]"#);
    let frame = Frame16::from_str(&text).expect("1.6 sets no limit");
    let Frame::CallError(error) = frame else {
        panic!("expected a CALLERROR");
    };
    assert_eq!(error.error_description(), long);
}

// ---------------------------------------------------------------- one test per FrameError variant

/// Decodes `text` as a 2.0.1 frame and checks the exact error, rule and index.
fn assert_rejects(text: &str, expected: FrameError, rule: &str, index: Option<usize>) {
    let error = Frame201::from_str(text).expect_err("frame must be rejected");
    assert_eq!(error, expected, "decoding {text}");
    assert_eq!(error.rule(), rule);
    assert_eq!(error.index(), index);
    let from_slice = Frame201::from_slice(text.as_bytes()).expect_err("rejected as bytes too");
    assert_eq!(from_slice, expected);
}

#[test]
fn rejects_text_that_is_not_json() {
    assert_rejects(
        r#"[2,"1","Heartbeat",{}"#,
        FrameError::NotJson {
            line: 1,
            column: 21,
            message: "EOF while parsing a list".to_owned(),
        },
        "frame-not-json",
        None,
    );
    assert_rejects(
        "",
        FrameError::NotJson {
            line: 1,
            column: 0,
            message: "EOF while parsing a value".to_owned(),
        },
        "frame-not-json",
        None,
    );
    assert_rejects(
        "[3,\"1\",{}]\n[3,\"2\",{}]",
        FrameError::NotJson {
            line: 2,
            column: 1,
            message: "trailing characters".to_owned(),
        },
        "frame-not-json",
        None,
    );
    let invalid_utf8 = Frame201::from_slice(b"[3,\"\xff\",{}]").expect_err("bad UTF-8");
    assert_eq!(invalid_utf8.rule(), "frame-not-json");
}

#[test]
fn rejects_deep_nesting_without_overflowing_the_stack() {
    let deep = format!(
        "[3,\"1\",{}{}]",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let error = Frame201::from_str(&deep).expect_err("too deep");
    assert_eq!(error.rule(), "frame-not-json");
    let FrameError::NotJson { message, .. } = error else {
        panic!("expected NotJson");
    };
    assert_eq!(message, "recursion limit exceeded");
}

#[test]
fn rejects_a_frame_that_is_not_an_array() {
    assert_rejects(
        r#"{"messageTypeId":2}"#,
        FrameError::NotAnArray { found: "object" },
        "frame-not-an-array",
        None,
    );
    assert_eq!(
        Frame16::from_value(json!("text")),
        Err(FrameError::NotAnArray { found: "string" })
    );
}

#[test]
fn rejects_an_empty_array() {
    assert_rejects("[]", FrameError::EmptyArray, "frame-empty-array", Some(0));
}

#[test]
fn rejects_a_message_type_id_that_is_not_a_number() {
    assert_rejects(
        r#"["2","1","Heartbeat",{}]"#,
        FrameError::MessageTypeIdNotANumber { found: "string" },
        "message-type-id-not-a-number",
        Some(0),
    );
    assert_rejects(
        "[null]",
        FrameError::MessageTypeIdNotANumber { found: "null" },
        "message-type-id-not-a-number",
        Some(0),
    );
}

#[test]
fn rejects_unknown_message_type_ids_as_written() {
    // serde_json keeps a number's digits but writes its exponent as `e` with a sign.
    let cases = [
        ("1", "1"),
        ("5", "5"),
        ("6", "6"),
        ("0", "0"),
        ("-2", "-2"),
        ("2.0", "2.0"),
        ("2e0", "2e+0"),
        ("2E0", "2e+0"),
        ("3.5", "3.5"),
        ("99999999999999999999999", "99999999999999999999999"),
    ];
    for (written, reported) in cases {
        assert_rejects(
            &format!(r#"[{written},"1","Heartbeat",{{}}]"#),
            FrameError::UnknownMessageTypeId(reported.to_owned()),
            "message-type-id-unknown",
            Some(0),
        );
    }
}

#[test]
fn rejects_the_wrong_number_of_elements() {
    let cases = [
        (r#"[2,"5","Heartbeat"]"#, MessageTypeId::Call, 4, 3),
        (r#"[2,"5","Heartbeat",{},{}]"#, MessageTypeId::Call, 4, 5),
        (r#"[2,"5",{},"Heartbeat",{}]"#, MessageTypeId::Call, 4, 5),
        (r#"[3,"5"]"#, MessageTypeId::CallResult, 3, 2),
        (r#"[3,"5",{},{}]"#, MessageTypeId::CallResult, 3, 4),
        (
            r#"[4,"5","GenericError",{}]"#,
            MessageTypeId::CallError,
            5,
            4,
        ),
        (
            r#"[4,"5","GenericError","",{},{}]"#,
            MessageTypeId::CallError,
            5,
            6,
        ),
        // Arity is checked before the members, so a bad message id is not reported here.
        ("[2]", MessageTypeId::Call, 4, 1),
        ("[3,7]", MessageTypeId::CallResult, 3, 2),
    ];
    for (text, message_type, expected, found) in cases {
        assert_eq!(message_type.arity(), expected);
        assert_rejects(
            text,
            FrameError::WrongArity {
                message_type,
                expected,
                found,
            },
            "frame-wrong-arity",
            None,
        );
    }
}

#[test]
fn rejects_a_message_id_that_is_not_a_string() {
    assert_rejects(
        r#"[2,19223201,"Heartbeat",{}]"#,
        FrameError::MessageIdNotAString { found: "number" },
        "message-id-not-a-string",
        Some(1),
    );
    // The message id is checked before any later member.
    assert_rejects(
        "[4,null,1,2,3]",
        FrameError::MessageIdNotAString { found: "null" },
        "message-id-not-a-string",
        Some(1),
    );
}

#[test]
fn rejects_a_message_id_longer_than_36_characters() {
    assert_rejects(
        &format!(r#"[3,"{}",{{}}]"#, "a".repeat(37)),
        FrameError::MessageIdTooLong { length: 37 },
        "message-id-too-long",
        Some(1),
    );
}

#[test]
fn rejects_an_action_that_is_not_a_string() {
    assert_rejects(
        r#"[2,"1",null,{}]"#,
        FrameError::ActionNotAString { found: "null" },
        "action-not-a-string",
        Some(2),
    );
    // The action is checked before the payload.
    assert_rejects(
        r#"[2,"1",["Heartbeat"],7]"#,
        FrameError::ActionNotAString { found: "array" },
        "action-not-a-string",
        Some(2),
    );
}

#[test]
fn rejects_a_payload_that_is_not_an_object() {
    assert_rejects(
        r#"[2,"1","Heartbeat",null]"#,
        FrameError::PayloadNotAnObject {
            index: 3,
            found: "null",
        },
        "payload-not-an-object",
        Some(3),
    );
    assert_rejects(
        r#"[3,"1",[]]"#,
        FrameError::PayloadNotAnObject {
            index: 2,
            found: "array",
        },
        "payload-not-an-object",
        Some(2),
    );
    assert_rejects(
        r#"[3,"1",true]"#,
        FrameError::PayloadNotAnObject {
            index: 2,
            found: "boolean",
        },
        "payload-not-an-object",
        Some(2),
    );
}

#[test]
fn rejects_an_error_code_that_is_not_a_string() {
    assert_rejects(
        r#"[4,"1",42,"",{}]"#,
        FrameError::ErrorCodeNotAString { found: "number" },
        "error-code-not-a-string",
        Some(2),
    );
}

#[test]
fn rejects_an_unknown_error_code() {
    assert_rejects(
        r#"[4,"1","Error","",{}]"#,
        FrameError::UnknownErrorCode("Error".to_owned()),
        "error-code-unknown",
        Some(2),
    );
    assert_rejects(
        r#"[4,"1","genericError","",{}]"#,
        FrameError::UnknownErrorCode("genericError".to_owned()),
        "error-code-unknown",
        Some(2),
    );
}

#[test]
fn rejects_an_error_description_that_is_not_a_string() {
    assert_rejects(
        r#"[4,"1","GenericError",null,{}]"#,
        FrameError::ErrorDescriptionNotAString { found: "null" },
        "error-description-not-a-string",
        Some(3),
    );
}

#[test]
fn rejects_an_error_description_over_the_version_limit() {
    assert_rejects(
        &format!(r#"[4,"1","GenericError","{}",{{}}]"#, "d".repeat(300)),
        FrameError::ErrorDescriptionTooLong {
            length: 300,
            max: 255,
        },
        "error-description-too-long",
        Some(3),
    );
    // The description (index 3) is checked before the details (index 4).
    assert_rejects(
        &format!(r#"[4,"1","GenericError","{}",null]"#, "d".repeat(256)),
        FrameError::ErrorDescriptionTooLong {
            length: 256,
            max: 255,
        },
        "error-description-too-long",
        Some(3),
    );
}

#[test]
fn rejects_error_details_that_are_not_an_object() {
    assert_rejects(
        r#"[4,"1","GenericError","","details"]"#,
        FrameError::ErrorDetailsNotAnObject { found: "string" },
        "error-details-not-an-object",
        Some(4),
    );
    assert_rejects(
        r#"[4,"1","GenericError","",null]"#,
        FrameError::ErrorDetailsNotAnObject { found: "null" },
        "error-details-not-an-object",
        Some(4),
    );
}

#[test]
fn serde_deserialize_reports_the_frame_error() {
    let error = serde_json::from_str::<Frame201>(r#"[2,"1","Heartbeat",null]"#)
        .expect_err("payload must be an object");
    assert_eq!(
        error.to_string(),
        "payload at index 3 must be a JSON object, found null"
    );
}

#[test]
fn frame_error_messages() {
    let cases: [(&str, &str); 15] = [
        ("frame-not-json", r#"[2,"1","Heartbeat",{}"#),
        ("frame-not-an-array", r#"{"messageTypeId":2}"#),
        ("frame-empty-array", "[]"),
        (
            "message-type-id-not-a-number",
            r#"["2","1","Heartbeat",{}]"#,
        ),
        ("message-type-id-unknown", r#"[2.0,"1","Heartbeat",{}]"#),
        ("frame-wrong-arity", r#"[2,"5","Heartbeat"]"#),
        ("message-id-not-a-string", r#"[2,19223201,"Heartbeat",{}]"#),
        (
            "message-id-too-long",
            r#"[3,"0123456789abcdef0123456789abcdef01234",{}]"#,
        ),
        ("action-not-a-string", r#"[2,"1",null,{}]"#),
        ("payload-not-an-object", r#"[2,"1","Heartbeat",null]"#),
        ("error-code-not-a-string", r#"[4,"1",42,"",{}]"#),
        (
            "error-code-unknown",
            r#"[4,"1","FormationViolation","",{}]"#,
        ),
        (
            "error-description-not-a-string",
            r#"[4,"1","GenericError",null,{}]"#,
        ),
        (
            "error-description-too-long",
            &format!(r#"[4,"1","GenericError","{}",{{}}]"#, "d".repeat(256)),
        ),
        (
            "error-details-not-an-object",
            r#"[4,"1","GenericError","","details"]"#,
        ),
    ];
    let mut report = String::new();
    for (rule, text) in cases {
        let error = Frame201::from_str(text).expect_err("frame must be rejected");
        assert_eq!(error.rule(), rule, "decoding {text}");
        let index = error
            .index()
            .map_or_else(|| "-".to_owned(), |i| i.to_string());
        report.push_str(&format!("{rule} [index {index}]: {error}\n"));
    }
    insta::assert_snapshot!("frame_error_display", report);
}

// ---------------------------------------------------------------- properties

/// JSON number text in every shape the grammar allows, including huge and tiny ones.
fn number_text() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,12})?([eE][+-]?[0-9]{1,4})?"
}

/// Member names other than `serde_json`'s reserved marker names.
fn member_name() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("serde_json reserves this prefix", |name| {
        !name.starts_with("$serde_json::private::")
    })
}

/// Any JSON value, nested a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number_text().prop_map(|text| serde_json::from_str(&text).expect("valid number text")),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((member_name(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A JSON object usable as a payload or as error details.
fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((member_name(), json_value()), 0..6)
        .prop_map(|members| members.into_iter().collect())
}

/// A string of at most `max` characters of any kind.
fn chars_up_to(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// A valid message id.
fn message_id() -> impl Strategy<Value = MessageId> {
    chars_up_to(MessageId::MAX_CHARS).prop_map(|text| MessageId::new(text).expect("within limit"))
}

/// Any frame of version `E` that the decoder must accept.
fn frame<E: RpcErrorCode>() -> impl Strategy<Value = Frame<E>> {
    let max_description = E::MAX_ERROR_DESCRIPTION_CHARS.unwrap_or(400);
    prop_oneof![
        (message_id(), any::<String>(), json_object())
            .prop_map(|(id, action, payload)| Frame::Call(Call::new(id, action, payload))),
        (message_id(), json_object())
            .prop_map(|(id, payload)| Frame::CallResult(CallResult::new(id, payload))),
        (
            message_id(),
            prop::sample::select(E::ALL),
            chars_up_to(max_description),
            json_object()
        )
            .prop_map(|(id, code, description, details)| Frame::CallError(
                CallError::new(id, code, description, details).expect("within limit")
            )),
    ]
}

/// Checks every encode → decode path gives the frame back.
fn assert_lossless<E: RpcErrorCode>(frame: &Frame<E>) -> Result<(), TestCaseError> {
    let text = frame.to_string();
    prop_assert_eq!(Frame::<E>::from_str(&text), Ok(frame.clone()));
    prop_assert_eq!(Frame::<E>::from_slice(text.as_bytes()), Ok(frame.clone()));
    prop_assert_eq!(Frame::<E>::from_value(frame.to_value()), Ok(frame.clone()));
    let reparsed: Value = serde_json::from_str(&text).expect("Display gives JSON");
    prop_assert_eq!(reparsed, frame.to_value());
    prop_assert_eq!(Frame::<E>::from_str(&text).map(|f| f.to_string()), Ok(text));
    Ok(())
}

/// Decodes `value` as both versions; only the absence of panics is checked.
fn decode_both(value: Value) {
    let text = value.to_string();
    let _ = Frame16::from_value(value.clone());
    let _ = Frame201::from_value(value);
    let _ = Frame16::from_str(&text);
    let _ = Frame201::from_slice(text.as_bytes());
}

proptest! {
    #[test]
    fn v16_frames_encode_then_decode_equal(frame in frame::<v16::ErrorCode>()) {
        assert_lossless(&frame)?;
    }

    #[test]
    fn v201_frames_encode_then_decode_equal(frame in frame::<v201::ErrorCode>()) {
        assert_lossless(&frame)?;
    }

    #[test]
    fn arbitrary_frames_encode_then_decode_equal(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut data = Unstructured::new(&bytes);
        if let Ok(frame) = Frame16::arbitrary(&mut data) {
            assert_lossless(&frame)?;
        }
        let mut data = Unstructured::new(&bytes);
        if let Ok(frame) = Frame201::arbitrary(&mut data) {
            assert_lossless(&frame)?;
        }
    }

    #[test]
    fn decoding_random_text_never_panics(text in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = Frame16::from_str(&text);
        let _ = Frame201::from_slice(&bytes);
    }

    #[test]
    fn decoding_frame_like_arrays_never_panics(
        head in prop_oneof![Just(json!(2)), Just(json!(3)), Just(json!(4)), json_value()],
        rest in prop::collection::vec(
            prop_oneof![Just(json!("GenericError")), Just(json!({})), json_value()],
            0..7,
        ),
    ) {
        let mut items = vec![head];
        items.extend(rest);
        decode_both(Value::Array(items));
    }
}
