//! `ocpp-conformance`: plays charging stations against a CSMS over a real WebSocket, checks
//! everything the CSMS sends with `ocpp-validate`, and reports every deviation. The
//! `ocpp-conformance` command is the separate `ocpp-conformance-cli` package.
//!
//! # Layers
//!
//! The modules from the bottom up; each uses only the layers below it (and `ocpp-model`,
//! `ocpp-validate`), never one above:
//!
//! 1. [`scenario`] with its [`matcher`]s — the TOML scenario format; [`config`] — the
//!    test-environment file (what the CSMS under test is provisioned with); [`suites`] — the
//!    built-in 1.6, 2.0.1 and 2.1 scenarios. Data only: no I/O beyond parsing.
//! 2. [`transport`] — opening a station connection (ws/wss, Basic auth, subprotocol,
//!    connect timeout); [`capture`] — writing frames as Open OCPP Trace; [`report`] — the
//!    result model of a run (each case's verdict, deviations, unsolicited CALLs) and its
//!    human, JSON and JUnit renderers: data in, text out.
//! 3. [`csms`] — the reference CSMS with fault injection and its trigger API; it uses
//!    `transport`'s frame limit and `capture`, and knows nothing of the runner.
//! 4. [`runner`] — executing a scenario and filling in its [`report::CaseReport`]; it uses
//!    layers 1–2, and `csms` only for the in-process trigger and
//!    [`RunConfig::reference`](runner::RunConfig::reference).
//! 5. [`replay`] — replaying a captured trace with rewrites and structural comparison (also
//!    reading traces), played through a `runner` station; [`load`] — a fleet of stations
//!    against one CSMS, with a light station of its own, reading traces through `replay`.
//!
//! ```
//! use std::sync::Arc;
//! use ocpp_conformance::csms::Csms;
//! use ocpp_conformance::report::Status;
//! use ocpp_conformance::runner::{run_case, RunConfig};
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

#![warn(clippy::exhaustive_structs, clippy::exhaustive_enums)]

pub mod capture;
pub mod config;
pub mod csms;
mod deadline;
#[cfg(feature = "fuzz")]
pub mod fuzz;
mod http;
pub mod load;
pub mod matcher;
pub mod proxy;
pub mod replay;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod suites;
pub mod transport;
