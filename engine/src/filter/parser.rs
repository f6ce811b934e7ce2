//! Condition text → [`Ast`], with the pest grammar in `grammar.pest`.

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::{Ast, Check, Literal, Modifier, Op, Operand, Rhs, TArg, Transformer};
use super::error::{FilterError, FilterErrorKind, token_at};

#[derive(pest_derive::Parser)]
#[grammar = "filter/grammar.pest"]
struct ConditionParser;

/// Deepest parenthesis nesting accepted in one condition. The parser recurses per level, so the
/// bound is checked before parsing: deep input is refused, never a stack overflow.
pub const MAX_PAREN_DEPTH: usize = 128;

/// Parses a condition.
pub fn parse(text: &str) -> Result<Ast, FilterError> {
    check_depth(text)?;
    let mut pairs =
        ConditionParser::parse(Rule::condition, text).map_err(|e| syntax_error(text, e))?;
    let cond = pairs.next().expect("condition");
    let or = cond.into_inner().next().expect("or_expr");
    build_or(text, or)
}

/// Parses a field or a transformer alone (`proc.name`, `tolower(proc.name)`).
pub fn parse_operand(text: &str) -> Result<Operand, FilterError> {
    check_depth(text)?;
    let mut pairs =
        ConditionParser::parse(Rule::operand_only, text).map_err(|e| syntax_error(text, e))?;
    let top = pairs.next().expect("operand_only");
    let inner = top
        .into_inner()
        .find(|p| {
            matches!(
                p.as_rule(),
                Rule::val_call | Rule::transformer | Rule::field
            )
        })
        .expect("operand");
    build_operand(inner)
}

/// Refuses input whose parentheses are unbalanced or nest deeper than [`MAX_PAREN_DEPTH`]
/// (outside quotes).
fn check_depth(text: &str) -> Result<(), FilterError> {
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' => {
                open.push(i);
                depth += 1;
                if depth > MAX_PAREN_DEPTH {
                    return Err(FilterError::new(
                        FilterErrorKind::TooDeep(MAX_PAREN_DEPTH),
                        i,
                        "(",
                    ));
                }
            }
            ')' => {
                if open.pop().is_none() {
                    return Err(FilterError::new(
                        FilterErrorKind::Syntax(
                            "unbalanced parentheses: ')' has no matching '('".into(),
                        ),
                        i,
                        ")",
                    ));
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    match open.first() {
        Some(&i) => Err(FilterError::new(
            FilterErrorKind::Syntax("unbalanced parentheses: '(' is never closed".into()),
            i,
            "(",
        )),
        None => Ok(()),
    }
}

fn describe(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::or_expr | Rule::and_expr | Rule::not_expr | Rule::paren | Rule::check => {
            "a condition"
        }
        Rule::embedded => "')'",
        Rule::field | Rule::field_name | Rule::transformer | Rule::transformer_name => "a field",
        Rule::identifier => "a macro name",
        Rule::kw_and | Rule::kw_or => "'and', 'or'",
        Rule::kw_not | Rule::not_paren => "'not'",
        Rule::unary_op
        | Rule::num_op
        | Rule::str_op
        | Rule::str_op_mod
        | Rule::list_op
        | Rule::modifier => "an operator",
        Rule::num_rhs | Rule::hex_num | Rule::number => "a number",
        Rule::str_rhs | Rule::val_call | Rule::quoted | Rule::bare => "a value",
        Rule::list | Rule::list_rhs | Rule::list_value => "a list",
        Rule::field_arg | Rule::arg_bare => "a field argument",
        Rule::tlist => "a transformer argument",
        Rule::EOI => "end of condition",
        _ => return None,
    })
}

fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> FilterError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    // pest reports where the failing alternative started; skip blanks to the token itself.
    let pos = pos
        + text
            .get(pos..)
            .map_or(0, |r| r.len() - r.trim_start().len());
    let mut expected: Vec<&'static str> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(describe).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let mut seen = Vec::new();
    expected.retain(|x| {
        let new = !seen.contains(x);
        seen.push(x);
        new
    });
    let mut token = token_at(text, pos);
    // An `and`/`or` with nothing valid after it: the problem is what follows the keyword.
    if matches!(token.as_str(), "and" | "or") {
        let after = pos + token.len();
        let rest = &text[after..];
        if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(') {
            let kw = token.clone();
            let at = after + (rest.len() - rest.trim_start().len());
            token = token_at(text, at);
            let found = if token.is_empty() {
                "unexpected end of condition".to_string()
            } else {
                format!("unexpected '{token}'")
            };
            return FilterError::new(
                FilterErrorKind::Syntax(format!("{found}, expected a condition after '{kw}'")),
                at,
                token,
            );
        }
    }
    // `name(` where a condition or value may start: a transformer that does not exist.
    if let Some((at, name)) = unknown_call(text, pos) {
        let known: Vec<&str> = Transformer::ALL.iter().map(|t| t.name()).collect();
        return FilterError::new(
            FilterErrorKind::Syntax(format!(
                "unknown transformer '{name}' (transformers: {})",
                known.join(", ")
            )),
            at,
            name,
        );
    }
    if expected.contains(&"an operator") && !token.is_empty() && token != "(" {
        let ops: Vec<&str> = Op::ALL.iter().map(|o| o.name()).collect();
        return FilterError::new(
            FilterErrorKind::Syntax(format!(
                "unknown operator '{token}' (operators: {}, or a string operator followed by oneof, anyof or allof)",
                ops.join(" ")
            )),
            pos,
            token,
        );
    }
    let found = if token.is_empty() {
        "unexpected end of condition".to_string()
    } else {
        format!("unexpected '{token}'")
    };
    let msg = if expected.is_empty() {
        found
    } else {
        format!("{found}, expected {}", expected.join(" or "))
    };
    FilterError::new(FilterErrorKind::Syntax(msg), pos, token)
}

/// The name of a call `name(` at or just before `pos` that is no transformer.
fn unknown_call(text: &str, pos: usize) -> Option<(usize, String)> {
    // pest stops either at the name (a condition cannot start with it) or at its `(`.
    let start = if text[..pos].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        text[..pos]
            .char_indices()
            .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8())
    } else {
        pos
    };
    let rest = &text[start..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    let first = name.chars().next()?;
    (first.is_ascii_alphabetic()
        && rest[len..].starts_with('(')
        && Transformer::parse(name).is_none()
        && !matches!(name, "and" | "or" | "not" | "in" | "intersects" | "pmatch"))
    .then(|| (start, name.to_string()))
}

fn build_or(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut items = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::and_expr => items.push(build_and(text, c)?),
            Rule::embedded => items.push(build_embedded(text, c)?),
            _ => {}
        }
    }
    Ok(if items.len() == 1 {
        items.pop().expect("one")
    } else {
        Ast::Or(items)
    })
}

fn build_and(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut items = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::not_expr => items.push(build_not(text, c)?),
            Rule::embedded => items.push(build_embedded(text, c)?),
            _ => {}
        }
    }
    Ok(if items.len() == 1 {
        items.pop().expect("one")
    } else {
        Ast::And(items)
    })
}

/// The inside of `( ... )`.
fn build_embedded(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let or = p
        .into_inner()
        .find(|c| c.as_rule() == Rule::or_expr)
        .expect("or_expr");
    build_or(text, or)
}

fn build_not(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut nots = 0usize;
    let mut inner = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::kw_not | Rule::not_paren => nots += 1,
            Rule::embedded => inner = Some(build_embedded(text, c)?),
            Rule::check => inner = Some(build_check(text, c)?),
            _ => {}
        }
    }
    let mut ast = inner.expect("primary");
    // `not not x` is `x` (libsinsp toggles): collapsing keeps a long chain from nesting the tree.
    for _ in 0..nots % 2 {
        ast = Ast::Not(Box::new(ast));
    }
    Ok(ast)
}

/// A field argument without its brackets; a quoted one unescaped.
fn field_arg(p: Pair<'_, Rule>) -> Result<String, FilterError> {
    let inner = p.into_inner().next().expect("arg content");
    match inner.as_rule() {
        Rule::quoted => Ok(literal(inner)?.text),
        _ => Ok(inner.as_str().to_string()),
    }
}

fn build_field(p: Pair<'_, Rule>) -> Result<Operand, FilterError> {
    let pos = p.as_span().start();
    let mut fi = p.into_inner();
    let name = fi.next().expect("name").as_str().to_string();
    let arg = fi.next().map(field_arg).transpose()?;
    Ok(Operand::Field { name, arg, pos })
}

fn build_targ(p: Pair<'_, Rule>) -> Result<TArg, FilterError> {
    Ok(match p.as_rule() {
        Rule::field => TArg::Operand(build_field(p)?),
        Rule::transformer => TArg::Operand(build_transformer(p)?),
        Rule::tlist => TArg::List(p.into_inner().map(build_targ).collect::<Result<_, _>>()?),
        _ => TArg::Value(literal(p)?),
    })
}

fn build_transformer(p: Pair<'_, Rule>) -> Result<Operand, FilterError> {
    let pos = p.as_span().start();
    let mut args = Vec::new();
    let mut kind = Transformer::Val;
    let mut arg = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::transformer_name => {
                kind = Transformer::parse(c.as_str()).expect("grammar names transformers")
            }
            Rule::field_arg => arg = Some(field_arg(c)?),
            _ => args.push(build_targ(c)?),
        }
    }
    Ok(Operand::Transform {
        kind,
        args,
        arg,
        pos,
    })
}

fn build_val(p: Pair<'_, Rule>) -> Result<Operand, FilterError> {
    let pos = p.as_span().start();
    let mut args = Vec::new();
    let mut arg = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::field => args.push(TArg::Operand(build_field(c)?)),
            Rule::field_arg => arg = Some(field_arg(c)?),
            _ => {}
        }
    }
    Ok(Operand::Transform {
        kind: Transformer::Val,
        args,
        arg,
        pos,
    })
}

fn build_operand(p: Pair<'_, Rule>) -> Result<Operand, FilterError> {
    match p.as_rule() {
        Rule::field => build_field(p),
        Rule::val_call => build_val(p),
        _ => build_transformer(p),
    }
}

/// Removes the quotes and resolves escapes as libsinsp does: `\b \f \n \r \t \\ \/`, the
/// quote of the string's own kind, and `\ ` (read as a backslash); any other escape is refused.
pub fn unescape(quoted: &str) -> Result<String, String> {
    let delim = quoted.chars().next().unwrap_or('"');
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{08}'),
            Some('f') => out.push('\u{0C}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(' ') | Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(q @ ('"' | '\'')) if q == delim => out.push(q),
            Some('"') => return Err("invalid \\\" escape in '-quoted string".into()),
            Some('\'') => return Err("invalid \\' escape in \"-quoted string".into()),
            Some(o) => return Err(format!("unsupported string escape sequence: \\{o}")),
            None => {}
        }
    }
    Ok(out)
}

fn literal(p: Pair<'_, Rule>) -> Result<Literal, FilterError> {
    let pos = p.as_span().start();
    match p.as_rule() {
        Rule::quoted => {
            let text = unescape(p.as_str())
                .map_err(|m| FilterError::new(FilterErrorKind::Syntax(m), pos, p.as_str()))?;
            Ok(Literal {
                text,
                quoted: true,
                pos,
            })
        }
        _ => Ok(Literal {
            text: p.as_str().to_string(),
            quoted: false,
            pos,
        }),
    }
}

/// The right side: a list, a transformer or `val()`, or one value.
fn build_rhs(p: Pair<'_, Rule>) -> Result<Rhs, FilterError> {
    let Some(v) = p.into_inner().next() else {
        return Ok(Rhs::None);
    };
    Ok(match v.as_rule() {
        Rule::list => Rhs::List(v.into_inner().map(literal).collect::<Result<_, _>>()?),
        Rule::val_call | Rule::transformer => Rhs::Operand(build_operand(v)?),
        _ => Rhs::Value(literal(v)?),
    })
}

/// The grammar's `blank_char`: what separates tokens, backspace included as libsinsp has it.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{08}' | '\r' | '\n')
}

fn build_check(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut it = p.into_inner();
    let first = it.next().expect("check content");
    let lhs = match first.as_rule() {
        Rule::paren => return build_embedded(text, first.into_inner().next().expect("embedded")),
        Rule::identifier => {
            return Ok(Ast::Macro {
                name: first.as_str().to_string(),
                pos: first.as_span().start(),
            });
        }
        _ => build_operand(first)?,
    };
    let op_pair = it.next().expect("grammar requires an operator");
    let op_pos = op_pair.as_span().start();
    let op =
        Op::parse(op_pair.as_str().trim_end_matches(is_blank)).expect("grammar names operators");
    let mut modifier = None;
    let mut rhs = Rhs::None;
    for r in it {
        match r.as_rule() {
            Rule::modifier => {
                let name = r.as_str().split(is_blank).next().unwrap_or("");
                modifier = Modifier::parse(name);
            }
            _ => rhs = build_rhs(r)?,
        }
    }
    Ok(Ast::Check(Check {
        lhs,
        op,
        modifier,
        op_pos,
        rhs,
    }))
}

#[cfg(test)]
mod tests;
