//! Prints every event of a capture with a `-p`-style format, like `falco inspect -p FORMAT CAPTURE`,
//! using only the engine: the smallest program that embeds it.
//!
//!   cargo run --release -p falco-engine --example inspect_format -- CAPTURE "*%evt.num %proc.name %fd.name"
use std::io::Write;

use falco_engine::inspector::Inspector;
use falco_engine::output::Formatter;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: inspect_format CAPTURE FORMAT")?;
    let fmt = Formatter::parse(
        &args
            .next()
            .unwrap_or_else(|| "*%evt.num %evt.type %proc.name".into()),
    )?;
    let mut insp = Inspector::open(&path)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::with_capacity(512);
    while let Some(p) = insp.next()? {
        if p.is_hidden() {
            continue;
        }
        let ctx = p.ctx();
        line.clear();
        if fmt.render(&ctx, &mut line) || fmt.print_all {
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}
