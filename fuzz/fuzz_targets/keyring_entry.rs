#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartkeep_vault::fuzzing::keyring_entry(data));
