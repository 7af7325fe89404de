//! The JUnit XML report that CI systems display.

use std::fmt::Write;

use crate::report::{CaseReport, Status};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the cases as one JUnit test suite.
pub fn junit(cases: &[CaseReport]) -> String {
    let (_, fail, skip) = super::counts(cases);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"ocpp-conformance\" tests=\"{}\" failures=\"{fail}\" skipped=\"{skip}\">",
        cases.len()
    );
    for case in cases {
        let _ = write!(
            out,
            "  <testcase classname=\"ocpp-conformance\" name=\"{}: {}\"",
            escape(&case.id),
            escape(&case.name)
        );
        match case.status {
            Status::Pass if case.deviations.is_empty() => out.push_str("/>\n"),
            // Warnings do not fail a case; they are shown beside it.
            Status::Pass => {
                let lines: Vec<String> =
                    case.deviations.iter().map(super::deviation_line).collect();
                let _ = writeln!(
                    out,
                    ">\n    <system-out>{}</system-out>\n  </testcase>",
                    escape(&lines.join("\n"))
                );
            }
            Status::Skip => {
                let reason = case.reason.as_deref().unwrap_or_default();
                let _ = writeln!(
                    out,
                    ">\n    <skipped message=\"{}\"/>\n  </testcase>",
                    escape(reason)
                );
            }
            Status::Fail => {
                let mut body: Vec<String> =
                    case.deviations.iter().map(super::deviation_line).collect();
                body.extend(case.reason.clone());
                let _ = writeln!(
                    out,
                    ">\n    <failure message=\"{} deviation(s)\">{}</failure>\n  </testcase>",
                    case.deviations.len(),
                    escape(&body.join("\n"))
                );
            }
        }
    }
    out.push_str("</testsuite>\n");
    out
}
