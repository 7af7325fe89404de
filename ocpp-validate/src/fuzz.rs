//! Entry points for the fuzz targets in `fuzz/`, kept here so that `cargo test` replays their
//! corpora without the fuzzer. Each panics only when an invariant breaks; bad input itself
//! must never panic.

use std::io::Cursor;

use ocpp_model::primitives::DateTime;
use ocpp_model::{v16, v201, OcppVersion};

use crate::check::{check_reader, CheckOptions};
use crate::trace::InputFormat;

/// Frames: decoding never panics, and a decoded frame encodes to text that decodes equal.
pub fn frame(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        if let Ok(frame) = v16::Frame::from_slice(bytes) {
            let again = v16::Frame::from_str(&frame.to_string());
            assert_eq!(again.as_ref(), Ok(&frame), "1.6 frame round trip");
        }
    } else if let Ok(frame) = v201::Frame::from_slice(bytes) {
        let again = v201::Frame::from_str(&frame.to_string());
        assert_eq!(again.as_ref(), Ok(&frame), "2.0.1 frame round trip");
    }
}

/// Payloads: the typed decoder and the validate-only check agree on every input, and a
/// decoded payload re-encodes to JSON that decodes equal.
pub fn payload(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let Ok(json) = std::str::from_utf8(bytes) else {
        return;
    };
    let index = usize::from(selector >> 2);
    let response = selector & 1 == 1;
    if selector & 2 == 0 {
        let action = v16::ActionName::ALL[index % v16::ActionName::ALL.len()];
        if response {
            let decoded = v16::Response::from_json(action, json);
            assert_eq!(
                decoded.is_ok(),
                validates(json, |d| v16::Response::validate(action, d)),
                "{action} response verdicts"
            );
            if let Ok(value) = decoded {
                assert_eq!(
                    v16::Response::from_value(action, &value.to_value()).as_ref(),
                    Ok(&value)
                );
            }
        } else {
            let decoded = v16::Request::from_json(action, json);
            assert_eq!(
                decoded.is_ok(),
                validates(json, |d| v16::Request::validate(action, d)),
                "{action} request verdicts"
            );
            if let Ok(value) = decoded {
                assert_eq!(
                    v16::Request::from_value(action, &value.to_value()).as_ref(),
                    Ok(&value)
                );
            }
        }
    } else {
        let action = v201::ActionName::ALL[index % v201::ActionName::ALL.len()];
        if response {
            let decoded = v201::Response::from_json(action, json);
            assert_eq!(
                decoded.is_ok(),
                validates(json, |d| v201::Response::validate(action, d)),
                "{action} response verdicts"
            );
            if let Ok(value) = decoded {
                assert_eq!(
                    v201::Response::from_value(action, &value.to_value()).as_ref(),
                    Ok(&value)
                );
            }
        } else {
            let decoded = v201::Request::from_json(action, json);
            assert_eq!(
                decoded.is_ok(),
                validates(json, |d| v201::Request::validate(action, d)),
                "{action} request verdicts"
            );
            if let Ok(value) = decoded {
                assert_eq!(
                    v201::Request::from_value(action, &value.to_value()).as_ref(),
                    Ok(&value)
                );
            }
        }
    }
}

/// Trace reading and checking (the format detected): never panics, counts every record, and
/// reports every finding at a record that exists.
pub fn check(data: &[u8]) {
    check_as(None, data);
}

/// Log-line reading and checking, as [`check`].
pub fn log(data: &[u8]) {
    check_as(Some(InputFormat::Log), data);
}

/// Data-lake JSON Lines reading and checking, as [`check`].
pub fn lake_jsonl(data: &[u8]) {
    check_as(Some(InputFormat::LakeJsonl), data);
}

/// Data-lake CSV reading and checking, as [`check`].
pub fn csv(data: &[u8]) {
    check_as(Some(InputFormat::Csv), data);
}

/// Parquet reading: any bytes are refused with an error or read as rows, never a panic,
/// and the rows read are checked as lake rows without one either.
#[cfg(feature = "parquet")]
pub fn parquet(data: &[u8]) {
    use std::io::Read;
    let Ok(mut rows) = crate::trace::parquet::ParquetRows::from_bytes(data.to_vec().into()) else {
        return;
    };
    let mut text = Vec::new();
    // A damaged file may fail after some rows; those rows are checked.
    let _ = rows.by_ref().take(1 << 20).read_to_end(&mut text);
    let options = CheckOptions {
        input: Some(InputFormat::LakeJsonl),
        ..CheckOptions::default()
    };
    let result = check_reader(Cursor::new(text), options, &mut |_| {});
    assert!(result.is_ok(), "rows in memory always read: {result:?}");
}

fn check_as(input: Option<InputFormat>, data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let options = CheckOptions {
        version: match selector % 3 {
            0 => None,
            1 => Some(OcppVersion::V16),
            _ => Some(OcppVersion::V201),
        },
        max_line: 1 << 12,
        input,
        ..CheckOptions::default()
    };
    let mut last_record = 0;
    let result = check_reader(Cursor::new(bytes), options, &mut |finding| {
        // Line 0: a finding of the input as a whole (`input-empty`), of no record.
        if finding.at.line > 0 {
            last_record = last_record.max(finding.at.record + 1);
        }
    });
    // Only a gzip stream can fail to read from memory (when it is corrupt).
    let summary = match result {
        Ok(summary) => summary,
        Err(e) if bytes.starts_with(&[0x1f, 0x8b]) => e.counts,
        Err(e) => panic!("reading memory failed: {e}"),
    };
    assert!(
        last_record <= summary.records,
        "a finding names a record that was not read"
    );
}

/// Tolerant decoding: never panics; with every rule denied it accepts exactly what strict
/// decoding accepts; and a typed message it produces is one strict decoding gives back.
pub fn tolerant(data: &[u8]) {
    use crate::tolerant::{decode_frame, Policy, Verdict};
    use ocpp_model::{AnyFrame, AnyMessage};
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let version = if selector & 1 == 0 {
        OcppVersion::V16
    } else {
        OcppVersion::V201
    };
    let names = version.action_names();
    let answered = names[usize::from(selector >> 2) % names.len()];
    let lookup = |_: &str| Some(answered.to_owned());
    let policy = if selector & 2 == 0 {
        Policy::default()
    } else {
        Policy::all(Verdict::Allow)
    };
    let decoded = decode_frame(version, text, &policy, &lookup);
    if let Some(Ok(message)) = &decoded.message {
        let action = decoded.frame.as_ref().ok().and_then(AnyFrame::action);
        let again = AnyMessage::decode(
            version,
            message.kind(),
            action.unwrap_or(answered),
            &message.to_value(),
        );
        assert_eq!(
            again.as_ref(),
            Ok(message),
            "a tolerant message decodes strictly"
        );
    }
    let strict = decode_frame(version, text, &Policy::all(Verdict::Deny), &lookup);
    let strict_ok = AnyFrame::parse(version, text).is_ok();
    assert_eq!(
        strict.frame.is_ok(),
        strict_ok,
        "deny-all frames are strict frames"
    );
    if strict.accepted() {
        assert!(
            strict.deviations.is_empty(),
            "deny-all accepted a deviation"
        );
    }
}

/// Date-times: parsing never panics, and what parses prints as text that parses to the same
/// value up to the milliseconds it keeps.
pub fn date_time(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = DateTime::parse(text) {
        let printed = parsed.to_string();
        let again = DateTime::parse(&printed).expect("printed date-time parses");
        assert_eq!(again.to_string(), printed, "printing is stable");
        assert_eq!(again.offset(), parsed.offset(), "the offset is kept");
    }
}

/// Typed payloads built from `arbitrary` input: each encodes to JSON that decodes back equal,
/// from a value and from text, and that the validate-only check accepts.
#[cfg(feature = "arbitrary")]
pub fn typed_roundtrip(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(selector) = u.arbitrary::<u8>() else {
        return;
    };
    let index = usize::from(selector >> 2);
    macro_rules! round_trip {
        ($module:ident, $sum:ident) => {{
            let action = $module::ActionName::ALL[index % $module::ActionName::ALL.len()];
            if let Ok(value) = $module::$sum::arbitrary_of(action, &mut u) {
                let json = value.to_value();
                assert_eq!(
                    $module::$sum::from_value(action, &json).as_ref(),
                    Ok(&value),
                    "{action} from a value"
                );
                let text = json.to_string();
                assert_eq!(
                    $module::$sum::from_json(action, &text).as_ref(),
                    Ok(&value),
                    "{action} from text"
                );
                assert!(
                    validates(&text, |d| $module::$sum::validate(action, d)),
                    "{action} checked"
                );
            }
        }};
    }
    match selector & 3 {
        0 => round_trip!(v16, Request),
        1 => round_trip!(v16, Response),
        2 => round_trip!(v201, Request),
        _ => round_trip!(v201, Response),
    }
}

/// Whether `json` passes `validate`, the validate-only path, with nothing after the payload.
fn validates(
    json: &str,
    validate: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    ) -> Result<(), serde_json::Error>,
) -> bool {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    validate(&mut deserializer).is_ok() && deserializer.end().is_ok()
}
