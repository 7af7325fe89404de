//! One record pipeline for `check` and `summary`: the semantic rules and the summary read the
//! payload as the tolerant decoder repaired it, and `summary` takes `check`'s input options.

mod common;

use std::io::Cursor;

use common::{lake_fixtures, ocpp_validate};
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::tolerant::Policy;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(lake_fixtures().join(name)).expect("fixture")
}

/// Runs `ocpp-validate` in the fixtures directory.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    ocpp_validate(&lake_fixtures(), args)
}

/// The rules of every finding of a check of `text` with these options.
fn rules(text: &str, options: CheckOptions) -> Vec<&'static str> {
    let mut rules = Vec::new();
    check_reader(Cursor::new(text.to_owned()), options, &mut |f| {
        rules.push(f.rule)
    })
    .expect("in memory");
    rules
}

#[test]
fn repaired_stops_stop_their_transactions() {
    // StopTransaction bodies with `"transaction_data": null` and `"reason": null`, snake_case.
    let text = fixture("nulls_snake.jsonl");
    // The strict check reports the nulls and still reads the members that are valid, so
    // it stops the transactions too.
    let strict = rules(&text, CheckOptions::default());
    assert!(strict.contains(&"schema-type"), "{strict:?}");
    assert!(
        !strict.contains(&"semantic-transaction-never-stopped"),
        "the strict check reads the valid members of the stops: {strict:?}"
    );
    let tolerant = CheckOptions::default().with_tolerant(Some(Policy::default()));
    let found = rules(&text, tolerant);
    assert!(found.contains(&"any.null-optional"), "{found:?}");
    for rule in [
        "semantic-transaction-never-stopped",
        "semantic-start-twice",
        "semantic-stop-without-start",
    ] {
        assert!(!found.contains(&rule), "{rule} in {found:?}");
    }
}

#[test]
fn summary_shows_the_repaired_stops() {
    let (code, stdout, stderr) = run(&[
        "summary",
        "--tolerant",
        "--format",
        "json",
        "nulls_snake.jsonl",
    ]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let sessions = &summary["chargePoints"][0]["sessions"];
    let stops: Vec<(&str, &serde_json::Value)> = sessions
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| (s["stop"].as_str().unwrap_or("(open)"), &s["energyWh"]))
        .collect();
    assert_eq!(
        stops,
        [
            ("2024-03-01T08:31:05.654321Z", &serde_json::json!(3500)),
            ("2024-03-01T09:10:00.000020Z", &serde_json::json!(1200)),
        ]
    );
}
