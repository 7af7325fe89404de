//! `ocpp-validate`: checks captured OCPP traffic against the OCPP 1.6-J, 2.0.1 and 2.1 schemas.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use ocpp_model::primitives::Decimal;
use ocpp_model::OcppVersion;
use ocpp_validate::check::{
    check_reader, CheckOptions, Counts, ReadError, DEFAULT_MAX_CHARGE_POINTS,
};
use ocpp_validate::consumer_view::ConsumerView;
use ocpp_validate::render::excerpt::Excerpts;
use ocpp_validate::render::human::Human;
use ocpp_validate::render::json::Json;
use ocpp_validate::render::junit::Junit;
use ocpp_validate::render::sarif::Sarif;
use ocpp_validate::render::statistics::StatisticsReport;
use ocpp_validate::render::{Input, Renderer};
use ocpp_validate::summary::Summarizer;
use ocpp_validate::trace::{
    decompressed, is_parquet, Columns, InputFormat, OpenTraceWriter, RecordReader, WriteError,
    DEFAULT_MAX_LINE,
};
use ocpp_validate::{semantic, tolerant};

mod anonymize_cmd;
mod diff_cmd;
mod inputs;
mod progress;
mod report_cmd;
mod report_out;

use report_out::{Output, Shared};

/// A faster allocator for the many small strings of decoded payloads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ocpp-validate",
    version,
    about = "Checks OCPP traffic against the OCPP 1.6-J, 2.0.1 and 2.1 schemas",
    after_help = EXIT_STATUS
)]
struct Cli {
    /// When to colour the human report: `auto` colours a terminal unless the NO_COLOR
    /// environment variable is set (and not empty).
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    color: Color,
    /// No progress bar, no hints on standard error, and no closing summary line in the
    /// human report of `check`.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// The exit statuses of every command, for `--help`.
const EXIT_STATUS: &str = "Exit status:
  check     0 no errors found, 1 errors found, 2 usage or I/O error
  summary   0 summarized, 2 usage or I/O error (what was read is still summarized)
  convert   0 every record written, 1 some could not be, 2 usage or I/O error
  anonymize 0 every line written, 1 some could not be read (left out), 2 usage or I/O error
  diff      0 no --fail-on threshold crossed, 1 some crossed, 2 usage or I/O error
  rules, completions, man
            0 written, 2 usage or I/O error
  Every command exits 0 when the reader of its output goes away (`… | head`).";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour, NO_COLOR or not.
    Always,
    /// Never colour.
    Never,
}

impl Color {
    /// Whether to colour output going to a terminal (`terminal`) with NO_COLOR as `no_color`.
    fn paints(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check traces: raw OCPP-J frames, Open OCPP Trace, log lines or data-lake rows (JSON
    /// Lines or CSV), each possibly gzip-compressed.
    #[command(
        after_help = "Exit status: 0 when no errors were found, 1 when some were, 2 on \
                            usage or I/O errors (the inputs read are still reported)."
    )]
    Check(Box<CheckArgs>),
    /// Summarize traces per charge point: last message, boots, sessions (duration, energy,
    /// idle time, power, stop reason, charging profile), time in each connector status, the
    /// errors of the last hour and an availability verdict; as tables, JSON or CSV.
    #[command(
        after_help = "Exit status: 0, or 2 on usage or I/O errors (the inputs read are \
                            still summarized)."
    )]
    Summary(Box<SummaryArgs>),
    /// List the tolerant decoder's rules (id, what it forgives, where, default).
    #[command(after_help = "Exit status: 0, or 2 when the list cannot be written.")]
    Rules(RulesArgs),
    /// Convert traces (any input `check` reads) to Open OCPP Trace 1.1 JSON Lines.
    #[command(
        after_help = "Exit status: 0 when every record was written, 1 when some could \
                            not be (each named on standard error), 2 on usage or I/O errors."
    )]
    Convert(Box<ConvertArgs>),
    /// Compare two traces of the same stations (before and after a firmware update or a
    /// CSMS release): message types and actions per hour, new or vanished actions, members
    /// and enumerated values, error codes, findings per rule and answer latencies.
    #[command(
        after_help = "Exit status: 0 when no --fail-on threshold is crossed, 1 when one \
                            is, 2 on usage or I/O errors (what was read is still compared)."
    )]
    Diff(Box<diff_cmd::DiffArgs>),
    /// Replace the personal and secret values of traces (id tags and tokens, identities,
    /// serial numbers, credentials, certificates, …) with deterministic, salted pseudonyms of
    /// the same shape, keeping the input's format (or writing Open OCPP Trace with --to).
    ///
    /// A directory of Parquet files or a Delta table is written as one, into the directory
    /// -o names.
    #[command(
        after_help = "Exit status: 0 when every line was written, 1 when some could not be \
                            read (left out, counted on standard error), 2 on usage or I/O errors."
    )]
    Anonymize(Box<anonymize_cmd::AnonymizeArgs>),
    /// Write one self-contained HTML page of traces: per charge point a status timeline per
    /// connector, session charts (power and energy, jumps marked), a message sequence
    /// diagram with the findings placed on it, the findings with filters, and the summary
    /// tables.
    #[command(
        after_help = "Exit status: 0, or 2 on usage or I/O errors (the inputs read are \
                            still reported)."
    )]
    Report(Box<report_cmd::ReportArgs>),
    /// Print a shell completion script, e.g. `ocpp-validate completions bash >
    /// ~/.local/share/bash-completion/completions/ocpp-validate`.
    #[command(after_help = "Exit status: 0, or 2 when the script cannot be written.")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or with `--dir` write one page per command into DIR.
    #[command(after_help = "Exit status: 0, or 2 when a page cannot be written.")]
    Man {
        /// Write `ocpp-validate.1`, `ocpp-validate-check.1`, … into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Markdown)]
    format: RulesFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    /// A Markdown table, as docs/tolerant.md shows it.
    Markdown,
    /// One JSON array of objects: id, forgives, appliesTo, layer, default.
    Json,
}

#[derive(clap::Args)]
struct ConvertArgs {
    /// Output format.
    #[arg(long, value_enum)]
    to: ConvertFormat,
    /// OCPP version written on records that do not name theirs.
    #[arg(long, value_parser = version)]
    ocpp: Option<ocpp_model::OcppVersion>,
    #[command(flatten)]
    lines: LineArgs,
}

/// The inputs of `convert` and `anonymize`, read line by line, and where the result goes.
#[derive(clap::Args)]
struct LineArgs {
    /// Input format (detected from the first line with `auto`).
    #[arg(long, value_enum, default_value_t = InputChoice::Auto)]
    input: InputChoice,
    /// Column names of data-lake exports that differ from the defaults.
    #[arg(long, value_parser = columns, default_value = "")]
    columns: Columns,
    /// Longest line read, in bytes (1 to 1 GiB); longer lines are reported and skipped.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE, value_parser = line_bytes)]
    max_line_bytes: usize,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Inputs: files, directories (the files under them, at any depth) and `-` for standard
    /// input; standard input when none is given. Parquet inputs are read as lake rows.
    files: Vec<PathBuf>,
}

impl LineArgs {
    /// How an input is read: Parquet as lake JSON Lines whatever `--input` says.
    fn reading(&self, input: &Path) -> Reading {
        let format = if input != inputs::stdin() && is_parquet(input) {
            Some(InputFormat::LakeJsonl)
        } else {
            self.input.format()
        };
        Reading {
            name: inputs::name(input),
            format,
            columns: self.columns.clone(),
            max_line: self.max_line_bytes,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ConvertFormat {
    /// Open OCPP Trace 1.1 JSON Lines.
    OpenTrace,
}

#[derive(clap::Args)]
struct SummaryArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Human)]
    format: SummaryFormat,
    /// With `--format csv`: the session table, one row per session (the default).
    #[arg(long, conflicts_with = "connectors")]
    sessions: bool,
    /// With `--format csv`: the connector table, one row per connector.
    #[arg(long)]
    connectors: bool,
    /// A charging profile sample whose value changed by more than this from the previous
    /// one is a jump: a percentage from 0 to 1000, e.g. `10%` or `25`.
    #[arg(long, value_name = "PERCENT", default_value = "10%", value_parser = percent)]
    jump_threshold: Decimal,
    /// Write the summary to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum SummaryFormat {
    /// Tables for people.
    Human,
    /// One JSON object.
    Json,
    /// CSV: the session table, or the connector table with `--connectors`.
    Csv,
}

/// The largest `--jump-threshold`, in percent.
const MAX_PERCENT: i64 = 1000;

/// A percentage (`10%` or `10`) as a fraction (0.1).
fn percent(text: &str) -> Result<Decimal, String> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<Decimal>() {
        Ok(value) if value >= Decimal::ZERO && value <= Decimal::from(MAX_PERCENT) => {
            Ok(value / Decimal::from(100))
        }
        _ => Err(format!(
            "{text:?} is not a percentage from 0 to {MAX_PERCENT}"
        )),
    }
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Turns the semantic rules (transactions, statuses, timing, …) off.
    #[arg(long)]
    no_semantic: bool,
    /// Instead of the findings, one line per rule: its count, first location and an example
    /// (with `--format human` or `json`).
    #[arg(long)]
    statistics: bool,
    /// Findings of one rule shown by the human format (0 for all); the rest are counted in
    /// one `… and N more` line. JSON, JUnit and SARIF always hold every finding.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PER_RULE)]
    max_per_rule: usize,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

/// The inputs of `check` and `summary`, and how they are read.
#[derive(clap::Args)]
struct InputArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Inputs: files, directories (the files under them, at any depth) and `-` for standard
    /// input; standard input when none is given.
    files: Vec<PathBuf>,
}

/// How inputs are read and checked, the same for `check`, `summary` and `diff`.
#[derive(clap::Args)]
struct ReadArgs {
    /// OCPP version of records that do not name theirs: 1.6, 2.0.1 or 2.1 (guessed if absent).
    #[arg(long, value_parser = version)]
    ocpp: Option<ocpp_model::OcppVersion>,
    /// Input format (detected from the first line with `auto`).
    #[arg(long, value_enum, default_value_t = InputChoice::Auto)]
    input: InputChoice,
    /// Column names of data-lake exports that differ from the defaults, e.g.
    /// `message_id=msg_id,body=payload`.
    #[arg(long, value_parser = columns, default_value = "")]
    columns: Columns,
    /// Threads checking records, 1 to 1024 (default: the available cores); the output is
    /// the same for any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_JOBS))]
    jobs: Option<u16>,
    /// Longest line read, in bytes (1 to 1 GiB); longer lines are reported and skipped.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE, value_parser = line_bytes)]
    max_line_bytes: usize,
    /// Charge points whose state is kept at once; when one more is heard from, the state of
    /// the one heard from longest ago is dropped (a `state-evicted` info).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CHARGE_POINTS as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_charge_points: u64,
    /// CSMS answers slower than this many seconds (0 to 31,536,000) are reported.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    latency_threshold: f64,
    /// Accept the known vendor deviations, reporting each as a warning named for its rule.
    #[arg(long)]
    tolerant: bool,
    /// Rule settings of the tolerant decoder: a shipped profile's name or a TOML file
    /// (implies --tolerant).
    #[arg(long, value_name = "NAME|FILE")]
    profile: Option<String>,
}

impl ReadArgs {
    /// The pipeline's options; the semantic rules on unless `no_semantic`.
    fn options(&self, no_semantic: bool) -> anyhow::Result<CheckOptions> {
        let jobs = self.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, usize::from),
            usize::from,
        );
        let semantic = (!no_semantic).then(|| {
            semantic::Config::default()
                .with_latency_threshold(Duration::from_secs_f64(self.latency_threshold))
        });
        let tolerant = (self.tolerant || self.profile.is_some())
            .then(|| policy(self.profile.as_deref()))
            .transpose()?;
        Ok(CheckOptions::default()
            .with_version(self.ocpp)
            .with_max_line(self.max_line_bytes)
            .with_input(self.input.format())
            .with_columns(self.columns.clone())
            .with_jobs(jobs)
            .with_semantic(semantic)
            .with_tolerant(tolerant)
            .with_max_charge_points(usize::try_from(self.max_charge_points).unwrap_or(usize::MAX)))
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Diagnostics for people.
    Human,
    /// JSON Lines: one object per finding, then a summary object.
    Json,
    /// JUnit XML, one test case per rule.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
    /// The Open OCPP Trace consumer view of each input (no checks), one JSON object each.
    ConsumerView,
}

/// Findings of one rule the human format shows unless `--max-per-rule` says otherwise.
const DEFAULT_MAX_PER_RULE: usize = 20;
/// The most worker threads `--jobs` takes.
const MAX_JOBS: i64 = 1024;
/// The longest `--latency-threshold`: 365 days, in seconds.
const MAX_SECONDS: f64 = 31_536_000.0;
/// The largest `--max-line-bytes`: 1 GiB.
const MAX_LINE_BYTES: usize = 1 << 30;

fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=MAX_SECONDS).contains(&value) => Ok(value),
        _ => Err(format!(
            "{text:?} is not a number of seconds from 0 to {MAX_SECONDS}"
        )),
    }
}

fn line_bytes(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(value) if (1..=MAX_LINE_BYTES).contains(&value) => Ok(value),
        _ => Err(format!(
            "{text:?} is not a number of bytes from 1 to {MAX_LINE_BYTES}"
        )),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum InputChoice {
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

impl InputChoice {
    fn format(self) -> Option<InputFormat> {
        match self {
            Self::Auto => None,
            Self::Raw => Some(InputFormat::RawFrames),
            Self::OpenTrace => Some(InputFormat::OpenOcppTrace),
            Self::Log => Some(InputFormat::Log),
            Self::LakeJsonl => Some(InputFormat::LakeJsonl),
            Self::Csv => Some(InputFormat::Csv),
        }
    }
}

fn columns(text: &str) -> Result<Columns, String> {
    Columns::with_overrides(text).map_err(|e| e.to_string())
}

fn version(text: &str) -> Result<OcppVersion, String> {
    text.parse()
        .map_err(|e: ocpp_model::UnknownVersion| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings {
        color: cli.color,
        quiet: cli.quiet,
    };
    let status = match cli.command {
        Command::Summary(args) => summary(&args, settings).map(|unreadable| match unreadable {
            0 => ExitCode::SUCCESS,
            _ => ExitCode::from(2),
        }),
        Command::Check(args) => check(&args, settings).map(|outcome| match outcome {
            Outcome {
                counts,
                unreadable: 0,
            } if counts.errors == 0 => ExitCode::SUCCESS,
            Outcome { unreadable: 0, .. } => ExitCode::from(1),
            Outcome { .. } => ExitCode::from(2),
        }),
        Command::Rules(args) => {
            let table = match args.format {
                RulesFormat::Markdown => tolerant::markdown_table(),
                RulesFormat::Json => tolerant::json_table() + "\n",
            };
            write_stdout(&table).map(|()| ExitCode::SUCCESS)
        }
        Command::Convert(args) => convert(&args, settings).map(|refused| match refused {
            0 => ExitCode::SUCCESS,
            _ => ExitCode::from(1),
        }),
        Command::Diff(args) => diff_cmd::diff(&args, settings.quiet),
        Command::Anonymize(args) => anonymize_cmd::anonymize(&args, settings.quiet),
        Command::Report(args) => {
            report_cmd::report(&args, settings.quiet).map(|unreadable| match unreadable {
                0 => ExitCode::SUCCESS,
                _ => ExitCode::from(2),
            })
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ocpp-validate", &mut script);
            write_stdout(&String::from_utf8_lossy(&script)).map(|()| ExitCode::SUCCESS)
        }
        Command::Man { dir } => man(dir.as_deref()).map(|()| ExitCode::SUCCESS),
    };
    match status {
        Ok(status) => status,
        // The reader of the output went away (`… | head`): nothing is left to tell it.
        Err(error) if closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ocpp-validate: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// What every command reads of the global options.
#[derive(Clone, Copy)]
struct Settings {
    color: Color,
    quiet: bool,
}

/// Whether `error` comes from writing to a pipe whose reader has gone.
fn closed_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Writes `text` to standard output and flushes it.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Where a report goes: the `--output` file, or standard output.
fn destination(output: Option<&Path>) -> anyhow::Result<Box<dyn Write + Send>> {
    Ok(match output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(io::stdout()),
    })
}

/// The man page on standard output, or one page per command in `dir`.
fn man(dir: Option<&Path>) -> anyhow::Result<()> {
    let command = Cli::command();
    match dir {
        Some(dir) => clap_mangen::generate_to(command, dir)
            .with_context(|| format!("cannot write the man pages into {}", dir.display())),
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .context("cannot render the man page")?;
            write_stdout(&String::from_utf8_lossy(&page))
        }
    }
}

/// The most refused records named on standard error by `convert`; the rest are counted.
const MAX_REFUSALS_SHOWN: usize = 20;

/// Converts the inputs; gives how many records could not be written.
fn convert(args: &ConvertArgs, settings: Settings) -> anyhow::Result<usize> {
    let ConvertFormat::OpenTrace = args.to;
    let inputs = inputs::expand(&args.lines.files)?;
    let out = destination(args.lines.output.as_deref())?;
    let mut writer = OpenTraceWriter::new(io::BufWriter::new(out));
    let mut refused = 0;
    for input in &inputs {
        let reading = args.lines.reading(input);
        let reader = inputs::open(input, settings.quiet)
            .with_context(|| format!("cannot read {}", reading.name))?;
        refused += convert_input(&mut writer, reader, &reading, args.ocpp, refused)?;
    }
    writer.into_inner().context("cannot write the trace")?;
    if refused > MAX_REFUSALS_SHOWN {
        eprintln!(
            "ocpp-validate: … and {} more records not converted",
            refused - MAX_REFUSALS_SHOWN
        );
    }
    Ok(refused)
}

/// How one input of `convert` is read.
struct Reading {
    /// The input as messages name it.
    name: String,
    format: Option<InputFormat>,
    columns: Columns,
    max_line: usize,
}

/// Converts the records of one input to Open OCPP Trace; gives how many were refused (named
/// on standard error while fewer than [`MAX_REFUSALS_SHOWN`] were, `refused_before` counted).
fn convert_input<W: Write>(
    writer: &mut OpenTraceWriter<W>,
    reader: Box<dyn BufRead>,
    reading: &Reading,
    ocpp: Option<OcppVersion>,
    refused_before: usize,
) -> anyhow::Result<usize> {
    let name = &reading.name;
    let mut reader = RecordReader::with_format(
        reader,
        reading.max_line,
        reading.format,
        reading.columns.clone(),
    )
    .with_context(|| format!("cannot read {name}"))?;
    let mut refused = 0;
    while let Some(record) = reader
        .next_record()
        .with_context(|| format!("cannot read {name}"))?
    {
        match writer.write_record(&record, ocpp) {
            Ok(()) => {}
            Err(WriteError::Io(e)) => return Err(e).context("cannot write the trace"),
            Err(why) => {
                refused += 1;
                if refused_before + refused <= MAX_REFUSALS_SHOWN {
                    eprintln!(
                        "ocpp-validate: {name}:{} (record {}) not converted: {why}",
                        record.line, record.index
                    );
                }
            }
        }
    }
    Ok(refused)
}

/// The options for one input: Parquet inputs are read as JSON Lines lake rows whatever
/// `--input` says.
fn input_options(options: &CheckOptions, input: &Path) -> CheckOptions {
    let mut options = options.clone();
    if input != inputs::stdin() && is_parquet(input) {
        options.input = Some(InputFormat::LakeJsonl);
    }
    options
}

/// Summarizes every input into one report; gives how many inputs could not be read to
/// their end (what was read of them is in the report).
fn summary(args: &SummaryArgs, settings: Settings) -> anyhow::Result<usize> {
    if (args.sessions || args.connectors) && !matches!(args.format, SummaryFormat::Csv) {
        anyhow::bail!("--sessions and --connectors select the table of --format csv");
    }
    let options = args.input.read.options(false)?;
    let inputs = inputs::expand(&args.input.files)?;
    let mut out = destination(args.output.as_deref())?;
    let mut summarizer = Summarizer::new().with_jump_threshold(args.jump_threshold);
    let (mut unreadable, mut opened) = (0, 0);
    for input in &inputs {
        let input = input.as_path();
        let name = inputs::name(input);
        let read = inputs::open(input, settings.quiet)
            .map_err(ReadError::from)
            .and_then(|reader| {
                opened += 1;
                summarizer.read(reader, &input_options(&options, input))
            });
        if let Err(error) = read {
            eprintln!("ocpp-validate: cannot read {name}: {error}");
            unreadable += 1;
        }
    }
    if opened == 0 {
        return Ok(unreadable);
    }
    let summary = summarizer.finish();
    let text = match args.format {
        SummaryFormat::Human => ocpp_validate::summary::table(&summary),
        SummaryFormat::Json => summary.to_json() + "\n",
        SummaryFormat::Csv if args.connectors => ocpp_validate::summary::connectors_csv(&summary),
        SummaryFormat::Csv => ocpp_validate::summary::sessions_csv(&summary),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the summary")?;
    Ok(unreadable)
}

/// What a check run found, and how many inputs could not be read.
struct Outcome {
    counts: Counts,
    unreadable: usize,
}

/// The policy of `--profile`: a shipped profile by name, else a TOML file.
fn policy(profile: Option<&str>) -> anyhow::Result<tolerant::Policy> {
    let Some(profile) = profile else {
        return Ok(tolerant::Policy::default());
    };
    if let Some(shipped) = tolerant::Policy::profile(profile) {
        return Ok(shipped?);
    }
    let text = std::fs::read_to_string(profile).with_context(|| {
        let names: Vec<_> = tolerant::PROFILES.iter().map(|(name, _)| *name).collect();
        format!(
            "--profile {profile:?} is neither a shipped profile ({}) nor a readable file",
            names.join(", ")
        )
    })?;
    Ok(tolerant::Policy::from_toml(profile, &text)?)
}

fn check(args: &CheckArgs, settings: Settings) -> anyhow::Result<Outcome> {
    let options = args.input.read.options(args.no_semantic)?;
    if args.statistics && !matches!(args.format, OutputFormat::Human | OutputFormat::Json) {
        anyhow::bail!("--statistics is written in the human or the json format only");
    }
    let inputs = inputs::expand(&args.input.files)?;
    let terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = settings
        .color
        .paints(terminal, std::env::var_os("NO_COLOR").as_deref());
    // 0 shows every finding.
    let shown = match args.max_per_rule {
        0 => usize::MAX,
        n => n,
    };
    let renderer: Option<Box<dyn Renderer + Send>> = match (args.format, args.statistics) {
        (OutputFormat::Human, true) => Some(Box::new(StatisticsReport::human(settings.quiet))),
        (OutputFormat::Json, true) => Some(Box::new(StatisticsReport::json())),
        (OutputFormat::Human, false) => Some(Box::new(
            Human::new(color).max_per_rule(shown).quiet(settings.quiet),
        )),
        (OutputFormat::Json, false) => Some(Box::new(Json::new(inputs.len()))),
        (OutputFormat::Sarif, _) => {
            Some(Box::new(Sarif::new().context("cannot start the report")?))
        }
        (OutputFormat::Junit, _) => Some(Box::new(Junit::new())),
        (OutputFormat::ConsumerView, _) => None,
    };
    let destination = destination(args.output.as_deref())?;
    let output =
        Shared::watched(destination, renderer, inputs.len()).context("cannot watch for signals")?;
    let mut unreadable = 0;
    for input in &inputs {
        let input = input.as_path();
        let name = inputs::name(input);
        let mut write_error = None;
        let options = input_options(&options, input);
        let result = if let OutputFormat::ConsumerView = args.format {
            // The view checks nothing: its exit status says only whether the input was read.
            inputs::open(input, settings.quiet)
                .map_err(ReadError::from)
                .and_then(|reader| {
                    let (view, error) = ConsumerView::read(reader, options.clone());
                    writeln!(output.lock().out, "{}", view.to_json()).map_err(ReadError::from)?;
                    error.map_or(Ok(Counts::default()), |mut error| {
                        error.counts = Counts::default();
                        Err(error)
                    })
                })
        } else {
            // Frames are shown under human findings of named inputs, from the lines the
            // check has just read (the input is never read twice).
            let mut excerpts = (matches!(args.format, OutputFormat::Human)
                && !args.statistics
                && input != inputs::stdin())
            .then(|| Excerpts::new(options.input, options.columns.clone(), options.max_line));
            let reader = inputs::open(input, settings.quiet).and_then(|reader| match &excerpts {
                Some(noted) => {
                    let tee = noted.tee(decompressed(reader)?);
                    Ok(Box::new(BufReader::new(tee)) as Box<dyn BufRead>)
                }
                None => Ok(reader),
            });
            let mut sink = |finding: ocpp_validate::Finding| {
                let mut guard = output.lock();
                let Output { out, renderer, .. } = &mut *guard;
                if let Some(renderer) = renderer {
                    let mut from = Input::named(&name).with_frames(excerpts.as_mut());
                    if let Err(e) = renderer.finding(&mut from, &finding, out) {
                        write_error.get_or_insert(e);
                    }
                }
            };
            reader
                .map_err(ReadError::from)
                .and_then(|reader| check_reader(reader, options.clone(), &mut sink))
        };
        if let Some(e) = write_error {
            return Err(e).context("cannot write the report");
        }
        match result {
            Ok(summary) => output.lock().read.add(summary),
            Err(error) => {
                // What was read before counts; the other inputs are still checked; the exit
                // status says something was missed. The findings come out before the error.
                let mut guard = output.lock();
                guard.read.add(error.counts);
                guard.out.flush().context("cannot write the report")?;
                drop(guard);
                eprintln!("ocpp-validate: cannot read {name}: {error}");
                unreadable += 1;
            }
        }
    }
    let mut guard = output.lock();
    let total = guard.read;
    guard.finish(false).context("cannot write the report")?;
    Ok(Outcome {
        counts: total,
        unreadable,
    })
}
