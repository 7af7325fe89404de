//! Rendering case reports: one renderer per format.

mod human;
mod json;
mod junit;

use crate::runner::{CaseReport, Deviation, Level, Status};

pub use human::{human, human_case, human_totals};
pub use json::{json, json_case};
pub use junit::junit;

/// The exit code a CI gate reads: 0 all passed or skipped (warnings allowed unless the run
/// was strict), 1 a failed case, 2 the CSMS could not be reached.
pub fn exit_code(cases: &[CaseReport]) -> u8 {
    if cases.iter().any(|c| c.unreachable) {
        2
    } else if cases.iter().any(|c| c.status == Status::Fail) {
        1
    } else {
        0
    }
}

/// How many cases passed, failed and were skipped.
fn counts(cases: &[CaseReport]) -> (usize, usize, usize) {
    let count = |status| cases.iter().filter(|c| c.status == status).count();
    (
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Skip),
    )
}

/// A deviation as one line: step, level, rule and message.
fn deviation_line(deviation: &Deviation) -> String {
    let level = match deviation.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    format!(
        "step {} {level} [{}] {}",
        deviation.step, deviation.rule, deviation.message
    )
}
