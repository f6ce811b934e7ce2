//! `falco test FILE...`: rule tests. Each file lists cases (a capture, the rules to load, the
//! alerts expected, with their count and output fields); every case is replayed and reported as
//! PASS or FAIL, and the exit status is non-zero when any case fails or a file cannot be used.

mod run;
mod spec;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

/// Options of `falco test`.
#[derive(Debug, Clone, clap::Args)]
pub struct TestArgs {
    /// Rule test files (YAML; see docs/rules.md, "Testing rules").
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also look for relative capture paths in this folder (after the test file's own folder).
    /// Repeatable.
    #[arg(long = "capture-dir", value_name = "DIR")]
    pub capture_dirs: Vec<PathBuf>,
    /// Print only failures and the summary.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Runs every case of every file and prints one line per case, then a summary.
pub fn run(args: TestArgs) -> Result<ExitCode> {
    let mut runner = run::Runner::default();
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    let mut out = std::io::stdout().lock();
    for file in &args.files {
        let cases = match load(file, &args.capture_dirs) {
            Ok(c) => c,
            Err(e) => {
                writeln!(out, "ERROR {e}")?;
                broken += 1;
                continue;
            }
        };
        if !args.quiet {
            writeln!(out, "{}", file.display())?;
        }
        for case in &cases {
            let o = runner.run(case);
            if o.failures.is_empty() {
                passed += 1;
                if !args.quiet {
                    writeln!(out, "  PASS  {}", o.name)?;
                }
            } else {
                failed += 1;
                if args.quiet {
                    writeln!(out, "{}", file.display())?;
                }
                writeln!(out, "  FAIL  {}", o.name)?;
                for f in &o.failures {
                    writeln!(out, "        {f}")?;
                }
            }
        }
    }
    writeln!(
        out,
        "{passed} passed, {failed} failed{}",
        if broken > 0 {
            format!(", {broken} file(s) could not be used")
        } else {
            String::new()
        }
    )?;
    Ok(if failed == 0 && broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn load(file: &Path, capture_dirs: &[PathBuf]) -> Result<Vec<spec::Case>, spec::SpecError> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|source| spec::SpecError::Read {
        file: name.clone(),
        source,
    })?;
    let base = file.parent().unwrap_or(Path::new("."));
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    spec::parse(&text, &name, &spec::Resolver { base, capture_dirs })
}
