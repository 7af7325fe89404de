//! Fuzz target `typed_roundtrip` (structured input through `arbitrary`): see
//! `ocpp_validate::fuzz::typed_roundtrip` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_validate::fuzz::typed_roundtrip(data));
