//! JSON Lines: one object per finding, then one summary object.

use serde::Serialize;
use serde_json::json;

use crate::counts::Counts;
use crate::finding::{Echo, Finding};

/// One finding as a JSON line (no newline), its message and value cut as [`Finding::echo`]
/// says. `file` is added when several inputs are checked.
pub fn finding(file: Option<&str>, finding: &Finding) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<&'a str>,
        #[serde(flatten)]
        finding: Echo<'a>,
    }
    let finding = finding.echo();
    serde_json::to_string(&Line { file, finding }).unwrap_or_default()
}

/// The closing summary line.
pub fn summary(summary: &Counts, files: usize) -> String {
    json!({"summary": {
        "files": files,
        "records": summary.records,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
    }})
    .to_string()
}
