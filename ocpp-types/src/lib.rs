//! Typed models of every OCPP 1.6-J and OCPP 2.0.1 message, and OCPP-J framing.
//!
//! * [`framing`] reads and writes the OCPP-J arrays — CALL `[2, id, action, payload]`,
//!   CALLRESULT `[3, id, payload]`, CALLERROR `[4, id, code, description, details]` — with
//!   each version's own error codes ([`v16::ErrorCode`], [`v201::ErrorCode`]).
//! * [`v16`] and [`v201`] hold one module per action (a marker type implementing [`Action`],
//!   its request and its response), the datatypes and enumerations, and the sum types
//!   [`v16::Request`] / [`v16::Response`] (likewise for 2.0.1) that decode a payload by action
//!   name at run time.
//! * [`primitives`] are the value types that hold the schemas' constraints: strings bounded in
//!   characters, lists bounded in items, ranged integers, exact decimals, RFC 3339 date-times.
//!
//! The types are generated from the official OCA JSON schemas and are exactly as strict: a
//! value decodes if and only if the schema accepts it (missing or unknown members, `null`
//! for an optional member, a value outside an enumeration, an over-long string, a bad
//! date-time are all errors, each with the JSON pointer of the offending value).
//!
//! When the action is known, decode straight into its type; a CALL of another action is
//! an ordinary [`DecodeError::WrongAction`], not a bug:
//!
//! ```
//! use ocpp_model::framing::Frame;
//! use ocpp_model::{v16, DecodeError};
//!
//! let text = r#"[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]"#;
//! if let Frame::Call(call) = text.parse::<v16::Frame>()? {
//!     match call.decode::<v16::actions::BootNotification>() {
//!         Ok(boot) => assert_eq!(boot.charge_point_vendor, "VendorX"),
//!         Err(DecodeError::WrongAction { found, .. }) => println!("not a boot: {found}"),
//!         Err(invalid) => return Err(invalid.into()),
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! When it is not, the version's [`v201::Request`] (or [`v16::Request`]) chooses the type by
//! the action name, and violations name the place. Each of these sum types has three ways in:
//! `from_value` (a `serde_json::Value`, or the `Map` a frame holds), `from_json` (the payload's
//! text, the fast path for raw traffic) and `validate` (from any serde deserializer, building
//! and allocating nothing: the verdict alone).
//!
//! ```
//! use ocpp_model::framing::Frame;
//! use ocpp_model::v201;
//!
//! let text = r#"[2,"a7","Authorize",{"idToken":{"idToken":"04A2B3C4","type":"ISO14443"}}]"#;
//! if let Frame::Call(call) = text.parse::<v201::Frame>()? {
//!     let action: v201::ActionName = call.action.parse()?;
//!     match v201::Request::from_value(action, &call.payload)? {
//!         v201::Request::Authorize(request) => {
//!             assert_eq!(request.id_token.kind, v201::enums::IdTokenEnum::ISO14443);
//!         }
//!         other => println!("{} is handled elsewhere", other.action()),
//!     }
//! }
//!
//! // Here the 2.0.1 identifier is one character too long.
//! let long = serde_json::json!({"idToken": {"idToken": "x".repeat(37), "type": "Central"}});
//! let error = v201::Request::from_value(v201::ActionName::Authorize, &long).unwrap_err();
//! assert_eq!(error.pointer(), Some("/idToken/idToken"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Building a typed message and framing it:
//!
//! ```
//! use ocpp_model::framing::{Call, MessageId};
//! use ocpp_model::primitives::BoundedString;
//! use ocpp_model::v16;
//!
//! let request = v16::actions::AuthorizeRequest::new(BoundedString::new("04A2B3C4")?);
//! let call = Call::new_typed::<v16::actions::Authorize>(MessageId::new("1")?, &request);
//! assert_eq!(v16::Frame::from(call).to_string(), r#"[2,"1","Authorize",{"idTag":"04A2B3C4"}]"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! `v16` and `v201` (both on by default) each bring one version's types; a program that speaks
//! one version compiles only that one (`default-features = false, features = ["v201"]`).
//! `schemars` adds the JSON schema of every payload type; `arbitrary` adds random payloads for
//! property tests and fuzzing.
//!
//! `lossless` (off by default) makes frames keep every number's digits and every object's member
//! order, by turning on `serde_json`'s `arbitrary_precision` and `preserve_order`. Cargo turns
//! those on for the whole build, where they change `serde_json::Value` for every crate and break
//! `#[serde(flatten)]` and `#[serde(untagged)]` types holding floats, so it is a choice for a
//! program to make, not a library. Without it decimals are still read exactly whenever the
//! number's float has one shortest rendering (any number of up to 15 significant digits); a
//! number two decimals print as (`-957014920816667.2` and `.3` are one `f64`) is refused with
//! an error naming the feature, never rounded. Trailing zeros (`1.10`) are not kept without it.

#![warn(clippy::exhaustive_structs, clippy::exhaustive_enums)]

mod action;
pub mod any;
#[cfg(not(any(feature = "v16", feature = "v201", feature = "v21")))]
compile_error!(
    "ocpp-model needs at least one OCPP version: enable the `v16`, `v201` or `v21` feature"
);

// Untyped members with random values exist only in 2.0.1 (`DataTransfer.data`).
#[cfg(all(feature = "arbitrary", any(feature = "v201", feature = "v21")))]
mod arbitrary_json;
#[cfg(any(feature = "v201", feature = "v21"))]
mod custom_data;
pub mod framing;
#[cfg(any(feature = "v201", feature = "v21"))]
mod ocpp2_error_code;
pub mod primitives;
#[cfg(feature = "schemars")]
mod schema;
#[cfg(feature = "v16")]
pub mod v16;
#[cfg(feature = "v201")]
pub mod v201;
#[cfg(feature = "v21")]
pub mod v21;
mod wire;

pub use action::{
    Action, ActionInfo, Initiator, NoResponse, OcppVersion, Payload, Sender, UnknownVersion,
};
pub use any::{AnyErrorCode, AnyFrame, AnyMessage, PayloadKind};
pub use wire::decode::DecodeError;

/// The workspace README's Rust examples, compiled and run as doc tests.
#[cfg(all(doctest, feature = "v16"))]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
