//! The report for people: one line per case, its deviations beneath it, and totals.

use std::fmt::Write;

use crate::runner::{CaseReport, Status};

/// Renders the cases as text.
pub fn human(cases: &[CaseReport]) -> String {
    let mut out = String::new();
    for case in cases {
        let label = match case.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        };
        let _ = writeln!(out, "{label} {} — {}", case.id, case.name);
        if let Some(reason) = &case.reason {
            let _ = writeln!(out, "     reason: {reason}");
        }
        for deviation in &case.deviations {
            let _ = writeln!(
                out,
                "     step {} [{}] {}",
                deviation.step, deviation.rule, deviation.message
            );
        }
    }
    let (pass, fail, skip) = super::counts(cases);
    let _ = writeln!(out, "{pass} passed, {fail} failed, {skip} skipped");
    out
}
