//! The connection options `run`, `replay` and `load` share: Basic credentials, TLS files and
//! the connect timeout.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use ocpp_conformance::transport::Target;

use crate::arg_ranges;

/// The environment variable that gives the Basic credentials when no option does.
const BASIC_ENV: &str = "OCPP_BASIC";

#[derive(clap::Args)]
pub(crate) struct ConnectArgs<C: clap::Args + ClientCertificate = ClientCertArgs> {
    /// HTTP Basic credentials, `user:password` (visible in the process list: prefer
    /// --basic-file or the environment variable OCPP_BASIC).
    #[arg(long, conflicts_with = "basic_file")]
    basic: Option<String>,
    /// File whose first line is the HTTP Basic credentials, `user:password`.
    #[arg(long)]
    basic_file: Option<PathBuf>,
    /// CA certificate (PEM) for wss.
    #[arg(long)]
    ca: Option<PathBuf>,
    /// The client certificate, under the option names of the command.
    #[command(flatten)]
    client: C,
    /// How long opening a connection may take: TCP connect, TLS handshake and WebSocket
    /// upgrade together (at most a year).
    #[arg(long, default_value = "10s", value_parser = arg_ranges::positive_duration)]
    connect_timeout: Duration,
}

/// A client certificate chain and its key, as the options of a command name them.
pub(crate) trait ClientCertificate {
    /// The chain's and the key's PEM files, when given.
    fn files(&self) -> Option<(PathBuf, PathBuf)>;
}

/// `--cert`/`--key`: the client certificate of `run`, `replay` and `load`.
#[derive(clap::Args)]
pub(crate) struct ClientCertArgs {
    /// Client certificate chain (PEM) for security profile 3.
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// Client private key (PEM) for security profile 3.
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
}

impl ClientCertificate for ClientCertArgs {
    fn files(&self) -> Option<(PathBuf, PathBuf)> {
        self.cert.clone().zip(self.key.clone())
    }
}

/// Reads a CSMS base URL: `ws://` or `wss://` followed by a host, else a usage error that
/// shows what to write.
pub(crate) fn ws_url(text: &str) -> Result<String, String> {
    let rest = ["ws://", "wss://"].iter().find_map(|scheme| {
        text.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &text[scheme.len()..])
    });
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(text.to_owned()),
        Some(_) => Err(format!("{text:?} names no host")),
        None => match text.split_once("://") {
            Some((scheme, _)) => Err(format!(
                "the scheme must be ws:// or wss://, not {scheme}://"
            )),
            None => Err(format!(
                "the URL needs a scheme, ws:// or wss:// (for example ws://{text})"
            )),
        },
    }
}

impl<C: clap::Args + ClientCertificate> ConnectArgs<C> {
    /// The target at `url` with these options; the TLS files are read now, so that a missing
    /// or empty one is a usage error naming it. Warns once on stderr when Basic credentials
    /// would cross a plain `ws://` connection.
    pub(crate) fn target(&self, url: String) -> anyhow::Result<Target> {
        let basic = match self.credentials()? {
            Some(pair) => match pair.split_once(':') {
                Some((user, password)) => Some((user.to_owned(), password.to_owned())),
                None => bail!("--basic must be user:password"),
            },
            None => None,
        };
        if basic.is_some() && url.starts_with("ws://") {
            // Security profile 1 sends Basic credentials unencrypted; it is meant for trusted
            // networks only (OCPP 1.6 Security Whitepaper ed. 2, §2.1 and §2.3).
            eprintln!(
                "warning: Basic credentials are sent unencrypted over ws:// (security profile \
                 1, for trusted networks only); use wss:// to protect them"
            );
        }
        let mut target = Target::new(url);
        target.basic = basic;
        target.ca_file = self.ca.clone();
        target.client_cert = self.client.files();
        target.connect_timeout = self.connect_timeout;
        target.check_tls_files()?;
        Ok(target)
    }

    /// The Basic credentials from `--basic`, `--basic-file` or `OCPP_BASIC`, in that order.
    fn credentials(&self) -> anyhow::Result<Option<String>> {
        if let Some(pair) = &self.basic {
            return Ok(Some(pair.clone()));
        }
        if let Some(path) = &self.basic_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading --basic-file {}", path.display()))?;
            let line = text.lines().next().unwrap_or_default();
            return Ok(Some(line.to_owned()));
        }
        match std::env::var(BASIC_ENV) {
            Ok(pair) => Ok(Some(pair)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(error @ std::env::VarError::NotUnicode(_)) => bail!("{BASIC_ENV}: {error}"),
        }
    }
}
