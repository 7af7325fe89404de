//! The machine-readable report: one JSON object per case, one per line.

use crate::report::CaseReport;

/// Renders the cases as JSON lines.
pub fn json(cases: &[CaseReport]) -> String {
    cases.iter().map(json_case).collect()
}

/// One case as one JSON line.
pub fn json_case(case: &CaseReport) -> String {
    serde_json::to_string(case).map_or_else(|_| String::new(), |line| line + "\n")
}
