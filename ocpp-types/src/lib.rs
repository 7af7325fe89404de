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
//! ```
//! use ocpp_types::framing::Frame;
//! use ocpp_types::{v16, v201};
//!
//! // A 1.6 CALL, decoded into the typed BootNotification request.
//! let text = r#"[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]"#;
//! let Frame::Call(call) = text.parse::<v16::Frame>()? else { unreachable!() };
//! let v16::Request::BootNotification(boot) = v16::Request::from_call(&call)? else { unreachable!() };
//! assert_eq!(boot.charge_point_vendor, "VendorX");
//!
//! // A 2.0.1 CALL; the payload type is chosen by the action name.
//! let text = r#"[2,"a7","Authorize",{"idToken":{"idToken":"04A2B3C4","type":"ISO14443"}}]"#;
//! let Frame::Call(call) = v201::Frame::from_str(text)? else { unreachable!() };
//! match v201::Request::from_call(&call)? {
//!     v201::Request::Authorize(request) => {
//!         assert_eq!(request.id_token.id_token, "04A2B3C4");
//!         assert_eq!(request.id_token.kind, v201::enums::IdTokenEnum::ISO14443);
//!     }
//!     other => panic!("unexpected {:?}", other.action()),
//! }
//!
//! // Violations name the place: here the 2.0.1 identifier is one character too long.
//! let long = serde_json::json!({"idToken": {"idToken": "x".repeat(37), "type": "Central"}});
//! let error = v201::Request::decode("Authorize", &long).unwrap_err();
//! assert_eq!(error.pointer(), Some("/idToken/idToken"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Building a typed message and framing it:
//!
//! ```
//! use ocpp_types::framing::MessageId;
//! use ocpp_types::primitives::BoundedString;
//! use ocpp_types::v16;
//!
//! let request = v16::actions::AuthorizeRequest::new(BoundedString::new("04A2B3C4")?);
//! let call = v16::Request::from(request).into_call(MessageId::new("1")?);
//! assert_eq!(v16::Frame::from(call).to_string(), r#"[2,"1","Authorize",{"idTag":"04A2B3C4"}]"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod action;
#[cfg(feature = "arbitrary")]
mod arbitrary_json;
mod check;
mod de;
mod decode;
pub mod framing;
pub mod primitives;
#[cfg(feature = "schemars")]
mod schema;
pub mod v16;
pub mod v201;

pub use action::{Action, Initiator, OcppVersion, Payload};
pub use decode::DecodeError;
