//! Validation of raw OCPP-J traffic against the OCPP 1.6-J and 2.0.1 schemas.
//!
//! * [`validate_payload`] checks a payload (the raw JSON, never a re-serialized struct) for an
//!   action and returns every violation with its JSON pointer, schema path, message and the
//!   CALLERROR [`AnyErrorCode`] the violation calls for (see [`code`] for the mapping).
//! * [`check_frame`] checks the OCPP-J array itself and says what a receiver must answer.
//! * [`Correlator`] checks a stream of frames, pairing responses with their calls so that a
//!   CALLRESULT is validated against the response schema of the action it answers.
//!
//! ```
//! use ocpp_model::OcppVersion;
//! use ocpp_validate::{validate_payload, PayloadKind};
//!
//! let payload = serde_json::json!({"idTag": "A-TAG-THAT-IS-MUCH-TOO-LONG", "extra": 1});
//! let violations = validate_payload(OcppVersion::V16, "Authorize", PayloadKind::Request, &payload)?;
//! let codes: Vec<_> = violations.iter().map(|v| (v.pointer.as_str(), v.error_code.as_str())).collect();
//! assert_eq!(codes, [("/idTag", "PropertyConstraintViolation"), ("/extra", "FormationViolation")]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//!
//! This crate is the library only; the `ocpp-validate` command is the `ocpp-validate-cli`
//! crate beside it.

#![warn(clippy::exhaustive_structs, clippy::exhaustive_enums)]

mod casing;
pub mod check;
pub mod code;
pub mod consumer_view;
mod correlator;
mod counts;
mod finding;
mod frame;
#[cfg(feature = "fuzz")]
pub mod fuzz;
mod open_calls;
mod payload;
mod probes;
mod recent;
pub mod render;
pub mod semantic;
mod single_pass;
pub mod summary;
pub mod tolerant;
pub mod trace;
mod values;
mod violation;

pub use correlator::{Correlator, Pairing};
pub use finding::{
    cut, cut_value, Category, Echo, Finding, Position, Severity, MAX_ECHO, MAX_MESSAGE,
};
pub use frame::{check_frame, decode_frame, FrameIssue, FrameParts};
pub use ocpp_model::{AnyErrorCode, AnyFrame, AnyMessage, PayloadKind, Sender};
pub use payload::{schema_accepts, validate_payload, UnknownAction};
pub use violation::{Violation, ViolationKind};

/// The crate README's example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
