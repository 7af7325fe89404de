//! The `ocpp-conformance` command: `run`, `replay`, `load`, `serve` and `schema`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use ocpp_conformance::capture::CaptureFile;
use ocpp_conformance::config::TestEnv;
use ocpp_conformance::csms::{Csms, Fault, Limits};
use ocpp_conformance::replay::{read_trace, Rewrites};
use ocpp_conformance::report::CaseReport;
use ocpp_conformance::runner::{run_case, Operator, RunConfig, Trigger};
use ocpp_conformance::scenario::{self, Scenario};
use ocpp_conformance::{report, suites, transport};

/// Where the embedded reference CSMS listens (any free loopback port).
pub(crate) const EMBEDDED_BIND: &str = "127.0.0.1:0";

mod arg_ranges;
mod connect_args;
mod fault_arg;
mod load_cmd;
mod proxy_cmd;
mod scenario_files;

/// The exit codes of every command, for the top-level help.
const EXIT_ALL: &str = "Exit status:
  0  run, replay: every case passed or was skipped; load: every station connected and every
     CALL got a clean CALLRESULT; serve: stopped by Ctrl-C; schema: printed
  1  run: a case failed; replay: the live answers differ from the recording; load: a station
     failed to connect or a CALL failed
  2  usage error (also a file that cannot be read or a scenario that cannot be used), the
     CSMS could not be reached, or an address could not be listened on";

const EXIT_RUN: &str = "Exit status:
  0  every case passed or was skipped (warnings allowed unless --strict)
  1  a case failed
  2  usage error, a scenario or --config file that cannot be used, the CSMS could not be
     reached, or the embedded CSMS could not listen";

const EXIT_REPLAY: &str = "Exit status:
  0  every live answer matched the recording
  1  a difference or another deviation
  2  usage error, a trace that cannot be read, or the CSMS could not be reached";

const EXIT_LOAD: &str = "Exit status:
  0  every station connected and every CALL got a clean CALLRESULT
  1  a station failed to connect, or a CALL got a CALLERROR, an invalid answer or none
  2  usage error, a scenario or trace that cannot be used, or the embedded CSMS could not
     listen";

const EXIT_SERVE: &str = "Exit status:
  0  stopped by Ctrl-C
  2  usage error, a --capture file that cannot be created, or an address that cannot be
     listened on";

const EXIT_PROXY: &str = "Exit status:
  0  stopped by Ctrl-C
  2  usage error, a --capture or --findings file that cannot be created, TLS files that cannot
     be read, or an address that cannot be listened on";

const EXIT_SCHEMA: &str = "Exit status:
  0  the schema was printed
  2  usage error";

#[derive(Parser)]
#[command(
    version,
    about = "Run OCPP conformance scenarios against a CSMS",
    after_help = EXIT_ALL
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios (the built-in suites by default) against a CSMS; without --target
    /// against the embedded reference CSMS.
    #[command(after_help = EXIT_RUN)]
    Run(RunArgs),
    /// Run a fleet of simulated stations against a CSMS (the embedded reference CSMS
    /// without --target) and report counts, errors and latency.
    #[command(after_help = EXIT_LOAD)]
    Load(load_cmd::LoadArgs),
    /// Start the reference CSMS and serve until stopped.
    #[command(after_help = EXIT_SERVE)]
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9000")]
        bind: String,
        /// Misbehave deliberately (repeatable).
        #[arg(long, value_parser = crate::fault_arg::parser())]
        fault: Vec<Fault>,
        #[command(flatten)]
        limits: ServeLimits,
        /// Also serve the HTTP trigger API on this address:
        /// POST /api/octt/{1.6|2.0.1|2.1}/{identity}/call/{Action} with the payload as body.
        #[arg(long)]
        trigger_api: Option<String>,
        /// Write every frame of every connection to this file as Open OCPP Trace 1.1.
        #[arg(long, value_name = "FILE")]
        capture: Option<PathBuf>,
    },
    /// Stand between stations and a CSMS: forward every frame unchanged, capture it as Open
    /// OCPP Trace and check it in flight.
    #[command(after_help = EXIT_PROXY)]
    Proxy(proxy_cmd::ProxyArgs),
    /// Replay the charge point side of a captured Open OCPP Trace against a CSMS.
    #[command(after_help = EXIT_REPLAY)]
    Replay(ReplayArgs),
    /// Print the JSON schema of the scenario format (of the test-environment file with
    /// --config).
    #[command(after_help = EXIT_SCHEMA)]
    Schema {
        /// The test-environment file's schema instead.
        #[arg(long)]
        config: bool,
    },
}

/// The reference CSMS's resource limits.
#[derive(clap::Args)]
struct ServeLimits {
    /// Time from TCP accept to an open WebSocket (TLS and upgrade included; at most a year).
    #[arg(long, default_value = "10s", value_parser = arg_ranges::positive_duration)]
    handshake_timeout: Duration,
    /// Close a station that sends nothing for this long (at most a year).
    #[arg(long, default_value = "600s", value_parser = arg_ranges::positive_duration)]
    idle_timeout: Duration,
    /// Most connections open at once; more get HTTP 503 (1 to 4294967295).
    #[arg(long, default_value_t = 50_000, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
}

impl ServeLimits {
    fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        limits.handshake_timeout = self.handshake_timeout;
        limits.idle_timeout = self.idle_timeout;
        limits.max_connections = usize::try_from(self.max_connections).unwrap_or(usize::MAX);
        limits
    }
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// CSMS base URL (ws:// or wss://); the identity is appended.
    #[arg(long, value_parser = connect_args::ws_url)]
    target: String,
    /// The trace (Open OCPP Trace JSON Lines).
    #[arg(long)]
    trace: PathBuf,
    #[command(flatten)]
    connect: connect_args::ConnectArgs,
    /// Identity for the records that name no charge point.
    #[arg(long, default_value = "SIM-001")]
    identity: String,
    /// Replay only this charge point's records (by default each charge point of the trace
    /// is replayed over a connection of its own, in its own OCPP version, one after another).
    #[arg(long, value_name = "ID")]
    charge_point: Option<String>,
    /// Write every frame sent and received to this file as Open OCPP Trace 1.1 (JSON Lines,
    /// the format `ocpp-validate check` reads).
    #[arg(long, value_name = "FILE")]
    capture: Option<PathBuf>,
    /// Replace an idTag / idToken: `RECORDED=SENT` (repeatable).
    #[arg(long, value_parser = parse_pair)]
    id_tag: Vec<(String, String)>,
    /// Send only CALLs of this action (repeatable).
    #[arg(long)]
    action: Vec<String>,
    /// Pause before each CALL, in milliseconds (at most a year).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=arg_ranges::MAX_MS))]
    delay_ms: u64,
    /// How long to wait for each answer, in milliseconds (at most a year).
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(0..=arg_ranges::MAX_MS))]
    timeout_ms: u64,
    /// Report an optional member of a recorded answer that the live answer leaves out as a
    /// difference too (by default only members the schema requires count).
    #[arg(long)]
    strict_replay: bool,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| format!("{text:?} is not RECORDED=SENT"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Suite {
    V16,
    V201,
    V21,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum TriggerMode {
    /// Trigger nothing; wait for the CSMS to act on its own.
    Wait,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Lines for people.
    Human,
    /// JSON, one line per case.
    Json,
    /// JUnit XML.
    Junit,
    /// One self-contained HTML page: per case its deviations and the sequence of its frames
    /// with the failing steps marked.
    Html,
}

#[derive(clap::Args)]
struct RunArgs {
    /// CSMS base URL (ws:// or wss://); the identity is appended.
    #[arg(long, value_parser = connect_args::ws_url)]
    target: Option<String>,
    /// Which built-in suites to run (repeatable: `--suite v16 --suite v201`), in version order.
    #[arg(long, value_enum, default_value = "all")]
    suite: Vec<Suite>,
    /// Scenario files to run instead of the built-in suites: files, or directories read
    /// recursively for *.toml in sorted order (repeatable, or several after one --scenario).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    scenario: Vec<PathBuf>,
    /// Report format; human and json lines are written as each case ends.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Also write the JUnit report to this file at the end (through a temporary file, so the
    /// file is never left half-written).
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Charge point identity for cases that name none (default: the test environment's
    /// `identities.default`, SIM-001).
    #[arg(long)]
    identity: Option<String>,
    /// The test-environment file (TOML): identities, tokens, credentials and default answers
    /// the CSMS under test is provisioned with.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Fail cases on warning-level deviations too (by default only errors fail).
    #[arg(long)]
    strict: bool,
    /// Write every frame sent and received to this file as Open OCPP Trace 1.1 (JSON Lines,
    /// the format `ocpp-validate check` reads).
    #[arg(long, value_name = "FILE")]
    capture: Option<PathBuf>,
    #[command(flatten)]
    connect: connect_args::ConnectArgs,
    /// Shell command that makes the CSMS send a CALL (gets OCPP_IDENTITY, OCPP_ACTION,
    /// OCPP_PAYLOAD, OCPP_VERSION).
    #[arg(long, group = "how_to_trigger")]
    trigger_cmd: Option<String>,
    /// Base URL of the CSMS's trigger API: each trigger is
    /// POST {URL}/api/octt/{1.6|2.0.1|2.1}/{identity}/call/{Action} with the payload as body.
    #[arg(long, group = "how_to_trigger")]
    trigger_url: Option<String>,
    /// Ask the operator on the terminal to make the CSMS send each CALL (Enter skips the
    /// case); each waits up to --trigger-timeout.
    #[arg(long, group = "how_to_trigger")]
    manual: bool,
    /// `wait`: the CSMS sends its CALLs on its own; cases just wait for them.
    #[arg(long, value_enum, group = "how_to_trigger")]
    trigger: Option<TriggerMode>,
    /// How long one trigger may run before it is stopped and reported (at most a year).
    #[arg(long, default_value = "30s", value_parser = arg_ranges::positive_duration)]
    trigger_timeout: Duration,
    /// The CSMS answers BootNotification Pending/Rejected for the test environment's pending
    /// and rejected identities (implied when --config gives [identities]).
    #[arg(long)]
    boot_by_identity: bool,
    /// Fault of the embedded reference CSMS (only without --target; repeatable).
    #[arg(long, value_parser = crate::fault_arg::parser())]
    fault: Vec<Fault>,
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => ExitCode::from(code),
        Err(error) if error.chain().any(|cause| cause.is::<StdoutClosed>()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> anyhow::Result<u8> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Schema { config } => {
            let schema = if config {
                ocpp_conformance::config::json_schema()
            } else {
                scenario::json_schema()
            };
            write_out(&schema)?;
            Ok(0)
        }
        Command::Serve {
            bind,
            fault,
            limits,
            trigger_api,
            capture,
        } => runtime.block_on(async {
            let capture = capture_file(capture.as_deref())?;
            let csms = Csms::start_with(&bind, fault, limits.limits(), None)
                .await
                .with_context(|| format!("cannot listen on {bind}"))?;
            if let Some(capture) = capture {
                csms.capture_to(capture);
            }
            write_out(&format!("reference CSMS listening on {}\n", csms.url()))?;
            let _api = match trigger_api {
                Some(bind) => {
                    let api = csms
                        .serve_trigger_api(&bind)
                        .await
                        .with_context(|| format!("cannot listen on {bind}"))?;
                    write_out(&format!("trigger API on {}\n", api.url()))?;
                    Some(api)
                }
                None => None,
            };
            tokio::signal::ctrl_c().await?;
            Ok(0)
        }),
        Command::Run(args) => runtime.block_on(run(args)),
        Command::Replay(args) => runtime.block_on(replay(args)),
        Command::Load(args) => runtime.block_on(load_cmd::load(args)),
        Command::Proxy(args) => runtime.block_on(proxy_cmd::proxy(args)),
    }
}

fn scenarios(args: &RunArgs) -> anyhow::Result<Vec<Scenario>> {
    if !args.scenario.is_empty() {
        return scenario_files::load(&args.scenario);
    }
    let chosen = |suite| args.suite.contains(&suite) || args.suite.contains(&Suite::All);
    let mut all = Vec::new();
    for (suite, files) in [
        (Suite::V16, suites::V16),
        (Suite::V201, suites::V201),
        (Suite::V21, suites::V21),
    ] {
        if chosen(suite) {
            all.extend(suites::load(files)?);
        }
    }
    Ok(all)
}

/// The test environment of `--config`, or the built-in one.
fn test_env(path: Option<&std::path::Path>) -> anyhow::Result<TestEnv> {
    let Some(path) = path else {
        return Ok(TestEnv::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(TestEnv::parse(&path.display().to_string(), &text)?)
}

async fn run(args: RunArgs) -> anyhow::Result<u8> {
    let scenarios = scenarios(&args)?;
    let env = test_env(args.config.as_deref())?;
    let provisioned = env.identities.is_some();
    let (url, trigger, boot_by_identity) = match &args.target {
        Some(url) => {
            if !args.fault.is_empty() {
                bail!("--fault applies to the embedded CSMS only; drop --target");
            }
            let trigger = match (&args.trigger_cmd, &args.trigger_url, args.trigger) {
                (Some(command), ..) => Trigger::Command(command.clone()),
                (None, Some(url), _) => Trigger::Url(url.clone()),
                (None, None, Some(TriggerMode::Wait)) => Trigger::Wait,
                (None, None, None) if args.manual => Trigger::Manual(Operator::from_stdin()),
                (None, None, None) => Trigger::None,
            };
            (url.clone(), trigger, args.boot_by_identity || provisioned)
        }
        None => {
            let csms = Csms::start(EMBEDDED_BIND, args.fault.clone())
                .await
                .with_context(|| format!("cannot listen on {EMBEDDED_BIND}"))?;
            let csms = Arc::new(csms);
            (csms.url(), Trigger::InProcess(csms), true)
        }
    };
    if let Some(path) = &args.config {
        let stated = report::configuration(&path.display().to_string(), &env);
        let text = match args.format {
            Format::Human => stated.human,
            Format::Json => stated.json,
            Format::Junit | Format::Html => String::new(),
        };
        write_out(&text)?;
    }
    let identity = args
        .identity
        .clone()
        .unwrap_or_else(|| env.identities().default);
    let mut config = RunConfig::new(args.connect.target(url)?, identity);
    config.trigger = trigger;
    config.trigger_timeout = args.trigger_timeout;
    config.boot_by_identity = boot_by_identity;
    config.strict = args.strict;
    config.env = env;
    config.capture = capture_file(args.capture.as_deref())?;
    if args.target.is_some() {
        // One connection error (exit 2) when the host cannot be reached at all, before any case.
        transport::probe(&config.target).await?;
    }
    let mut cases = Vec::new();
    for scenario in &scenarios {
        let case = run_case(&config, scenario).await;
        stream_case(args.format, &case)?;
        cases.push(case);
    }
    finish_capture(&config, args.capture.as_deref())?;
    if let Some(path) = &args.junit {
        write_atomically(path, &report::junit(&cases))?;
    }
    let end = match args.format {
        Format::Human => report::human_totals(&cases),
        Format::Json => String::new(),
        Format::Junit => report::junit(&cases),
        Format::Html => report::html(&cases, "ocpp-conformance run"),
    };
    write_out(&end)?;
    Ok(report::exit_code(&cases))
}

/// The `--capture` file, created before anything runs.
fn capture_file(path: Option<&std::path::Path>) -> anyhow::Result<Option<CaptureFile>> {
    path.map(|path| {
        CaptureFile::create(path).with_context(|| format!("creating {}", path.display()))
    })
    .transpose()
}

/// Flushes the `--capture` file, naming it if it could not be written.
fn finish_capture(config: &RunConfig, path: Option<&std::path::Path>) -> anyhow::Result<()> {
    match (&config.capture, path) {
        (Some(capture), Some(path)) => capture
            .finish()
            .with_context(|| format!("writing {}", path.display())),
        _ => Ok(()),
    }
}

/// Writes one finished case's human or JSON lines at once, so that a run that is killed keeps
/// the verdicts it reached; JUnit waits for the end.
fn stream_case(format: Format, case: &CaseReport) -> anyhow::Result<()> {
    let text = match format {
        Format::Human => report::human_case(case),
        Format::Json => report::json_case(case),
        Format::Junit | Format::Html => return Ok(()),
    };
    write_out(&text)
}

/// Standard output was closed by its reader (`ocpp-conformance run | head -1`): the command
/// stops and exits 0 without a message, as command-line tools do.
#[derive(Debug, thiserror::Error)]
#[error("standard output is closed")]
struct StdoutClosed;

/// Writes `text` to standard output and flushes it; a closed pipe is [`StdoutClosed`].
pub(crate) fn write_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        other => Ok(other.context("writing to standard output")?),
    }
}

/// Writes `text` to `path` through a temporary file beside it, renamed into place.
fn write_atomically(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".tmp-{}", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

fn print_report(format: Format, cases: &[CaseReport]) -> anyhow::Result<u8> {
    let text = match format {
        Format::Human => report::human(cases),
        Format::Json => report::json(cases),
        Format::Junit => report::junit(cases),
        Format::Html => report::html(cases, "ocpp-conformance replay"),
    };
    write_out(&text)?;
    Ok(report::exit_code(cases))
}

async fn replay(args: ReplayArgs) -> anyhow::Result<u8> {
    let file = std::fs::File::open(&args.trace)
        .with_context(|| format!("opening {}", args.trace.display()))?;
    let trace = read_trace(std::io::BufReader::new(file))
        .with_context(|| format!("reading {}", args.trace.display()))?;
    let stations = trace
        .stations(args.charge_point.as_deref(), &args.identity)
        .with_context(|| format!("replaying {}", args.trace.display()))?;
    let mut config = RunConfig::new(
        args.connect.target(args.target.clone())?,
        args.identity.clone(),
    );
    config.capture = capture_file(args.capture.as_deref())?;
    transport::probe(&config.target).await?;
    let mut rewrites = Rewrites::default();
    rewrites.id_tags = args.id_tag.iter().cloned().collect();
    rewrites.actions = args.action.clone();
    rewrites.delay = Duration::from_millis(args.delay_ms);
    rewrites.timeout = Duration::from_millis(args.timeout_ms);
    rewrites.strict = args.strict_replay;
    let mut cases = Vec::new();
    for station in &stations {
        cases.push(ocpp_conformance::replay::replay(&config, station, &rewrites).await);
    }
    finish_capture(&config, args.capture.as_deref())?;
    print_report(args.format, &cases)
}
