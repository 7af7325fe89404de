//! Hostile input to the tolerant decoder: mutated fixtures, deep nesting and floods of
//! deviations never panic, and what is reported stays proportional to the input.

use ocpp_model::OcppVersion;
use ocpp_validate::fuzz;
use ocpp_validate::tolerant::{decode_frame, Policy};

/// Every fixture frame, each with bytes dropped, duplicated and replaced by characters the
/// rules look at, through the fuzz entry point (which asserts its invariants).
#[test]
fn mutated_fixtures_never_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tolerant");
    let mut runs = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("UTF-8");
        for frame in text
            .lines()
            .filter_map(|l| l.split_once(": ").map(|(_, f)| f))
        {
            let bytes = frame.as_bytes();
            for at in 0..bytes.len() {
                for (selector, insert) in [(0u8, &b"\0"[..]), (1, b"_"), (2, b" "), (7, b"\"")] {
                    let mut mutated = vec![selector];
                    mutated.extend_from_slice(&bytes[..at]);
                    mutated.extend_from_slice(insert);
                    mutated.extend_from_slice(&bytes[at + 1..]);
                    fuzz::tolerant(&mutated);
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!(
        "[2,\"1\",\"DataTransfer\",{{\"vendorId\":\"v\",\"data\":{}{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for version in [OcppVersion::V16, OcppVersion::V201] {
        let decoded = decode_frame(version, &deep, &Policy::default(), &|_| None);
        assert!(decoded.frame.is_err(), "{version}");
    }
}

#[test]
fn a_flood_of_unknown_members_is_reported_once_each() {
    let members: String = (0..20_000).map(|i| format!(",\"x_{i}\":{i}")).collect();
    let text = format!("[2,\"1\",\"Heartbeat\",{{\"a\":0{members}}}]");
    let decoded = decode_frame(OcppVersion::V16, &text, &Policy::default(), &|_| None);
    assert_eq!(decoded.repairs.len(), 20_001);
    assert!(
        matches!(decoded.message, Some(Ok(_))),
        "the extras are left out of the message"
    );
}
