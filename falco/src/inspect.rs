//! `falco inspect CAPTURE [-p FORMAT] [FILTER]`: prints the events of a capture like `sysdig -r`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use falco_engine::inspector::Inspector;
use falco_engine::output::Formatter;

/// sysdig's default line: number, time, cpu, process, thread, direction, type, info.
pub const DEFAULT_FORMAT: &str =
    "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Capture file (scap, plain or gzip).
    pub capture: PathBuf,
    /// Output format with %field tokens; prefix with '*' to print events that lack a field.
    #[arg(short = 'p', long = "print")]
    pub format: Option<String>,
    /// Show hidden bookkeeping events (procinfo) too.
    #[arg(long)]
    pub all: bool,
    /// Rewrite the capture (events matching FILTER) to this file in the current scap format, instead of
    /// printing.
    #[arg(short = 'w', long = "write")]
    pub write: Option<PathBuf>,
    /// With -w, write the file uncompressed (the default is gzip, as sysdig and Falco write).
    #[arg(long)]
    pub no_gzip: bool,
    /// Filter condition (the rules' condition language).
    pub filter: Vec<String>,
}

pub fn run(args: InspectArgs) -> Result<ExitCode> {
    let fmt_str = args.format.as_deref().unwrap_or(DEFAULT_FORMAT);
    let formatter =
        Formatter::parse(fmt_str).with_context(|| format!("invalid output format '{fmt_str}'"))?;
    let filter = crate::filter_arg::compile(&args.filter)?;
    if let Some(out) = &args.write {
        return write_capture(&args, out, filter.as_ref());
    }
    let mut insp = Inspector::open(&args.capture)
        .with_context(|| format!("cannot read capture {}", args.capture.display()))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::with_capacity(512);
    loop {
        let p = match insp.next() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                out.flush().ok();
                return Err(e).with_context(|| format!("error reading {}", args.capture.display()));
            }
        };
        if p.is_hidden() && !args.all {
            continue;
        }
        let ctx = p.ctx();
        if let Some(f) = &filter
            && !f.matches(&ctx)
        {
            continue;
        }
        line.clear();
        let complete = formatter.render(&ctx, &mut line);
        if complete || formatter.print_all {
            line.push('\n');
            if out.write_all(line.as_bytes()).is_err() {
                // A closed pipe (| head) is a normal end.
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
    for w in insp.reader().take_warnings() {
        eprintln!("falco: warning: {w}");
    }
    out.flush().ok();
    Ok(ExitCode::SUCCESS)
}

/// `-w`: rewrites the capture. A filter selects events by their fields, so the state must be tracked
/// alongside; without a filter every event is copied.
fn write_capture(
    args: &InspectArgs,
    out: &std::path::Path,
    filter: Option<&crate::filter_arg::CompiledFilter>,
) -> Result<ExitCode> {
    let n = match filter {
        None => falco_engine::scap::copy::rewrite(&args.capture, out, !args.no_gzip, |_| true),
        Some(f) => {
            falco_engine::inspector::rewrite_matching(&args.capture, out, !args.no_gzip, |ctx| {
                f.matches(ctx)
            })
        }
    }
    .with_context(|| {
        format!(
            "cannot rewrite {} to {}",
            args.capture.display(),
            out.display()
        )
    })?;
    eprintln!("falco: wrote {n} events to {}", out.display());
    Ok(ExitCode::SUCCESS)
}
