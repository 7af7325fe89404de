//! OCPP 2.1: all 91 actions, with the datatypes and enumerations they use.
//!
//! The types are generated from the official JSON schemas (`ocpp-codegen`) and keep the
//! schemas' own type names, like [`v201`](crate::v201)'s; a type of one version is never used
//! for the other, because the same name can carry other limits (a 2.1 `IdToken` is 255
//! characters, a 2.0.1 one 36). `NotifyPeriodicEventStream` is the one unconfirmed action: it
//! is sent as SEND and has no response ([`NoResponse`](crate::NoResponse)).

pub mod actions;
pub mod datatypes;
pub mod enums;
mod error_code;
mod messages;

pub use crate::custom_data::CustomData;
pub use error_code::ErrorCode;
pub use messages::{ActionName, Request, Response};

/// An action of OCPP 2.1: implemented by this version's markers only, so generic code can be
/// limited to one version (`fn handle<A: v21::Action>()`).
pub trait Action: crate::Action {}

/// An OCPP-J 2.1 frame, whose CALLERROR carries a 2.1 error code.
pub type Frame = crate::framing::Frame<ErrorCode>;
