//! The `falco` binary: a thin shell over the library crates.

// A function over 150 lines (clippy.toml) fails `make lint`.
#![warn(clippy::too_many_lines)]

use std::process::ExitCode;

use clap::Parser;

mod alert;
mod alert_capture;
mod app;
mod capture_writer;
mod cli;
mod config;
mod detector;
mod drop_monitor;
mod filter_arg;
mod http;
mod inspect;
mod listing;
mod logger;
mod mailbox;
mod metrics;
mod output_extras;
mod outputs;
mod pipeline;
mod priority;
mod private_file;
mod reload;
mod resources;
mod rule_test;
mod signals;
mod source;
mod stats;
mod syslog;
mod ticker;
mod token_bucket;
mod webserver;

fn run() -> anyhow::Result<ExitCode> {
    let cli = cli::Cli::parse();
    match cli.command {
        Some(cli::Command::Inspect(a)) => inspect::run(a),
        Some(cli::Command::Test(a)) => rule_test::run(a),
        None => app::run(cli.opts),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("Error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
