//! `ocpp-conformance`: plays charging stations against a CSMS over a real WebSocket, checks
//! everything the CSMS sends with `ocpp-validate`, and reports every deviation.
//!
//! * [`scenario`] — the TOML scenario format and [`matcher`]s on payload members.
//! * [`config`] — the test-environment file: what the CSMS under test is provisioned with.
//! * [`transport`] — opening a station connection (ws/wss, Basic auth, subprotocol).
//! * [`runner`] — executing a scenario and collecting deviations.
//! * [`csms`] — the reference CSMS with fault injection.
//! * [`suites`] — the built-in 1.6 and 2.0.1 suites.
//! * [`replay`] — replaying a captured trace with rewrites and structural comparison.
//! * [`report`] — human, JSON and JUnit renderers.
//! * [`load`] — load mode: a fleet of stations against one CSMS.
//!
//! ```
//! use std::sync::Arc;
//! use ocpp_conformance::csms::Csms;
//! use ocpp_conformance::runner::{run_case, RunConfig, Status};
//! use ocpp_conformance::suites;
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let csms = Arc::new(Csms::start("127.0.0.1:0", Vec::new()).await?);
//! let config = RunConfig::reference(csms, "SIM-001");
//! for scenario in suites::load(suites::V201)? {
//!     assert_eq!(run_case(&config, &scenario).await.status, Status::Pass);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod capture;
pub mod config;
pub mod csms;
mod deadline;
#[cfg(feature = "fuzz")]
pub mod fuzz;
mod http;
pub mod load;
pub mod matcher;
pub mod replay;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod suites;
pub mod transport;
