//! OCPP 2.0.1: all 64 actions, with the datatypes and enumerations they use.
//!
//! The types are generated from the official JSON schemas (`ocpp-codegen`) and keep the
//! schemas' own type names (their `javaType`: `IdTokenInfo`, `AuthorizationStatusEnum`, …).
//! Every object carries an optional [`CustomData`], the one place where members outside the
//! schema are allowed and preserved.

pub mod actions;
pub mod datatypes;
pub mod enums;
mod error_code;
mod messages;

pub use crate::custom_data::CustomData;
pub use error_code::ErrorCode;
pub use messages::{ActionName, Request, Response};

/// An action of OCPP 2.0.1: implemented by this version's markers only, so generic code can
/// be limited to one version (`fn handle<A: v201::Action>()`).
pub trait Action: crate::Action {}

/// An OCPP-J 2.0.1 frame, whose CALLERROR carries a 2.0.1 error code.
pub type Frame = crate::framing::Frame<ErrorCode>;
