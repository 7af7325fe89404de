//! The fast path for frames as text: one pass reads the frame and decodes its payload
//! straight into the typed model, so that a valid frame never becomes a `serde_json::Value`.
//! Anything else (an invalid payload, escaped ids, a CALLERROR, a malformed frame) gives
//! `None`, and the caller takes the full path, which reports precisely. The typed model is
//! exactly as strict as the schema and refuses a member name repeated in any object, so
//! success here is the full verdict.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use ocpp_model::framing::UniqueMembers;
use ocpp_model::{AnyMessage, OcppVersion};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};

use ocpp_model::PayloadKind;

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
/// is well formed and its payload valid.
pub(crate) fn parse<'a>(
    text: &'a str,
    version: OcppVersion,
    lookup: Lookup<'_, '_>,
) -> Option<SinglePass<'a>> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let fast = deserializer
        .deserialize_seq(FrameVisitor { version, lookup })
        .ok()?;
    deserializer.end().ok()?;
    Some(fast)
}

struct FrameVisitor<'l, 'o> {
    version: OcppVersion,
    lookup: Lookup<'l, 'o>,
}

impl<'de> Visitor<'de> for FrameVisitor<'_, '_> {
    type Value = SinglePass<'de>;

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
        let fast = match type_id {
            2 => {
                let action: &'de str = seq.next_element()?.ok_or_else(missing)?;
                let seed = PayloadSeed {
                    version: self.version,
                    action,
                    kind: PayloadKind::Request,
                };
                seq.next_element_seed(seed)?.ok_or_else(missing)?;
                SinglePass::Call { message_id, action }
            }
            3 => match (self.lookup)(message_id) {
                Some((version, action)) => {
                    let seed = PayloadSeed {
                        version,
                        action,
                        kind: PayloadKind::Response,
                    };
                    seq.next_element_seed(seed)?.ok_or_else(missing)?;
                    SinglePass::CallResult {
                        message_id,
                        answered: true,
                    }
                }
                None => {
                    seq.next_element::<ObjectOnly>()?.ok_or_else(missing)?;
                    SinglePass::CallResult {
                        message_id,
                        answered: false,
                    }
                }
            },
            _ => return Err(de::Error::custom("not a CALL or CALLRESULT")),
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("extra element"));
        }
        Ok(fast)
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
