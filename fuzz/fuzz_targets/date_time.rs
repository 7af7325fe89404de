//! Fuzz target `date_time`: see `ocpp_validate::fuzz::date_time` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::date_time(data));
