//! `ocpp-conformance proxy`: captures and checks what stations and a CSMS say to each other.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use ocpp_conformance::proxy::{FindingsOut, Proxy, ProxyConfig};
use ocpp_conformance::transport::listener_tls_config;

use crate::connect_args::{ws_url, ClientCertificate, ConnectArgs};
use crate::{capture_file, write_out};

#[derive(clap::Args)]
pub(crate) struct ProxyArgs {
    /// Address stations connect to.
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: String,
    /// The CSMS's base URL (`ws://…` or `wss://…`); each station's identity is appended.
    #[arg(long, value_parser = ws_url)]
    upstream: String,
    /// Write every frame of every connection to this file as Open OCPP Trace 1.1.
    #[arg(long, value_name = "FILE")]
    capture: Option<PathBuf>,
    /// Write the findings of the in-flight checks to this file as JSON Lines (standard error
    /// when not given).
    #[arg(long, value_name = "FILE")]
    findings: Option<PathBuf>,
    /// Frames queued per direction for a side that reads slower than the other writes; when
    /// full, the connection is closed and reported (1 to 1,000,000).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    queue: u32,
    /// Listen on wss:// with this certificate chain (PEM); TLS is terminated here.
    #[arg(long, requires = "key", value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The private key (PEM) of --cert.
    #[arg(long, requires = "cert", value_name = "FILE")]
    key: Option<PathBuf>,
    /// Require of every station a client certificate this CA (PEM) signed (security
    /// profile 3); it is not passed upstream, where --upstream-cert stands in.
    #[arg(long, requires = "cert", value_name = "FILE")]
    client_ca: Option<PathBuf>,
    /// How the proxy connects upstream: `--basic` is sent for stations that send no
    /// credentials of their own; `--ca`, `--upstream-cert`/`--upstream-key` are for a wss://
    /// upstream.
    #[command(flatten)]
    connect: ConnectArgs<UpstreamCertArgs>,
}

/// The proxy's own client certificate towards a wss:// upstream.
#[derive(clap::Args)]
pub(crate) struct UpstreamCertArgs {
    /// Client certificate chain (PEM) the proxy presents to a wss:// upstream (security
    /// profile 3), for every station.
    #[arg(long, requires = "upstream_key", value_name = "FILE")]
    upstream_cert: Option<PathBuf>,
    /// The private key (PEM) of --upstream-cert.
    #[arg(long, requires = "upstream_cert", value_name = "FILE")]
    upstream_key: Option<PathBuf>,
}

impl ClientCertificate for UpstreamCertArgs {
    fn files(&self) -> Option<(PathBuf, PathBuf)> {
        self.upstream_cert.clone().zip(self.upstream_key.clone())
    }
}

/// Runs the proxy until Ctrl-C.
pub(crate) async fn proxy(args: ProxyArgs) -> anyhow::Result<u8> {
    let upstream = args.connect.target(args.upstream)?;
    upstream.check_tls_files()?;
    let tls = match args.cert.as_deref().zip(args.key.as_deref()) {
        Some((cert, key)) => Some(Arc::new(
            listener_tls_config(cert, key, args.client_ca.as_deref())
                .context("the listener's TLS files")?,
        )),
        None => None,
    };
    let findings: Box<dyn std::io::Write + Send> = match &args.findings {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let findings: FindingsOut = Arc::new(Mutex::new(findings));
    let config = ProxyConfig::new(upstream.clone())
        .with_capture(capture_file(args.capture.as_deref())?)
        .with_findings(Some(findings))
        .with_queue(usize::try_from(args.queue).unwrap_or(usize::MAX))
        .with_tls(tls);
    let capture = config.capture.clone();
    let proxy = Proxy::start(&args.listen, config)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    write_out(&format!(
        "proxy listening on {}, forwarding to {}\n",
        proxy.url(),
        upstream.url
    ))?;
    tokio::signal::ctrl_c().await?;
    if let Some(capture) = capture {
        capture.finish().context("writing the capture")?;
    }
    Ok(0)
}
