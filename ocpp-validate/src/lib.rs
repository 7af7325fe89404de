//! Validation of raw OCPP-J traffic against the OCPP 1.6-J, 2.0.1 and 2.1 schemas.
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
//!
//! # Layers
//!
//! Each layer may import the layers before it and the shared pieces, never one after it:
//!
//! 1. **Model** — `ocpp-model`: the typed messages, the frames and the schemas.
//! 2. **Shared pieces** — [`Finding`], [`Position`], [`Severity`] and [`Category`]
//!    (`finding.rs`), [`Violation`] (`violation.rs`), the CALLERROR mapping [`code`], the
//!    counts [`check::Counts`] (`counts.rs`), and small helpers (`casing.rs`, `values.rs`,
//!    `recent.rs`, `probes.rs`). They import only the model.
//! 3. **Strict checks** — [`validate_payload`] (`payload.rs`), [`check_frame`] and
//!    [`decode_frame`] (`frame.rs`), and the [`Correlator`] (`correlator.rs`, over
//!    `open_calls.rs` and the one-pass reader `single_pass.rs`), which pairs responses with
//!    their calls.
//! 4. **Tolerant** — [`tolerant`]: decoding that forgives known quirks, each a
//!    [`tolerant::Repair`]; it may use the strict checks.
//! 5. **Inputs** — [`trace`]: the readers of raw frames, logs, Open OCPP Trace, data-lake
//!    exports and Parquet, and the Open OCPP Trace writer. They know formats, not checks.
//! 6. **Semantic** — [`semantic`]: the stateful rules over a trace's records, run by
//!    [`semantic::Engine`]; they read records from the inputs.
//! 7. **Pipeline** — [`check`]: reads an input, settles each record's version, decodes it
//!    strictly or tolerantly, correlates it and runs the semantic rules, on one thread or
//!    several, handing out [`check::Event`]s. Nothing below `check` imports it, and its own
//!    submodules import one another, never `check` itself.
//! 8. **Analyses and renderers** — [`summary`], [`diff`] and [`consumer_view`] read the
//!    pipeline's events; [`anonymize`] rewrites inputs line by line with the readers' parsing; [`render`] writes findings as reports through one trait,
//!    [`render::Renderer`], and takes the types it renders (findings, counts, the rule
//!    tables, trace lines for excerpts), never the pipeline. The `fuzz` entry points
//!    (feature `fuzz`) sit on top of everything.

#![warn(clippy::exhaustive_structs, clippy::exhaustive_enums)]

pub mod anonymize;
mod casing;
pub mod check;
pub mod code;
pub mod consumer_view;
mod correlator;
mod counts;
pub mod diff;
mod finding;
mod frame;
#[cfg(feature = "fuzz")]
pub mod fuzz;
mod open_calls;
mod payload;
mod probes;
mod recent;
pub mod render;
pub mod report;
pub mod semantic;
mod single_pass;
pub mod summary;
mod tape;
pub mod tolerant;
pub mod trace;
mod used_ids;
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
