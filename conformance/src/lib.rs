//! `ocpp-conformance`: plays charging stations against a CSMS over a real WebSocket, checks
//! everything the CSMS sends with `ocpp-validate`, and reports every deviation.
//!
//! * [`scenario`] — the TOML scenario format and [`matcher`]s on payload members.
//! * [`transport`] — opening a station connection (ws/wss, Basic auth, subprotocol).
//! * [`runner`] — executing a scenario and collecting deviations.
//! * [`csms`] — the reference CSMS with fault injection.
//! * [`suites`] — the built-in 1.6 and 2.0.1 suites.
//! * [`report`] — human, JSON and JUnit renderers.
//! * [`load`] — load mode: a fleet of stations against one CSMS.

pub mod csms;
pub mod load;
pub mod matcher;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod suites;
pub mod transport;
