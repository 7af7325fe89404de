//! Fuzz target `scenario`: see `ocpp_conformance::fuzz::scenario` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_conformance::fuzz::scenario(data));
