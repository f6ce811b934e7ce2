//! Fuzzes the condition language: parsing, compiling and event-type inference must never panic,
//! whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(f) = falco_engine::filter::Filter::new(text) {
            let _ = f.event_types().names();
        }
    }
});
