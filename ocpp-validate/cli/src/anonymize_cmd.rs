//! `ocpp-validate anonymize`: traces with their personal and secret values replaced.

use std::io::{self, BufReader, Write as _};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::ValueEnum;
use ocpp_validate::anonymize::Anonymizer;
use ocpp_validate::trace::OpenTraceWriter;

use crate::{convert_input, destination, inputs, LineArgs};

#[derive(clap::Args)]
pub(crate) struct AnonymizeArgs {
    /// The salt the pseudonyms are drawn from: the same salt gives the same pseudonym for
    /// the same value in every file. Without it a random salt is drawn and printed once on
    /// standard error.
    #[arg(long, value_name = "TEXT")]
    salt: Option<String>,
    /// Keep the values of this member (e.g. `transactionId`); repeatable.
    #[arg(long, value_name = "MEMBER")]
    keep: Vec<String>,
    /// Also replace the values of this member: free text such as `info`, `vendorErrorCode`,
    /// `data`, `additionalInfo`, `techInfo`, or any member by name; repeatable.
    #[arg(long, value_name = "MEMBER")]
    drop: Vec<String>,
    /// Write Open OCPP Trace 1.1 instead of the input's format.
    #[arg(long, value_enum)]
    to: Option<AnonymizedFormat>,
    #[command(flatten)]
    lines: LineArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum AnonymizedFormat {
    /// Open OCPP Trace 1.1 JSON Lines.
    OpenTrace,
}

/// Where anonymized lines go.
enum Sink {
    /// Out in the input's format.
    Same(io::BufWriter<Box<dyn io::Write + Send>>),
    /// Converted to Open OCPP Trace.
    Trace(OpenTraceWriter<io::BufWriter<Box<dyn io::Write + Send>>>),
}

/// Bytes of a drawn salt.
const SALT_BYTES: usize = 16;

/// Anonymizes every input into the output; prints what was replaced on standard error.
pub(crate) fn anonymize(args: &AnonymizeArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let salt = match &args.salt {
        Some(salt) => salt.clone(),
        None => {
            let mut bytes = [0u8; SALT_BYTES];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("cannot draw a salt: {e}"))?;
            let salt: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            eprintln!(
                "ocpp-validate: salt {salt} (give it as --salt to get the same pseudonyms again)"
            );
            salt
        }
    };
    let mut anonymizer = Anonymizer::new(salt.as_bytes())
        .with_columns(args.lines.columns.clone())
        .with_max_line(args.lines.max_line_bytes);
    for member in &args.keep {
        anonymizer = anonymizer.keeping(member)?;
    }
    for member in &args.drop {
        anonymizer = anonymizer.dropping(member);
    }
    let inputs = inputs::expand(&args.lines.files)?;
    #[cfg(feature = "parquet")]
    if let Some(exit) = parquet_file(args, &inputs, &mut anonymizer, quiet)? {
        return Ok(exit);
    }
    let out = io::BufWriter::new(destination(args.lines.output.as_deref())?);
    let mut sink = match args.to {
        None => Sink::Same(out),
        Some(AnonymizedFormat::OpenTrace) => Sink::Trace(OpenTraceWriter::new(out)),
    };
    let (mut left_out, mut refused) = (0, 0);
    for input in &inputs {
        let reading = args.lines.reading(input);
        let (name, format) = (reading.name.clone(), reading.format);
        let reader = inputs::open(input, quiet).with_context(|| format!("cannot read {name}"))?;
        let cannot = || format!("cannot anonymize {name}");
        let outcome = match &mut sink {
            Sink::Same(out) => anonymizer
                .anonymize(reader, format, out)
                .with_context(cannot)?,
            Sink::Trace(writer) => {
                // Anonymized first, in the input's format, then converted.
                let mut spool = tempfile::tempfile().context("cannot create a temporary file")?;
                let outcome = anonymizer
                    .anonymize(reader, format, &mut io::BufWriter::new(&mut spool))
                    .with_context(cannot)?;
                io::Seek::rewind(&mut spool).context("cannot read the temporary file")?;
                let spooled = Box::new(BufReader::new(spool));
                refused += convert_input(writer, spooled, &reading, None, refused)?;
                outcome
            }
        };
        if outcome.left_out > 0 {
            eprintln!(
                "ocpp-validate: {name}: {} lines could not be read and are left out",
                outcome.left_out
            );
        }
        left_out += outcome.left_out;
    }
    match sink {
        Sink::Same(mut out) => out.flush().context("cannot write the output")?,
        Sink::Trace(writer) => {
            writer.into_inner().context("cannot write the trace")?;
        }
    }
    if !quiet {
        eprintln!("{}", replaced_table(&anonymizer));
    }
    Ok(match left_out + refused {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// A Parquet input is anonymized into Parquet (without `--to`), alone: a file into a file
/// (or standard output), a directory of files or a Delta table into the directory `-o` names.
/// `None` when no input is Parquet.
#[cfg(feature = "parquet")]
fn parquet_file(
    args: &AnonymizeArgs,
    inputs: &[std::path::PathBuf],
    anonymizer: &mut Anonymizer,
    quiet: bool,
) -> anyhow::Result<Option<ExitCode>> {
    if args.to.is_some() || !inputs.iter().any(|p| ocpp_validate::trace::is_parquet(p)) {
        return Ok(None);
    }
    let [input] = inputs else {
        anyhow::bail!(
            "a Parquet input is anonymized into Parquet, one input at a time: give it alone, or \
             --to open-trace to write every input as one trace"
        );
    };
    let cannot = || format!("cannot anonymize {}", inputs::name(input));
    if input.is_dir() {
        let Some(output) = args.lines.output.as_deref() else {
            anyhow::bail!(
                "{} is a directory of Parquet files: it is anonymized into a directory, named by -o",
                inputs::name(input)
            );
        };
        anonymizer
            .anonymize_parquet_dataset(input, output)
            .with_context(cannot)?;
    } else {
        let out = io::BufWriter::new(destination(args.lines.output.as_deref())?);
        anonymizer
            .anonymize_parquet(input, out)
            .with_context(cannot)?;
    }
    if !quiet {
        eprintln!("{}", replaced_table(anonymizer));
    }
    Ok(Some(ExitCode::SUCCESS))
}

/// What was replaced, member by member (never the values).
fn replaced_table(anonymizer: &Anonymizer) -> String {
    let replaced = anonymizer.replaced();
    if replaced.is_empty() {
        return "ocpp-validate: nothing to replace".to_owned();
    }
    let width = replaced.keys().map(String::len).max().unwrap_or(0).max(6);
    let mut table = format!("{:<width$}  replaced", "member");
    for (member, count) in replaced {
        table.push_str(&format!("\n{member:<width$}  {count:>8}"));
    }
    table
}
