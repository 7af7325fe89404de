//! The list of semantic rules, for renderers that describe rules (SARIF) and for the docs.

use crate::finding::Severity;

/// A semantic rule: its stable id, usual severity and a one-line description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rule {
    /// Stable id, as in findings.
    pub id: &'static str,
    /// The severity its findings usually have.
    pub severity: Severity,
    /// What it reports, in one line.
    pub description: &'static str,
}

const fn rule(id: &'static str, severity: Severity, description: &'static str) -> Rule {
    Rule {
        id,
        severity,
        description,
    }
}

/// Every semantic rule.
pub const RULES: &[Rule] = &[
    rule(
        "semantic-start-twice",
        Severity::Error,
        "A transaction starts on a connector or EVSE that already has one open.",
    ),
    rule(
        "semantic-stop-without-start",
        Severity::Warning,
        "A transaction is stopped that the trace never started.",
    ),
    rule(
        "semantic-transaction-unknown",
        Severity::Warning,
        "Meter values or updates name a transaction the trace never started.",
    ),
    rule(
        "semantic-meter-stop-below-start",
        Severity::Error,
        "StopTransaction meterStop is below the transaction's meterStart.",
    ),
    rule(
        "semantic-transaction-never-stopped",
        Severity::Warning,
        "A transaction is still open at the end of the trace.",
    ),
    rule(
        "semantic-meter-decreasing",
        Severity::Error,
        "An energy register reads lower than before within one transaction.",
    ),
    rule(
        "semantic-unit-mismatch",
        Severity::Error,
        "A sampled value's unit does not fit its measurand.",
    ),
    rule(
        "semantic-status-transition",
        Severity::Error,
        "A connector status change that the state table does not allow.",
    ),
    rule(
        "semantic-status-connector-zero",
        Severity::Error,
        "Connector 0 reports a status other than Available, Unavailable or Faulted.",
    ),
    rule(
        "semantic-not-booted",
        Severity::Error,
        "A transaction message is sent before a BootNotification was accepted.",
    ),
    rule(
        "semantic-heartbeat-cadence",
        Severity::Warning,
        "Heartbeats far from the interval the CSMS set.",
    ),
    rule(
        "semantic-response-latency",
        Severity::Warning,
        "The CSMS answered a call later than the latency threshold.",
    ),
    rule(
        "semantic-duplicate-message-id",
        Severity::Error,
        "A CALL reuses the message id of a call of the same sender still in flight.",
    ),
];
