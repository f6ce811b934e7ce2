//! The table of every field: name, type, argument form and description.

/// The type of a field's value; it decides which operators a condition may use on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    /// An absolute filesystem path (string operators, plus glob-friendly semantics).
    AbsPath,
    Int64,
    Uint64,
    Bool,
    IpAddr,
    IpNet,
    Port,
    Bytes,
    RelTime,
    AbsTime,
    Double,
    /// Raw event argument: its type depends on the event (evt.rawarg).
    Dynamic,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::AbsPath => "abspath",
            FieldType::Int64 => "int64",
            FieldType::Uint64 => "uint64",
            FieldType::Bool => "bool",
            FieldType::IpAddr => "ipaddr",
            FieldType::IpNet => "ipnet",
            FieldType::Port => "port",
            FieldType::Bytes => "bytes",
            FieldType::RelTime => "reltime",
            FieldType::AbsTime => "abstime",
            FieldType::Double => "double",
            FieldType::Dynamic => "dynamic",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Int64
                | FieldType::Uint64
                | FieldType::Port
                | FieldType::RelTime
                | FieldType::AbsTime
                | FieldType::Double
        )
    }

    pub fn is_stringy(self) -> bool {
        matches!(self, FieldType::String | FieldType::AbsPath)
    }
}

/// libs' type of a field (`PT_*`), as `falco --list -v` prints it. [`FieldType`] is the operator
/// class derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PType {
    Charbuf,
    Int16,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Bool,
    Ipaddr,
    Ipnet,
    Port,
    Bytebuf,
    Reltime,
    Abstime,
    Double,
    Dynamic,
}

impl PType {
    pub const fn name(self) -> &'static str {
        match self {
            PType::Charbuf => "CHARBUF",
            PType::Int16 => "INT16",
            PType::Int32 => "INT32",
            PType::Int64 => "INT64",
            PType::Uint32 => "UINT32",
            PType::Uint64 => "UINT64",
            PType::Bool => "BOOL",
            PType::Ipaddr => "IPADDR",
            PType::Ipnet => "IPNET",
            PType::Port => "PORT",
            PType::Bytebuf => "BYTEBUF",
            PType::Reltime => "RELTIME",
            PType::Abstime => "ABSTIME",
            PType::Double => "DOUBLE",
            PType::Dynamic => "DYNAMIC",
        }
    }

    pub const fn field_type(self) -> FieldType {
        match self {
            PType::Charbuf => FieldType::String,
            PType::Int16 | PType::Int32 | PType::Int64 => FieldType::Int64,
            PType::Uint32 | PType::Uint64 => FieldType::Uint64,
            PType::Bool => FieldType::Bool,
            PType::Ipaddr => FieldType::IpAddr,
            PType::Ipnet => FieldType::IpNet,
            PType::Port => FieldType::Port,
            PType::Bytebuf => FieldType::Bytes,
            PType::Reltime => FieldType::RelTime,
            PType::Abstime => FieldType::AbsTime,
            PType::Double => FieldType::Double,
            PType::Dynamic => FieldType::Dynamic,
        }
    }
}

/// libs' field flags (`EPF_*`) that falco keeps.
pub mod flags {
    /// Usable in conditions only, not in outputs.
    pub const FILTER_ONLY: u16 = 1;
    /// Usable in outputs only.
    pub const PRINT_ONLY: u16 = 1 << 1;
    /// Left out of `--list` (meant for tables).
    pub const TABLE_ONLY: u16 = 1 << 2;
    /// Left out of `--list`; still accepted.
    pub const DEPRECATED: u16 = 1 << 3;
    /// Cannot be the right-hand side of a field comparison.
    pub const NO_RHS: u16 = 1 << 4;
    /// Takes no transformer.
    pub const NO_TRANSFORMER: u16 = 1 << 5;
    /// Has several values.
    pub const IS_LIST: u16 = 1 << 6;
}

/// The argument a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// Required, a name or an index (`evt.arg.fd`, `evt.arg[0]`, `container.mount[0]`).
    Required,
    /// Required, a name (`thread.cgroup.cpuset`, `container.label.app`): digits stay a name.
    RequiredName,
    /// A name or an index, optional (`proc.aenv[1]`, `proc.aenv[HOME]`).
    NameOrIndex,
    /// An index, required (`evt.around[TS]`).
    Index,
    /// An index, optional (`proc.aname` = any ancestor, `proc.aname[2]` = the grandparent).
    IndexOptional,
    /// A name, optional (`evt.abspath.src`, `proc.env[HOME]`).
    NameOptional,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub id: FieldId,
    pub name: &'static str,
    /// The field class `--list` groups it under (`evt`, `process`, `fd`, `container`...).
    pub class: &'static str,
    pub ptype: PType,
    pub ftype: FieldType,
    /// [`flags`] bits.
    pub flags: u16,
    pub arg: ArgKind,
    /// Usable in conditions only, not in outputs (libs' FILTER_ONLY).
    pub filter_only: bool,
    pub desc: &'static str,
}

impl FieldDef {
    /// Whether `falco --list` shows the field (as Falco: not table-only, print-only or deprecated).
    pub fn is_listed(&self) -> bool {
        self.flags & (flags::TABLE_ONLY | flags::PRINT_ONLY | flags::DEPRECATED) == 0
    }
}

pub use super::table::{FIELDS, FieldId};

/// Which extractor serves a field, computed once for every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldClass {
    Evt,
    Proc,
    Fd,
    Fdlist,
    FsPath,
    User,
    Container,
}

pub fn class_of(id: FieldId) -> FieldClass {
    static CLASSES: std::sync::OnceLock<Vec<FieldClass>> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        FIELDS
            .iter()
            .map(|f| match f.class {
                "evt" => FieldClass::Evt,
                "process" => FieldClass::Proc,
                "fd" => FieldClass::Fd,
                "fdlist" => FieldClass::Fdlist,
                "fs.path" => FieldClass::FsPath,
                "user" | "group" => FieldClass::User,
                _ => FieldClass::Container,
            })
            .collect()
    })[id as usize]
}

/// The field named exactly `name`.
pub fn lookup(name: &str) -> Option<FieldId> {
    FIELDS.iter().find(|f| f.name == name).map(|f| f.id)
}

/// Splits `evt.arg.fd` into (`evt.arg`, `fd`) for fields that take a dotted argument.
pub fn split_dotted(name: &str) -> Option<(FieldId, &str)> {
    for prefix in [
        "evt.arg",
        "evt.rawarg",
        "thread.cgroup",
        "evt.abspath",
        "proc.env",
        "evt.type.is",
        "container.label",
        "k8s.pod.label",
        "k8s.rc.label",
        "k8s.svc.label",
        "k8s.ns.label",
        "k8s.rs.label",
        "k8s.deployment.label",
    ] {
        if let Some(rest) = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('.'))
            && !rest.is_empty()
        {
            return lookup(prefix).map(|id| (id, rest));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_table() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.id as usize, i, "{}", f.name);
        }
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len(), "duplicate field name");
    }
}
