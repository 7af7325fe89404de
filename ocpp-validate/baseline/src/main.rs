//! rust-ocpp 3.0.4's plain typed decode of an OCPP 1.6 trace: each frame's payload is
//! deserialized into rust-ocpp's request type of its action, and each CALLRESULT's into the
//! response type of the CALL it answers, with `serde_json` and no validation. This is the
//! baseline `validate_throughput` and `check_scale` run as a process of its own beside
//! `ocpp-validate check` on the same file.
//!
//! `rust-ocpp-baseline FILE`: reads raw frames, or log lines whose frame follows the last
//! `": ["`; prints the records decoded and the frames it could not decode.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader};

use rust_ocpp::v1_6::messages::{heart_beat, meter_values, status_notification};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

/// The allocator `ocpp-validate` uses, so that the comparison is of the decoders.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The actions of the benchmark traces.
#[derive(Debug, Clone, Copy)]
enum Action {
    Heartbeat,
    StatusNotification,
    MeterValues,
}

impl Action {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "Heartbeat" => Self::Heartbeat,
            "StatusNotification" => Self::StatusNotification,
            "MeterValues" => Self::MeterValues,
            _ => return None,
        })
    }
}

/// Decodes one payload into rust-ocpp's type of an action, as a request or a response.
struct Payload {
    action: Action,
    request: bool,
}

impl<'de> DeserializeSeed<'de> for Payload {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match (self.action, self.request) {
            (Action::Heartbeat, true) => drop(heart_beat::HeartbeatRequest::deserialize(d)?),
            (Action::Heartbeat, false) => drop(heart_beat::HeartbeatResponse::deserialize(d)?),
            (Action::StatusNotification, true) => drop(
                status_notification::StatusNotificationRequest::deserialize(d)?,
            ),
            (Action::StatusNotification, false) => {
                drop(status_notification::StatusNotificationResponse::deserialize(d)?)
            }
            (Action::MeterValues, true) => drop(meter_values::MeterValuesRequest::deserialize(d)?),
            (Action::MeterValues, false) => {
                drop(meter_values::MeterValuesResponse::deserialize(d)?)
            }
        }
        Ok(())
    }
}

/// A frame, its payload decoded in the same pass; the CALLs in flight name the action of a
/// CALLRESULT.
struct Frame<'a> {
    open: &'a mut HashMap<String, Action>,
}

impl<'de> Visitor<'de> for Frame<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OCPP-J frame")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let missing = || de::Error::custom("element missing");
        let kind: u8 = seq.next_element()?.ok_or_else(missing)?;
        let id: &'de str = seq.next_element()?.ok_or_else(missing)?;
        match kind {
            2 => {
                let name: &'de str = seq.next_element()?.ok_or_else(missing)?;
                let action = Action::of(name).ok_or_else(|| de::Error::custom("action"))?;
                let request = true;
                seq.next_element_seed(Payload { action, request })?;
                self.open.insert(id.to_owned(), action);
            }
            3 => {
                let action = self
                    .open
                    .remove(id)
                    .ok_or_else(|| de::Error::custom("orphan"))?;
                let request = false;
                seq.next_element_seed(Payload { action, request })?;
            }
            _ => return Err(de::Error::custom("message type")),
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: rust-ocpp-baseline FILE");
    let file = std::fs::File::open(&path).expect("the input opens");
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut open = HashMap::new();
    let (mut records, mut failed) = (0_usize, 0_usize);
    let mut line = String::new();
    while reader.read_line(&mut line).expect("the input reads") > 0 {
        let text = line.trim_end();
        if !text.is_empty() {
            let frame = match text.rfind(": [") {
                Some(at) if !text.starts_with('[') => &text[at + 2..],
                _ => text,
            };
            let mut deserializer = serde_json::Deserializer::from_str(frame);
            let frame = Frame { open: &mut open };
            records += 1;
            failed += usize::from(deserializer.deserialize_seq(frame).is_err());
        }
        line.clear();
    }
    println!("{records} records decoded, {failed} not");
}
