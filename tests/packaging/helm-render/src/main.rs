//! helm-render: renders a Helm chart's templates the way `helm template` does, for tests, using the
//! gtmpl Go-template engine plus the few Sprig/Helm functions the falco chart uses (helm itself is
//! not packaged on the registries this project may use).
//!
//!   helm-render CHART_DIR [-f VALUES.yaml]... [--set a.b=VALUE]... [--name NAME] [--namespace NS]
//!
//! Prints every rendered manifest as a YAML stream, each preceded by `# Source: CHART/templates/F`.
//! Supported functions: include, toYaml, indent, nindent, quote, default, trunc, trimSuffix, fail,
//! has, upper, kindIs, printf and the text/template builtins. An unsupported function is a render
//! error, not a silent gap.

use gtmpl::{Context, Template};
use gtmpl_value::{FuncError, Number, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use yaml_rust2::{Yaml, YamlEmitter, YamlLoader, yaml::Hash};

/// The text of every `_*.tpl` helper file: `include` parses it again for each call, because gtmpl
/// functions are plain fn pointers without access to the template being executed.
static HELPERS: OnceLock<String> = OnceLock::new();

fn err(msg: impl Into<String>) -> FuncError {
    FuncError::Generic(msg.into())
}

fn new_template(name: &str) -> Template {
    let mut t = Template::with_name(name);
    t.add_func("include", include);
    t.add_func("toYaml", to_yaml);
    t.add_func("indent", indent);
    t.add_func("nindent", nindent);
    t.add_func("quote", quote);
    t.add_func("default", default);
    t.add_func("trunc", trunc);
    t.add_func("trimSuffix", trim_suffix);
    t.add_func("fail", fail);
    t.add_func("has", has);
    t.add_func("upper", upper);
    t.add_func("kindIs", kind_is);
    t.add_func("hasKey", has_key);
    t
}

/// `hasKey MAP KEY`: whether MAP has KEY (Sprig's).
fn has_key(args: &[Value]) -> Result<Value, FuncError> {
    let [map, key] = args else {
        return Err(FuncError::ExactlyXArgs("hasKey".into(), 2));
    };
    let key = string_arg(key);
    Ok(Value::Bool(match map {
        Value::Object(m) | Value::Map(m) => m.contains_key(&key),
        _ => false,
    }))
}

/// `fail MSG`: stops the render with MSG, as Helm's.
fn fail(args: &[Value]) -> Result<Value, FuncError> {
    let [msg] = args else {
        return Err(FuncError::ExactlyXArgs("fail".into(), 1));
    };
    Err(err(format!("fail: {}", string_arg(msg))))
}

/// `has ITEM LIST` (LIST usually piped in): whether LIST holds ITEM.
fn has(args: &[Value]) -> Result<Value, FuncError> {
    let [item, list] = args else {
        return Err(FuncError::ExactlyXArgs("has".into(), 2));
    };
    Ok(Value::Bool(match list {
        Value::Array(a) => a.iter().any(|v| string_arg(v) == string_arg(item)),
        _ => false,
    }))
}

/// `upper S`.
fn upper(args: &[Value]) -> Result<Value, FuncError> {
    let [s] = args else {
        return Err(FuncError::ExactlyXArgs("upper".into(), 1));
    };
    Ok(Value::from(string_arg(s).to_uppercase()))
}

/// `kindIs KIND V`: map, slice, string, bool, float64, int64 or invalid, as Sprig names kinds.
fn kind_is(args: &[Value]) -> Result<Value, FuncError> {
    let [kind, v] = args else {
        return Err(FuncError::ExactlyXArgs("kindIs".into(), 2));
    };
    let k = match v {
        Value::Object(_) | Value::Map(_) => "map",
        Value::Array(_) => "slice",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.as_i64().is_some() => "int64",
        Value::Number(_) => "float64",
        _ => "invalid",
    };
    Ok(Value::Bool(string_arg(kind) == k))
}

fn string_arg(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Nil | Value::NoValue => String::new(),
        other => other.to_string(),
    }
}

/// `include NAME DOT`: executes a named template and returns its output as a string.
fn include(args: &[Value]) -> Result<Value, FuncError> {
    let [name, dot] = args else {
        return Err(FuncError::ExactlyXArgs("include".into(), 2));
    };
    let name = string_arg(name);
    // Parsed under a name no define uses, then pointed at the define to run.
    let mut t = new_template("\0helpers");
    t.parse(HELPERS.get().map(String::as_str).unwrap_or(""))
        .map_err(|e| err(format!("helpers: {e}")))?;
    if !t.tree_set.contains_key(&name) {
        return Err(err(format!("include: no template named {name:?}")));
    }
    t.name = name.clone();
    t.render(&Context::from(dot.clone()))
        .map(Value::from)
        .map_err(|e| err(format!("include {name:?}: {e}")))
}

fn to_yaml_value(v: &Value) -> Yaml {
    match v {
        Value::NoValue | Value::Nil => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::String(s) => Yaml::String(s.clone()),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Yaml::Integer(i),
            (None, Some(f)) => Yaml::Real(f.to_string()),
            _ => Yaml::Null,
        },
        Value::Array(a) => Yaml::Array(a.iter().map(to_yaml_value).collect()),
        Value::Object(m) | Value::Map(m) => {
            // Sorted like Go's yaml marshalling of maps, so output is stable.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut h = Hash::new();
            for k in keys {
                h.insert(Yaml::String(k.clone()), to_yaml_value(&m[k]));
            }
            Yaml::Hash(h)
        }
        Value::Function(_) => Yaml::Null,
    }
}

/// `toYaml V`: block YAML without the document marker or the trailing newline, as Helm's.
fn to_yaml(args: &[Value]) -> Result<Value, FuncError> {
    let [v] = args else {
        return Err(FuncError::ExactlyXArgs("toYaml".into(), 1));
    };
    let y = to_yaml_value(v);
    if let Yaml::Array(a) = &y
        && a.is_empty()
    {
        return Ok(Value::from("[]"));
    }
    if let Yaml::Hash(h) = &y
        && h.is_empty()
    {
        return Ok(Value::from("{}"));
    }
    let mut out = String::new();
    let mut e = YamlEmitter::new(&mut out);
    e.multiline_strings(true);
    e.dump(&y).map_err(|e| err(format!("toYaml: {e:?}")))?;
    let out = out.strip_prefix("---").unwrap_or(&out);
    let out = out
        .strip_prefix('\n')
        .or_else(|| out.strip_prefix(' '))
        .unwrap_or(out);
    Ok(Value::from(out.trim_end_matches('\n').to_string()))
}

fn count(v: &Value) -> Result<usize, FuncError> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| err("expected a non-negative integer")),
        _ => Err(err(format!("expected a number, got {v}"))),
    }
}

fn indent_by(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    s.split('\n')
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `indent N S`: prefixes every line of S with N spaces.
fn indent(args: &[Value]) -> Result<Value, FuncError> {
    let [n, s] = args else {
        return Err(FuncError::ExactlyXArgs("indent".into(), 2));
    };
    Ok(Value::from(indent_by(count(n)?, &string_arg(s))))
}

/// `nindent N S`: a newline, then `indent N S`.
fn nindent(args: &[Value]) -> Result<Value, FuncError> {
    let [n, s] = args else {
        return Err(FuncError::ExactlyXArgs("nindent".into(), 2));
    };
    Ok(Value::from(format!(
        "\n{}",
        indent_by(count(n)?, &string_arg(s))
    )))
}

/// `quote V...`: each argument as a double-quoted string (Go %q escaping of `"` and `\`).
fn quote(args: &[Value]) -> Result<Value, FuncError> {
    let q: Vec<String> = args
        .iter()
        .filter(|v| !matches!(v, Value::Nil | Value::NoValue))
        .map(|v| {
            let s = string_arg(v)
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("\"{s}\"")
        })
        .collect();
    Ok(Value::from(q.join(" ")))
}

/// Sprig's emptiness: nil, false, 0, "", and empty collections.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::NoValue | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) | Value::Map(m) => m.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Function(_) => false,
    }
}

/// `default DEFAULT GIVEN` (GIVEN usually piped in): GIVEN unless it is empty.
fn default(args: &[Value]) -> Result<Value, FuncError> {
    match args {
        [d] => Ok(d.clone()),
        [d, given] => Ok(if is_empty(given) {
            d.clone()
        } else {
            given.clone()
        }),
        _ => Err(FuncError::AtLeastXArgs("default".into(), 1)),
    }
}

/// `trunc N S`: the first N characters of S.
fn trunc(args: &[Value]) -> Result<Value, FuncError> {
    let [n, s] = args else {
        return Err(FuncError::ExactlyXArgs("trunc".into(), 2));
    };
    Ok(Value::from(
        string_arg(s).chars().take(count(n)?).collect::<String>(),
    ))
}

/// `trimSuffix SUFFIX S`.
fn trim_suffix(args: &[Value]) -> Result<Value, FuncError> {
    let [suffix, s] = args else {
        return Err(FuncError::ExactlyXArgs("trimSuffix".into(), 2));
    };
    let (suffix, s) = (string_arg(suffix), string_arg(s));
    Ok(Value::from(
        s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string(),
    ))
}

fn from_yaml(y: &Yaml) -> Value {
    match y {
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Nil,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::Number(Number::from(*i)),
        Yaml::Real(r) => r
            .parse::<f64>()
            .map(|f| Value::Number(Number::from(f)))
            .unwrap_or(Value::Nil),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(a) => Value::Array(a.iter().map(from_yaml).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    (
                        k.as_str().map(str::to_string).unwrap_or_default(),
                        from_yaml(v),
                    )
                })
                .collect(),
        ),
    }
}

/// Helm's values merge: maps merge key by key, anything else replaces.
fn merge(base: &mut Yaml, over: Yaml) {
    match (base, over) {
        (Yaml::Hash(b), Yaml::Hash(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn load_yaml(path: &Path) -> Result<Yaml, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut docs =
        YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if docs.is_empty() {
        Yaml::Hash(Hash::new())
    } else {
        docs.remove(0)
    })
}

/// `--set a.b.c=VALUE`: VALUE is read as a YAML scalar (true, 3, text).
fn set_path(values: &mut Yaml, spec: &str) -> Result<(), String> {
    let (path, raw) = spec
        .split_once('=')
        .ok_or_else(|| format!("--set {spec}: expected KEY=VALUE"))?;
    let val = YamlLoader::load_from_str(raw)
        .ok()
        .and_then(|mut d| (!d.is_empty()).then(|| d.remove(0)))
        .unwrap_or(Yaml::String(raw.to_string()));
    let mut over = val;
    for key in path.split('.').rev() {
        let mut h = Hash::new();
        h.insert(Yaml::String(key.to_string()), over);
        over = Yaml::Hash(h);
    }
    merge(values, over);
    Ok(())
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<HashMap<_, _>>(),
    )
}

fn run(args: &[String]) -> Result<String, String> {
    let mut chart: Option<PathBuf> = None;
    let (mut files, mut sets) = (Vec::new(), Vec::new());
    let (mut name, mut namespace) = ("falco".to_string(), "falco".to_string());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut next = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "-f" | "--values" => files.push(PathBuf::from(next()?)),
            "--set" => sets.push(next()?),
            "--name" => name = next()?,
            "--namespace" => namespace = next()?,
            other if chart.is_none() && !other.starts_with('-') => chart = Some(other.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let chart = chart.ok_or("usage: helm-render CHART_DIR [-f VALUES]... [--set K=V]...")?;
    let meta = load_yaml(&chart.join("Chart.yaml"))?;
    let mut values = load_yaml(&chart.join("values.yaml"))?;
    for f in &files {
        merge(&mut values, load_yaml(f)?);
    }
    for s in &sets {
        set_path(&mut values, s)?;
    }
    let field = |k: &str| Value::from(meta[k].as_str().unwrap_or("").to_string());
    let chart_name = meta["name"].as_str().unwrap_or("chart").to_string();
    let root = object(&[
        ("Values", from_yaml(&values)),
        (
            "Release",
            object(&[
                ("Name", Value::from(name)),
                ("Namespace", Value::from(namespace)),
                ("Service", Value::from("Helm")),
                ("IsInstall", Value::Bool(true)),
            ]),
        ),
        (
            "Chart",
            object(&[
                ("Name", field("name")),
                ("Version", field("version")),
                ("AppVersion", field("appVersion")),
                ("Description", field("description")),
            ]),
        ),
    ]);

    let tdir = chart.join("templates");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&tdir)
        .map_err(|e| format!("{}: {e}", tdir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut helpers = String::new();
    for p in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "tpl"))
    {
        helpers.push_str(&std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    HELPERS
        .set(helpers.clone())
        .map_err(|_| "helpers set twice")?;

    let mut out = String::new();
    for p in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
    {
        let fname = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut t = new_template(&fname);
        // Defines from the helpers are visible to `template` too, as in Helm.
        t.parse(format!("{helpers}{text}"))
            .map_err(|e| format!("{fname}: parse error: {e}"))?;
        let rendered = t
            .render(&Context::from(root.clone()))
            .map_err(|e| format!("{fname}: {e}"))?;
        // Helm drops templates that render to whitespace only (e.g. a disabled feature).
        if rendered.trim().is_empty() {
            continue;
        }
        out.push_str(&format!("---\n# Source: {chart_name}/templates/{fname}\n"));
        out.push_str(rendered.trim_start_matches('\n'));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    // Every document must at least be YAML; schema validation is the caller's job.
    YamlLoader::load_from_str(&out)
        .map_err(|e| format!("rendered output is not valid YAML: {e}\n{out}"))?;
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(s) => {
            print!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("helm-render: error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str, dot: Value) -> String {
        let mut t = new_template("t");
        t.parse(src).unwrap();
        t.render(&Context::from(dot)).unwrap()
    }

    #[test]
    fn sprig_functions() {
        let dot = object(&[
            ("s", Value::from("a\nb")),
            ("e", Value::from("")),
            ("n", Value::Number(Number::from(3i64))),
            (
                "l",
                Value::Array(vec![Value::from("-x"), Value::from("-y")]),
            ),
        ]);
        assert_eq!(render("{{ .s | nindent 2 }}", dot.clone()), "\n  a\n  b");
        assert_eq!(render("{{ .e | default \"d\" }}", dot.clone()), "d");
        assert_eq!(render("{{ .s | quote }}", dot.clone()), "\"a\\nb\"");
        assert_eq!(render("{{ toYaml .l }}", dot.clone()), "- \"-x\"\n- \"-y\"");
        assert_eq!(
            render(
                "{{ \"falco-xyz\" | trunc 5 | trimSuffix \"-\" }}",
                dot.clone()
            ),
            "falco"
        );
        assert_eq!(
            render("{{ has \"-y\" .l }} {{ has \"-z\" .l }}", dot.clone()),
            "true false"
        );
        assert_eq!(
            render("{{ upper \"ab\" }} {{ kindIs \"slice\" .l }}", dot.clone()),
            "AB true"
        );
        let mut t = new_template("t");
        t.parse("{{ fail \"no way\" }}").unwrap();
        assert!(
            t.render(&Context::from(dot))
                .unwrap_err()
                .to_string()
                .contains("no way")
        );
    }
}
