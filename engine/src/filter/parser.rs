//! Condition text → [`Ast`], with the pest grammar in `grammar.pest`.

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::{Ast, Check, Literal, Op, Operand, Rhs, Transformer};
use super::error::{FilterError, FilterErrorKind, token_at};

#[derive(pest_derive::Parser)]
#[grammar = "filter/grammar.pest"]
struct ConditionParser;

/// Deepest parenthesis nesting accepted in one condition. The parser recurses per level, so the
/// bound is checked before parsing: deep input is refused, never a stack overflow.
pub const MAX_PAREN_DEPTH: usize = 128;

const RESERVED: &[&str] = &["and", "or", "not", "val"];

/// Parses a condition.
pub fn parse(text: &str) -> Result<Ast, FilterError> {
    check_depth(text)?;
    let mut pairs =
        ConditionParser::parse(Rule::condition, text).map_err(|e| syntax_error(text, e))?;
    let cond = pairs.next().expect("condition");
    let or = cond.into_inner().next().expect("or_expr");
    build_or(text, or)
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
        Rule::operand | Rule::field | Rule::name | Rule::transformer => "a field",
        Rule::kw_and | Rule::kw_or => "'and', 'or'",
        Rule::kw_not => "'not'",
        Rule::unary_op | Rule::list_op | Rule::cmp_op => "an operator",
        Rule::rhs | Rule::val_call | Rule::quoted | Rule::bare | Rule::kw_val => "a value",
        Rule::list => "a list",
        Rule::list_bare => "a list item",
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
    expected.dedup();
    let mut seen = Vec::new();
    expected.retain(|x| {
        let new = !seen.contains(x);
        seen.push(x);
        new
    });
    let token = token_at(text, pos);
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

fn build_or(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut items = Vec::new();
    for c in p.into_inner() {
        if c.as_rule() == Rule::and_expr {
            items.push(build_and(text, c)?);
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
        if c.as_rule() == Rule::not_expr {
            items.push(build_not(text, c)?);
        }
    }
    Ok(if items.len() == 1 {
        items.pop().expect("one")
    } else {
        Ast::And(items)
    })
}

fn build_not(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut nots = 0usize;
    let mut inner = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::kw_not => nots += 1,
            Rule::paren => {
                inner = Some(build_or(text, c.into_inner().next().expect("or_expr"))?);
            }
            Rule::check => inner = Some(build_check(text, c)?),
            _ => {}
        }
    }
    let mut ast = inner.expect("primary");
    // `not not x` is `x`: collapsing keeps a long chain of nots from nesting the tree.
    for _ in 0..nots % 2 {
        ast = Ast::Not(Box::new(ast));
    }
    Ok(ast)
}

fn build_operand(p: Pair<'_, Rule>) -> Operand {
    let pos = p.as_span().start();
    let mut it = p.into_inner();
    let first = it.next().expect("operand content");
    match first.as_rule() {
        Rule::transformer => {
            let kind = Transformer::parse(first.as_str()).expect("grammar names transformers");
            let inner = build_operand(it.next().expect("inner operand"));
            Operand::Transform {
                kind,
                inner: Box::new(inner),
                pos,
            }
        }
        _ => {
            let mut fi = first.into_inner();
            let name = fi.next().expect("name").as_str().to_string();
            let arg = fi.next().map(|a| {
                let s = a.as_str();
                s[1..s.len() - 1].to_string()
            });
            Operand::Field { name, arg, pos }
        }
    }
}

/// Removes quotes and resolves escapes: `\"`, `\'`, `\\`, `\n`, `\t`, `\r`; other backslashes stay.
fn unquote(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn literal(p: Pair<'_, Rule>) -> Literal {
    let pos = p.as_span().start();
    match p.as_rule() {
        Rule::quoted => Literal {
            text: unquote(p.into_inner().next().map_or("", |i| i.as_str())),
            quoted: true,
            pos,
        },
        _ => Literal {
            text: p.as_str().to_string(),
            quoted: false,
            pos,
        },
    }
}

fn build_check(text: &str, p: Pair<'_, Rule>) -> Result<Ast, FilterError> {
    let mut it = p.into_inner();
    let lhs = build_operand(it.next().expect("operand"));
    let Some(op_pair) = it.next() else {
        // No operator: a macro reference, if it is a plain name.
        return match &lhs {
            Operand::Field {
                name,
                arg: None,
                pos,
            } if RESERVED.contains(&name.as_str()) => Err(FilterError::new(
                FilterErrorKind::Reserved(name.clone()),
                *pos,
                name.clone(),
            )),
            Operand::Field {
                name,
                arg: None,
                pos,
            } => Ok(Ast::Macro {
                name: name.clone(),
                pos: *pos,
            }),
            other => Err(FilterError::new(
                FilterErrorKind::MissingOperator(other.text()),
                other.pos() + other.text().len(),
                token_at(text, other.pos() + other.text().len()),
            )),
        };
    };
    let op_pos = op_pair.as_span().start();
    let op = Op::parse(op_pair.as_str()).expect("grammar names operators");
    let rhs = match it.next() {
        None => Rhs::None,
        Some(r) if r.as_rule() == Rule::list => Rhs::List(r.into_inner().map(literal).collect()),
        Some(r) => {
            let v = r.into_inner().next().expect("rhs content");
            match v.as_rule() {
                Rule::val_call => {
                    Rhs::Field(build_operand(v.into_inner().nth(1).expect("val operand")))
                }
                _ => Rhs::Value(literal(v)),
            }
        }
    };
    Ok(Ast::Check(Check {
        lhs,
        op,
        op_pos,
        rhs,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> FilterError {
        parse(s).unwrap_err()
    }

    #[test]
    fn precedence() {
        let a = parse("a or b and not c").unwrap();
        let Ast::Or(v) = a else { panic!() };
        assert_eq!(v.len(), 2);
        assert!(matches!(&v[1], Ast::And(x) if matches!(x[1], Ast::Not(_))));
    }

    #[test]
    fn checks_and_lists() {
        let a = parse("proc.name in (bash, 'sh', \"a b\",) and fd.name pmatch (/etc)").unwrap();
        let Ast::And(v) = a else { panic!() };
        let Ast::Check(c) = &v[0] else { panic!() };
        assert_eq!(c.op, Op::In);
        let Rhs::List(items) = &c.rhs else { panic!() };
        let t: Vec<_> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(t, ["bash", "sh", "a b"]);
        assert!(items[1].quoted && !items[0].quoted);
    }

    #[test]
    fn fields_with_args_and_transformers() {
        let a = parse("tolower(proc.aname[2]) = val(proc.name) and evt.arg[0] exists").unwrap();
        let Ast::And(v) = a else { panic!() };
        let Ast::Check(c) = &v[0] else { panic!() };
        assert_eq!(c.lhs.text(), "tolower(proc.aname[2])");
        assert!(matches!(&c.rhs, Rhs::Field(Operand::Field { name, .. }) if name == "proc.name"));
    }

    #[test]
    fn escapes() {
        let Ast::Check(c) = parse(r#"proc.cmdline = "a \"q\" \\ b""#).unwrap() else {
            panic!()
        };
        assert_eq!(
            c.rhs,
            Rhs::Value(Literal {
                text: r#"a "q" \ b"#.into(),
                quoted: true,
                pos: 15
            })
        );
    }

    #[test]
    fn keywords_need_word_boundaries() {
        assert!(matches!(parse("android").unwrap(), Ast::Macro { .. }));
        assert!(matches!(parse("not(a)").unwrap(), Ast::Not(_)));
        assert_eq!(err("and").kind, FilterErrorKind::Reserved("and".into()));
    }

    #[test]
    fn errors_point_at_the_token() {
        let cases = [
            (
                "proc.name = bash and",
                "unexpected end of condition, expected a condition",
                20,
                "",
            ),
            (
                "(proc.name = bash",
                "unbalanced parentheses: '(' is never closed",
                0,
                "(",
            ),
            (
                "proc.name = bash)",
                "unbalanced parentheses: ')' has no matching '('",
                16,
                ")",
            ),
            (
                "proc.name in bash",
                "unexpected 'bash', expected a list",
                13,
                "bash",
            ),
            (
                "proc.name bash",
                "unexpected 'bash', expected end of condition or 'and', 'or' or an operator",
                10,
                "bash",
            ),
            ("= bash", "unexpected '=', expected a condition", 0, "="),
            (
                "proc.name = (a)",
                "unexpected '(', expected a value",
                12,
                "(",
            ),
            ("tolower(x)", "field 'tolower(x)' needs an operator", 10, ""),
            (
                "",
                "unexpected end of condition, expected a condition",
                0,
                "",
            ),
        ];
        for (c, msg, pos, tok) in cases {
            let e = err(c);
            assert_eq!(
                (e.kind.to_string().as_str(), e.pos, e.token.as_str()),
                (msg, pos, tok),
                "{c}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&s).kind, FilterErrorKind::TooDeep(MAX_PAREN_DEPTH));
        let ok = format!(
            "{}a{}",
            "(".repeat(MAX_PAREN_DEPTH),
            ")".repeat(MAX_PAREN_DEPTH)
        );
        assert!(parse(&ok).is_ok());
        let nots = format!("{}a", "not ".repeat(100_000));
        assert!(parse(&nots).is_ok());
    }
}
