//! Hostile input: each case ends in a clear finding or a clean verdict, never a panic, and
//! memory stays bounded by the line limit however large the input.

use std::io::{self, Read};

use ocpp_model::OcppVersion;
use ocpp_validate::check::{check_reader, CheckOptions, Counts};
use ocpp_validate::trace::DEFAULT_MAX_LINE;
use ocpp_validate::{check_frame, Correlator, Finding, Position};

fn check_bytes(input: impl Read, max_line: usize) -> (Counts, Vec<Finding>) {
    let mut findings = Vec::new();
    let options = CheckOptions::default()
        .with_version(Some(OcppVersion::V16))
        .with_max_line(max_line);
    let summary = check_reader(io::BufReader::new(input), options, &mut |f| {
        findings.push(f)
    })
    .expect("in-memory input");
    (summary, findings)
}

fn rules(findings: &[Finding]) -> Vec<(usize, &'static str)> {
    findings.iter().map(|f| (f.at.record, f.rule)).collect()
}

/// A reader of parts, each `bytes` repeated up to a length, produced as read: a huge input
/// without holding it in memory.
struct Huge {
    parts: Vec<Part>,
}

struct Part {
    bytes: Vec<u8>,
    length: usize,
    done: usize,
}

impl Read for Huge {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(part) = self.parts.first_mut() {
            if part.done == part.length {
                self.parts.remove(0);
                continue;
            }
            let n = buf.len().min(part.length - part.done);
            for (i, slot) in buf[..n].iter_mut().enumerate() {
                *slot = part.bytes[(part.done + i) % part.bytes.len()];
            }
            part.done += n;
            return Ok(n);
        }
        Ok(0)
    }
}

fn literal(text: &str) -> Part {
    repeated(text, text.len())
}

fn repeated(text: &str, length: usize) -> Part {
    Part {
        bytes: text.as_bytes().to_vec(),
        length,
        done: 0,
    }
}

#[test]
fn a_100_mb_frame_is_skipped_without_being_loaded_and_the_next_line_is_checked() {
    let huge = Huge {
        parts: vec![
            literal(r#"[2,"1","DataTransfer",{"vendorId":"V","data":""#),
            repeated("a", 100 * 1024 * 1024),
            literal("\"}]\n[2,\"2\",\"Heartbeat\",{}]\n[3,\"2\",{\"currentTime\":\"2024-05-01T10:00:00Z\"}]\n"),
        ],
    };
    let (summary, findings) = check_bytes(huge, DEFAULT_MAX_LINE);
    assert_eq!(summary.records, 3);
    assert_eq!(rules(&findings), [(0, "record-too-long")]);
}

#[test]
fn a_10_mb_line_within_the_limit_is_checked() {
    let big = Huge {
        parts: vec![
            literal(r#"[2,"1","DataTransfer",{"vendorId":"V","data":""#),
            repeated("0123456789", 10 * 1024 * 1024),
            literal("\"}]\n[3,\"1\",{\"status\":\"Accepted\"}]\n"),
        ],
    };
    let (summary, findings) = check_bytes(big, DEFAULT_MAX_LINE);
    assert_eq!(summary.records, 2);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn nesting_beyond_the_parsers_limit_is_a_clear_error() {
    let deep = "[".repeat(200_000);
    let issue = check_frame(OcppVersion::V201, &deep).expect_err("too deep");
    assert_eq!(issue.rule, "frame-not-json");
    assert!(
        issue.message.contains("recursion limit"),
        "{}",
        issue.message
    );
    let payload = format!(
        r#"[2,"1","DataTransfer",{{"vendorId":"V","data":{}{}}}]"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let findings =
        Correlator::new().check_text(Position::default(), OcppVersion::V16, None, &payload);
    assert_eq!(rules(&findings), [(0, "frame-not-json")]);
}

#[test]
fn nul_bytes_are_invalid_raw_and_valid_escaped() {
    let raw = "[2,\"1\",\"Authorize\",{\"idTag\":\"A\u{0}B\"}]";
    let findings = Correlator::new().check_text(Position::default(), OcppVersion::V16, None, raw);
    assert_eq!(rules(&findings), [(0, "frame-not-json")]);
    let escaped = r#"[2,"1","Authorize",{"idTag":"A\u0000B"}]"#;
    assert!(Correlator::new()
        .check_text(Position::default(), OcppVersion::V16, None, escaped)
        .is_empty());
}

#[test]
fn extreme_numbers_are_judged_without_loss_or_panic() {
    let session = |text: &str| {
        Correlator::new().check_text(Position::default(), OcppVersion::V201, None, text)
    };
    let cost = |number: &str| {
        format!(r#"[2,"1","CostUpdated",{{"totalCost":{number},"transactionId":"T"}}]"#)
    };
    assert!(session(&cost("-0")).is_empty());
    assert!(session(&cost("1e2")).is_empty());
    for beyond in ["1e400", "123456789012345678901234567890"] {
        let findings = session(&cost(beyond));
        assert_eq!(rules(&findings), [(0, "value-unrepresentable")], "{beyond}");
        assert_eq!(findings[0].pointer, "/totalCost");
    }
    let reserve = r#"[2,"1","ReserveNow",{"id":18446744073709551616,"expiryDateTime":"2024-05-01T10:00:00Z","idToken":{"idToken":"A","type":"Central"}}]"#;
    assert_eq!(rules(&session(reserve)), [(0, "value-unrepresentable")]);
}

/// JSON leaves duplicate member names undefined (RFC 8259 §4); neither value may hide the
/// other, so the frame is refused on the fast path and the full path alike.
#[test]
fn duplicate_members_are_refused_whichever_comes_last() {
    let check = |text: &str| {
        Correlator::new().check_text(Position::default(), OcppVersion::V16, None, text)
    };
    for text in [
        r#"[2,"1","Authorize",{"idTag":"much-too-long-for-an-id-tag","idTag":"A"}]"#,
        r#"[2,"1","Authorize",{"idTag":"A","idTag":"much-too-long-for-an-id-tag"}]"#,
    ] {
        assert_eq!(rules(&check(text)), [(0, "frame-duplicate-key")], "{text}");
    }
}

#[test]
fn binary_garbage_is_reported_record_by_record() {
    let mut garbage = Vec::new();
    for i in 0..64_u8 {
        garbage.extend((0..200).map(|j: u8| i.wrapping_mul(31).wrapping_add(j.wrapping_mul(7))));
        garbage.push(b'\n');
    }
    let (summary, findings) = check_bytes(&garbage[..], 1024);
    assert!(summary.records > 0);
    assert!(findings.iter().all(|f| f.at.record < summary.records));
    assert_eq!(
        summary.errors,
        findings
            .iter()
            .filter(|f| f.severity == ocpp_validate::Severity::Error)
            .count()
    );
}
