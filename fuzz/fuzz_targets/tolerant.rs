//! Fuzz target `tolerant`: see `ocpp_validate::fuzz::tolerant` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::tolerant(data));
