//! Fuzz target `csms_frames`: see `ocpp_conformance::fuzz::csms_frames` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_conformance::fuzz::csms_frames(data));
