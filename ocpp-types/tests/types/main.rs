//! The typed models checked against the official OCPP JSON schemas.

mod common;
mod constraints;
mod coverage;
mod examples;
mod primitives;
mod roundtrip;
