//! SARIF 2.1.0 for code-scanning UIs: one run, the rules in the tool driver (every semantic
//! rule, and every other rule that found something), one result per finding located by file
//! and line, with the JSON pointer as a logical location and in the result's properties.
//!
//! [`Sarif`] takes the findings one at a time: each result is written to a temporary file as
//! it comes, and only the rule table is kept in memory, so the log of a million findings
//! costs as little memory as that of one.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::junit::category_name;
use super::spool::Spool;
use super::{Input, Renderer, Totals};
use crate::finding::{cut, cut_value, Finding, Severity, MAX_MESSAGE};
use crate::semantic::RULES;

/// Where the SARIF 2.1.0 JSON schema is published.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// How deep results sit in the pretty-printed log.
const RESULT_INDENT: &str = "        ";

/// A SARIF log being written.
#[derive(Debug)]
pub struct Sarif {
    /// The driver's rules, in index order, with their ids.
    rules: Vec<(&'static str, Value)>,
    /// The results so far, pretty-printed and comma-separated.
    results: Spool,
    /// How many results were written.
    count: usize,
}

impl Sarif {
    /// A log with every semantic rule and no results yet.
    pub fn new() -> io::Result<Self> {
        let rules = RULES
            .iter()
            .map(|rule| {
                let entry = json!({
                    "id": rule.id,
                    "shortDescription": {"text": rule.description},
                    "defaultConfiguration": {"level": level(rule.severity)},
                    "properties": {"category": "semantic"},
                });
                (rule.id, entry)
            })
            .collect();
        Ok(Self {
            rules,
            results: Spool::new()?,
            count: 0,
        })
    }

    /// Adds the result of one finding of input `file`.
    pub fn add(&mut self, file: &str, finding: &Finding) -> io::Result<()> {
        let index = match self.rules.iter().position(|(id, _)| *id == finding.rule) {
            Some(index) => index,
            None => {
                self.rules.push((
                    finding.rule,
                    json!({
                        "id": finding.rule,
                        "defaultConfiguration": {"level": level(finding.severity)},
                        "properties": {"category": category_name(finding.category)},
                    }),
                ));
                self.rules.len() - 1
            }
        };
        let text = serde_json::to_string_pretty(&result(file, finding, index))?;
        self.results
            .write(if self.count == 0 { "\n" } else { ",\n" })?;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.results.write("\n")?;
            }
            self.results.write(RESULT_INDENT)?;
            self.results.write(line)?;
        }
        self.count += 1;
        Ok(())
    }

    /// How many rules the driver lists so far: all the log keeps in memory besides a write
    /// buffer.
    pub fn rules(&self) -> usize {
        self.rules.len()
    }

    /// Writes the whole log to `out`, pretty-printed, with a final newline.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = self.rules.into_iter().map(|(_, rule)| rule).collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "ocpp-validate",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }},
                "results": [],
            }],
        });
        let text = serde_json::to_string_pretty(&log)?;
        // The results go between the brackets of the (last) empty results array.
        let (head, tail) = text
            .rsplit_once("\"results\": []")
            .ok_or_else(|| io::Error::other("the log has no results array"))?;
        out.write_all(head.as_bytes())?;
        out.write_all(b"\"results\": [")?;
        let empty = self.count == 0;
        self.results.copy_to(out)?;
        if !empty {
            out.write_all(b"\n      ")?;
        }
        out.write_all(b"]")?;
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")
    }
}

/// The log as a [`Renderer`]: written whole at the end, interrupted or not.
impl Renderer for Sarif {
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        finding: &Finding,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        self.add(input.name, finding)
    }

    fn finish(self: Box<Self>, _totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        (*self).finish(out)
    }
}

fn result(file: &str, finding: &Finding, index: usize) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": file},
            "region": {"startLine": finding.at.line.max(1)},
        },
    });
    if !finding.pointer.is_empty() {
        location["logicalLocations"] =
            json!([{"fullyQualifiedName": finding.pointer, "kind": "member"}]);
    }
    let mut properties = Map::new();
    properties.insert("record".into(), finding.at.record.into());
    properties.insert("category".into(), category_name(finding.category).into());
    properties.insert("pointer".into(), finding.pointer.clone().into());
    if let Some(value) = &finding.value {
        properties.insert("value".into(), cut_value(value).into_owned());
    }
    if let Some(code) = finding.error_code {
        properties.insert("errorCode".into(), code.as_str().into());
    }
    json!({
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": level(finding.severity),
        "message": {"text": cut(&finding.message, MAX_MESSAGE)},
        "locations": [location],
        "properties": properties,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
