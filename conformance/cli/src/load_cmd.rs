//! The `load` subcommand: arguments, and the run against a target or the embedded CSMS.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::ValueEnum;
use ocpp_conformance::csms::{Csms, Fault};
use ocpp_conformance::load::{self, IdentityPattern, LoadConfig, Workload};
use ocpp_conformance::scenario::Scenario;
use ocpp_model::OcppVersion;

use crate::arg_ranges;
use crate::connect_args::ConnectArgs;

/// Report formats of the load report.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LoadFormat {
    Human,
    Json,
}

/// The OCPP version of the default workload.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Ocpp {
    #[value(name = "1.6")]
    V16,
    #[value(name = "2.0.1")]
    V201,
    #[value(name = "2.1")]
    V21,
}

#[derive(clap::Args)]
pub(crate) struct LoadArgs {
    /// CSMS base URL (ws:// or wss://); each station's identity is appended. Without it the
    /// embedded reference CSMS is started.
    #[arg(long, value_parser = crate::connect_args::ws_url)]
    target: Option<String>,
    /// Credentials and TLS files, the same for every station.
    #[command(flatten)]
    connect: ConnectArgs,
    /// How many stations (1 to 4294967295).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=u64::from(u32::MAX)))]
    stations: u64,
    /// Stations started per second (0.001 to 1000000).
    #[arg(long, default_value_t = 500.0, value_parser = arg_ranges::ramp)]
    ramp: f64,
    /// Length of the run (`90s`, `2m`, `500ms`; at most a year).
    #[arg(long, default_value = "60s", value_parser = arg_ranges::duration)]
    duration: Duration,
    /// Pause between rounds of Heartbeat and MeterValues (default workload; at most a year).
    #[arg(long, default_value = "10s", value_parser = arg_ranges::duration)]
    interval: Duration,
    /// How long to wait for each answer (at most a year).
    #[arg(long, default_value = "10s", value_parser = arg_ranges::duration)]
    timeout: Duration,
    /// Play this scenario's call and wait steps in a loop instead of the default workload;
    /// `${identity}`, `${index}`, `${idTag}` and `${now}` are set per station.
    #[arg(long, conflicts_with = "trace")]
    scenario: Option<PathBuf>,
    /// Replay the station's CALLs of this trace (raw frames or Open OCPP Trace JSON Lines)
    /// in a loop, with tokens, timestamps and transaction ids rewritten per station.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// With --trace: play this charge point's records (needed when the trace holds several).
    #[arg(long, value_name = "ID", requires = "trace")]
    charge_point: Option<String>,
    /// OCPP version of the default workload (and of traces whose records name none).
    #[arg(long, value_enum, default_value = "1.6")]
    ocpp: Ocpp,
    /// Identity pattern: `{n}` or `{n:0W}` is the station number.
    #[arg(long, default_value = "LOAD-{n:05}")]
    identity: String,
    /// Number of the first station, so that load hosts can take disjoint ranges (0 to
    /// 4294967295).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=u64::from(u32::MAX)))]
    first: u64,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: LoadFormat,
    /// Fault of the embedded reference CSMS (only without --target; repeatable).
    #[arg(long, value_parser = crate::fault_arg::parser())]
    fault: Vec<Fault>,
}

fn workload(args: &LoadArgs) -> anyhow::Result<Workload> {
    let version = match args.ocpp {
        Ocpp::V16 => OcppVersion::V16,
        Ocpp::V201 => OcppVersion::V201,
        Ocpp::V21 => OcppVersion::V21,
    };
    if let Some(path) = &args.trace {
        let file =
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let workload = load::from_trace(file, version, args.interval, args.charge_point.as_deref())
            .with_context(|| format!("trace {}", path.display()))?;
        return Ok(workload);
    }
    let Some(path) = &args.scenario else {
        return Ok(Workload::heartbeat(version, args.interval));
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let scenario = Scenario::parse(&path.display().to_string(), &text)?;
    Ok(Workload::from_scenario(&scenario)?)
}

/// Raises the soft limit on open files to the hard limit, and warns when it is still below
/// one descriptor per station (two with the embedded CSMS, which holds the other ends).
fn raise_descriptor_limit(args: &LoadArgs) {
    let needed = if args.target.is_some() {
        args.stations
    } else {
        args.stations.saturating_mul(2)
    };
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < needed.saturating_add(64) => eprintln!(
            "warning: {limit} open files allowed, about {needed} needed; raise the hard limit \
             (ulimit -Hn) or expect failed connections"
        ),
        Ok(_) => {}
        Err(error) => eprintln!("warning: could not raise the open-file limit: {error}"),
    }
}

/// Runs the fleet and prints the report; exit code 1 when anything went wrong.
pub(crate) async fn load(args: LoadArgs) -> anyhow::Result<u8> {
    let workload = workload(&args)?;
    let identity = IdentityPattern::parse(&args.identity)?;
    raise_descriptor_limit(&args);
    let (csms, url) = match &args.target {
        Some(url) => {
            if !args.fault.is_empty() {
                bail!("--fault applies to the embedded CSMS only; drop --target");
            }
            (None, url.clone())
        }
        None => {
            let csms = Csms::start(crate::EMBEDDED_BIND, args.fault.clone())
                .await
                .with_context(|| format!("cannot listen on {}", crate::EMBEDDED_BIND))?;
            let url = csms.url();
            (Some(csms), url)
        }
    };
    let mut config = LoadConfig::new(args.connect.target(url)?, args.stations, identity, workload);
    config.first = args.first;
    config.ramp = args.ramp;
    config.duration = args.duration;
    config.timeout = args.timeout;
    config.progress = std::io::stderr().is_terminal();
    config.embedded_csms = csms.is_some();
    let report = load::run(config).await;
    drop(csms);
    let text = match args.format {
        LoadFormat::Human => load::report::human(&report),
        LoadFormat::Json => load::report::json(&report),
    };
    crate::write_out(&text)?;
    Ok(report.exit_code())
}
