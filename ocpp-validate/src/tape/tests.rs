use proptest::prelude::*;
use serde::de::DeserializeSeed;
use serde::Deserialize;
use serde_json::Value;

use super::{Event, Recording, Tape};

/// Reads `text` as a `Value` through the recording, then reads the recording again.
fn record_and_replay(tape: &mut Tape, text: &str) -> (Value, Value) {
    tape.start(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = Recording {
        seed: std::marker::PhantomData::<Value>,
        tape: &mut *tape,
    }
    .deserialize(&mut deserializer)
    .expect("JSON");
    tape.accepted_call(&text[..0], text, true);
    let again = Value::deserialize(&mut super::Replay::new(text, &tape.owned, &tape.events))
        .expect("the tape replays");
    (read, again)
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        "-?[0-9]{1,25}(\\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?"
            .prop_filter_map("a JSON number", |n| serde_json::from_str::<Value>(&n).ok()),
        ".{0,12}".prop_map(Value::String),
        "[\\\\\"\u{0}-\u{1f}é€😀a]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z\\\\\"é]{0,5}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn a_replayed_value_is_the_value_read(value in json()) {
        let text = value.to_string();
        let (read, again) = record_and_replay(&mut Tape::default(), &text);
        prop_assert_eq!(&read, &value);
        prop_assert_eq!(&again, &value);
    }
}

#[test]
fn strings_without_escapes_are_borrowed_and_others_copied() {
    let mut tape = Tape::default();
    let text = r#"{"plain":"abc","escaped":"a\"b\u0041"}"#;
    let (read, again) = record_and_replay(&mut tape, text);
    assert_eq!(read, again);
    assert_eq!(tape.owned, "a\"bA", "only what had escapes is copied");
    assert_eq!(
        tape.events
            .iter()
            .filter(|e| matches!(e, Event::Borrowed(..)))
            .count(),
        3,
        "the names and the plain value: {:?}",
        tape.events
    );
}

#[test]
fn a_tape_grows_to_the_largest_payload_and_is_reused() {
    let mut tape = Tape::default();
    let large = serde_json::json!({"list": (0..200).collect::<Vec<_>>()}).to_string();
    record_and_replay(&mut tape, &large);
    let capacity = tape.events.capacity();
    for small in 0..50 {
        let text = serde_json::json!({"n": small, "s": "x\ny"}).to_string();
        record_and_replay(&mut tape, &text);
    }
    assert_eq!(
        tape.events.capacity(),
        capacity,
        "no allocation after the largest"
    );
}

#[test]
fn a_tape_is_read_only_with_the_text_it_was_recorded_from() {
    let mut tape = Tape::default();
    let text = String::from(r#"{"a":1}"#);
    record_and_replay(&mut tape, &text);
    assert!(tape.read(&text).is_some());
    let copy = text.clone();
    assert!(
        tape.read(&copy).is_none(),
        "another buffer with the same text"
    );
    tape.start(&text);
    assert!(tape.read(&text).is_none(), "nothing accepted yet");
}

#[test]
fn a_reader_asking_past_the_tape_is_refused_not_stalled() {
    let mut tape = Tape::default();
    let text = r#"[1,{"a":[true,null]}]"#;
    record_and_replay(&mut tape, text);
    let mut replay = super::Replay::new(text, &tape.owned, &tape.events);
    Value::deserialize(&mut replay).expect("the one value");
    assert!(Value::deserialize(&mut replay).is_err(), "no second value");
}
