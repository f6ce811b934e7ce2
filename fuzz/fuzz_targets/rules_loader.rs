//! Fuzzes the rules loader: any content must load or give errors with locations, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut engine = falco_engine::rules::RuleEngine::new();
        if let Err(e) = engine.load_rules(text, "fuzz.yaml") {
            for d in e.errors() {
                let _ = d.to_string();
            }
        }
    }
});
