//! Rules listings: -L and -l (described rules, text or JSON) and -V (validation), in Falco's
//! shapes.

use std::fmt::Write as _;
use std::path::PathBuf;

use falco_engine::rules::{Diagnostic, RuleEngine, RuleInfo, validate_rules_files};
use serde_json::{Value as Json, json};

fn rule_json(r: &RuleInfo, enabled: bool) -> Json {
    json!({"info": {
        "name": r.name,
        "condition": r.condition,
        "description": r.desc,
        "output": r.output,
        "priority": r.priority.name(),
        "source": r.source,
        "tags": r.tags,
        "enabled": enabled,
        "exceptions": r.exceptions,
    }, "details": {
        "events": r.event_types,
    }})
}

/// `text` wrapped as Falco wraps rule descriptions: words each followed by a space, a new line
/// (indented by `indent`) before a word that would pass `width - indent` columns.
fn wrap_text(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        // The word and its space fit in the column.
        if len + word.len() < width - indent {
            len += word.len() + 1;
        } else {
            let _ = write!(out, "\n{:indent$}", "");
            len = word.len() + 1;
        }
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// Rule names and descriptions in two columns, each rule followed by an empty line, as Falco's
/// text `-L` and `-l`.
fn rules_table<'a>(rules: impl Iterator<Item = &'a RuleInfo>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{:<50} Description", "Rule");
    let _ = writeln!(s, "{:<50} -----------", "----");
    for r in rules {
        let _ = writeln!(s, "{:<50} {}\n", r.name, wrap_text(&r.desc, 51, 110));
    }
    s
}

/// `falco -L`: every loaded rule (JSON: rules, macros and lists).
pub fn describe_all(engine: &RuleEngine, json_output: bool) -> String {
    if json_output {
        let rules: Vec<Json> = engine.rules().map(|(r, e)| rule_json(r, e)).collect();
        let macros: Vec<Json> = engine
            .macros()
            .map(|(n, c)| json!({"info": {"name": n, "condition": c}}))
            .collect();
        let lists: Vec<Json> = engine
            .lists()
            .map(|(n, items)| json!({"info": {"name": n, "items": items}}))
            .collect();
        return format!(
            "{}\n",
            json!({"rules": rules, "macros": macros, "lists": lists})
        );
    }
    rules_table(engine.rules().map(|(r, _)| r))
}

/// `falco -l RULE`.
pub fn describe_rule(engine: &RuleEngine, name: &str, json_output: bool) -> Option<String> {
    let (r, enabled) = engine.rules().find(|(r, _)| r.name == name)?;
    if json_output {
        return Some(format!("{}\n", json!({"rules": [rule_json(r, enabled)]})));
    }
    Some(rules_table(std::iter::once(r)))
}

/// Falco's description of a load result code.
fn code_desc(code: &str) -> &'static str {
    match code {
        "LOAD_ERR_FILE_READ" => {
            "This occurs when falco can not read a given file. Check permissions and whether the file exists."
        }
        "LOAD_ERR_YAML_PARSE" => "This occurs when the rules content is not valid YAML.",
        "LOAD_ERR_YAML_VALIDATE" => {
            "This occurs when the internal structure of the YAML file is incorrect. Examples include not consisting of a sequence of maps, a given rule/macro/list item not having required keys, values not having the right type (e.g. the items property of a list not being a sequence), etc."
        }
        "LOAD_ERR_COMPILE_CONDITION" => {
            "This occurs when a condition string can not be compiled to a filter object."
        }
        "LOAD_ERR_COMPILE_OUTPUT" => {
            "This occurs when an output string can not be compiled to an output object."
        }
        "LOAD_ERR_VALIDATE" => {
            "This occurs when a rule/macro/list item is incorrect. Examples include a condition field referring to an undefined macro, falco engine/plugin version mismatches, items with append without any existing item, exception fields/comps having different lengths, etc."
        }
        "LOAD_UNKNOWN_SOURCE" => {
            "A rule has a unknown event source. This can occur when reading rules content without having a corresponding plugin loaded, etc. The rule will be silently ignored."
        }
        "LOAD_UNSAFE_NA_CHECK" => {
            "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead."
        }
        "LOAD_NO_EVTTYPE" => {
            "A rule condition matches too many evt.type values. This has a significant performance penalty. Make the condition more specific by adding an evt.type field or further restricting the number of evt.type values in the condition."
        }
        "LOAD_UNKNOWN_FILTER" => {
            "A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning."
        }
        "LOAD_UNUSED_MACRO" => {
            "A macro is defined in the rules content but is not used by any other macro or rule."
        }
        "LOAD_UNUSED_LIST" => {
            "A list is defined in the rules content but is not used by any other list, macro, or rule."
        }
        "LOAD_UNKNOWN_ITEM" => {
            "An unknown top-level object is in the rules content. It will be ignored."
        }
        "LOAD_DEPRECATED_ITEM" => "A deprecated item is employed by lists, macros, or rules.",
        "LOAD_APPEND_NO_VALUES" => "A rule exception is overriding/appending with no values",
        "LOAD_INVALID_MACRO_NAME" => "A macro is defined with an invalid name",
        "LOAD_INVALID_LIST_NAME" => "A list is defined with an invalid name",
        _ => "",
    }
}

/// A diagnostic in the shape of Falco's load results: context (locations and a snippet), code,
/// codedesc, message.
fn diagnostic_json(d: &Diagnostic, text: &str) -> Json {
    let loc = &d.location;
    let offset: usize = text
        .split_inclusive('\n')
        .take(loc.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + loc.col.saturating_sub(1);
    let line = text.lines().nth(loc.line.saturating_sub(1)).unwrap_or("");
    let snippet = format!("{line}\n{}^\n", " ".repeat(loc.col.saturating_sub(1)));
    let (item_type, item_name) = match &d.item {
        Some(i) => (i.kind.to_string(), i.name.clone()),
        None => ("rules content".to_string(), String::new()),
    };
    json!({
        "context": {
            "locations": [{
                "item_type": item_type,
                "item_name": item_name,
                "position": {"name": loc.file.to_string(), "line": loc.line, "column": loc.col, "offset": offset},
            }],
            "snippet": snippet,
        },
        "code": d.code,
        "codedesc": code_desc(d.code),
        "message": d.message,
    })
}

/// `falco -V FILE...`: returns the report and whether every file is valid.
pub fn validate(paths: &[PathBuf], json_output: bool) -> (String, bool) {
    let v = validate_rules_files(paths);
    let ok = v.ok();
    if json_output {
        let results: Vec<Json> = paths
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                let text = std::fs::read_to_string(p).unwrap_or_default();
                let mine = |d: &&Diagnostic| *d.location.file == *name;
                json!({
                    "name": name,
                    "successful": !v.errors.iter().any(|d| mine(&d)),
                    "errors": v.errors.iter().filter(mine).map(|d| diagnostic_json(d, &text)).collect::<Vec<_>>(),
                    "warnings": v.warnings.iter().filter(mine).map(|d| diagnostic_json(d, &text)).collect::<Vec<_>>(),
                })
            })
            .collect();
        return (format!("{}\n", json!({"falco_load_results": results})), ok);
    }
    let mut s = String::new();
    for p in paths {
        let name = p.display().to_string();
        let errors: Vec<_> = v
            .errors
            .iter()
            .filter(|d| *d.location.file == *name)
            .collect();
        let warnings: Vec<_> = v
            .warnings
            .iter()
            .filter(|d| *d.location.file == *name)
            .collect();
        if errors.is_empty() && ok {
            let _ = writeln!(s, "{name}: Ok");
        } else if errors.is_empty() {
            let _ = writeln!(s, "{name}: Ok (not loaded: an earlier file has errors)");
        } else {
            let _ = writeln!(s, "{name}: Invalid");
        }
        for d in errors.iter().chain(warnings.iter()) {
            let _ = writeln!(s, "{d}");
        }
    }
    // Errors not tied to one of the files (a read error) still show.
    for d in &v.errors {
        if !paths
            .iter()
            .any(|p| p.display().to_string() == *d.location.file)
        {
            let _ = writeln!(s, "{d}");
        }
    }
    (s, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_wrap_as_falco_wraps_them() {
        let desc = "word ".repeat(30);
        let text = wrap_text(&desc, 51, 110);
        let lines: Vec<&str> = text.split('\n').collect();
        // 59 columns of words a line: eleven five-column words.
        assert_eq!(lines[0], "word ".repeat(11));
        assert_eq!(lines[1], format!("{:51}{}", "", "word ".repeat(11)));
        assert_eq!(lines.len(), 3);
    }
}
