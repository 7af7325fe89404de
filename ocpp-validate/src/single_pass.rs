//! The fast path for frames as text: one pass reads the frame and decodes its payload
//! straight into the typed model, so that a valid frame never becomes a `serde_json::Value`.
//! Anything else (an invalid payload, escaped ids, a CALLERROR, a malformed frame) gives
//! `None`, and the caller takes the full path, which reports precisely. The typed model is
//! exactly as strict as the schema and refuses a member name repeated in any object, so
//! success here is the full verdict.
//!
//! Given a tape, the pass records the payloads the semantic rules read as it checks them
//! (`crate::tape`), so that the rules need not parse the frame again.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use ocpp_model::framing::UniqueMembers;
use ocpp_model::{AnyMessage, OcppVersion};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};

use ocpp_model::PayloadKind;

use crate::semantic;
use crate::tape::{Recording, Tape};

/// A CALL or CALLRESULT read and validated on the fast path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SinglePass<'a> {
    /// A CALL of a known action whose payload is valid.
    Call {
        message_id: &'a str,
        action: &'a str,
    },
    /// A CALLRESULT; `answered` says whether `lookup` found the CALL it answers (its payload
    /// is then valid for that CALL's action).
    CallResult { message_id: &'a str, answered: bool },
}

/// Finds the version and action of the open CALL a CALLRESULT with this id answers.
pub(crate) type Lookup<'l, 'o> = &'l dyn Fn(&str) -> Option<(OcppVersion, &'o str)>;

/// Reads a CALL of `version`, or a CALLRESULT answering a call `lookup` finds, if the frame
/// is well formed and its payload valid; records on `tape`, when given, what the semantic
/// rules read of it.
pub(crate) fn parse<'a>(
    text: &'a str,
    version: OcppVersion,
    lookup: Lookup<'_, '_>,
    mut tape: Option<&mut Tape>,
) -> Option<SinglePass<'a>> {
    if let Some(tape) = tape.as_deref_mut() {
        tape.start(text);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let (fast, recorded) = deserializer
        .deserialize_seq(FrameVisitor {
            version,
            lookup,
            tape: tape.as_deref_mut(),
        })
        .ok()?;
    deserializer.end().ok()?;
    if let Some(tape) = tape {
        match fast {
            SinglePass::Call { message_id, action } => {
                tape.accepted_call(message_id, action, recorded.is_some());
            }
            SinglePass::CallResult { message_id, .. } => {
                tape.accepted_result(message_id, recorded);
            }
        }
    }
    Some(fast)
}

struct FrameVisitor<'l, 'o, 't> {
    version: OcppVersion,
    lookup: Lookup<'l, 'o>,
    tape: Option<&'t mut Tape>,
}

/// Checks a payload as `seed` does, recording it on `tape` when the rules read it as
/// `version`'s `action` of `kind`; says what the rules know it by when recorded.
fn check_payload<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    seed: PayloadSeed<'_>,
    tape: Option<&mut Tape>,
) -> Result<Option<semantic::Act>, A::Error> {
    let missing = || de::Error::custom("element missing");
    // Without a tape (the rules off) the action is not looked up at all.
    let read =
        tape.and_then(|tape| Some((tape, semantic::reads(seed.version, seed.action, seed.kind)?)));
    match read {
        Some((tape, act)) => {
            seq.next_element_seed(Recording { seed, tape })?
                .ok_or_else(missing)?;
            Ok(Some(act))
        }
        None => {
            seq.next_element_seed(seed)?.ok_or_else(missing)?;
            Ok(None)
        }
    }
}

impl<'de> Visitor<'de> for FrameVisitor<'_, '_, '_> {
    /// The frame, and the action the rules know its payload by when it is recorded.
    type Value = (SinglePass<'de>, Option<semantic::Act>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CALL or CALLRESULT array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::custom("element missing");
        let type_id: u64 = seq.next_element()?.ok_or_else(missing)?;
        let message_id: &'de str = seq.next_element()?.ok_or_else(missing)?;
        if message_id.chars().count() > ocpp_model::framing::MessageId::MAX_CHARS {
            return Err(de::Error::custom("message id too long"));
        }
        let (fast, recorded) = match type_id {
            2 => {
                let action: &'de str = seq.next_element()?.ok_or_else(missing)?;
                let seed = PayloadSeed {
                    version: self.version,
                    action,
                    kind: PayloadKind::Request,
                };
                let recorded = check_payload(&mut seq, seed, self.tape)?;
                (SinglePass::Call { message_id, action }, recorded)
            }
            3 => match (self.lookup)(message_id) {
                Some((version, action)) => {
                    let seed = PayloadSeed {
                        version,
                        action,
                        kind: PayloadKind::Response,
                    };
                    let recorded = check_payload(&mut seq, seed, self.tape)?;
                    let fast = SinglePass::CallResult {
                        message_id,
                        answered: true,
                    };
                    (fast, recorded)
                }
                None => {
                    seq.next_element::<ObjectOnly>()?.ok_or_else(missing)?;
                    let fast = SinglePass::CallResult {
                        message_id,
                        answered: false,
                    };
                    (fast, None)
                }
            },
            _ => return Err(de::Error::custom("not a CALL or CALLRESULT")),
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("extra element"));
        }
        Ok((fast, recorded))
    }
}

/// Checks a payload against the typed model of one action without building it.
struct PayloadSeed<'a> {
    version: OcppVersion,
    action: &'a str,
    kind: PayloadKind,
}

impl<'de> DeserializeSeed<'de> for PayloadSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        AnyMessage::validate(self.version, self.kind, self.action, deserializer)
            .unwrap_or_else(|| Err(de::Error::custom("unknown action")))
    }
}

/// Any JSON object, skipped (an orphan CALLRESULT's payload is not validated, but a
/// non-object payload or a repeated member name still leaves the fast path so that the full
/// path reports it).
struct ObjectOnly;

impl<'de> Deserialize<'de> for ObjectOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;

        impl<'de> Visitor<'de> for Members {
            type Value = ObjectOnly;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ObjectOnly, A::Error> {
                let mut names = HashSet::new();
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    map.next_value::<UniqueMembers>()?;
                    if !names.insert(name) {
                        return Err(de::Error::custom("a member name appears twice"));
                    }
                }
                Ok(ObjectOnly)
            }
        }

        deserializer.deserialize_map(Members)
    }
}
