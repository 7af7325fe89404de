//! The tolerant decoder's entry points: a payload by action, or a whole frame from its text.

use ocpp_model::framing::{Frame, FrameError, RpcErrorCode};
use ocpp_model::{AnyFrame, AnyMessage, DecodeError, OcppVersion, PayloadKind};
use serde_json::{Map, Value};

use super::log::Log;
use super::policy::Policy;
use super::rules::RuleId;
use super::schema::schema_of;
use super::values::Walk;
use super::Repair;
use crate::payload::UnknownAction;

/// A payload decoded tolerantly.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded {
    /// The payload after normalization, unknown members and verbatim values included.
    pub payload: Value,
    /// The typed message, or why the normalized payload still does not decode strictly.
    pub message: Result<AnyMessage, DecodeError>,
    /// What was forgiven or refused, in document order (allowed rules leave no entry).
    pub repairs: Vec<Repair>,
    /// Pointers of the payload's values that the typed message does not carry: unknown
    /// members and enumeration values kept verbatim.
    pub kept: Vec<String>,
    /// Whether a rule was applied (allowed ones included): false for valid input.
    pub changed: bool,
}

impl Decoded {
    /// Whether a rule was denied.
    pub fn denied(&self) -> bool {
        self.repairs
            .iter()
            .any(|d| d.verdict == super::Verdict::Deny)
    }
}

/// Decodes `payload` as `action`'s request or response, applying the payload rules the
/// policy allows. Valid input costs one strict decode and yields no deviations.
pub fn decode_payload(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: Value,
    policy: &Policy,
) -> Result<Decoded, UnknownAction> {
    decode_value(version, action, kind, payload, policy).map_err(|(unknown, _)| unknown)
}

/// [`decode_payload`], handing the payload back when the action is unknown.
fn decode_value(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    mut payload: Value,
    policy: &Policy,
) -> Result<Decoded, (UnknownAction, Value)> {
    let first = match AnyMessage::decode(version, kind, action, &payload) {
        Err(DecodeError::UnknownAction { .. }) => {
            let unknown = UnknownAction {
                version,
                action: action.to_owned(),
            };
            return Err((unknown, payload));
        }
        first => first,
    };
    if first.is_ok() {
        return Ok(Decoded {
            payload,
            message: first,
            repairs: Vec::new(),
            kept: Vec::new(),
            changed: false,
        });
    }
    let mut log = Log::new(policy);
    if let Err(unknown_action) = walk(version, action, kind, &mut payload, &mut log) {
        return Err((unknown_action, payload));
    }
    let message = if log.extras.is_empty() {
        AnyMessage::decode(version, kind, action, &payload)
    } else {
        let mut typed_view = payload.clone();
        for pointer in log.extras.iter().rev() {
            remove(&mut typed_view, pointer);
        }
        AnyMessage::decode(version, kind, action, &typed_view)
    };
    let mut kept = log.extras;
    kept.extend(log.kept);
    Ok(Decoded {
        payload,
        message,
        repairs: log.repairs,
        kept,
        changed: log.changed,
    })
}

/// Applies the payload rules to `payload` in place, without decoding it, and returns the
/// deviations: the rules' own view of a payload, which is silent on every valid one.
pub fn normalize_payload(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &mut Value,
    policy: &Policy,
) -> Result<Vec<Repair>, UnknownAction> {
    let mut log = Log::new(policy);
    walk(version, action, kind, payload, &mut log)?;
    Ok(log.repairs)
}

fn walk(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &mut Value,
    log: &mut Log<'_>,
) -> Result<(), UnknownAction> {
    let schema = schema_of(version, action, kind)?;
    let walk = Walk {
        root: &schema,
        data_transfer: version == OcppVersion::V16 && action == "DataTransfer",
    };
    walk.value(&schema, &mut String::new(), payload, log);
    Ok(())
}

/// Removes the object member at `pointer` (which the walk built, so every step exists).
fn remove(value: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let name = last.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = value.pointer_mut(parent) {
        map.shift_remove(&name);
    }
}

/// A frame decoded tolerantly.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodedFrame {
    /// The text as received.
    pub raw: String,
    /// The frame after the frame rules, with its payload normalized (unknown members and
    /// verbatim values included), or why it is still not a frame of the version.
    pub frame: Result<AnyFrame, FrameError>,
    /// The typed payload, when the action is known (a CALL's own, a CALLRESULT's from the
    /// lookup) and the action exists.
    pub message: Option<Result<AnyMessage, DecodeError>>,
    /// The repairs: the frame's (pointers into the array), then the payload's (into the payload).
    pub repairs: Vec<Repair>,
    /// Pointers into the payload of values the typed message does not carry.
    pub kept: Vec<String>,
    /// Whether a rule was applied (allowed ones included): false for valid input.
    pub changed: bool,
}

impl DecodedFrame {
    /// Whether the frame and its payload decoded, denying nothing.
    pub fn accepted(&self) -> bool {
        self.frame.is_ok()
            && !matches!(self.message, Some(Err(_)))
            && self
                .repairs
                .iter()
                .all(|d| d.verdict != super::Verdict::Deny)
    }
}

/// Decodes a frame's text of `version`: frame rules on the array, then payload rules on the
/// payload of a CALL, or of a CALLRESULT whose action `action_of(message_id)` tells.
pub fn decode_frame(
    version: OcppVersion,
    text: &str,
    policy: &Policy,
    action_of: &dyn Fn(&str) -> Option<String>,
) -> DecodedFrame {
    let mut log = Log::new(policy);
    let strict = AnyFrame::parse(version, text);
    let frame = match strict {
        Ok(frame) => Ok(frame),
        Err(error) => repair_frame(version, text, &mut log).ok_or(error),
    };
    let mut decoded = DecodedFrame {
        raw: text.to_owned(),
        frame,
        message: None,
        repairs: log.repairs,
        kept: Vec::new(),
        changed: log.changed,
    };
    let Ok(frame) = &mut decoded.frame else {
        return decoded;
    };
    let (kind, action, payload) = match frame {
        AnyFrame::V16(frame) => payload_of(frame, action_of),
        AnyFrame::V201(frame) => payload_of(frame, action_of),
        AnyFrame::V21(frame) => payload_of(frame, action_of),
    };
    let (Some(action), Some(payload)) = (action, payload) else {
        return decoded;
    };
    let object = Value::Object(std::mem::take(payload));
    match decode_value(version, &action, kind, object, policy) {
        Ok(found) => {
            if let Value::Object(map) = found.payload {
                *payload = map;
            }
            decoded.message = Some(found.message);
            decoded.repairs.extend(found.repairs);
            decoded.kept = found.kept;
            decoded.changed |= found.changed;
        }
        // An unknown action is the strict checks' to report; the payload goes back as is.
        Err((_, Value::Object(original))) => *payload = original,
        Err(_) => {}
    }
    decoded
}

/// The payload of a CALL or CALLRESULT, its kind and (when known) its action.
fn payload_of<'f, E: RpcErrorCode>(
    frame: &'f mut Frame<E>,
    action_of: &dyn Fn(&str) -> Option<String>,
) -> (
    PayloadKind,
    Option<String>,
    Option<&'f mut Map<String, Value>>,
) {
    match frame {
        Frame::Call(call) | Frame::Send(call) => (
            PayloadKind::Request,
            Some(call.action.clone()),
            Some(&mut call.payload),
        ),
        Frame::CallResult(result) => (
            PayloadKind::Response,
            action_of(result.message_id.as_str()),
            Some(&mut result.payload),
        ),
        Frame::CallError(_) | Frame::CallResultError(_) => (PayloadKind::Response, None, None),
    }
}

/// The frame rules: strips noise around the text, then repairs the array.
fn repair_frame(version: OcppVersion, text: &str, log: &mut Log<'_>) -> Option<AnyFrame> {
    let noise = |c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0';
    let trimmed = text.trim_matches(noise);
    let text = if trimmed.len() != text.len()
        && text.contains(['\u{feff}', '\0'])
        && !trimmed.contains(['\u{feff}', '\0'])
    {
        let start = text.len() - text.trim_start_matches(noise).len();
        let around = format!("{}{}", &text[..start], &text[start + trimmed.len()..]);
        if log.allow(
            RuleId::FrameNoise,
            "",
            &Value::String(around),
            Some(&Value::String(String::new())),
        ) {
            trimmed
        } else {
            text
        }
    } else {
        text
    };
    let mut value: Value = serde_json::from_str(text).ok()?;
    // No rule forgives a repeated member name: the strict checks report it.
    if ocpp_model::framing::duplicate_key(text.as_bytes()).is_some() {
        return None;
    }
    if let Value::Array(items) = &mut value {
        repair_array(version, items, log);
    }
    AnyFrame::from_value(version, value).ok()
}

fn repair_array(version: OcppVersion, items: &mut Vec<Value>, log: &mut Log<'_>) {
    let empty = Value::Object(Map::new());
    if let Some(Value::Number(id)) = items.get(1) {
        let original = Value::Number(id.clone());
        let text = Value::String(id.to_string());
        if log.allow(RuleId::NumericMessageId, "/1", &original, Some(&text)) {
            items[1] = text;
        }
    }
    match items.first().and_then(Value::as_u64) {
        Some(2)
            if items.len() == 3
                && log.allow(RuleId::CallWithoutPayload, "/3", &Value::Null, Some(&empty)) =>
        {
            items.push(empty);
        }
        Some(4) => {
            if let Some(Value::String(code)) = items.get(2) {
                if let Some(spelled) = crate::code::other_version_code(version, code) {
                    let original = Value::String(code.clone());
                    let spelled = Value::String(spelled.to_owned());
                    if log.allow(
                        RuleId::ErrorCodeOtherVersion,
                        "/2",
                        &original,
                        Some(&spelled),
                    ) {
                        items[2] = spelled;
                    }
                }
            }
            match items.get(4) {
                None if items.len() == 4
                    && log.allow(
                        RuleId::ErrorDetailsMissing,
                        "/4",
                        &Value::Null,
                        Some(&empty),
                    ) =>
                {
                    items.push(empty);
                }
                Some(details) if items.len() == 5 && !details.is_object() => {
                    let original = details.clone();
                    if log.allow(RuleId::ErrorDetailsNotObject, "/4", &original, Some(&empty)) {
                        items[4] = empty;
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}
