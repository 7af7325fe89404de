//! Compact, rustc-style diagnostics for people.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::excerpt::excerpt;
use super::statistics::{severity_label, Statistics};
use super::{Input, Renderer, Totals};
use crate::counts::Counts;
use crate::finding::{cut, cut_value, Category, Finding, Severity, MAX_MESSAGE};

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

/// The human format as a [`Renderer`]: each finding as [`finding`] writes it, followed by the
/// frame it points into when the input's frames are kept; at most
/// [`max_per_rule`](Human::max_per_rule) findings of one rule, the rest counted in a line at
/// the end; then the closing line, unless [`quiet`](Human::quiet).
#[derive(Debug)]
pub struct Human {
    color: bool,
    max_per_rule: usize,
    quiet: bool,
    /// The findings seen per rule, for the cap.
    tally: Statistics,
}

impl Human {
    /// Every finding shown, painted when `color`, and the closing line.
    pub fn new(color: bool) -> Self {
        Self {
            color,
            max_per_rule: usize::MAX,
            quiet: false,
            tally: Statistics::new(),
        }
    }

    /// Shows at most `shown` findings of each rule.
    pub fn max_per_rule(self, shown: usize) -> Self {
        Self {
            max_per_rule: shown,
            ..self
        }
    }

    /// Leaves the closing line out when `quiet`.
    pub fn quiet(self, quiet: bool) -> Self {
        Self { quiet, ..self }
    }
}

impl Renderer for Human {
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        found: &Finding,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if self.tally.add(input.name, found) > self.max_per_rule {
            return Ok(());
        }
        let mut text = finding(input.name, found, self.color);
        if !found.pointer.is_empty() {
            let frame = input
                .frames
                .as_deref_mut()
                .and_then(|f| f.frame(found.at.line));
            text.extend(frame.and_then(|f| excerpt(&f, &found.pointer, self.color)));
        }
        out.write_all(text.as_bytes())
    }

    fn finish(self: Box<Self>, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        if totals.interrupted {
            return Ok(());
        }
        let mut text = self.tally.left_out(self.max_per_rule);
        if !self.quiet {
            text += &summary(&totals.counts, totals.inputs);
            text.push('\n');
        }
        out.write_all(text.as_bytes())
    }
}
