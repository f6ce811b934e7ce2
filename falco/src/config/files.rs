//! Reading configuration files: the main file, then the `config_files` it lists (files, or
//! directories whose files are read in name order), merged in Falco's order, with `${VAR}`
//! expanded in each file's values.

use std::path::{Path, PathBuf};

use super::ConfigError;
use super::tree::{self, Override, Strategy};
use super::yaml::{self, Node};

/// One configuration file that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub text: String,
}

/// The merged tree and what it was made of.
#[derive(Debug, Clone)]
pub struct Sources {
    pub root: Node,
    pub files: Vec<LoadedFile>,
    /// Directories listed in config_files (watched for changes).
    pub folders: Vec<PathBuf>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Parses configuration text, with `${VAR}` expanded.
pub fn parse(text: &str, name: &str) -> Result<Node, ConfigError> {
    let mut root = yaml::parse(text, name).map_err(|e| ConfigError::Parse {
        at: e.at.to_string(),
        message: e.message,
    })?;
    if root.as_map().is_none() {
        return Err(ConfigError::Parse {
            at: root.at.to_string(),
            message: "the top level must be a map of keys".into(),
        });
    }
    tree::expand_env(&mut root, &env);
    Ok(root)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// One `config_files` entry: a path and how to merge it.
fn entries(root: &Node) -> Result<Vec<(PathBuf, Strategy)>, ConfigError> {
    let mut out = Vec::new();
    let Some(n) = tree::get(root, "config_files") else {
        return Ok(out);
    };
    for item in n
        .as_seq()
        .map(<[Node]>::to_vec)
        .unwrap_or_else(|| vec![n.clone()])
    {
        let (path, strategy) = match item.as_text() {
            Some(p) => (p.to_string(), Strategy::Append),
            None => {
                let p = item.get("path").and_then(Node::as_text).unwrap_or("");
                let s = item
                    .get("strategy")
                    .and_then(Node::as_text)
                    .map(|s| Strategy::parse(s).unwrap_or(Strategy::Append))
                    .unwrap_or(Strategy::Append);
                (p.to_string(), s)
            }
        };
        if !path.is_empty() {
            out.push((PathBuf::from(path), strategy));
        }
    }
    Ok(out)
}

fn include(s: &mut Sources, path: &Path, strategy: Strategy) -> Result<(), ConfigError> {
    let text = read(path)?;
    let shown = path.display().to_string();
    let n = parse(&text, &shown)?;
    if n.get("config_files").is_some() {
        return Err(ConfigError::Falco(format!(
            "Config error: 'config_files' directive in included config file {shown}."
        )));
    }
    tree::merge(&mut s.root, n, strategy);
    s.files.push(LoadedFile {
        path: path.to_path_buf(),
        text,
    });
    Ok(())
}

/// Reads `main` (or starts from `text` when there is no file), merges its `config_files`, and
/// applies the overrides: the `config_files` ones before merging (so `-o config_files=...` adds
/// includes), all of them after (so the command line wins).
pub fn load(
    main: Option<&Path>,
    text: Option<&str>,
    overrides: &[Override],
) -> Result<Sources, ConfigError> {
    let (text, name) = match (main, text) {
        (_, Some(t)) => (t.to_string(), main.map(|p| p.display().to_string())),
        (Some(p), None) => (read(p)?, Some(p.display().to_string())),
        (None, None) => (String::new(), None),
    };
    let shown = name.clone().unwrap_or_else(|| "<defaults>".to_string());
    let root = parse(&text, &shown)?;
    let mut s = Sources {
        root,
        files: Vec::new(),
        folders: Vec::new(),
    };
    if let Some(p) = main {
        s.files.push(LoadedFile {
            path: p.to_path_buf(),
            text,
        });
    }
    for o in overrides
        .iter()
        .filter(|o| o.key.starts_with("config_files"))
    {
        tree::apply_override(&mut s.root, o)?;
    }
    if let Some(main) = main {
        for (path, strategy) in entries(&s.root)? {
            if path == main {
                return Err(ConfigError::Falco(format!(
                    "Config error: 'config_files' directive tried to recursively include main \
                     config file: {}.",
                    main.display()
                )));
            }
            if path.is_file() {
                include(&mut s, &path, strategy)?;
            } else if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                    .map_err(|source| ConfigError::Read {
                        path: path.display().to_string(),
                        source,
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect();
                files.sort();
                for f in files {
                    include(&mut s, &f, strategy)?;
                }
                s.folders.push(path);
            }
            // Missing paths are skipped, as for rules files.
        }
    }
    for o in overrides {
        tree::apply_override(&mut s.root, o)?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tree::parse_override;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("falco-cfg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn includes_merge_in_order_with_their_strategy() {
        let d = scratch("includes");
        let confd = d.join("config.d");
        std::fs::create_dir_all(&confd).unwrap();
        std::fs::write(
            confd.join("b.yaml"),
            "json_output: false\nrules_files: [b.yaml]\n",
        )
        .unwrap();
        std::fs::write(
            confd.join("a.yaml"),
            "json_output: true\nrules_files: [a.yaml]\n",
        )
        .unwrap();
        std::fs::write(d.join("over.yaml"), "rules_files: [o.yaml]\n").unwrap();
        let main = d.join("falco.yaml");
        std::fs::write(
            &main,
            format!(
                "config_files:\n  - {}\n  - path: {}\n    strategy: override\n  - /nonexistent\nrules_files: [m.yaml]\njson_output: false\n",
                confd.display(),
                d.join("over.yaml").display()
            ),
        )
        .unwrap();
        let s = load(Some(&main), None, &[]).unwrap();
        // a.yaml then b.yaml (name order), appended; then over.yaml replaces the list.
        assert_eq!(
            tree::get(&s.root, "json_output").unwrap().as_text(),
            Some("false")
        );
        let rules: Vec<_> = tree::get(&s.root, "rules_files")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.as_text().unwrap().to_string())
            .collect();
        assert_eq!(rules, ["o.yaml"]);
        assert_eq!(s.files.len(), 4);
        assert_eq!(s.folders, vec![confd.clone()]);
        // -o config_files adds an include; the other overrides win over the files.
        let extra = d.join("extra.yaml");
        std::fs::write(&extra, "json_output: true\npriority: error\n").unwrap();
        let o = [
            parse_override(&format!("config_files[]={}", extra.display())).unwrap(),
            parse_override("priority=warning").unwrap(),
        ];
        let s = load(Some(&main), None, &o).unwrap();
        assert_eq!(
            tree::get(&s.root, "json_output").unwrap().as_text(),
            Some("true")
        );
        assert_eq!(
            tree::get(&s.root, "priority").unwrap().as_text(),
            Some("warning")
        );
    }

    #[test]
    fn recursive_and_nested_includes_are_errors() {
        let d = scratch("recursive");
        let main = d.join("falco.yaml");
        std::fs::write(&main, format!("config_files: [{}]\n", main.display())).unwrap();
        let e = load(Some(&main), None, &[]).unwrap_err().to_string();
        assert!(
            e.contains("tried to recursively include main config file"),
            "{e}"
        );
        let inc = d.join("inc.yaml");
        std::fs::write(&inc, "config_files: [x]\n").unwrap();
        std::fs::write(&main, format!("config_files: [{}]\n", inc.display())).unwrap();
        let e = load(Some(&main), None, &[]).unwrap_err().to_string();
        assert!(
            e.contains("'config_files' directive in included config file"),
            "{e}"
        );
    }

    #[test]
    fn env_is_expanded_in_values() {
        // An unset variable expands to nothing; `$${` keeps a literal `${`.
        let n = parse("a: ${FALCO_CFG_TEST_UNSET_VAR}x\nb: $${KEEP}\n", "f").unwrap();
        assert_eq!(n.get("a").unwrap().as_text(), Some("x"));
        assert_eq!(n.get("b").unwrap().as_text(), Some("${KEEP}"));
    }
}
