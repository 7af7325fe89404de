//! Fuzz target `payload`: see `ocpp_validate::fuzz::payload` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::payload(data));
