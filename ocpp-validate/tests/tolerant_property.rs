//! On strictly valid input the tolerant decoder is the strict decoder: the same typed message,
//! the same payload and no deviation, for random typed messages of every action.

mod common;

use arbitrary::Unstructured;
use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use ocpp_validate::tolerant::{decode_frame, decode_payload, normalize_payload, Policy, Verdict};

/// Random messages per action and direction.
const SAMPLES: u64 = 24;

fn bytes(seed: u64) -> Vec<u8> {
    common::random_bytes(seed, 2048)
}

/// Random valid messages of every action of every version compiled in, as (version, action,
/// kind, message).
fn messages() -> Vec<(OcppVersion, &'static str, PayloadKind, AnyMessage)> {
    let mut out = Vec::new();
    for seed in 1..=SAMPLES {
        let data = bytes(seed);
        for &version in OcppVersion::ALL {
            for &action in version.action_names() {
                for kind in [PayloadKind::Request, PayloadKind::Response] {
                    let mut u = Unstructured::new(&data);
                    if let Some(Ok(message)) =
                        AnyMessage::arbitrary_of(version, kind, action, &mut u)
                    {
                        out.push((version, action, kind, message));
                    }
                }
            }
        }
    }
    out
}

/// The frame that carries a request: a CALL, or for an unconfirmed action a SEND.
fn frame_text(version: OcppVersion, action: &str, message: &AnyMessage) -> Option<String> {
    let info = version.action(action)?;
    let message_type = if info.has_response { 2 } else { 6 };
    (message.kind() == PayloadKind::Request).then(|| {
        format!(
            r#"[{message_type},"p-1","{action}",{}]"#,
            message.to_value()
        )
    })
}

#[test]
fn tolerant_decoding_of_valid_messages_is_strict_decoding() {
    let messages = messages();
    let actions: usize = OcppVersion::ALL
        .iter()
        .map(|version| version.action_names().len())
        .sum();
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
        assert_eq!(decoded.repairs, [], "{version} {action}");
        assert!(!decoded.changed, "{version} {action}");
        assert_eq!(decoded.payload, value, "{version} {action}");
        assert_eq!(decoded.message.as_ref(), Ok(message), "{version} {action}");

        let mut walked = value.clone();
        let repairs = normalize_payload(*version, action, *kind, &mut walked, &deny_all)
            .expect("known action");
        assert_eq!(
            repairs,
            [],
            "{version} {action}: the rules fired on {value}"
        );
        assert_eq!(
            walked, value,
            "{version} {action}: the rules changed a valid payload"
        );

        if let Some(text) = frame_text(*version, action, message) {
            let frame = decode_frame(*version, &text, &deny_all, &|_| None);
            assert!(frame.accepted(), "{version} {action}: {frame:?}");
            assert_eq!(frame.repairs, []);
            assert_eq!(
                frame.message,
                Some(Ok(message.clone())),
                "{version} {action}"
            );
        }
    }
}
