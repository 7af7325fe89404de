//! SARIF 2.1.0 for code-scanning UIs: one run, the rules in the tool driver (every semantic
//! rule, and every other rule that found something), one result per finding located by file
//! and line, with the JSON pointer as a logical location and in the result's properties.

use serde_json::{json, Map, Value};

use super::junit::category_name;
use crate::finding::{Finding, Severity};
use crate::semantic::RULES;

/// Where the SARIF 2.1.0 JSON schema is published.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The whole log for findings gathered from every input (each with its input's name).
pub fn report(findings: &[(String, Finding)]) -> String {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": {"text": rule.description},
                "defaultConfiguration": {"level": level(rule.severity)},
                "properties": {"category": "semantic"},
            })
        })
        .collect();
    let mut ids: Vec<&str> = RULES.iter().map(|rule| rule.id).collect();
    let mut results = Vec::with_capacity(findings.len());
    for (file, finding) in findings {
        let index = match ids.iter().position(|id| *id == finding.rule) {
            Some(index) => index,
            None => {
                ids.push(finding.rule);
                rules.push(json!({
                    "id": finding.rule,
                    "defaultConfiguration": {"level": level(finding.severity)},
                    "properties": {"category": category_name(finding.category)},
                }));
                ids.len() - 1
            }
        };
        results.push(result(file, finding, index));
    }
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
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
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
        properties.insert("value".into(), value.clone());
    }
    if let Some(code) = finding.error_code {
        properties.insert("errorCode".into(), code.as_str().into());
    }
    json!({
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": level(finding.severity),
        "message": {"text": finding.message},
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
