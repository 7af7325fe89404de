//! Fuzz target `check`: see `ocpp_validate::fuzz::check` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::check(data));
