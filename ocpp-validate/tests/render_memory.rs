//! The SARIF and JUnit renderers keep what they need of 100,000 and 200,000 findings (fewer
//! for SARIF, slower in a debug build) in bounded memory:
//! the growth of this process's peak resident memory (VmHWM) is measured around them. The
//! only test of its binary, so that nothing else runs meanwhile.

use std::io;

use ocpp_validate::render::junit::Junit;
use ocpp_validate::render::sarif::Sarif;
use ocpp_validate::{Category, Finding, Position, Severity};

/// This process's peak resident memory so far, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM is listed")
}

/// Finding number `n`, made on demand (none is kept by the test).
fn finding(n: usize) -> Finding {
    let (rule, severity, category) = if n.is_multiple_of(2) {
        ("schema-max-length", Severity::Error, Category::Schema)
    } else {
        (
            "correlation-orphan-response",
            Severity::Warning,
            Category::Correlation,
        )
    };
    let message = format!("\"tag-{n:0>40}\" is longer than 20 characters");
    Finding::new(Position::new(n, n + 1), rule, severity, category, message)
        .with_pointer("/idTag")
        .with_value(serde_json::Value::String(format!("tag-{n:0>40}")))
}

const SARIF_FINDINGS: usize = 100_000;
const JUNIT_FINDINGS: usize = 200_000;

#[test]
fn sarif_and_junit_hold_a_rule_table_not_the_findings() {
    let before = peak_kib();
    let mut sarif = Sarif::new().expect("a temporary file");
    let mut junit = Junit::new();
    for n in 0..JUNIT_FINDINGS {
        let finding = finding(n);
        if n < SARIF_FINDINGS {
            sarif.add("trace.txt", &finding).expect("spooled");
        }
        junit.add("trace.txt", &finding).expect("spooled");
    }
    assert_eq!(sarif.rules(), ocpp_validate::semantic::RULES.len() + 2);
    assert_eq!(junit.cases(), ocpp_validate::semantic::RULES.len() + 2);
    let mut sarif_bytes = Counted(0);
    sarif.finish(&mut sarif_bytes).expect("written");
    let mut junit_bytes = Counted(0);
    junit.finish(&mut junit_bytes).expect("written");
    let grown = peak_kib() - before;
    // The reports themselves are large; what the renderers held is not.
    assert!(sarif_bytes.0 > 50 * 1024 * 1024, "{}", sarif_bytes.0);
    assert!(junit_bytes.0 > 10 * 1024 * 1024, "{}", junit_bytes.0);
    assert!(grown < 8 * 1024, "peak RSS grew by {grown} KiB");
}

/// A writer that only counts bytes.
struct Counted(usize);

impl io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
