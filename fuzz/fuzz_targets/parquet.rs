//! Fuzz target `parquet`: see `ocpp_validate::fuzz::parquet` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::parquet(data));
