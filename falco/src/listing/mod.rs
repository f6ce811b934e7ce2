//! The options that print something and exit, in Falco's order: --config-schema, --rule-schema,
//! -i, --list-events, then (with the configuration) --version, --page-size, --plugin-info,
//! --list-plugins, --list, -V, -L/-l and --support.

mod audit_fields;
mod events;
mod rule_schema;
mod rules;
mod versions;

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::Options;
use crate::{detector, logger, reload};

pub use versions::{FALCO_VERSION, versions_json};

/// Prints to stdout; a closed pipe is not an error worth more than a quiet exit.
pub fn print(s: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Runs the listing `opts` asks for.
pub fn run(opts: &Options) -> Result<ExitCode> {
    let format = opts.output_format()?;
    if opts.markdown {
        eprintln!("WARNING: --markdown is deprecated, use --format markdown instead.");
    }
    if opts.config_schema {
        print(&pretty(&crate::config::schema::json_schema()));
        return Ok(ExitCode::SUCCESS);
    }
    if opts.rule_schema {
        print(&pretty(&rule_schema::rule_schema()));
        return Ok(ExitCode::SUCCESS);
    }
    if opts.print_ignored {
        print(&events::ignored_events());
        return Ok(ExitCode::SUCCESS);
    }
    if opts.list_events {
        print(&events::list_events(format));
        return Ok(ExitCode::SUCCESS);
    }
    // JSON variants follow json_output; a broken configuration does not stop --version.
    let loaded = reload::load_config(opts);
    let json = loaded
        .as_ref()
        .map(|l| l.config.json_output)
        .unwrap_or(false);
    if opts.version {
        print(&versions::version(json));
        return Ok(ExitCode::SUCCESS);
    }
    if opts.page_size {
        logger::info(&versions::page_size());
        return Ok(ExitCode::SUCCESS);
    }
    let loaded = loaded?;
    if let Some(name) = &opts.plugin_info {
        match versions::plugin_info(&loaded, name) {
            Some(s) => print(&s),
            None => bail!("can't find plugin and print its info: {name}"),
        }
        return Ok(ExitCode::SUCCESS);
    }
    if opts.list_plugins {
        print(&versions::list_plugins(&loaded));
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(src) = &opts.list_fields {
        match events::list_fields(src, opts.names_only, format) {
            Ok(s) => print(&s),
            Err(e) => bail!(e),
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !opts.validate.is_empty() {
        let (report, ok) = rules::validate(&opts.validate, json);
        print(&report);
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let files = reload::rules_files(opts, &loaded);
    if opts.support {
        let mut w = Vec::new();
        let existing = detector::existing_rules_paths(&files, &mut w);
        let loaded_files = falco_engine::rules::expand_paths(&existing).unwrap_or_default();
        print(&versions::support(&loaded, &loaded_files));
        return Ok(ExitCode::SUCCESS);
    }
    let (engine, warnings) =
        detector::load_for_listing(&loaded.config, &files, &reload::selection(opts))
            .map_err(|e| anyhow::anyhow!("Error loading rules:\n{e}"))?;
    for w in warnings {
        eprintln!("{w}");
    }
    if opts.describe_all {
        print(&rules::describe_all(&engine, json));
    } else if let Some(name) = &opts.describe_rule {
        match rules::describe_rule(&engine, name, json) {
            Some(s) => print(&s),
            None => bail!("rule '{name}' is not loaded"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
