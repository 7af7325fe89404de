//! Fuzz target `proxy_upgrade`: see `ocpp_conformance::fuzz::proxy_upgrade` for the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ocpp_conformance::fuzz::proxy_upgrade(data));
