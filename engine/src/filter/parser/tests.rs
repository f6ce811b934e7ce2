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
    let a = parse("proc.name in (bash, 'sh', \"a b\") and fd.name pmatch (/etc)").unwrap();
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
    assert!(matches!(
        &c.rhs,
        Rhs::Operand(Operand::Transform {
            kind: Transformer::Val,
            ..
        })
    ));
    let a = parse("concat(proc.name, \"-\", user.name) = \"a-b\"").unwrap();
    let Ast::Check(c) = a else { panic!() };
    assert_eq!(c.lhs.text(), "concat(proc.name, \"-\", user.name)");
    let a = parse("proc.env[\"HOME\"] = /root").unwrap();
    let Ast::Check(c) = a else { panic!() };
    assert_eq!(c.lhs.text(), "proc.env[HOME]");
}

#[test]
fn escapes_as_libsinsp() {
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
    assert!(
        err(r#"proc.cmdline = "a\d""#)
            .to_string()
            .contains("escape")
    );
    assert!(
        err(r#"proc.cmdline = 'a\"'"#)
            .to_string()
            .contains("escape")
    );
}

#[test]
fn modifiers() {
    let Ast::Check(c) = parse("proc.name startswith anyof (ba, zs)").unwrap() else {
        panic!()
    };
    assert_eq!((c.op, c.modifier), (Op::Startswith, Some(Modifier::Anyof)));
    assert!(matches!(&c.rhs, Rhs::List(v) if v.len() == 2));
    // Not a modifier: a value named like one.
    let Ast::And(v) = parse("proc.name = oneof and x").unwrap() else {
        panic!()
    };
    let Ast::Check(c) = &v[0] else { panic!() };
    assert_eq!(c.modifier, None);
    assert!(matches!(&c.rhs, Rhs::Value(l) if l.text == "oneof"));
}

#[test]
fn blanks_where_libsinsp_needs_them() {
    assert!(matches!(parse("android").unwrap(), Ast::Macro { .. }));
    assert!(matches!(parse("not(a)").unwrap(), Ast::Not(_)));
    assert!(matches!(parse("a and(b)").unwrap(), Ast::And(_)));
    assert!(matches!(parse("proc.name=bash").unwrap(), Ast::Check(_)));
    assert!(matches!(parse("proc.name in(a,b)").unwrap(), Ast::Check(_)));
    assert!(parse("proc.name containsx").is_err());
    assert!(parse("tolower (proc.name) = a").is_err());
    assert!(parse("proc.name in (a,)").is_err());
    assert!(parse("proc.name = a=b").is_err());
    // A single identifier after a list operator is a one-item list.
    let Ast::Check(c) = parse("proc.name in bash").unwrap() else {
        panic!()
    };
    assert!(matches!(&c.rhs, Rhs::Value(l) if l.text == "bash"));
}

#[test]
fn errors_point_at_the_token() {
    let cases = [
        ("proc.name = bash and", 20, ""),
        ("(proc.name = bash", 0, "("),
        ("proc.name = bash)", 16, ")"),
        ("proc.name bash", 10, "bash"),
        ("= bash", 0, "="),
        ("", 0, ""),
    ];
    for (c, pos, tok) in cases {
        let e = err(c);
        assert_eq!((e.pos, e.token.as_str()), (pos, tok), "{c}: {e}");
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

#[test]
fn plain_messages_for_what_does_not_exist() {
    let e = err("tolowr(proc.name) = bash");
    assert!(
        e.to_string().starts_with("unknown transformer 'tolowr'"),
        "{e}"
    );
    assert_eq!(e.pos, 0);
    let e = err("proc.name = tolowr(proc.pname)");
    assert!(
        e.to_string().starts_with("unknown transformer 'tolowr'"),
        "{e}"
    );
    let e = err("proc.name equals bash");
    assert!(
        e.to_string().starts_with("unknown operator 'equals'"),
        "{e}"
    );
    assert_eq!(e.pos, 10);
    let e = err("proc.name = bash and");
    assert_eq!((e.pos, e.token.as_str()), (20, ""), "{e}");
    assert!(e.to_string().contains("after 'and'"), "{e}");
}
