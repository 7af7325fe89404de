//! OCPP 1.6-J: the 28 core actions of OCPP 1.6 edition 2 and the 11 actions of the 1.6
//! security whitepaper (edition 2), with the datatypes and enumerations they use.
//!
//! The types are generated from the official JSON schemas (`ocpp-codegen`); the 1.6 schemas
//! define their nested types inline, and the generator names them as the 1.6 specification's
//! datatype chapter does (`IdTagInfo`, `ChargePointStatus`, …).

pub mod actions;
pub mod datatypes;
pub mod enums;
mod error_code;
mod messages;

pub use error_code::ErrorCode;
pub use messages::{ActionName, Request, Response};

/// An action of OCPP 1.6: implemented by this version's markers only, so generic code can
/// be limited to one version (`fn handle<A: v16::Action>()`).
pub trait Action: crate::Action {}

/// An OCPP-J 1.6 frame, whose CALLERROR carries a 1.6 error code.
pub type Frame = crate::framing::Frame<ErrorCode>;
