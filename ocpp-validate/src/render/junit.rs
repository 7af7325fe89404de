//! JUnit XML for CI dashboards: one test case per rule. Every semantic rule is listed, and
//! every other rule that found something; a rule with errors fails (one `<failure>` listing
//! each), a rule with only warnings or infos passes and lists them in `<system-out>`.

use std::fmt::Write;

use crate::finding::{Category, Finding, Severity};
use crate::semantic::RULES;

/// The whole report for findings gathered from every input (each with its input's name).
pub fn report(findings: &[(String, Finding)]) -> String {
    let mut rules: Vec<(&str, Category)> = RULES
        .iter()
        .map(|rule| (rule.id, Category::Semantic))
        .collect();
    for (_, finding) in findings {
        if !rules.iter().any(|(id, _)| *id == finding.rule) {
            rules.push((finding.rule, finding.category));
        }
    }
    let mut cases = String::new();
    let mut failures = 0;
    for (rule, category) in &rules {
        let found: Vec<&(String, Finding)> =
            findings.iter().filter(|(_, f)| f.rule == *rule).collect();
        let errors = found
            .iter()
            .filter(|(_, f)| f.severity == Severity::Error)
            .count();
        let _ = write!(
            cases,
            "    <testcase classname=\"ocpp-validate.{}\" name=\"{rule}\"",
            category_name(*category)
        );
        if found.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(">\n");
        let listing: String = found.iter().map(|(file, f)| line(file, f)).collect();
        if errors > 0 {
            failures += 1;
            let plural = if errors == 1 { "" } else { "s" };
            let _ = writeln!(
                cases,
                "      <failure type=\"{rule}\" message=\"{errors} error{plural}\">{}</failure>",
                escape(&listing)
            );
        } else {
            let _ = writeln!(cases, "      <system-out>{}</system-out>", escape(&listing));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"ocpp-validate\" tests=\"{tests}\" failures=\"{failures}\">\n  \
         <testsuite name=\"ocpp-validate check\" tests=\"{tests}\" failures=\"{failures}\">\n\
         {cases}  </testsuite>\n</testsuites>\n",
        tests = rules.len()
    )
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
        finding.at.line, finding.at.record, finding.message
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
