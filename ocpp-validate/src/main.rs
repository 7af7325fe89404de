//! `ocpp-validate`: checks captured OCPP traffic against the OCPP 1.6-J and 2.0.1 schemas.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use ocpp_validate::check::{check_reader, CheckOptions, Summary};
use ocpp_validate::render;
use ocpp_validate::trace::{parse_version, Columns, Format, DEFAULT_MAX_LINE};

mod progress;

/// A faster allocator for the many small strings of decoded payloads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ocpp-validate",
    version,
    about = "Checks OCPP traffic against the OCPP 1.6-J and 2.0.1 schemas"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check traces: raw OCPP-J frames, Open OCPP Trace, log lines or data-lake rows (JSON
    /// Lines or CSV), each possibly gzip-compressed.
    ///
    /// Exit status: 0 when no errors were found, 1 when some were, 2 on usage or I/O errors.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// OCPP version of records that do not name theirs: 1.6 or 2.0.1 (guessed if absent).
    #[arg(long, value_parser = version)]
    ocpp: Option<ocpp_types::OcppVersion>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Input format (detected from the first line with `auto`).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input: InputFormat,
    /// Column names of data-lake exports that differ from the defaults, e.g.
    /// `message_id=msg_id,body=payload`.
    #[arg(long, value_parser = columns, default_value = "")]
    columns: Columns,
    /// Threads checking records (default: the available cores); the output is the same
    /// for any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Longest line read, in bytes; longer lines are reported and skipped.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE)]
    max_line_bytes: usize,
    /// Inputs (`-` for standard input); standard input when none is given.
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Diagnostics for people.
    Human,
    /// JSON Lines: one object per finding, then a summary object.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    /// Detect from the first line.
    Auto,
    /// One raw OCPP-J frame per line.
    Raw,
    /// Open OCPP Trace v1.x JSON Lines.
    OpenTrace,
    /// Log lines with a frame after a prefix.
    Log,
    /// Data-lake rows as JSON Lines.
    LakeJsonl,
    /// Data-lake rows as CSV with a header line.
    Csv,
}

impl InputFormat {
    fn format(self) -> Option<Format> {
        match self {
            Self::Auto => None,
            Self::Raw => Some(Format::RawFrames),
            Self::OpenTrace => Some(Format::OpenOcppTrace),
            Self::Log => Some(Format::Log),
            Self::LakeJsonl => Some(Format::LakeJsonl),
            Self::Csv => Some(Format::Csv),
        }
    }
}

fn columns(text: &str) -> Result<Columns, String> {
    Columns::with_overrides(text).map_err(|e| e.to_string())
}

fn version(text: &str) -> Result<ocpp_types::OcppVersion, String> {
    parse_version(text).ok_or_else(|| format!("unknown OCPP version {text:?} (1.6 or 2.0.1)"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match check(&args) {
            Ok(Outcome {
                summary,
                unreadable: 0,
            }) if summary.errors == 0 => ExitCode::SUCCESS,
            Ok(Outcome { unreadable: 0, .. }) => ExitCode::from(1),
            Ok(_) => ExitCode::from(2),
            Err(error) => {
                eprintln!("ocpp-validate: {error:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// What a check run found, and how many inputs could not be read.
struct Outcome {
    summary: Summary,
    unreadable: usize,
}

fn check(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let options = CheckOptions {
        version: args.ocpp,
        max_line: args.max_line_bytes,
        input: args.input.format(),
        columns: args.columns.clone(),
        jobs: args.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, usize::from),
            usize::from,
        ),
    };
    let stdout = io::stdout();
    let color = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut total = Summary::default();
    let mut unreadable = 0;
    let inputs: Vec<&Path> = if args.files.is_empty() {
        vec![Path::new("-")]
    } else {
        args.files.iter().map(PathBuf::as_path).collect()
    };
    let several = inputs.len() > 1;
    for input in &inputs {
        let stdin = *input == Path::new("-");
        let name = if stdin {
            "<stdin>".to_owned()
        } else {
            input.display().to_string()
        };
        let mut write_error = None;
        let mut sink = |finding: ocpp_validate::Finding| {
            let line = match args.format {
                OutputFormat::Json => {
                    render::json::finding(several.then_some(name.as_str()), &finding) + "\n"
                }
                OutputFormat::Human => render::human::finding(&name, &finding, color),
            };
            if let Err(e) = out.write_all(line.as_bytes()) {
                write_error.get_or_insert(e);
            }
        };
        let result = if stdin {
            check_reader(io::stdin().lock(), options.clone(), &mut sink)
        } else {
            File::open(input).and_then(|file| {
                let input = BufReader::new(progress::track(file, &name));
                check_reader(input, options.clone(), &mut sink)
            })
        };
        if let Some(e) = write_error {
            return Err(e).context("cannot write the report");
        }
        match result {
            Ok(summary) => total.add(summary),
            Err(error) => {
                // The other inputs are still checked; the exit status says something was missed.
                eprintln!("ocpp-validate: cannot read {name}: {error}");
                unreadable += 1;
            }
        }
    }
    let closing = match args.format {
        OutputFormat::Json => render::json::summary(&total, inputs.len()),
        OutputFormat::Human => render::human::summary(&total, inputs.len()),
    };
    writeln!(out, "{closing}").context("cannot write the report")?;
    out.flush().context("cannot write the report")?;
    Ok(Outcome {
        summary: total,
        unreadable,
    })
}
