//! The report for people: one line per case, its deviations beneath it, and totals.

use std::fmt::Write;

use crate::report::{AnsweredBy, CaseReport, Status};

/// Renders the cases as text.
pub fn human(cases: &[CaseReport]) -> String {
    let mut out: String = cases.iter().map(human_case).collect();
    out.push_str(&human_totals(cases));
    out
}

/// One case's lines: its verdict, reason and deviations.
pub fn human_case(case: &CaseReport) -> String {
    let mut out = String::new();
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
        let _ = writeln!(out, "     {}", super::deviation_line(deviation));
    }
    for call in &case.unsolicited {
        let by = match call.answered_by {
            AnsweredBy::Config => "the configured answer",
            AnsweredBy::Trace => "the trace's answer",
            AnsweredBy::Reference => "the reference default",
            AnsweredBy::CallError => "a CALLERROR",
        };
        let taken = call
            .taken_by_step
            .map(|step| format!(", taken by step {step}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "     step {} unsolicited {} answered with {by}{taken}",
            call.step, call.action
        );
    }
    out
}

/// The closing line: how many cases passed, failed and were skipped.
pub fn human_totals(cases: &[CaseReport]) -> String {
    let (pass, fail, skip) = super::counts(cases);
    format!("{pass} passed, {fail} failed, {skip} skipped\n")
}
