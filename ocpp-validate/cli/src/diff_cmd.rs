//! `ocpp-validate diff BEFORE AFTER`: what changed between two traces.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::ValueEnum;
use ocpp_validate::check::ReadError;
use ocpp_validate::diff::{self, Diff, FailOn, Profile, Profiler};

use crate::{destination, input_options, inputs, ReadArgs};

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// Exit 1 when the comparison crosses one of these thresholds (repeat the option or
    /// separate them by commas): new-action, vanished-action, new-member, vanished-member,
    /// new-enum-value, new-error-code, new-rule, rate=PERCENT (an action's rate moves by
    /// more, either way), findings=PERCENT (a rule's findings per 1000 records rise by more),
    /// latency=PERCENT (an action's p95 answer latency rises by more).
    #[arg(long, value_name = "THRESHOLD", value_delimiter = ',', value_parser = threshold)]
    fail_on: Vec<String>,
    /// Write the comparison to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// The trace before: a file, a directory (the files under it) or `-` for standard input.
    before: PathBuf,
    /// The trace after, read the same way.
    after: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Tables for people.
    Human,
    /// One JSON object.
    Json,
}

/// Checks a `--fail-on` item when the command line is read.
fn threshold(item: &str) -> Result<String, String> {
    FailOn::default()
        .with(item)
        .map(|_| item.to_owned())
        .map_err(|e| e.to_string())
}

/// Compares the two traces and writes the comparison.
pub(crate) fn diff(args: &DiffArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if args.before == inputs::stdin() && args.after == inputs::stdin() {
        anyhow::bail!("standard input can be only one of the two traces");
    }
    let fail_on = (args.fail_on.iter()).try_fold(FailOn::default(), |f, item| f.with(item))?;
    let options = args.read.options(false)?;
    let mut unreadable = 0;
    // Each side's profile; a side none of whose inputs opens is an error, as there is
    // nothing to compare.
    let mut profile = |side: &Path| -> anyhow::Result<Profile> {
        let mut profiler = Profiler::new();
        let mut opened = 0;
        for input in inputs::expand(&[side.to_owned()])? {
            let read = inputs::open(&input, quiet)
                .map_err(ReadError::from)
                .and_then(|reader| {
                    opened += 1;
                    profiler.read(reader, &input_options(&options, &input))
                });
            if let Err(error) = read {
                eprintln!(
                    "ocpp-validate: cannot read {}: {error}",
                    inputs::name(&input)
                );
                unreadable += 1;
            }
        }
        if opened == 0 {
            anyhow::bail!("nothing of {} could be read", inputs::name(side));
        }
        Ok(profiler.finish())
    };
    let (before, after) = (profile(&args.before)?, profile(&args.after)?);
    let compared = Diff::new(&before, &after).judged(&fail_on);
    let text = match args.format {
        DiffFormat::Human => diff::table(
            &compared,
            &inputs::name(&args.before),
            &inputs::name(&args.after),
        ),
        DiffFormat::Json => compared.to_json() + "\n",
    };
    let mut out = destination(args.output.as_deref())?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the comparison")?;
    Ok(match (unreadable, compared.crossed.is_empty()) {
        (0, true) => ExitCode::SUCCESS,
        (0, false) => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}
