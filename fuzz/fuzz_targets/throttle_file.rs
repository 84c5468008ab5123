#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartkeep_clinic::fuzzing::throttle_file(data));
