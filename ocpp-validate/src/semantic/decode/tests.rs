//! The rules read a frame alike from its text and from what validation recorded of it.

use ocpp_model::{OcppVersion, PayloadKind};

use super::{decode, decode_recorded, Act, Kind, Message};
use crate::single_pass;
use crate::tape::Tape;
use crate::trace::FrameSource;

/// What the rules read of `frame`, from its text and from its tape, with the CALL it
/// answers (a CALLRESULT) being of `action`; `None` for the tape when the fast path did not
/// accept the frame or the tape lacks what the rules read.
fn both(version: OcppVersion, action: &str, frame: &str) -> (String, Option<String>) {
    let lookup = |_: &str| Some(Act::of(version, action));
    let text = FrameSource::Text(frame.into());
    let from_text = format!("{:?}", decode(&text, version, &lookup));
    let mut tape = Tape::default();
    let accepted = single_pass::parse(
        frame,
        version,
        &|_| Some((version, action)),
        Some(&mut tape),
    );
    let from_tape = accepted
        .and_then(|_| decode_recorded(frame, &tape, version, &lookup))
        .map(|message| format!("{:?}", Some(message)));
    (from_text, from_tape)
}

#[test]
fn hand_written_frames_are_read_alike() {
    let v16 = OcppVersion::V16;
    let v201 = OcppVersion::V201;
    let frames = [
        (
            v16,
            "MeterValues",
            r#"[2,"1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"12.5","measurand":"Energy.Active.Import.Register","unit":"kWh"},{"value":"1e3","phase":"L1","location":"Outlet"}]}]}]"#,
        ),
        (
            v16,
            "StartTransaction",
            r#"[2,"ab","StartTransaction",{"connectorId":2,"idTag":"T\u00c9G","meterStart":0,"timestamp":"2024-05-01T10:00:00Z"}]"#,
        ),
        (
            v16,
            "StartTransaction",
            r#"[3,"5",{"transactionId":42,"idTagInfo":{"status":"Accepted"}}]"#,
        ),
        (
            v16,
            "StopTransaction",
            r#"[2,"2","StopTransaction",{"transactionId":42,"meterStop":1500,"timestamp":"2024-05-01T11:00:00Z","reason":"Local","transactionData":[{"timestamp":"2024-05-01T10:30:00Z","sampledValue":[{"value":"700"}]}]}]"#,
        ),
        (
            v16,
            "StatusNotification",
            r#"[2,"3","StatusNotification",{"connectorId":1,"errorCode":"OtherError","vendorErrorCode":"E\"1","status":"Faulted"}]"#,
        ),
        (
            v16,
            "BootNotification",
            r#"[2,"4","BootNotification",{"chargePointVendor":"V","chargePointModel":"M","firmwareVersion":"1.0"}]"#,
        ),
        (
            v16,
            "BootNotification",
            r#"[3,"4",{"status":"Accepted","currentTime":"2024-05-01T10:00:00Z","interval":300}]"#,
        ),
        (
            v16,
            "ChangeConfiguration",
            r#"[2,"6","ChangeConfiguration",{"key":"HeartbeatInterval","value":"60"}]"#,
        ),
        (
            v16,
            "ChangeConfiguration",
            r#"[3,"6",{"status":"Accepted"}]"#,
        ),
        (v16, "Heartbeat", r#"[2,"7","Heartbeat",{}]"#),
        (
            v16,
            "Heartbeat",
            r#"[3,"7",{"currentTime":"2024-05-01T10:00:00Z"}]"#,
        ),
        (v16, "Authorize", r#"[2,"8","Authorize",{"idTag":"X"}]"#),
        (
            v201,
            "MeterValues",
            r#"[2,"9","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":1.5E+3,"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"kWh","multiplier":3}},{"value":-0.000001}]}]}]"#,
        ),
        (
            v201,
            "TransactionEvent",
            r#"[2,"10","TransactionEvent",{"eventType":"Started","timestamp":"2024-05-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-1","chargingState":"Charging"},"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"T","type":"ISO14443"},"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":10}]}],"customData":{"vendorId":"v","x":[1,{"y":null}]}}]"#,
        ),
        (
            v201,
            "StatusNotification",
            r#"[2,"11","StatusNotification",{"timestamp":"2024-05-01T10:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}]"#,
        ),
        (
            v201,
            "SetVariables",
            r#"[2,"12","SetVariables",{"setVariableData":[{"attributeValue":"30","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]"#,
        ),
        (
            v201,
            "SetVariables",
            r#"[3,"12",{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]"#,
        ),
        (
            v201,
            "BootNotification",
            r#"[2,"13","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V","firmwareVersion":"2"}}]"#,
        ),
    ];
    for (version, action, frame) in frames {
        let (from_text, from_tape) = both(version, action, frame);
        assert!(from_tape.is_some(), "the fast path accepts {frame}");
        assert_eq!(Some(&from_text), from_tape.as_ref(), "{frame}");
    }
}

#[test]
fn a_frame_the_fast_path_refuses_leaves_nothing_on_the_tape() {
    let frame = r#"[2,"1","StartTransaction",{"connectorId":"1","idTag":"T","meterStart":0,"timestamp":"2024-05-01T10:00:00Z"}]"#;
    let (from_text, from_tape) = both(OcppVersion::V16, "StartTransaction", frame);
    assert!(from_text.contains("StartTransaction"), "{from_text}");
    assert_eq!(from_tape, None);
}

#[test]
fn a_response_recorded_for_another_call_is_read_from_the_text() {
    let version = OcppVersion::V16;
    let frame =
        r#"[3,"1",{"status":"Accepted","currentTime":"2024-05-01T10:00:00Z","interval":300}]"#;
    let mut tape = Tape::default();
    let accepted = single_pass::parse(
        frame,
        version,
        &|_| Some((version, "BootNotification")),
        Some(&mut tape),
    );
    assert!(accepted.is_some());
    let boot = |_: &str| Some(Act::Boot);
    let start = |_: &str| Some(Act::StartTransaction);
    let other = |_: &str| Some(Act::Other);
    assert!(decode_recorded(frame, &tape, version, &boot).is_some());
    assert!(
        decode_recorded(frame, &tape, version, &start).is_none(),
        "the rules answer a StartTransaction the validator did not know of"
    );
    let read = decode_recorded(frame, &tape, version, &other).expect("no payload wanted");
    assert!(matches!(
        read,
        Message {
            kind: Kind::Result(None),
            ..
        }
    ));
}

/// Random typed payloads of every action of every version, as CALLs and as CALLRESULTs.
#[cfg(feature = "arbitrary")]
mod typed {
    use ocpp_model::{v16, v201, v21};
    use proptest::prelude::*;

    use super::*;

    fn frame(kind: PayloadKind, action: &str, payload: &serde_json::Value) -> String {
        match kind {
            PayloadKind::Request => serde_json::json!([2, "m-1", action, payload]).to_string(),
            PayloadKind::Response => serde_json::json!([3, "m-1", payload]).to_string(),
        }
    }

    fn check(version: OcppVersion, selector: u16, bytes: &[u8]) -> Result<(), TestCaseError> {
        let kind = match selector & 1 {
            0 => PayloadKind::Request,
            _ => PayloadKind::Response,
        };
        let index = usize::from(selector >> 2);
        // Half the cases are of an action whose payloads the rules read.
        let followed = selector & 2 == 2;
        let mut u = arbitrary::Unstructured::new(bytes);
        macro_rules! generated {
            ($module:ident) => {{
                let all = $module::ActionName::ALL;
                let read: Vec<_> = all
                    .iter()
                    .copied()
                    .filter(|a| super::super::reads(version, a.as_str(), kind).is_some())
                    .collect();
                let action = match followed {
                    true => read[index % read.len()],
                    false => all[index % all.len()],
                };
                let payload = match kind {
                    PayloadKind::Request => {
                        $module::Request::arbitrary_of(action, &mut u).map(|value| value.to_value())
                    }
                    PayloadKind::Response => $module::Response::arbitrary_of(action, &mut u)
                        .map(|value| value.to_value()),
                };
                (action.as_str(), payload)
            }};
        }
        let (action, payload) = match version {
            OcppVersion::V16 => generated!(v16),
            OcppVersion::V201 => generated!(v201),
            OcppVersion::V21 => generated!(v21),
        };
        let Ok(payload) = payload else {
            return Ok(());
        };
        let frame = frame(kind, action, &payload);
        let (from_text, from_tape) = both(version, action, &frame);
        prop_assert!(from_tape.is_some(), "the fast path accepts {}", frame);
        prop_assert_eq!(Some(&from_text), from_tape.as_ref(), "{}", frame);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(768))]

        #[test]
        fn typed_1_6_payloads_are_read_alike(selector: u16, bytes in prop::collection::vec(any::<u8>(), 64..2048)) {
            check(OcppVersion::V16, selector, &bytes)?;
        }

        #[test]
        fn typed_2_0_1_payloads_are_read_alike(selector: u16, bytes in prop::collection::vec(any::<u8>(), 64..2048)) {
            check(OcppVersion::V201, selector, &bytes)?;
        }

        #[test]
        fn typed_2_1_payloads_are_read_alike(selector: u16, bytes in prop::collection::vec(any::<u8>(), 64..2048)) {
            check(OcppVersion::V21, selector, &bytes)?;
        }
    }
}
