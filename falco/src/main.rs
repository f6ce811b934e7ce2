//! The `falco` binary: a thin shell over the library crates.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod filter_arg;
mod inspect;

#[derive(Debug, Parser)]
#[command(
    name = "falco",
    version,
    about = "Falco: runtime security for Linux hosts and containers"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the events of a capture file, like `sysdig -r`.
    Inspect(inspect::InspectArgs),
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Inspect(a)) => inspect::run(a),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("falco: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
