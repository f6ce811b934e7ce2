//! Fuzzes the capture reader, the state engine and the renderer with arbitrary bytes: nothing may
//! panic, and errors must name a byte offset.
#![no_main]

use falco_engine::inspector::Inspector;
use falco_engine::render::{RenderOpts, render_args};
use falco_engine::scap::ScapReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = ScapReader::from_reader(std::io::Cursor::new(data.to_vec())) else {
        return;
    };
    let mut insp = Inspector::new(reader);
    let mut s = String::new();
    loop {
        match insp.next() {
            Ok(Some(p)) => {
                s.clear();
                render_args(&mut s, &p.event, p.state, &RenderOpts::default());
            }
            Ok(None) => break,
            Err(e) => {
                assert!(e.offset().is_some(), "error without offset: {e}");
                break;
            }
        }
    }
});
