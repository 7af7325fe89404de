//! JUnit XML for CI dashboards: one test case per rule. Every semantic rule is listed, and
//! every other rule that found something; a rule with errors fails (one `<failure>` listing
//! each), a rule with only warnings or infos passes and lists them in `<system-out>`.
//!
//! [`Junit`] takes the findings one at a time: each rule's lines are written to a temporary
//! file as they come and only the counts are kept in memory, so that the counts can head the
//! report however many findings follow.

use std::io::{self, Write};

use super::spool::Spool;
use super::{Input, Renderer, Totals};
use crate::finding::{cut, Category, Finding, Severity, MAX_MESSAGE};
use crate::semantic::RULES;

/// A JUnit report being written.
#[derive(Debug)]
pub struct Junit {
    /// One test case per rule, in the order listed.
    cases: Vec<Case>,
    /// Records checked, as told by [`Junit::count_records`].
    records: usize,
}

/// One rule's test case: its counts, and its findings' lines (escaped) set aside.
#[derive(Debug)]
struct Case {
    rule: &'static str,
    category: Category,
    errors: usize,
    listing: Option<Spool>,
}

impl Junit {
    /// A report with a passing test case for every semantic rule.
    pub fn new() -> Self {
        let cases = RULES
            .iter()
            .map(|rule| Case {
                rule: rule.id,
                category: Category::Semantic,
                errors: 0,
                listing: None,
            })
            .collect();
        Self { cases, records: 0 }
    }

    /// Counts `records` more records checked. A report that was told of none marks every
    /// test case without findings skipped ("no records were checked") instead of passed:
    /// an empty capture proves nothing.
    pub fn count_records(&mut self, records: usize) {
        self.records += records;
    }

    /// Adds one finding of input `file` to its rule's test case.
    pub fn add(&mut self, file: &str, finding: &Finding) -> io::Result<()> {
        let index = match self.cases.iter().position(|c| c.rule == finding.rule) {
            Some(index) => index,
            None => {
                self.cases.push(Case {
                    rule: finding.rule,
                    category: finding.category,
                    errors: 0,
                    listing: None,
                });
                self.cases.len() - 1
            }
        };
        let case = &mut self.cases[index];
        if finding.severity == Severity::Error {
            case.errors += 1;
        }
        let listing = match &mut case.listing {
            Some(listing) => listing,
            None => case.listing.insert(Spool::new()?),
        };
        listing.write(&escape(&line(file, finding)))
    }

    /// How many test cases the report has so far: all it keeps in memory besides a write
    /// buffer per rule that found something.
    pub fn cases(&self) -> usize {
        self.cases.len()
    }

    /// Writes the whole report to `out`.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let tests = self.cases.len();
        let failures = self.cases.iter().filter(|c| c.errors > 0).count();
        let nothing_checked = self.records == 0;
        let skipped = if nothing_checked {
            self.cases.iter().filter(|c| c.listing.is_none()).count()
        } else {
            0
        };
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"ocpp-validate\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{skipped}\">\n  \
             <testsuite name=\"ocpp-validate check\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{skipped}\">\n"
        )?;
        for case in self.cases {
            let rule = case.rule;
            write!(
                out,
                "    <testcase classname=\"ocpp-validate.{}\" name=\"{rule}\"",
                category_name(case.category)
            )?;
            let Some(listing) = case.listing else {
                if nothing_checked {
                    out.write_all(
                        b">\n      <skipped message=\"no records were checked\"/>\n    </testcase>\n",
                    )?;
                } else {
                    out.write_all(b"/>\n")?;
                }
                continue;
            };
            out.write_all(b">\n")?;
            let errors = case.errors;
            if errors > 0 {
                let plural = if errors == 1 { "" } else { "s" };
                write!(
                    out,
                    "      <failure type=\"{rule}\" message=\"{errors} error{plural}\">"
                )?;
                listing.copy_to(out)?;
                out.write_all(b"</failure>\n")?;
            } else {
                out.write_all(b"      <system-out>")?;
                listing.copy_to(out)?;
                out.write_all(b"</system-out>\n")?;
            }
            out.write_all(b"    </testcase>\n")?;
        }
        out.write_all(b"  </testsuite>\n</testsuites>\n")
    }
}

/// The report as a [`Renderer`]: the records of the totals are counted (so
/// [`Junit::count_records`] is not called beside it), and the report is written whole at the
/// end, interrupted or not.
impl Renderer for Junit {
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        finding: &Finding,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        self.add(input.name, finding)
    }

    fn finish(self: Box<Self>, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        let mut report = *self;
        report.count_records(totals.counts.records);
        report.finish(out)
    }
}

impl Default for Junit {
    fn default() -> Self {
        Self::new()
    }
}

/// `file:line (record N): severity: message [at pointer]`.
fn line(file: &str, finding: &Finding) -> String {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let at = if finding.pointer.is_empty() {
        String::new()
    } else {
        format!(" at {}", finding.pointer)
    };
    format!(
        "{file}:{} (record {}): {severity}: {}{at}\n",
        finding.at.line,
        finding.at.record,
        cut(&finding.message, MAX_MESSAGE)
    )
}

/// The JSON spelling of a category.
pub(crate) fn category_name(category: Category) -> &'static str {
    match category {
        Category::Framing => "framing",
        Category::Schema => "schema",
        Category::Correlation => "correlation",
        Category::Semantic => "semantic",
        Category::Tolerant => "tolerant",
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write most control characters.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
