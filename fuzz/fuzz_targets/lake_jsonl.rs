//! Fuzz target `lake_jsonl`: see `ocpp_validate::fuzz::lake_jsonl` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::lake_jsonl(data));
