//! The connection options `run` and `load` share: Basic credentials and TLS files.

use std::path::PathBuf;

use anyhow::bail;
use ocpp_conformance::transport::Target;

#[derive(clap::Args)]
pub(crate) struct ConnectArgs {
    /// HTTP Basic credentials, `user:password`.
    #[arg(long)]
    basic: Option<String>,
    /// CA certificate (PEM) for wss.
    #[arg(long)]
    ca: Option<PathBuf>,
    /// Client certificate chain (PEM) for security profile 3.
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// Client private key (PEM) for security profile 3.
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
}

impl ConnectArgs {
    /// The target at `url` with these options.
    pub(crate) fn target(&self, url: String) -> anyhow::Result<Target> {
        let basic = match &self.basic {
            Some(pair) => match pair.split_once(':') {
                Some((user, password)) => Some((user.to_owned(), password.to_owned())),
                None => bail!("--basic must be user:password"),
            },
            None => None,
        };
        Ok(Target {
            url,
            basic,
            ca_file: self.ca.clone(),
            client_cert: self.cert.clone().zip(self.key.clone()),
        })
    }
}
