//! The raw YAML tree of falco.yaml: `-o key=value` overrides applied to it, dotted-path lookups, and
//! typed reads whose errors name the key.

use yaml_rust2::yaml::Hash;
use yaml_rust2::{Yaml, YamlLoader};

use super::ConfigError;

/// One step of an override path: `a.b[2].c`, `list[]` (append).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
    Append,
}

/// A parsed `-o key=value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub key: String,
    pub path: Vec<Seg>,
    pub value: Yaml,
}

/// Parses `key.sub[1]=value`. The value is read as YAML: `true`, `5`, `[a, b]`, `{k: v}`, or text.
pub fn parse_override(s: &str) -> Result<Override, ConfigError> {
    let bad = |why: &str| ConfigError::BadOverride {
        arg: s.to_string(),
        why: why.to_string(),
    };
    let (key, value) = s.split_once('=').ok_or_else(|| bad("expected key=value"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(bad("empty key"));
    }
    let mut path = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return Err(bad("empty key segment"));
        }
        path.push(Seg::Key(name.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| bad("unclosed '['"))?;
            let inner = &rest[1..close];
            if inner.is_empty() {
                path.push(Seg::Append);
            } else {
                let i = inner
                    .parse::<usize>()
                    .map_err(|_| bad("list index must be a number"))?;
                path.push(Seg::Index(i));
            }
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad("unexpected text after ']'"));
            }
        }
    }
    Ok(Override {
        key: key.to_string(),
        path,
        value: parse_value(value.trim()),
    })
}

/// A value given on the command line, typed the way YAML types it.
fn parse_value(v: &str) -> Yaml {
    if (v.starts_with('[') || v.starts_with('{'))
        && let Ok(mut docs) = YamlLoader::load_from_str(v)
        && docs.len() == 1
    {
        return docs.remove(0);
    }
    if v.is_empty() {
        return Yaml::String(String::new());
    }
    match Yaml::from_str(v) {
        // A quoted value stays text: -o 'program="a b"'.
        Yaml::String(s) => {
            let unq = s
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')));
            Yaml::String(unq.map(str::to_string).unwrap_or(s))
        }
        other => other,
    }
}

/// Sets the value at `o.path` in `root`, creating maps on the way.
pub fn apply_override(root: &mut Yaml, o: &Override) -> Result<(), ConfigError> {
    let bad = |why: String| ConfigError::BadOverride {
        arg: format!("{}=...", o.key),
        why,
    };
    let mut node = root;
    for (i, seg) in o.path.iter().enumerate() {
        let last = i + 1 == o.path.len();
        match seg {
            Seg::Key(k) => {
                if !matches!(node, Yaml::Hash(_)) {
                    *node = Yaml::Hash(Hash::new());
                }
                let Yaml::Hash(h) = node else { unreachable!() };
                let key = Yaml::String(k.clone());
                if last {
                    h.insert(key, o.value.clone());
                    return Ok(());
                }
                node = h.entry(key).or_insert(Yaml::Null);
            }
            Seg::Index(idx) => {
                let Yaml::Array(a) = node else {
                    return Err(bad(format!(
                        "'{}' is not a list",
                        path_prefix(&o.path[..i])
                    )));
                };
                if *idx >= a.len() {
                    return Err(bad(format!(
                        "index {idx} is past the end of '{}' ({} entries)",
                        path_prefix(&o.path[..i]),
                        a.len()
                    )));
                }
                if last {
                    a[*idx] = o.value.clone();
                    return Ok(());
                }
                node = &mut a[*idx];
            }
            Seg::Append => {
                if node.is_null() || node.is_badvalue() {
                    *node = Yaml::Array(Vec::new());
                }
                let Yaml::Array(a) = node else {
                    return Err(bad(format!(
                        "'{}' is not a list",
                        path_prefix(&o.path[..i])
                    )));
                };
                if last {
                    a.push(o.value.clone());
                    return Ok(());
                }
                a.push(Yaml::Null);
                node = a.last_mut().expect("just pushed");
            }
        }
    }
    Ok(())
}

fn path_prefix(p: &[Seg]) -> String {
    let mut s = String::new();
    for seg in p {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
            Seg::Append => s.push_str("[]"),
        }
    }
    s
}

/// Looks up a dotted key (`webserver.listen_port`).
pub fn get<'a>(root: &'a Yaml, dotted: &str) -> Option<&'a Yaml> {
    let mut node = root;
    for part in dotted.split('.') {
        let Yaml::Hash(h) = node else { return None };
        node = h.get(&Yaml::String(part.to_string()))?;
    }
    if node.is_null() { None } else { Some(node) }
}

/// Every leaf key path of the tree (maps are walked; lists and scalars are leaves).
pub fn leaf_keys(root: &Yaml) -> Vec<String> {
    fn walk(node: &Yaml, prefix: &str, out: &mut Vec<String>) {
        match node {
            Yaml::Hash(h) if !h.is_empty() => {
                for (k, v) in h {
                    let name = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        Yaml::Real(r) => r.clone(),
                        _ => "?".to_string(),
                    };
                    let path = if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}.{name}")
                    };
                    walk(v, &path, out);
                }
            }
            _ => {
                if !prefix.is_empty() {
                    out.push(prefix.to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, "", &mut out);
    out
}

fn describe(v: &Yaml) -> String {
    match v {
        Yaml::Real(s) | Yaml::String(s) => format!("'{s}'"),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Array(_) => "a list".to_string(),
        Yaml::Hash(_) => "a map".to_string(),
        Yaml::Alias(_) => "an alias".to_string(),
        Yaml::Null => "null".to_string(),
        Yaml::BadValue => "an invalid value".to_string(),
    }
}

fn invalid(key: &str, expected: &str, v: &Yaml) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        expected: expected.to_string(),
        got: describe(v),
    }
}

/// Typed reads of one tree.
pub struct Reader<'a> {
    pub root: &'a Yaml,
}

impl Reader<'_> {
    pub fn bool(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        match get(self.root, key) {
            None => Ok(default),
            Some(Yaml::Boolean(b)) => Ok(*b),
            Some(Yaml::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
            Some(Yaml::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(invalid(key, "true or false", v)),
        }
    }

    pub fn u64_in(&self, key: &str, default: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
        let v = match get(self.root, key) {
            None => return Ok(default),
            Some(v) => v,
        };
        let n = match v {
            Yaml::Integer(i) if *i >= 0 => *i as u64,
            Yaml::String(s) => s
                .trim()
                .parse::<u64>()
                .map_err(|_| invalid(key, &format!("an integer from {min} to {max}"), v))?,
            _ => return Err(invalid(key, &format!("an integer from {min} to {max}"), v)),
        };
        if n < min || n > max {
            return Err(invalid(key, &format!("an integer from {min} to {max}"), v));
        }
        Ok(n)
    }

    pub fn f64_in(&self, key: &str, default: f64, min: f64, max: f64) -> Result<f64, ConfigError> {
        let v = match get(self.root, key) {
            None => return Ok(default),
            Some(v) => v,
        };
        let expected = format!("a number from {min} to {max}");
        let n = match v {
            Yaml::Integer(i) => *i as f64,
            Yaml::Real(_) => v.as_f64().ok_or_else(|| invalid(key, &expected, v))?,
            Yaml::String(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| invalid(key, &expected, v))?,
            _ => return Err(invalid(key, &expected, v)),
        };
        if !(min..=max).contains(&n) {
            return Err(invalid(key, &expected, v));
        }
        Ok(n)
    }

    /// Text; numbers and booleans are taken as their text.
    pub fn string(&self, key: &str, default: &str) -> Result<String, ConfigError> {
        match get(self.root, key) {
            None => Ok(default.to_string()),
            Some(Yaml::String(s)) | Some(Yaml::Real(s)) => Ok(s.clone()),
            Some(Yaml::Integer(i)) => Ok(i.to_string()),
            Some(Yaml::Boolean(b)) => Ok(b.to_string()),
            Some(v) => Err(invalid(key, "text", v)),
        }
    }

    /// A list of text, or one text taken as a list of one.
    pub fn string_list(&self, key: &str) -> Result<Option<Vec<String>>, ConfigError> {
        let v = match get(self.root, key) {
            None => return Ok(None),
            Some(v) => v,
        };
        match v {
            Yaml::String(s) => Ok(Some(vec![s.clone()])),
            Yaml::Array(a) => a
                .iter()
                .map(|e| match e {
                    Yaml::String(s) | Yaml::Real(s) => Ok(s.clone()),
                    Yaml::Integer(i) => Ok(i.to_string()),
                    other => Err(invalid(key, "a list of text", other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            other => Err(invalid(key, "a list of text", other)),
        }
    }

    /// One of `choices`, compared case-insensitively; returned lower-case.
    pub fn choice(
        &self,
        key: &str,
        default: &str,
        choices: &[&str],
    ) -> Result<String, ConfigError> {
        let s = self.string(key, default)?;
        let l = s.to_ascii_lowercase();
        if choices.contains(&l.as_str()) {
            Ok(l)
        } else {
            Err(ConfigError::Invalid {
                key: key.to_string(),
                expected: format!("one of {}", choices.join(", ")),
                got: format!("'{s}'"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Yaml {
        YamlLoader::load_from_str(s).unwrap().remove(0)
    }

    #[test]
    fn override_paths_parse() {
        let o = parse_override("webserver.listen_port=9000").unwrap();
        assert_eq!(
            o.path,
            vec![Seg::Key("webserver".into()), Seg::Key("listen_port".into())]
        );
        assert_eq!(o.value, Yaml::Integer(9000));
        let o = parse_override("a.list[2]=x").unwrap();
        assert_eq!(o.path[2], Seg::Index(2));
        let o = parse_override("rules_files[]=x.yaml").unwrap();
        assert_eq!(o.path[1], Seg::Append);
        assert!(parse_override("novalue").is_err());
        assert!(parse_override("a[x]=1").is_err());
        assert_eq!(
            parse_override("k=[a, b]").unwrap().value,
            Yaml::Array(vec![Yaml::String("a".into()), Yaml::String("b".into())])
        );
        assert_eq!(
            parse_override("p=\"5\"").unwrap().value,
            Yaml::String("5".into())
        );
    }

    #[test]
    fn overrides_apply() {
        let mut root = doc("a:\n  b: 1\nlist: [x, y]\n");
        for o in ["a.b=2", "a.c.d=true", "list[1]=z", "list[]=w", "new[]=1"] {
            apply_override(&mut root, &parse_override(o).unwrap()).unwrap();
        }
        assert_eq!(get(&root, "a.b"), Some(&Yaml::Integer(2)));
        assert_eq!(get(&root, "a.c.d"), Some(&Yaml::Boolean(true)));
        assert_eq!(
            get(&root, "list"),
            Some(&Yaml::Array(vec![
                Yaml::String("x".into()),
                Yaml::String("z".into()),
                Yaml::String("w".into())
            ]))
        );
        assert_eq!(
            get(&root, "new"),
            Some(&Yaml::Array(vec![Yaml::Integer(1)]))
        );
        assert!(apply_override(&mut root, &parse_override("list[9]=q").unwrap()).is_err());
        assert!(apply_override(&mut root, &parse_override("a.b[0]=q").unwrap()).is_err());
    }

    #[test]
    fn typed_reads_name_the_key() {
        let root = doc("port: abc\nflag: maybe\nrate: 2.5\n");
        let r = Reader { root: &root };
        let e = r.u64_in("port", 1, 1, 65535).unwrap_err().to_string();
        assert!(e.contains("port") && e.contains("abc"), "{e}");
        assert!(r.bool("flag", false).is_err());
        assert_eq!(r.f64_in("rate", 0.0, 0.0, 10.0).unwrap(), 2.5);
        assert!(r.bool("absent", true).unwrap());
    }

    #[test]
    fn leaf_keys_walk_maps() {
        let root = doc("a:\n  b: 1\n  c: [1]\nd: x\n");
        assert_eq!(leaf_keys(&root), vec!["a.b", "a.c", "d"]);
    }
}
