//! `falco-gen`: writes synthetic but realistic scap captures for falco's tests and benchmarks.
//!
//!   falco-gen --events 5000000 OUT.scap     a large workload: shells running commands (process trees,
//!                                           execs, opens, reads/writes, outbound connects, exits) and a
//!                                           web server answering requests
//!   falco-gen --scenario detections OUT.scap  each behaviour the default rules cover, once, between
//!                                           benign activity (see `detections` below for the list)
//!
//! The captures use the event layouts sysdig 0.29.3 knows, so sysdig reads them too.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scenario {
    /// A steady workload of the given size (--events).
    Workload,
    /// One instance of every behaviour the default rules detect, plus benign activity.
    Detections,
}

#[derive(Debug, Parser)]
#[command(name = "falco-gen", about = "Write a synthetic scap capture")]
struct Cli {
    /// Output capture file.
    out: PathBuf,
    /// Approximate number of events for the workload scenario.
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    #[arg(long, value_enum, default_value_t = Scenario::Workload)]
    scenario: Scenario,
    /// Seed of the pseudo-random choices (same seed, same capture).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write the capture uncompressed.
    #[arg(long)]
    no_gzip: bool,
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let n = match cli.scenario {
        Scenario::Workload => {
            falco_gen::write_workload(&cli.out, !cli.no_gzip, cli.seed, cli.events)?
        }
        Scenario::Detections => falco_gen::write_detections(&cli.out, !cli.no_gzip, cli.seed)?,
    };
    eprintln!("falco-gen: wrote {n} events to {}", cli.out.display());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("falco-gen: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
