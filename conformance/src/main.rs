//! The `ocpp-conformance` command: `run`, `load`, `serve` and `schema`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use ocpp_conformance::csms::{Csms, Fault};
use ocpp_conformance::runner::{run_case, RunConfig, Trigger};
use ocpp_conformance::scenario::{self, Scenario};
use ocpp_conformance::{report, suites};

mod connect_args;
mod load_cmd;

#[derive(Parser)]
#[command(version, about = "Run OCPP conformance scenarios against a CSMS")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios (the built-in suites by default) against a CSMS; without --target
    /// against the embedded reference CSMS.
    Run(RunArgs),
    /// Run a fleet of simulated stations against a CSMS (the embedded reference CSMS
    /// without --target) and report counts, errors and latency.
    Load(load_cmd::LoadArgs),
    /// Start the reference CSMS and serve until stopped.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9000")]
        bind: String,
        /// Misbehave deliberately (repeatable).
        #[arg(long, value_enum)]
        fault: Vec<Fault>,
    },
    /// Print the JSON schema of the scenario format.
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Suite {
    V16,
    V201,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Junit,
}

#[derive(clap::Args)]
struct RunArgs {
    /// CSMS base URL (ws:// or wss://); the identity is appended.
    #[arg(long)]
    target: Option<String>,
    /// Which built-in suite to run.
    #[arg(long, value_enum, default_value = "all")]
    suite: Suite,
    /// Scenario files to run instead of the built-in suites.
    #[arg(long)]
    scenario: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Charge point identity for cases that name none.
    #[arg(long, default_value = "SIM-001")]
    identity: String,
    #[command(flatten)]
    connect: connect_args::ConnectArgs,
    /// Shell command that makes the CSMS send a CALL (gets OCPP_IDENTITY, OCPP_ACTION,
    /// OCPP_PAYLOAD).
    #[arg(long)]
    trigger_cmd: Option<String>,
    /// The CSMS answers BootNotification Pending/Rejected for identities ending in
    /// -PENDING/-REJECTED.
    #[arg(long)]
    boot_by_identity: bool,
    /// Fault of the embedded reference CSMS (only without --target; repeatable).
    #[arg(long, value_enum)]
    fault: Vec<Fault>,
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => ExitCode::from(code),
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
        Command::Schema => {
            print!("{}", scenario::json_schema());
            Ok(0)
        }
        Command::Serve { bind, fault } => runtime.block_on(async {
            let csms = Csms::start(&bind, fault).await?;
            println!("reference CSMS listening on {}", csms.url());
            tokio::signal::ctrl_c().await?;
            Ok(0)
        }),
        Command::Run(args) => runtime.block_on(run(args)),
        Command::Load(args) => runtime.block_on(load_cmd::load(args)),
    }
}

fn scenarios(args: &RunArgs) -> anyhow::Result<Vec<Scenario>> {
    if !args.scenario.is_empty() {
        return args
            .scenario
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                Ok(Scenario::parse(&path.display().to_string(), &text)?)
            })
            .collect();
    }
    let mut all = Vec::new();
    if args.suite != Suite::V201 {
        all.extend(suites::load(suites::V16)?);
    }
    if args.suite != Suite::V16 {
        all.extend(suites::load(suites::V201)?);
    }
    Ok(all)
}

async fn run(args: RunArgs) -> anyhow::Result<u8> {
    let scenarios = scenarios(&args)?;
    let mut target = args.connect.target(String::new())?;
    let (trigger, boot_by_identity) = match &args.target {
        Some(url) => {
            if !args.fault.is_empty() {
                bail!("--fault applies to the embedded CSMS only; drop --target");
            }
            target.url = url.clone();
            let trigger = args
                .trigger_cmd
                .clone()
                .map_or(Trigger::None, Trigger::Command);
            (trigger, args.boot_by_identity)
        }
        None => {
            let csms = Arc::new(Csms::start("127.0.0.1:0", args.fault.clone()).await?);
            target.url = csms.url();
            (Trigger::InProcess(csms), true)
        }
    };
    let config = RunConfig {
        target,
        identity: args.identity.clone(),
        trigger,
        boot_by_identity,
    };
    let mut cases = Vec::new();
    for scenario in &scenarios {
        cases.push(run_case(&config, scenario).await);
    }
    let text = match args.format {
        Format::Human => report::human(&cases),
        Format::Json => report::json(&cases),
        Format::Junit => report::junit(&cases),
    };
    print!("{text}");
    Ok(report::exit_code(&cases))
}
