//! The parsed form of a condition, before fields, macros and lists are resolved. Every node keeps
//! the byte offset of its first token so errors can point at it.

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    And(Vec<Ast>),
    Or(Vec<Ast>),
    Not(Box<Ast>),
    /// A bare name with no operator: a macro reference.
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
    pub op_pos: usize,
    pub rhs: Rhs,
}

/// A field, possibly wrapped in transformers: `tolower(proc.name)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Field {
        name: String,
        arg: Option<String>,
        pos: usize,
    },
    Transform {
        kind: Transformer,
        inner: Box<Operand>,
        pos: usize,
    },
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
            Operand::Transform { kind, inner, .. } => format!("{}({})", kind.name(), inner.text()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transformer {
    Tolower,
    Toupper,
    B64,
    Basename,
    Len,
}

impl Transformer {
    pub fn parse(s: &str) -> Option<Transformer> {
        Some(match s {
            "tolower" => Transformer::Tolower,
            "toupper" => Transformer::Toupper,
            "b64" => Transformer::B64,
            "basename" => Transformer::Basename,
            "len" => Transformer::Len,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Transformer::Tolower => "tolower",
            Transformer::Toupper => "toupper",
            Transformer::B64 => "b64",
            Transformer::Basename => "basename",
            Transformer::Len => "len",
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
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "contains" => Op::Contains,
            "icontains" => Op::Icontains,
            "bcontains" => Op::Bcontains,
            "startswith" => Op::Startswith,
            "bstartswith" => Op::Bstartswith,
            "endswith" => Op::Endswith,
            "glob" => Op::Glob,
            "iglob" => Op::Iglob,
            "regex" => Op::Regex,
            "in" => Op::In,
            "intersects" => Op::Intersects,
            "pmatch" => Op::Pmatch,
            "exists" => Op::Exists,
            _ => return None,
        })
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
    Value(Literal),
    List(Vec<Literal>),
    /// `val(field)`: another field of the same event.
    Field(Operand),
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

    /// Calls `f` with every macro reference (name, offset).
    pub fn visit_macros(&self, f: &mut dyn FnMut(&str, usize)) {
        match self {
            Ast::And(v) | Ast::Or(v) => v.iter().for_each(|a| a.visit_macros(f)),
            Ast::Not(a) => a.visit_macros(f),
            Ast::Macro { name, pos } => f(name, *pos),
            Ast::Check(_) => {}
        }
    }

    /// Calls `f` with every unquoted list item (candidates for list references).
    pub fn visit_list_items(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Ast::And(v) | Ast::Or(v) => v.iter().for_each(|a| a.visit_list_items(f)),
            Ast::Not(a) => a.visit_list_items(f),
            Ast::Macro { .. } => {}
            Ast::Check(c) => {
                if let Rhs::List(items) = &c.rhs {
                    for i in items.iter().filter(|i| !i.quoted) {
                        f(&i.text);
                    }
                }
            }
        }
    }
}
