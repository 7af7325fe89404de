//! Fuzz target `log`: see `ocpp_validate::fuzz::log` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::log(data));
