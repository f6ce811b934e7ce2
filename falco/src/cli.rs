//! Command-line options, spelled as Falco spells them (single-dash short options, `-pc`, `-o key=value`).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Where the default configuration lives when `-c` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "/etc/falco/falco.yaml";

#[derive(Debug, Parser)]
#[command(
    name = "falco",
    about = "Falco: runtime security for Linux hosts and containers",
    disable_version_flag = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub opts: Options,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the events of a capture file, like `sysdig -r`.
    Inspect(crate::inspect::InspectArgs),
    /// Run rule test files: replay each case's capture with its rules and compare the alerts.
    Test(crate::rule_test::TestArgs),
}

/// The daemon's options.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Options {
    /// Configuration file. Without it, /etc/falco/falco.yaml is used when it exists, else the
    /// built-in defaults.
    #[arg(short = 'c', value_name = "path")]
    pub config: Option<PathBuf>,

    /// Rules file or directory (every *.yaml/*.yml inside, in name order). Repeatable; replaces the
    /// configuration's rules_files.
    #[arg(short = 'r', value_name = "rules_file")]
    pub rules: Vec<PathBuf>,

    /// Set a configuration key, overriding the file: `-o json_output=true`,
    /// `-o webserver.listen_port=9000`, `-o rules_files[]=extra.yaml` (append to a list),
    /// `-o syscall_event_drops.actions[0]=alert`. Repeatable.
    #[arg(short = 'o', long = "option", value_name = "key=value")]
    pub overrides: Vec<String>,

    /// Read events from a capture file (scap, plain or gzip) instead of the kernel probe. Same as
    /// `-o engine.kind=replay -o engine.replay.capture_file=<events_file>`.
    #[arg(short = 'e', value_name = "events_file")]
    pub capture_file: Option<PathBuf>,

    /// Disable the rules whose name contains <substring> (a regular expression when it is one).
    /// Repeatable. Cannot be combined with -t.
    #[arg(short = 'D', value_name = "substring")]
    pub disable_rules: Vec<String>,

    /// Disable the rules that have tag <tag>. Repeatable. Cannot be combined with -t.
    #[arg(short = 'T', value_name = "tag")]
    pub disable_tags: Vec<String>,

    /// Run only the rules that have tag <tag>. Repeatable. Cannot be combined with -T/-D.
    #[arg(short = 't', value_name = "tag")]
    pub enable_tags: Vec<String>,

    /// Print the name and description of every loaded rule, and exit (JSON with json_output).
    #[arg(short = 'L')]
    pub describe_all: bool,

    /// Print the name and description of rule <rule>, and exit (JSON with json_output).
    #[arg(short = 'l', value_name = "rule")]
    pub describe_rule: Option<String>,

    /// List the fields usable in conditions and outputs, and exit. <source> may be "syscall".
    #[arg(long = "list", value_name = "source", num_args = 0..=1, default_missing_value = "")]
    pub list_fields: Option<String>,

    /// List the system call events the rules can match, and exit.
    #[arg(long = "list-events", visible_alias = "list-syscall-events")]
    pub list_events: bool,

    /// DEPRECATED: use --format markdown. With --list/--list-events, print Markdown.
    #[arg(long)]
    pub markdown: bool,

    /// With --list or --list-events, print text, markdown or json.
    #[arg(long = "format", value_name = "format")]
    pub format: Option<String>,

    /// Print the JSON schema of falco.yaml and exit.
    #[arg(long = "config-schema")]
    pub config_schema: bool,

    /// Print the JSON schema of rules files and exit.
    #[arg(long = "rule-schema")]
    pub rule_schema: bool,

    /// Print the loaded plugins and exit.
    #[arg(long = "list-plugins")]
    pub list_plugins: bool,

    /// Print what is known of plugin <plugin_name> (its name or library_path) and exit.
    #[arg(long = "plugin-info", value_name = "plugin_name")]
    pub plugin_info: Option<String>,

    /// Print the system page size and exit.
    #[arg(long = "page-size")]
    pub page_size: bool,

    /// With --list, print field names only.
    #[arg(short = 'N')]
    pub names_only: bool,

    /// Validate rules file(s) and exit. Repeatable.
    #[arg(short = 'V', long = "validate", value_name = "rules_file")]
    pub validate: Vec<PathBuf>,

    /// Print the high-volume events ignored without -A, and exit.
    #[arg(short = 'i')]
    pub print_ignored: bool,

    /// Capture every event the rules and state tracking can use, including the high-volume ones
    /// skipped by default (read, write, ...). Affects live capture only.
    #[arg(short = 'A')]
    pub all_events: bool,

    /// Write every captured event to <capture> (gzip scap), alongside detection.
    #[arg(short = 'w', value_name = "capture")]
    pub write_capture: Option<PathBuf>,

    /// Stop after <num_seconds> of event time (live: wall time); a replay then stays up that long.
    #[arg(short = 'M', value_name = "num_seconds")]
    pub duration: Option<u64>,

    /// Append statistics (JSON lines, see docs/configuration.md) to <stats_file> every
    /// --stats-interval and at exit.
    #[arg(short = 's', value_name = "stats_file")]
    pub stats_file: Option<PathBuf>,

    /// With -s, write a statistics line every <msec> milliseconds (minimum 100).
    #[arg(long = "stats-interval", value_name = "msec", default_value_t = 5000)]
    pub stats_interval: u64,

    /// Enable this event source (repeatable): only the sources named run. Not with
    /// --disable-source.
    #[arg(long = "enable-source", value_name = "event_source")]
    pub enable_sources: Vec<String>,

    /// Disable this event source (repeatable). Not with --enable-source.
    #[arg(long = "disable-source", value_name = "event_source")]
    pub disable_sources: Vec<String>,

    /// Verbose: list loaded rules, print capture statistics at exit.
    #[arg(short = 'v')]
    pub verbose: bool,

    /// Write the process id to <pid_file> (removed at exit).
    #[arg(short = 'P', long = "pidfile", value_name = "pid_file")]
    pub pidfile: Option<PathBuf>,

    /// Run as a daemon (detach; requires -P).
    #[arg(short = 'd', long = "daemon")]
    pub daemon: bool,

    /// Flush every output after each alert (overrides buffered_outputs).
    #[arg(short = 'U', long = "unbuffered")]
    pub unbuffered: bool,

    /// Append to every rule's output: "c"/"container" adds container id and name, "k"/"kubernetes"
    /// adds pod and namespace too; anything else is a format appended as it is.
    #[arg(short = 'p', long = "print", value_name = "output_format")]
    pub print: Option<String>,

    /// Capture the first <len> bytes of each I/O buffer (live only; default 80).
    #[arg(short = 'S', long = "snaplen", value_name = "len")]
    pub snaplen: Option<u32>,

    /// Load the configuration and rules, then exit without processing events.
    #[arg(long = "dry-run")]
    pub dry_run: bool,

    /// Print versions (falco, engine, probe API and schema) and exit.
    #[arg(long = "version")]
    pub version: bool,

    /// Print support information (versions, configuration and rules files) and exit.
    #[arg(long = "support")]
    pub support: bool,
}

/// An invalid combination of options.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CliError {
    #[error("You can not specify both disabled (-D/-T) and enabled (-t) rules")]
    EnableAndDisable,
    #[error("If -d is provided, a pid file must also be provided (-P)")]
    DaemonWithoutPidfile,
    #[error("--stats-interval must be at least 100 ms")]
    StatsIntervalTooShort,
    #[error("-S/--snaplen must be at most 65000")]
    SnaplenTooLarge,
    #[error("Cannot specify both --markdown and --format options together")]
    MarkdownAndFormat,
    #[error("Invalid format '{0}'. Valid values are: text, markdown, json")]
    BadFormat(String),
}

/// --format (or the deprecated --markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Markdown,
    Json,
}

impl Options {
    /// Checks the combinations Falco rejects.
    pub fn validate(&self) -> Result<(), CliError> {
        if !self.enable_tags.is_empty()
            && (!self.disable_rules.is_empty() || !self.disable_tags.is_empty())
        {
            return Err(CliError::EnableAndDisable);
        }
        if self.daemon && self.pidfile.is_none() {
            return Err(CliError::DaemonWithoutPidfile);
        }
        if self.stats_file.is_some() && self.stats_interval < 100 {
            return Err(CliError::StatsIntervalTooShort);
        }
        if self
            .snaplen
            .is_some_and(|s| s > falco_engine::abi::MAX_SNAPLEN)
        {
            return Err(CliError::SnaplenTooLarge);
        }
        self.output_format()?;
        Ok(())
    }

    /// The listing format of --format, or --markdown.
    pub fn output_format(&self) -> Result<OutputFormat, CliError> {
        match (&self.format, self.markdown) {
            (Some(_), true) => Err(CliError::MarkdownAndFormat),
            (Some(f), false) => match f.to_ascii_lowercase().as_str() {
                "" | "text" => Ok(OutputFormat::Text),
                "markdown" => Ok(OutputFormat::Markdown),
                "json" => Ok(OutputFormat::Json),
                _ => Err(CliError::BadFormat(f.clone())),
            },
            (None, true) => Ok(OutputFormat::Markdown),
            (None, false) => Ok(OutputFormat::Text),
        }
    }

    /// Whether the run only prints something and exits (no event processing).
    pub fn is_listing(&self) -> bool {
        self.describe_all
            || self.describe_rule.is_some()
            || self.list_fields.is_some()
            || self.list_events
            || !self.validate.is_empty()
            || self.print_ignored
            || self.version
            || self.support
            || self.config_schema
            || self.rule_schema
            || self.list_plugins
            || self.plugin_info.is_some()
            || self.page_size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Options {
        let mut v = vec!["falco"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v).unwrap().opts
    }

    #[test]
    fn falco_spellings_parse() {
        let o = parse(&[
            "-c",
            "f.yaml",
            "-r",
            "a.yaml",
            "-r",
            "dir",
            "-o",
            "json_output=true",
            "-e",
            "t.scap",
            "-D",
            "shell",
            "-T",
            "net",
            "-pc",
            "-U",
            "-M",
            "5",
            "-A",
        ]);
        assert_eq!(o.config.unwrap(), PathBuf::from("f.yaml"));
        assert_eq!(o.rules.len(), 2);
        assert_eq!(o.overrides, vec!["json_output=true"]);
        assert_eq!(o.print.as_deref(), Some("c"));
        assert_eq!(o.duration, Some(5));
        assert!(o.unbuffered && o.all_events);
    }

    #[test]
    fn list_takes_an_optional_source() {
        assert_eq!(parse(&["--list"]).list_fields.as_deref(), Some(""));
        assert_eq!(
            parse(&["--list=syscall"]).list_fields.as_deref(),
            Some("syscall")
        );
        assert!(parse(&["--list-syscall-events"]).list_events);
    }

    #[test]
    fn enable_and_disable_conflict() {
        assert_eq!(
            parse(&["-t", "a", "-D", "x"]).validate(),
            Err(CliError::EnableAndDisable)
        );
        assert_eq!(
            parse(&["-t", "a", "-T", "x"]).validate(),
            Err(CliError::EnableAndDisable)
        );
        assert!(parse(&["-T", "a", "-D", "x"]).validate().is_ok());
        assert_eq!(
            parse(&["-d"]).validate(),
            Err(CliError::DaemonWithoutPidfile)
        );
    }

    #[test]
    fn falco_044_options_parse() {
        let o = parse(&[
            "--config-schema",
            "--rule-schema",
            "--list-plugins",
            "--plugin-info",
            "container",
            "--page-size",
            "--enable-source",
            "syscall",
            "--format",
            "json",
        ]);
        assert!(o.config_schema && o.rule_schema && o.list_plugins && o.page_size);
        assert_eq!(o.plugin_info.as_deref(), Some("container"));
        assert_eq!(o.enable_sources, vec!["syscall"]);
        assert_eq!(o.output_format(), Ok(OutputFormat::Json));
        assert_eq!(
            parse(&["--markdown", "--format", "text"]).validate(),
            Err(CliError::MarkdownAndFormat)
        );
        assert_eq!(
            parse(&["--format", "yaml"]).output_format(),
            Err(CliError::BadFormat("yaml".into()))
        );
    }

    #[test]
    fn inspect_subcommand_still_parses() {
        let cli = Cli::try_parse_from(["falco", "inspect", "x.scap"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Inspect(_))));
    }
}
