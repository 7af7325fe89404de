//! Findings tallied per rule: the `--statistics` report (like ruff's, one line per rule with
//! its count, first location and an example) and the human format's cap on repeats
//! (`--max-per-rule`), which names how many findings of each rule it left out.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{human, json, Input, Renderer, Totals};
use crate::finding::{cut, Finding, Position, Severity};

/// The most characters of an example message in the human statistics.
const MAX_EXAMPLE: usize = 120;

/// The findings of one rule seen so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Tally {
    /// The rule.
    pub rule: &'static str,
    /// The severity of its first finding.
    pub severity: Severity,
    /// How many findings it has.
    pub count: usize,
    /// The input of its first finding.
    pub file: String,
    /// Where its first finding is.
    #[serde(flatten)]
    pub first: Position,
    /// The message of its first finding.
    pub example: String,
}

/// Per-rule tallies of the findings of a run, in the order the rules first appeared.
#[derive(Debug, Default)]
pub struct Statistics {
    tallies: Vec<Tally>,
    /// Index into `tallies` by rule.
    by_rule: HashMap<&'static str, usize>,
}

impl Statistics {
    /// No findings tallied yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts `finding`, found in input `file`; returns how many findings of its rule have
    /// been counted, this one included.
    pub fn add(&mut self, file: &str, finding: &Finding) -> usize {
        match self.by_rule.get(finding.rule) {
            Some(&at) => {
                let tally = &mut self.tallies[at];
                tally.count += 1;
                tally.count
            }
            None => {
                self.by_rule.insert(finding.rule, self.tallies.len());
                self.tallies.push(Tally {
                    rule: finding.rule,
                    severity: finding.severity,
                    count: 1,
                    file: file.to_owned(),
                    first: finding.at,
                    example: cut(&finding.message, crate::MAX_MESSAGE).into_owned(),
                });
                1
            }
        }
    }

    /// The tallies, most findings first (ties by rule name).
    pub fn tallies(&self) -> Vec<&Tally> {
        let mut sorted: Vec<&Tally> = self.tallies.iter().collect();
        sorted.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
        sorted
    }

    /// One aligned line per rule:
    ///
    /// ```text
    /// 119,000  warning  any.null-optional  trace.csv:2 (record 1)  null for an optional member…
    /// ```
    pub fn human(&self) -> String {
        let tallies = self.tallies();
        let counts: Vec<String> = tallies.iter().map(|t| grouped(t.count)).collect();
        let places: Vec<String> = tallies
            .iter()
            .map(|t| format!("{}:{} (record {})", t.file, t.first.line, t.first.record))
            .collect();
        let width = |texts: &mut dyn Iterator<Item = usize>| texts.max().unwrap_or(0);
        let count_width = width(&mut counts.iter().map(|c| c.chars().count()));
        let rule_width = width(&mut tallies.iter().map(|t| t.rule.len()));
        let place_width = width(&mut places.iter().map(|p| p.chars().count()));
        let mut out = String::new();
        for ((tally, count), place) in tallies.iter().zip(&counts).zip(&places) {
            let _ = writeln!(
                out,
                "{count:>count_width$}  {:<7}  {:<rule_width$}  {place:<place_width$}  {}",
                severity_label(tally.severity),
                tally.rule,
                cut(&tally.example, MAX_EXAMPLE)
            );
        }
        out
    }

    /// One JSON line per rule (`rule`, `severity`, `count`, `file`, `record`, `line`,
    /// `example`), in the order of [`tallies`](Self::tallies).
    pub fn json_lines(&self) -> String {
        self.tallies()
            .iter()
            .map(|tally| serde_json::to_string(tally).unwrap_or_default() + "\n")
            .collect()
    }

    /// For each rule with more than `shown` findings, the line saying how many the human
    /// format left out: `… and 119,000 more warning[any.null-optional]`.
    pub fn left_out(&self, shown: usize) -> String {
        let mut out = String::new();
        for tally in self.tallies() {
            if tally.count > shown {
                let _ = writeln!(
                    out,
                    "… and {} more {}[{}] (--max-per-rule {shown}; 0 shows all)",
                    grouped(tally.count - shown),
                    severity_label(tally.severity),
                    tally.rule
                );
            }
        }
        out
    }
}

/// The `--statistics` report as a [`Renderer`]: the findings are only tallied, and the end
/// lists the tallies (human lines or JSON Lines), then the closing summary.
#[derive(Debug)]
pub struct StatisticsReport {
    tally: Statistics,
    json: bool,
    quiet: bool,
}

impl StatisticsReport {
    /// The tallies as aligned lines, then the closing line unless `quiet`.
    pub fn human(quiet: bool) -> Self {
        Self {
            tally: Statistics::new(),
            json: false,
            quiet,
        }
    }

    /// The tallies as JSON Lines, then the summary line.
    pub fn json() -> Self {
        Self {
            tally: Statistics::new(),
            json: true,
            quiet: false,
        }
    }
}

impl Renderer for StatisticsReport {
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        finding: &Finding,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        self.tally.add(input.name, finding);
        Ok(())
    }

    fn finish(self: Box<Self>, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        if totals.interrupted {
            return Ok(());
        }
        let text = if self.json {
            self.tally.json_lines() + &json::summary(&totals.counts, totals.inputs) + "\n"
        } else if self.quiet {
            self.tally.human()
        } else {
            self.tally.human() + &human::summary(&totals.counts, totals.inputs) + "\n"
        };
        out.write_all(text.as_bytes())
    }
}

/// How the human formats name a severity.
pub(crate) fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// `n` with its thousands separated by commas: `119,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(119_000), "119,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
