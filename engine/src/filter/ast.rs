//! The parsed form of a condition, before fields and macros are resolved. Every node keeps the
//! byte offset of its first token so errors can point at it.

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    And(Vec<Ast>),
    Or(Vec<Ast>),
    Not(Box<Ast>),
    /// A bare identifier with no operator: a macro reference.
    Macro {
        name: String,
        pos: usize,
    },
    Check(Check),
}

/// `operand op rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub lhs: Operand,
    pub op: Op,
    /// `oneof`, `anyof` or `allof` after a string operator (`startswith anyof (a, b)`).
    pub modifier: Option<Modifier>,
    pub op_pos: usize,
    pub rhs: Rhs,
}

/// A field, or a transformer applied to fields and constants: `tolower(proc.name)`,
/// `concat(proc.name, "-", user.name)`, `val(proc.pname)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Field {
        name: String,
        arg: Option<String>,
        pos: usize,
    },
    Transform {
        kind: Transformer,
        args: Vec<TArg>,
        /// A field argument after the call: `getopt(proc.args, "abc")[a]`.
        arg: Option<String>,
        pos: usize,
    },
}

/// One argument of a transformer.
#[derive(Debug, Clone, PartialEq)]
pub enum TArg {
    Operand(Operand),
    Value(Literal),
    /// A parenthesised list of fields, transformers and constants.
    List(Vec<TArg>),
}

impl Operand {
    pub fn pos(&self) -> usize {
        match self {
            Operand::Field { pos, .. } | Operand::Transform { pos, .. } => *pos,
        }
    }

    /// The operand as written (`tolower(proc.aname[2])`).
    pub fn text(&self) -> String {
        match self {
            Operand::Field {
                name, arg: None, ..
            } => name.clone(),
            Operand::Field {
                name, arg: Some(a), ..
            } => format!("{name}[{a}]"),
            Operand::Transform {
                kind, args, arg, ..
            } => {
                let inner: Vec<String> = args.iter().map(TArg::text).collect();
                let tail = arg.as_ref().map(|a| format!("[{a}]")).unwrap_or_default();
                format!("{}({}){tail}", kind.name(), inner.join(", "))
            }
        }
    }
}

impl TArg {
    pub fn text(&self) -> String {
        match self {
            TArg::Operand(o) => o.text(),
            TArg::Value(l) if l.quoted => format!("{:?}", l.text),
            TArg::Value(l) => l.text.clone(),
            TArg::List(v) => {
                let inner: Vec<String> = v.iter().map(TArg::text).collect();
                format!("({})", inner.join(", "))
            }
        }
    }
}

/// The transformers of libsinsp's filter language (`val` is the identity on a field, used to
/// compare two fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transformer {
    Tolower,
    Toupper,
    B64,
    Basename,
    Len,
    Join,
    Concat,
    Getopt,
    Val,
}

impl Transformer {
    pub const ALL: [Transformer; 9] = [
        Transformer::Tolower,
        Transformer::Toupper,
        Transformer::B64,
        Transformer::Basename,
        Transformer::Len,
        Transformer::Join,
        Transformer::Concat,
        Transformer::Getopt,
        Transformer::Val,
    ];

    pub fn parse(s: &str) -> Option<Transformer> {
        Transformer::ALL.into_iter().find(|t| t.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Transformer::Tolower => "tolower",
            Transformer::Toupper => "toupper",
            Transformer::B64 => "b64",
            Transformer::Basename => "basename",
            Transformer::Len => "len",
            Transformer::Join => "join",
            Transformer::Concat => "concat",
            Transformer::Getopt => "getopt",
            Transformer::Val => "val",
        }
    }
}

/// How a string operator applies to a list: exactly one, at least one, or every item matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    Oneof,
    Anyof,
    Allof,
}

impl Modifier {
    pub fn parse(s: &str) -> Option<Modifier> {
        Some(match s {
            "oneof" => Modifier::Oneof,
            "anyof" => Modifier::Anyof,
            "allof" => Modifier::Allof,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Modifier::Oneof => "oneof",
            Modifier::Anyof => "anyof",
            Modifier::Allof => "allof",
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Icontains,
    Bcontains,
    Startswith,
    Bstartswith,
    Endswith,
    Glob,
    Iglob,
    Regex,
    In,
    Intersects,
    Pmatch,
    Exists,
}

impl Op {
    /// Whether a comparison operator (`= != < <= > >=`) holds for `o`, the ordering of the value
    /// against the operand; false for every other operator.
    pub fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => o == Equal,
            Op::Ne => o != Equal,
            Op::Lt => o == Less,
            Op::Le => o != Greater,
            Op::Gt => o == Greater,
            Op::Ge => o != Less,
            _ => false,
        }
    }

    pub const ALL: [Op; 19] = [
        Op::Eq,
        Op::Ne,
        Op::Lt,
        Op::Le,
        Op::Gt,
        Op::Ge,
        Op::Contains,
        Op::Icontains,
        Op::Bcontains,
        Op::Startswith,
        Op::Bstartswith,
        Op::Endswith,
        Op::Glob,
        Op::Iglob,
        Op::Regex,
        Op::In,
        Op::Intersects,
        Op::Pmatch,
        Op::Exists,
    ];

    pub fn parse(s: &str) -> Option<Op> {
        if s == "==" {
            return Some(Op::Eq);
        }
        Op::ALL.into_iter().find(|o| o.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::Icontains => "icontains",
            Op::Bcontains => "bcontains",
            Op::Startswith => "startswith",
            Op::Bstartswith => "bstartswith",
            Op::Endswith => "endswith",
            Op::Glob => "glob",
            Op::Iglob => "iglob",
            Op::Regex => "regex",
            Op::In => "in",
            Op::Intersects => "intersects",
            Op::Pmatch => "pmatch",
            Op::Exists => "exists",
        }
    }

    /// Operators whose right side is a parenthesised list.
    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Intersects | Op::Pmatch)
    }

    /// The string operators a modifier may follow.
    pub fn takes_modifier(self) -> bool {
        matches!(
            self,
            Op::Eq
                | Op::Ne
                | Op::Contains
                | Op::Icontains
                | Op::Bcontains
                | Op::Startswith
                | Op::Bstartswith
                | Op::Endswith
                | Op::Glob
                | Op::Iglob
                | Op::Regex
        )
    }
}

/// A literal on the right side.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub text: String,
    pub quoted: bool,
    pub pos: usize,
}

/// The right side of a check.
#[derive(Debug, Clone, PartialEq)]
pub enum Rhs {
    None,
    /// A constant (for list operators: a bare identifier, taken as a one-item list).
    Value(Literal),
    List(Vec<Literal>),
    /// `val(field)` or a transformer: a value of the same event.
    Operand(Operand),
}

impl Ast {
    /// Depth of the tree (a leaf is 1).
    pub fn depth(&self) -> usize {
        match self {
            Ast::And(v) | Ast::Or(v) => 1 + v.iter().map(Ast::depth).max().unwrap_or(0),
            Ast::Not(a) => 1 + a.depth(),
            Ast::Macro { .. } | Ast::Check(_) => 1,
        }
    }

    /// Number of nodes in the tree.
    pub fn size(&self) -> usize {
        match self {
            Ast::And(v) | Ast::Or(v) => 1 + v.iter().map(Ast::size).sum::<usize>(),
            Ast::Not(a) => 1 + a.size(),
            Ast::Macro { .. } | Ast::Check(_) => 1,
        }
    }

    /// Calls `f` with every macro reference (name, offset).
    pub fn visit_macros(&self, f: &mut dyn FnMut(&str, usize)) {
        match self {
            Ast::And(v) | Ast::Or(v) => v.iter().for_each(|a| a.visit_macros(f)),
            Ast::Not(a) => a.visit_macros(f),
            Ast::Macro { name, pos } => f(name, *pos),
            Ast::Check(_) => {}
        }
    }
}
