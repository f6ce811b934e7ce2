//! `falco-gen`: writes synthetic but realistic scap captures for falco's tests and benchmarks.
//!
//!   falco-gen --events 5000000 OUT.scap     a large workload: shells running commands (process trees,
//!                                           execs, opens, reads/writes, outbound connects, exits) and a
//!                                           web server answering requests
//!   falco-gen --scenario detections OUT.scap  each behaviour the default rules cover, once, between
//!                                           benign activity (see `detections` below for the list)
//!   falco-gen --scenario decoding OUT.scap  the cases of falco's decoding regression tests
//!   falco-gen --join A.scap --join B.scap --events N OUT.scap
//!                                           A, B, A, B... rewritten as one capture of N events
//!                                           (with one input: its first N events)
//!
//!   falco-gen --scenario args-bomb OUT.scap   a hostile capture (see `falco_gen::hostile`): also
//!                                           execve-storm, fd-lists, fd-block, unknown-blocks,
//!                                           containers, distinct-tids, at the sizes the tests use
//!
//! The captures use the event layouts sysdig 0.29.3 knows, so sysdig reads them too.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, ValueEnum};
use falco_gen::hostile;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scenario {
    /// A steady workload of the given size (--events).
    Workload,
    /// One instance of every behaviour the default rules detect, plus benign activity.
    Detections,
    /// 140,000 processes exec'ing and never exiting.
    ExecveStorm,
    /// 500 threads exec'ing with 32,767 one-byte arguments and environment variables.
    ArgsBomb,
    /// 10 processes with fd lists of 100,000 fds each.
    FdLists,
    /// One 128 MB fd-list block of minimal entries.
    FdBlock,
    /// 5,000,000 tiny blocks of an unknown type.
    UnknownBlocks,
    /// 100,000 container events with distinct ids.
    Containers,
    /// One event from each of 2,000,000 distinct threads.
    DistinctTids,
    /// One instance of what each rule of the stable, incubating and sandbox sets detects, between
    /// benign administration (tests/gen/src/behaviours).
    Behaviours,
    /// The decoding cases of falco's regression tests.
    Decoding,
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
    /// Join these captures (in turn, again and again) into one of --events events, instead of
    /// generating one.
    #[arg(long, value_name = "CAPTURE")]
    join: Vec<PathBuf>,
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    if !cli.join.is_empty() {
        let n = falco_gen::join::join(&cli.join, &cli.out, !cli.no_gzip, cli.events)?;
        eprintln!("falco-gen: joined {n} events into {}", cli.out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let n = match cli.scenario {
        Scenario::Workload => {
            falco_gen::write_workload(&cli.out, !cli.no_gzip, cli.seed, cli.events)?
        }
        Scenario::Detections => falco_gen::write_detections(&cli.out, !cli.no_gzip, cli.seed)?,
        Scenario::ExecveStorm => hostile::execve_storm(&cli.out, 140_000)?,
        Scenario::ArgsBomb => hostile::args_bomb(&cli.out, 500, 32_767)?,
        Scenario::FdLists => hostile::fd_list_bomb(&cli.out, 10, 100_000)?,
        Scenario::FdBlock => hostile::fd_block_bomb(&cli.out, 128 << 20)?,
        Scenario::UnknownBlocks => hostile::unknown_blocks(&cli.out, 5_000_000)?,
        Scenario::Containers => hostile::container_flood(&cli.out, 100_000)?,
        Scenario::DistinctTids => hostile::distinct_tids(&cli.out, 2_000_000)?,
        Scenario::Behaviours => falco_gen::write_behaviours(&cli.out, !cli.no_gzip, cli.seed)?,
        Scenario::Decoding => falco_gen::write_decoding_cases(&cli.out, !cli.no_gzip)?,
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
