//! Entry points for the fuzz targets in `fuzz/`, kept here so that `cargo test` replays their
//! corpora without the fuzzer. Each panics only when an invariant breaks; bad input itself
//! must never panic.

use std::io::Cursor;

use ocpp_model::primitives::DateTime;
use ocpp_model::{v16, v201, v21, OcppVersion};

use crate::check::{check_reader, CheckOptions};
use crate::trace::InputFormat;

/// The version a selector byte picks: 1.6, 2.0.1 and 2.1 in turn.
fn version_of(selector: u8) -> OcppVersion {
    OcppVersion::ALL[usize::from(selector) % OcppVersion::ALL.len()]
}

/// Frames (a selector byte picking the version, then the frame): decoding never panics, and a
/// decoded frame encodes to text that decodes equal.
pub fn frame(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    macro_rules! round_trip {
        ($module:ident) => {
            if let Ok(frame) = $module::Frame::from_slice(bytes) {
                let again = $module::Frame::from_str(&frame.to_string());
                assert_eq!(
                    again.as_ref(),
                    Ok(&frame),
                    concat!(stringify!($module), " frame round trip")
                );
            }
        };
    }
    match version_of(selector) {
        OcppVersion::V16 => round_trip!(v16),
        OcppVersion::V201 => round_trip!(v201),
        OcppVersion::V21 => round_trip!(v21),
    }
}

/// Payloads (a byte picking the version, a byte whose lowest bit picks request or response
/// and whose other bits the action, then JSON text): the typed decoder and the validate-only
/// check agree on every input, and a decoded payload re-encodes to JSON that decodes equal.
pub fn payload(data: &[u8]) {
    let [selector, which, bytes @ ..] = data else {
        return;
    };
    let Ok(json) = std::str::from_utf8(bytes) else {
        return;
    };
    let index = usize::from(which >> 1);
    macro_rules! agree {
        ($module:ident, $sum:ident) => {{
            let action = $module::ActionName::ALL[index % $module::ActionName::ALL.len()];
            let decoded = $module::$sum::from_json(action, json);
            assert_eq!(
                decoded.is_ok(),
                validates(json, |d| $module::$sum::validate(action, d)),
                "{action} {} verdicts",
                stringify!($sum)
            );
            if let Ok(value) = decoded {
                assert_eq!(
                    $module::$sum::from_value(action, &value.to_value()).as_ref(),
                    Ok(&value)
                );
            }
        }};
    }
    match (version_of(*selector), which & 1 == 1) {
        (OcppVersion::V16, false) => agree!(v16, Request),
        (OcppVersion::V16, true) => agree!(v16, Response),
        (OcppVersion::V201, false) => agree!(v201, Request),
        (OcppVersion::V201, true) => agree!(v201, Response),
        (OcppVersion::V21, false) => agree!(v21, Request),
        (OcppVersion::V21, true) => agree!(v21, Response),
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
        // None (the version told from the input), then each version in turn.
        version: match usize::from(selector) % (OcppVersion::ALL.len() + 1) {
            0 => None,
            n => Some(OcppVersion::ALL[n - 1]),
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

/// Tolerant decoding (a byte picking the version, a byte whose lowest bit picks the policy
/// and whose other bits the action a CALLRESULT answers, then frame text): never panics; with every rule denied it accepts exactly what strict
/// decoding accepts; and a typed message it produces is one strict decoding gives back.
pub fn tolerant(data: &[u8]) {
    use crate::tolerant::{decode_frame, Policy, Verdict};
    use ocpp_model::{AnyFrame, AnyMessage};
    let [selector, which, bytes @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let version = version_of(*selector);
    let names = version.action_names();
    let answered = names[usize::from(which >> 1) % names.len()];
    let lookup = |_: &str| Some(answered.to_owned());
    let policy = if which & 1 == 0 {
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
        assert!(strict.repairs.is_empty(), "deny-all accepted a deviation");
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

/// Typed payloads built from `arbitrary` input (a byte picking the version, a byte whose
/// lowest bit picks request or response and whose other bits the action): each encodes to JSON that decodes back equal,
/// from a value and from text, and that the validate-only check accepts.
#[cfg(feature = "arbitrary")]
pub fn typed_roundtrip(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let (Ok(selector), Ok(which)) = (u.arbitrary::<u8>(), u.arbitrary::<u8>()) else {
        return;
    };
    let index = usize::from(which >> 1);
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
    match (version_of(selector), which & 1 == 1) {
        (OcppVersion::V16, false) => round_trip!(v16, Request),
        (OcppVersion::V16, true) => round_trip!(v16, Response),
        (OcppVersion::V201, false) => round_trip!(v201, Request),
        (OcppVersion::V201, true) => round_trip!(v201, Response),
        (OcppVersion::V21, false) => round_trip!(v21, Request),
        (OcppVersion::V21, true) => round_trip!(v21, Response),
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
