#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartkeep_vault::fuzzing::key_slots_file(data));
