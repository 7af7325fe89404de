//! Fuzz target `frame`: see `ocpp_validate::fuzz::frame` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::frame(data));
