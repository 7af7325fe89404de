//! Opening a station's WebSocket to a CSMS: identity in the URL, subprotocol, Basic auth,
//! TLS with a custom CA and client certificate, a frame-size limit, and a timeout over the
//! whole opening (TCP connect, TLS handshake and WebSocket upgrade).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use ocpp_model::OcppVersion;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::{ProtocolError, SubProtocolError};
use tokio_tungstenite::tungstenite::http::header::InvalidHeaderValue;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

/// The largest frame the runner accepts from a CSMS (hostile frames beyond it are refused).
pub const MAX_FRAME: usize = 4 << 20;

/// How long opening a connection may take unless the target says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An open station connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How to reach the CSMS.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Target {
    /// Base URL (`ws://…` or `wss://…`); the identity is appended as the last path segment.
    pub url: String,
    /// HTTP Basic credentials (security profiles 1 and 2).
    pub basic: Option<(String, String)>,
    /// PEM file of the CA that signs the CSMS's certificate (wss).
    pub ca_file: Option<PathBuf>,
    /// PEM files of the client certificate chain and key (security profile 3).
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// The longest a connection may take to open: TCP connect, TLS and the upgrade together.
    pub connect_timeout: Duration,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            url: String::new(),
            basic: None,
            ca_file: None,
            client_cert: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }
}

impl Target {
    /// A target at `url` (`ws://…` or `wss://…`) without credentials or TLS files, with the
    /// default connect timeout; set the other fields as needed.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    /// Reads the TLS files this target names (CA, client certificate and key), so that a
    /// missing or empty file is reported before any connection is tried.
    pub fn check_tls_files(&self) -> Result<(), ConnectError> {
        if let Some(ca) = &self.ca_file {
            roots(ca)?;
        }
        if let Some((cert, key)) = &self.client_cert {
            certificates(cert)?;
            private_key(key)?;
        }
        Ok(())
    }
}

/// Why a connection could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The CSMS answered with no subprotocol, though one was requested.
    #[error("the CSMS accepted the connection without a subprotocol (requested {0})")]
    NoSubprotocol(&'static str),
    /// The CSMS answered with a subprotocol that was not requested.
    #[error("the CSMS selected a subprotocol other than the requested {0}")]
    WrongSubprotocol(&'static str),
    /// The CSMS refused the upgrade with an HTTP error where OCPP-J prescribes completing the
    /// handshake without a subprotocol (OCPP-J 1.6 §3.2, OCPP 2.0.1 Part 4 §3.2).
    #[error(
        "the CSMS refused the {1} upgrade with HTTP {0}; OCPP-J 1.6 §3.2 / 2.0.1 Part 4 §3.2 \
         prescribe completing the handshake without a subprotocol and closing"
    )]
    Refused(u16, &'static str),
    /// The TLS set-up files could not be read or used.
    #[error("TLS setup: {0}")]
    Tls(TlsError),
    /// The connection was not open within the target's connect timeout.
    #[error("no connection within {0:?} (TCP connect, TLS handshake and WebSocket upgrade)")]
    Timeout(Duration),
    /// The URL is no WebSocket request, or the connection or upgrade failed (refused,
    /// unreachable, an HTTP error); the message names the URL.
    #[error("{url}: {error}")]
    Open {
        /// The URL with the identity appended.
        url: String,
        /// What tungstenite reported.
        error: Box<tokio_tungstenite::tungstenite::Error>,
    },
    /// The Basic credentials cannot be sent as an HTTP header value.
    #[error("{0}")]
    Credentials(InvalidHeaderValue),
}

/// Why the TLS set-up failed. The messages name the file and include the underlying error,
/// so none of them is also given as the [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A `wss://` target without a CA file.
    #[error("wss needs --ca FILE")]
    NoCa,
    /// rustls refused the protocol versions of the default provider.
    #[error("{0}")]
    Config(rustls::Error),
    /// A PEM file could not be read or parsed.
    #[error("{}: {error}", path.display())]
    Pem {
        /// The file.
        path: PathBuf,
        /// What the PEM reader reported.
        error: rustls_pki_types::pem::Error,
    },
    /// A PEM file holds no certificate.
    #[error("no certificate found in {}", path.display())]
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// rustls refused a CA certificate, or a certificate chain and its key.
    #[error("{}: {error}", path.display())]
    Certificate {
        /// The CA file, or the certificate chain file.
        path: PathBuf,
        /// What rustls reported.
        error: rustls::Error,
    },
    /// The client CA file cannot verify client certificates (rustls refused its roots).
    #[error("{}: {error}", path.display())]
    ClientCa {
        /// The client CA file.
        path: PathBuf,
        /// What rustls reported.
        error: rustls::server::VerifierBuilderError,
    },
}

impl From<TlsError> for ConnectError {
    fn from(error: TlsError) -> Self {
        Self::Tls(error)
    }
}

impl ConnectError {
    /// The deviation rule this failure is, when it is the CSMS's doing rather than a failure
    /// to reach it: `subprotocol`, or `connect-timeout` for a peer that accepted TCP but did
    /// not finish opening in time.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Self::NoSubprotocol(_) | Self::WrongSubprotocol(_) => Some("subprotocol"),
            Self::Refused(..) => Some("handshake-refused"),
            Self::Timeout(_) => Some("connect-timeout"),
            Self::Tls(_) | Self::Open { .. } | Self::Credentials(_) => None,
        }
    }

    /// Whether this is a deviation of the CSMS rather than a failure to reach it.
    pub fn is_deviation(&self) -> bool {
        self.rule().is_some()
    }
}

/// Opens a connection for `identity` speaking `version`.
pub async fn connect(
    target: &Target,
    identity: &str,
    version: OcppVersion,
) -> Result<Socket, ConnectError> {
    connect_with(target, identity, version, WebSocketConfig::default()).await
}

/// Like [`connect`], with a read buffer that starts at `bytes` (it grows for larger frames):
/// tungstenite's default, 128 KiB zero-filled per connection, is most of a small station's
/// memory.
pub async fn connect_with_buffer(
    target: &Target,
    identity: &str,
    version: OcppVersion,
    bytes: usize,
) -> Result<Socket, ConnectError> {
    let config = WebSocketConfig::default().read_buffer_size(bytes);
    connect_with(target, identity, version, config).await
}

async fn connect_with(
    target: &Target,
    identity: &str,
    version: OcppVersion,
    config: WebSocketConfig,
) -> Result<Socket, ConnectError> {
    let opening = open(target, identity, version, config);
    tokio::time::timeout(target.connect_timeout, opening)
        .await
        .unwrap_or(Err(ConnectError::Timeout(target.connect_timeout)))
}

async fn open(
    target: &Target,
    identity: &str,
    version: OcppVersion,
    config: WebSocketConfig,
) -> Result<Socket, ConnectError> {
    let url = format!("{}/{identity}", target.url.trim_end_matches('/'));
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|error| ConnectError::Open {
            url: url.clone(),
            error: Box::new(error),
        })?;
    let headers = request.headers_mut();
    headers.insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static(version.subprotocol()),
    );
    if let Some((user, password)) = &target.basic {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let value =
            HeaderValue::from_str(&format!("Basic {token}")).map_err(ConnectError::Credentials)?;
        headers.insert("Authorization", value);
    }
    let connector = if url.starts_with("wss://") {
        Some(Connector::Rustls(Arc::new(tls_config(target)?)))
    } else {
        None
    };
    let config = config
        .max_message_size(Some(MAX_FRAME))
        .max_frame_size(Some(MAX_FRAME));
    let result =
        tokio_tungstenite::connect_async_tls_with_config(request, Some(config), false, connector)
            .await;
    match result {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Protocol(
            ProtocolError::SecWebSocketSubProtocolError(kind),
        )) => Err(match kind {
            SubProtocolError::NoSubProtocol => ConnectError::NoSubprotocol(version.subprotocol()),
            _ => ConnectError::WrongSubprotocol(version.subprotocol()),
        }),
        // 401/403 (credentials) and 404 (an identity it does not know, 2.0.1 Part 4 §3.2) are
        // refusals of the station, not of its version.
        Err(tokio_tungstenite::tungstenite::Error::Http(response))
            if response.status().is_client_error()
                && ![401, 403, 404].contains(&response.status().as_u16()) =>
        {
            Err(ConnectError::Refused(
                response.status().as_u16(),
                version.subprotocol(),
            ))
        }
        Err(error) => Err(ConnectError::Open {
            url,
            error: Box::new(error),
        }),
    }
}

/// The TLS client settings for a `wss://` target: its CA, and its client certificate when
/// it has one.
pub(crate) fn tls_config(target: &Target) -> Result<rustls::ClientConfig, TlsError> {
    let Some(ca) = &target.ca_file else {
        return Err(TlsError::NoCa);
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?
        .with_root_certificates(roots(ca)?);
    match &target.client_cert {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => builder
            .with_client_auth_cert(certificates(cert)?, private_key(key)?)
            .map_err(|error| TlsError::Certificate {
                path: cert.clone(),
                error,
            }),
    }
}

/// The TLS server settings of a `wss://` listener: the certificate chain and key it
/// presents, and when `client_ca` is given, a client certificate that CA signed required of
/// every peer (security profile 3: the Central System verifies the certification path of the
/// Charge Point's certificate, OCPP 1.6 Security Whitepaper ed. 2 §2.5.1, A00.FR.403).
pub fn listener_tls_config(
    cert: &Path,
    key: &Path,
    client_ca: Option<&Path>,
) -> Result<rustls::ServerConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?;
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots(ca)?),
                provider,
            )
            .build()
            .map_err(|error| TlsError::ClientCa {
                path: ca.to_owned(),
                error,
            })?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    builder
        .with_single_cert(certificates(cert)?, private_key(key)?)
        .map_err(|error| TlsError::Certificate {
            path: cert.to_owned(),
            error,
        })
}

/// A PEM reading error about `path`.
fn pem_error(path: &Path) -> impl FnOnce(rustls_pki_types::pem::Error) -> TlsError + '_ {
    move |error| TlsError::Pem {
        path: path.to_owned(),
        error,
    }
}

/// The certificates of a PEM file, at least one.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(pem_error(path))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_error(path))?;
    if certificates.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.to_owned(),
        });
    }
    Ok(certificates)
}

/// The CA certificates of the PEM file `ca`.
fn roots(ca: &Path) -> Result<rustls::RootCertStore, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in certificates(ca)? {
        roots.add(cert).map_err(|error| TlsError::Certificate {
            path: ca.to_owned(),
            error,
        })?;
    }
    Ok(roots)
}

/// The private key of the PEM file `key`.
fn private_key(key: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_file(key).map_err(pem_error(key))
}

/// Whether the target's host accepts TCP connections at all: one connection to its host and
/// port (80 for `ws://`, 443 for `wss://` unless the URL gives one), opened and closed at
/// once, within the connect timeout. The error names the URL and why (the OS error, a name
/// that does not resolve, the timeout); a CSMS that accepts TCP sees one connection that
/// never upgrades.
pub async fn probe(target: &Target) -> Result<(), Unreachable> {
    let url = &target.url;
    let unreachable = |why| Unreachable {
        url: url.clone(),
        why,
    };
    let uri: tokio_tungstenite::tungstenite::http::Uri = url
        .parse()
        .map_err(|error| unreachable(UnreachableWhy::BadUrl(error)))?;
    let default_port = if uri.scheme_str() == Some("wss") {
        443
    } else {
        80
    };
    let host = uri
        .host()
        .ok_or_else(|| unreachable(UnreachableWhy::NoHost))?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(default_port);
    match tokio::time::timeout(target.connect_timeout, TcpStream::connect((host, port))).await {
        Ok(Ok(_stream)) => Ok(()),
        Ok(Err(error)) => Err(unreachable(UnreachableWhy::Io(error))),
        Err(_) => Err(unreachable(UnreachableWhy::Timeout(target.connect_timeout))),
    }
}

/// The target's host accepts no TCP connection ([`probe`]).
#[derive(Debug, thiserror::Error)]
#[error("cannot connect to {url}: {why}")]
#[non_exhaustive]
pub struct Unreachable {
    /// The target's base URL.
    pub url: String,
    /// Why not; its text is part of this error's message.
    pub why: UnreachableWhy,
}

/// Why [`probe`] could not reach the target.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnreachableWhy {
    /// The URL does not parse.
    #[error("{0}")]
    BadUrl(tokio_tungstenite::tungstenite::http::uri::InvalidUri),
    /// The URL names no host.
    #[error("the URL names no host")]
    NoHost,
    /// The TCP connection failed (refused, a name that does not resolve, …).
    #[error("{0}")]
    Io(std::io::Error),
    /// No TCP connection within the connect timeout.
    #[error("no TCP connection within {0:?}")]
    Timeout(Duration),
}
