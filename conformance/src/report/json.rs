//! The machine-readable report: one JSON object per case, one per line.

use crate::runner::CaseReport;

/// Renders the cases as JSON lines.
pub fn json(cases: &[CaseReport]) -> String {
    cases
        .iter()
        .filter_map(|case| serde_json::to_string(case).ok())
        .map(|line| line + "\n")
        .collect()
}
