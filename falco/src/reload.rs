//! Loading the configuration and rules into everything the pipeline runs with. Start-up and SIGHUP
//! share it, so a reload is exactly a fresh start of matching and outputs, with the state kept. It
//! is all-or-nothing: any error leaves the running configuration and rules in place.

use std::path::PathBuf;

use crate::alert::AlertFormat;
use crate::cli::Options;
use crate::config::{self, Loaded};
use crate::detector::{Detector, Selection};
use crate::outputs::{Channel, ChannelConfig};
use crate::stats::RuleTable;

/// A loaded configuration with its rules and output channels, ready to run.
pub struct Reloaded {
    pub loaded: Loaded,
    /// Taken by the pipeline when it switches.
    pub detector: Option<Detector>,
    pub rule_table: RuleTable,
    pub alert_format: AlertFormat,
    pub channels: ChannelConfig,
    /// Built (not started) channels; started only when `channels` differs from the running ones.
    pub built_channels: Vec<Channel>,
    pub rules_files: Vec<PathBuf>,
    /// Warnings of the configuration and the rules, one line each.
    pub warnings: Vec<String>,
}

/// The configuration overrides of the command line, -e included.
pub fn overrides(opts: &Options) -> Vec<String> {
    let mut o = opts.overrides.clone();
    if let Some(f) = &opts.capture_file {
        o.push("engine.kind=replay".into());
        o.push(format!("engine.replay.capture_file={}", f.display()));
    }
    o
}

pub fn selection(opts: &Options) -> Selection {
    Selection {
        disable_names: opts.disable_rules.clone(),
        disable_tags: opts.disable_tags.clone(),
        enable_tags: opts.enable_tags.clone(),
        print: opts.print.clone(),
    }
}

/// Loads the configuration (-c, -o, -e).
pub fn load_config(opts: &Options) -> anyhow::Result<Loaded> {
    Ok(config::load(opts.config.as_deref(), &overrides(opts))?)
}

/// The rules files: -r when given, else the configuration's.
pub fn rules_files(opts: &Options, loaded: &Loaded) -> Vec<PathBuf> {
    if opts.rules.is_empty() {
        loaded.config.rules_files.clone()
    } else {
        opts.rules.clone()
    }
}

/// Everything a run needs from the configuration and the rules.
pub fn build(opts: &Options, hostname: &str) -> anyhow::Result<Reloaded> {
    let loaded = load_config(opts)?;
    let rules_files = rules_files(opts, &loaded);
    let (detector, rule_warnings) = Detector::load(&loaded.config, &rules_files, &selection(opts))
        .map_err(|e| anyhow::anyhow!("Error loading rules:\n{e}"))?;
    let channels = ChannelConfig::from_config(&loaded.config, opts.unbuffered);
    let built_channels = channels.build()?;
    let mut warnings = loaded.warnings.clone();
    warnings.extend(rule_warnings);
    Ok(Reloaded {
        alert_format: AlertFormat::from_config(&loaded.config, hostname.to_string()),
        rule_table: detector.rule_table(),
        detector: Some(detector),
        loaded,
        channels,
        built_channels,
        rules_files,
        warnings,
    })
}
