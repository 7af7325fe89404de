//! On strictly valid input the tolerant decoder is the strict decoder: the same typed message,
//! the same payload and no deviation, for random typed messages of every action.

use arbitrary::Unstructured;
use ocpp_model::framing::MessageId;
use ocpp_model::{v16, v201, AnyMessage, OcppVersion, PayloadKind};
use ocpp_validate::tolerant::{decode_frame, decode_payload, normalize_payload, Policy, Verdict};

/// Random messages per action and direction.
const SAMPLES: u64 = 24;

fn bytes(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..2048)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Random valid messages of every action, as (version, action, kind, message, call text).
fn messages() -> Vec<(OcppVersion, &'static str, PayloadKind, AnyMessage)> {
    let mut out = Vec::new();
    for seed in 1..=SAMPLES {
        let data = bytes(seed);
        for &action in v16::ActionName::ALL {
            let mut u = Unstructured::new(&data);
            if let Ok(m) = v16::Request::arbitrary_of(action, &mut u) {
                out.push((
                    OcppVersion::V16,
                    action.as_str(),
                    PayloadKind::Request,
                    AnyMessage::V16Request(m),
                ));
            }
            let mut u = Unstructured::new(&data);
            if let Ok(m) = v16::Response::arbitrary_of(action, &mut u) {
                out.push((
                    OcppVersion::V16,
                    action.as_str(),
                    PayloadKind::Response,
                    AnyMessage::V16Response(m),
                ));
            }
        }
        for &action in v201::ActionName::ALL {
            let mut u = Unstructured::new(&data);
            if let Ok(m) = v201::Request::arbitrary_of(action, &mut u) {
                out.push((
                    OcppVersion::V201,
                    action.as_str(),
                    PayloadKind::Request,
                    AnyMessage::V201Request(m),
                ));
            }
            let mut u = Unstructured::new(&data);
            if let Ok(m) = v201::Response::arbitrary_of(action, &mut u) {
                out.push((
                    OcppVersion::V201,
                    action.as_str(),
                    PayloadKind::Response,
                    AnyMessage::V201Response(m),
                ));
            }
        }
    }
    out
}

fn frame_text(message: &AnyMessage) -> Option<String> {
    let id = MessageId::new("p-1").ok()?;
    match message.clone() {
        AnyMessage::V16Request(m) => Some(v16::Frame::from(m.into_call(id)).to_string()),
        AnyMessage::V201Request(m) => Some(v201::Frame::from(m.into_call(id)).to_string()),
        AnyMessage::V16Response(_) | AnyMessage::V201Response(_) => None,
    }
}

#[test]
fn tolerant_decoding_of_valid_messages_is_strict_decoding() {
    let messages = messages();
    let actions = v16::ActionName::ALL.len() + v201::ActionName::ALL.len();
    assert!(
        messages.len() >= actions * 2,
        "too few samples: {}",
        messages.len()
    );
    let deny_all = Policy::all(Verdict::Deny);
    for (version, action, kind, message) in &messages {
        let value = message.to_value();
        let decoded = decode_payload(*version, action, *kind, value.clone(), &deny_all)
            .expect("known action");
        assert_eq!(decoded.deviations, [], "{version} {action}");
        assert!(!decoded.changed, "{version} {action}");
        assert_eq!(decoded.payload, value, "{version} {action}");
        assert_eq!(decoded.message.as_ref(), Ok(message), "{version} {action}");

        let mut walked = value.clone();
        let deviations = normalize_payload(*version, action, *kind, &mut walked, &deny_all)
            .expect("known action");
        assert_eq!(
            deviations,
            [],
            "{version} {action}: the rules fired on {value}"
        );
        assert_eq!(
            walked, value,
            "{version} {action}: the rules changed a valid payload"
        );

        if let Some(text) = frame_text(message) {
            let frame = decode_frame(*version, &text, &deny_all, &|_| None);
            assert!(frame.accepted(), "{version} {action}: {frame:?}");
            assert_eq!(frame.deviations, []);
            assert_eq!(
                frame.message,
                Some(Ok(message.clone())),
                "{version} {action}"
            );
        }
    }
}
