//! Fuzz target `csv`: see `ocpp_validate::fuzz::csv` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::csv(data));
