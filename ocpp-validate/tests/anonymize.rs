//! `anonymize`: what it replaces, that nothing personal survives, and that an anonymized
//! trace checks exactly as the original did — on the example traces and fixtures of every
//! format, and on random typed messages of every action of every version.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use arbitrary::Unstructured;
use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use ocpp_validate::anonymize::{Anonymizer, Outcome};
use ocpp_validate::check::{run_reader, CheckOptions, Event};
use ocpp_validate::{validate_payload, Category};
use serde_json::Value;

fn anonymized(anonymizer: &mut Anonymizer, text: &str) -> (String, Outcome) {
    let mut out = Vec::new();
    let outcome = anonymizer
        .anonymize(Cursor::new(text.to_owned()), None, &mut out)
        .expect("in memory");
    (String::from_utf8(out).expect("UTF-8"), outcome)
}

/// `check`'s findings of a trace, as (rule, pointer, whether it is about reading), counted.
fn findings(text: &str) -> BTreeMap<(&'static str, String, bool), usize> {
    let mut found = BTreeMap::new();
    let mut take = |event| {
        if let Event::Finding(f) = event {
            let reading = f.category == Category::Framing;
            *found.entry((f.rule, f.pointer, reading)).or_default() += 1;
        }
    };
    run_reader(
        Cursor::new(text.to_owned()),
        CheckOptions::default(),
        &mut take,
    )
    .expect("readable");
    found
}

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).expect(path)
}

const INPUTS: &[&str] = &[
    "examples/traces/clean.jsonl",
    "examples/traces/depot.jsonl",
    "examples/traces/csms.log",
    "examples/traces/lake.csv",
    "examples/traces/lake.jsonl",
    "examples/traces/spark-export.csv",
    "tests/fixtures/raw-2.0.1.txt",
    "tests/fixtures/clean-1.6.txt",
    "tests/fixtures/open-trace.jsonl",
    "tests/fixtures/response-schema-1.6.txt",
    "tests/fixtures/lake/old_export.csv",
    "tests/fixtures/lake/nulls_snake.jsonl",
    "tests/fixtures/lake/microseconds.jsonl",
];

#[test]
fn anonymized_traces_check_exactly_as_the_originals() {
    for input in INPUTS {
        let original = read(input);
        let (text, outcome) = anonymized(&mut Anonymizer::new(b"test salt"), &original);
        assert_eq!(
            text.lines().count() + outcome.left_out,
            original.lines().filter(|l| !l.trim().is_empty()).count(),
            "{input}"
        );
        // The same findings, but for those of the lines left out: lines `check` cannot read
        // either, whose findings are about reading them.
        let (mut before, after) = (findings(&original), findings(&text));
        for (finding, count) in &after {
            let was = before
                .get_mut(finding)
                .unwrap_or_else(|| panic!("{input}: {finding:?} is new"));
            assert!(*was >= *count, "{input}: {finding:?}");
            *was -= count;
        }
        before.retain(|_, count| *count > 0);
        assert!(
            before.keys().all(|(_, _, reading)| *reading),
            "{input}: {before:?} lost"
        );
        assert_eq!(
            before.values().sum::<usize>(),
            outcome.left_out,
            "{input}: {before:?}"
        );
    }
}

/// Every string a member of this name holds in the JSON of a line.
fn values_of(text: &str, names: &[&str]) -> Vec<String> {
    fn walk(value: &Value, names: &[&str], out: &mut Vec<String>) {
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    match member {
                        Value::String(s) if names.contains(&name.as_str()) => out.push(s.clone()),
                        other => walk(other, names, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, names, out)),
            Value::String(s) if s.starts_with(['{', '[']) => {
                if let Ok(inner) = serde_json::from_str::<Value>(s) {
                    walk(&inner, names, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for line in text.lines() {
        if let Ok(value) = serde_json::from_str::<Value>(line) {
            walk(&value, names, &mut out);
        }
    }
    out
}

#[test]
fn no_personal_value_survives_and_the_same_value_gets_the_same_pseudonym() {
    let personal = [
        "idTag",
        "chargePointId",
        "charge_point_id",
        "id_tag",
        "idToken",
        "serialNumber",
    ];
    let mut anonymizer = Anonymizer::new(b"one salt");
    for input in INPUTS {
        let original = read(input);
        let (text, _) = anonymized(&mut anonymizer, &original);
        for value in values_of(&original, &personal) {
            if value.len() >= 3 {
                assert!(
                    !text.contains(&format!("\"{value}\"")),
                    "{input}: {value} survives"
                );
            }
        }
    }
    // The same tag in two files, and in another case: the same pseudonym, in that case.
    let one = r#"[2,"1","Authorize",{"idTag":"Tag-42"}]"#;
    let two = r#"[2,"9","StartTransaction",{"connectorId":1,"idTag":"TAG-42","meterStart":0,"timestamp":"2024-01-01T00:00:00Z"}]"#;
    let (a, _) = anonymized(&mut anonymizer, one);
    let (b, _) = anonymized(&mut anonymizer, two);
    let (a, b) = (
        &values_of(&format!("{{\"x\":{}}}", a.trim()), &["idTag"])[0],
        &values_of(&format!("{{\"x\":{}}}", b.trim()), &["idTag"])[0],
    );
    assert_eq!(a.to_uppercase(), *b);
    assert_ne!(b, "TAG-42");
    let (other, _) = anonymized(&mut Anonymizer::new(b"another salt"), two);
    assert!(!other.contains(b.as_str()), "{other}");
}

#[test]
fn secrets_certificates_urls_and_free_text() {
    let mut anonymizer = Anonymizer::new(b"s").dropping("info");
    let lines = [
        r#"[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"0011223344556677"}]"#,
        r#"[2,"2","ChangeConfiguration",{"key":"HeartbeatInterval","value":"300"}]"#,
        r#"[2,"3","SetVariables",{"setVariableData":[{"attributeValue":"hunter22secret","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}},{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]"#,
        r#"[2,"4","UpdateFirmware",{"location":"ftp://fw:pa55@files.example.com/fw.bin?sig=abc","retrieveDate":"2024-01-01T00:00:00Z"}]"#,
        r#"[2,"5","InstallCertificate",{"certificateType":"CentralSystemRootCertificate","certificate":"-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"}]"#,
        r#"[2,"6","StatusNotification",{"connectorId":1,"errorCode":"OtherError","info":"call Jane","status":"Faulted"}]"#,
    ];
    let (text, _) = anonymized(&mut anonymizer, &lines.join("\n"));
    let out: Vec<&str> = text.lines().collect();
    for secret in [
        "0011223344556677",
        "hunter22secret",
        "fw:pa55",
        "sig=abc",
        "MIIB",
        "Jane",
    ] {
        assert!(!text.contains(secret), "{secret} survives: {text}");
    }
    assert!(out[1].contains(r#""value":"300""#), "{}", out[1]);
    assert!(out[2].contains(r#""attributeValue":"60""#), "{}", out[2]);
    assert!(
        out[3].contains("@files.example.com/fw.bin?sig="),
        "{}",
        out[3]
    );
    assert!(
        out[4].contains(r#""certificate":"-----REMOVED-----""#),
        "{}",
        out[4]
    );
    assert_eq!(out[5].len(), lines[5].len());
    let counts: Vec<(&str, usize)> = anonymizer
        .replaced()
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        counts,
        [
            ("attributeValue", 1),
            ("certificate", 1),
            ("info", 1),
            ("location", 1),
            ("value", 1)
        ]
    );
}

#[test]
fn keep_and_unknown_members() {
    let line = r#"[2,"1","TransactionEvent",{"eventType":"Started","timestamp":"2024-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-77"},"idToken":{"idToken":"ABC","type":"ISO14443"}}]"#;
    let (kept, _) = anonymized(
        &mut Anonymizer::new(b"s")
            .keeping("transactionId")
            .expect("known"),
        line,
    );
    assert!(
        kept.contains("tx-77") && !kept.contains("\"ABC\""),
        "{kept}"
    );
    let (replaced, _) = anonymized(&mut Anonymizer::new(b"s"), line);
    assert!(!replaced.contains("tx-77"), "{replaced}");
    let error = Anonymizer::new(b"s")
        .keeping("eventType")
        .expect_err("not replaced")
        .to_string();
    assert!(error.contains("idtag"), "{error}");
}

#[test]
fn unreadable_lines_are_left_out_and_counted() {
    let text = "[2,\"1\",\"Heartbeat\",{}]\n[2,\"2\",\"Authorize\",{\"idTag\":\"SECRET-TAG\"\n[3,\"1\",{\"currentTime\":\"2024-01-01T00:00:00Z\"}]\n";
    let (out, outcome) = anonymized(&mut Anonymizer::new(b"s"), text);
    assert_eq!((outcome.written, outcome.left_out), (2, 1));
    assert!(!out.contains("SECRET-TAG"));
}

/// Random messages per action and direction.
const SAMPLES: u64 = 8;

fn bytes(seed: u64) -> Vec<u8> {
    common::random_bytes(seed, 4096)
}

#[test]
fn random_valid_messages_of_every_action_stay_valid() {
    let mut anonymizer = Anonymizer::new(b"property salt")
        .dropping("data")
        .dropping("info");
    let mut checked = 0;
    for seed in 1..=SAMPLES {
        let data = bytes(seed);
        for &version in OcppVersion::ALL {
            for action in version.action_names().iter().copied() {
                for kind in [PayloadKind::Request, PayloadKind::Response] {
                    let mut u = Unstructured::new(&data);
                    let Some(Ok(message)) = AnyMessage::arbitrary_of(version, kind, action, &mut u)
                    else {
                        continue;
                    };
                    let frame = match kind {
                        PayloadKind::Request => {
                            format!("[2,\"1\",\"{action}\",{}]", message.to_value())
                        }
                        PayloadKind::Response => format!("[3,\"1\",{}]", message.to_value()),
                    };
                    let (text, outcome) = anonymized(&mut anonymizer, &frame);
                    assert_eq!(outcome.left_out, 0);
                    let frame: Value = serde_json::from_str(&text).expect("a frame");
                    let payload = &frame[if kind == PayloadKind::Request { 3 } else { 2 }];
                    let violations =
                        validate_payload(version, action, kind, payload).expect("known action");
                    assert!(
                        violations.is_empty(),
                        "{version} {action} {kind:?}: {violations:?}\n{text}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    assert!(
        anonymizer.replaced().len() > 10,
        "{:?}",
        anonymizer.replaced()
    );
}
