//! JSON Lines: one object per finding, then one summary object.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::{Input, Renderer, Totals};
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

/// JSON Lines as a [`Renderer`]: a line per finding, naming its input when the run has
/// several, then the summary line.
#[derive(Debug, Clone, Copy)]
pub struct Json {
    several: bool,
}

impl Json {
    /// The lines of a run of `inputs` inputs.
    pub fn new(inputs: usize) -> Self {
        Self {
            several: inputs > 1,
        }
    }
}

impl Renderer for Json {
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        found: &Finding,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(
            out,
            "{}",
            finding(self.several.then_some(input.name), found)
        )
    }

    fn finish(self: Box<Self>, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        if totals.interrupted {
            return Ok(());
        }
        writeln!(out, "{}", summary(&totals.counts, totals.inputs))
    }
}
