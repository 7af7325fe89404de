//! Compact, rustc-style diagnostics for people.

use std::fmt::Write;

use crate::counts::Counts;
use crate::finding::{cut, cut_value, Category, Finding, Severity, MAX_MESSAGE};
use crate::render::statistics::severity_label;

/// The longest rendering of an offending value.
const MAX_VALUE: usize = 120;

/// One finding:
///
/// ```text
/// error[schema-enum]: "Charged" is not one of ["Accepted", ...]
///   --> trace.jsonl:12 (record 11)
///    = at /idTagInfo/status: "Charged"
///    = answer with CALLERROR PropertyConstraintViolation
/// ```
pub fn finding(file: &str, finding: &Finding, color: bool) -> String {
    let label = severity_label(finding.severity);
    let paint = match finding.severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    };
    let (start, end) = if color { (paint, "\x1b[0m") } else { ("", "") };
    let mut out = format!(
        "{start}{label}[{}]{end}: {}\n",
        finding.rule,
        cut(&finding.message, MAX_MESSAGE)
    );
    // Line 0: a finding of the input as a whole (it has no lines).
    let _ = match finding.at.line {
        0 => writeln!(out, "  --> {file}"),
        line => writeln!(out, "  --> {file}:{line} (record {})", finding.at.record),
    };
    if finding.category == Category::Schema
        || finding.value.is_some()
        || !finding.pointer.is_empty()
    {
        let pointer = if finding.pointer.is_empty() && finding.category == Category::Tolerant {
            "(frame)"
        } else if finding.pointer.is_empty() {
            "(payload root)"
        } else {
            &finding.pointer
        };
        match &finding.value {
            Some(value) => {
                let shown = cut_value(value).to_string();
                let _ = writeln!(out, "   = at {pointer}: {}", cut(&shown, MAX_VALUE));
            }
            None => {
                let _ = writeln!(out, "   = at {pointer}");
            }
        }
    }
    if let Some(code) = finding.error_code {
        let _ = writeln!(out, "   = answer with CALLERROR {code}");
    }
    out
}

/// The closing line.
pub fn summary(summary: &Counts, files: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "checked {} in {}: {}, {}",
        plural(summary.records, "record", "records"),
        plural(files, "input", "inputs"),
        plural(summary.errors, "error", "errors"),
        plural(summary.warnings, "warning", "warnings"),
    )
}
