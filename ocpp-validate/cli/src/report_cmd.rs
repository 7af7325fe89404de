//! `ocpp-validate report FILE... -o report.html`: the HTML report of traces.

use std::path::PathBuf;

use anyhow::Context as _;
use ocpp_model::primitives::Decimal;
use ocpp_validate::check::ReadError;
use ocpp_validate::render::html;
use ocpp_validate::report::Reporter;
use ocpp_validate::summary::Summarizer;

use crate::{destination, input_options, inputs, percent, InputArgs};

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Write the page to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The page's title (default: the inputs' names).
    #[arg(long)]
    title: Option<String>,
    /// A charging profile sample whose value changed by more than this from the previous
    /// one is a jump, marked on the session charts: a percentage from 0 to 1000.
    #[arg(long, value_name = "PERCENT", default_value = "10%", value_parser = percent)]
    jump_threshold: Decimal,
    #[command(flatten)]
    input: InputArgs,
}

/// Writes the report of every input; gives how many inputs could not be read to their end
/// (what was read of them is in the report).
pub(crate) fn report(args: &ReportArgs, quiet: bool) -> anyhow::Result<usize> {
    let options = args.input.read.options(false)?;
    let inputs = inputs::expand(&args.input.files)?;
    let mut out = destination(args.output.as_deref())?;
    let mut reporter =
        Reporter::new().with_summarizer(Summarizer::new().with_jump_threshold(args.jump_threshold));
    let (mut unreadable, mut opened) = (0, 0);
    let mut names = Vec::new();
    for input in &inputs {
        let name = inputs::name(input);
        let read = inputs::open(input, quiet)
            .map_err(ReadError::from)
            .and_then(|reader| {
                opened += 1;
                reporter.read(&name, reader, &input_options(&options, input))
            });
        if let Err(error) = read {
            eprintln!("ocpp-validate: cannot read {name}: {error}");
            unreadable += 1;
        }
        names.push(name);
    }
    if opened == 0 {
        return Ok(unreadable);
    }
    let title =
        (args.title.clone()).unwrap_or_else(|| format!("OCPP trace report: {}", names.join(", ")));
    let page = html::report(&reporter.finish(), &title);
    out.write_all(page.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the report")?;
    Ok(unreadable)
}
