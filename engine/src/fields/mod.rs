//! Fields: the named values of an event and its context (`evt.type`, `proc.name`, `fd.name`...) that
//! conditions compare and outputs print. Values are borrowed from the event buffer or the state tables
//! wherever possible; only composite fields (`proc.cmdline`, `evt.args`) build a string.
//!
//! Every field is listed in [`registry::FIELDS`] with its type and description; docs/fields.md is
//! generated from that table.

mod container;
mod evt;
pub use evt::value_on_enter;
mod evt_args;
mod fd;
mod fdlist;
mod fspath;
mod lineage;
mod proc;
pub mod registry;
mod table;
mod user;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::IpAddr;

use crate::event::Event;
use crate::state::parser::EventCtx;
use crate::state::{FdInfo, State, ThreadInfo};

pub use registry::{ArgKind, FIELDS, FieldDef, FieldId, FieldType, PType};

/// A field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Uint(u64),
    Bool(bool),
    Ip(IpAddr),
    Bytes(Cow<'a, [u8]>),
    Double(f64),
}

impl Value<'_> {
    /// Renders the value as sysdig prints it in `-p` outputs.
    pub fn render(&self, out: &mut String) {
        match self {
            Value::Str(s) => out.push_str(s),
            Value::Int(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Value::Uint(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Ip(ip) => {
                let _ = write!(out, "{ip}");
            }
            Value::Bytes(b) => crate::render::push_buffer(out, b, usize::MAX),
            // libs prints doubles with one decimal.
            Value::Double(d) => {
                let _ = write!(out, "{d:.1}");
            }
        }
    }

    pub fn to_text(&self) -> String {
        let mut s = String::new();
        self.render(&mut s);
        s
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Numeric view (bools are 0/1), for comparisons.
    pub fn as_i128(&self) -> Option<i128> {
        match self {
            Value::Int(v) => Some(*v as i128),
            Value::Uint(v) => Some(*v as i128),
            Value::Bool(b) => Some(*b as i128),
            Value::Double(d) => Some(*d as i128),
            _ => None,
        }
    }

    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Bytes(b) => Value::Bytes(Cow::Owned(b.into_owned())),
            Value::Int(v) => Value::Int(v),
            Value::Uint(v) => Value::Uint(v),
            Value::Bool(v) => Value::Bool(v),
            Value::Ip(v) => Value::Ip(v),
            Value::Double(v) => Value::Double(v),
        }
    }
}

/// Everything field extraction may look at for one event. Thread and fd are resolved once.
pub struct Ctx<'a> {
    pub evt: &'a Event<'a>,
    pub state: &'a State,
    pub ectx: EventCtx,
    /// Sequence number of the event in its stream, from 1 (sysdig's evt.num).
    pub num: u64,
    /// Timestamp of the first event of the stream (for evt.reltime).
    pub first_ts: u64,
    /// Timestamp of the previous event (for evt.deltatime).
    pub prev_ts: u64,
    pub thread: Option<&'a ThreadInfo>,
    /// The thread's process leader (itself for a main thread), for process-wide fields.
    pub leader: Option<&'a ThreadInfo>,
    pub fd: Option<&'a FdInfo>,
    pub render: crate::render::RenderOpts,
}

impl<'a> Ctx<'a> {
    pub fn new(evt: &'a Event<'a>, state: &'a State, ectx: EventCtx, num: u64) -> Ctx<'a> {
        let thread = state.thread(evt.tid);
        let leader = thread.map(|t| {
            if t.is_main_thread() {
                t
            } else {
                state.thread(t.pid).unwrap_or(t)
            }
        });
        // As sysdig: the fd the thread last worked on, whether or not its enter event was seen.
        // The leader is the thread that holds the fd table (`ThreadTable::fd_owner`).
        let fd = ectx
            .fd
            .filter(|f| *f != -1)
            .and_then(|f| leader?.fds.get(f));
        Ctx {
            evt,
            state,
            ectx,
            num,
            first_ts: evt.ts,
            prev_ts: evt.ts,
            thread,
            leader,
            fd,
            render: crate::render::RenderOpts::default(),
        }
    }
}

/// Argument of a field: `proc.aname[2]`, `evt.arg.name`, `evt.arg[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldArg {
    Index(i64),
    Name(String),
}

/// A field reference resolved at load time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub id: FieldId,
    pub arg: Option<FieldArg>,
}

/// A function that extracts a field's value ([`Field::extractor`]).
pub type Extractor = for<'a> fn(&Field, &Ctx<'a>) -> Option<Value<'a>>;

/// Why a field reference is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("unknown field '{0}'")]
    Unknown(String),
    #[error("field '{0}' requires an argument")]
    MissingArg(String),
    #[error("field '{0}' does not take an argument")]
    UnexpectedArg(String),
    #[error("invalid argument '{arg}' for field '{field}'")]
    BadArg { field: String, arg: String },
}

impl Field {
    /// Resolves `name` with its optional bracket argument. `evt.arg.NAME`-style dotted arguments are
    /// accepted in `name` itself.
    pub fn parse(name: &str, arg: Option<&str>) -> Result<Field, FieldError> {
        let (def_name, dotted) = match registry::lookup(name) {
            Some(d) => (d, None),
            None => {
                // `evt.arg.fd`, `evt.rawarg.res`, `proc.aname` with dotted suffix forms.
                let (prefix, rest) =
                    registry::split_dotted(name).ok_or_else(|| FieldError::Unknown(name.into()))?;
                (prefix, Some(rest))
            }
        };
        let def = &FIELDS[def_name as usize];
        let arg = match (dotted, arg) {
            (Some(d), None) => Some(d.to_string()),
            (Some(_), Some(_)) => return Err(FieldError::UnexpectedArg(name.into())),
            (None, a) => a.map(str::to_string),
        };
        let bad = |a: &str| FieldError::BadArg {
            field: name.into(),
            arg: a.to_string(),
        };
        let arg = match (def.arg, arg) {
            (ArgKind::None, Some(_)) => return Err(FieldError::UnexpectedArg(name.into())),
            (ArgKind::Required | ArgKind::RequiredName | ArgKind::Index, None) => {
                return Err(FieldError::MissingArg(name.into()));
            }
            (ArgKind::Index | ArgKind::IndexOptional, Some(a)) => {
                Some(FieldArg::Index(a.trim().parse().map_err(|_| bad(&a))?))
            }
            (ArgKind::RequiredName | ArgKind::NameOptional, Some(a)) => {
                Some(FieldArg::Name(a.trim().to_string()))
            }
            (ArgKind::Required | ArgKind::NameOrIndex, Some(a)) => {
                Some(match a.trim().parse::<i64>() {
                    Ok(i) => FieldArg::Index(i),
                    _ => FieldArg::Name(a.trim().to_string()),
                })
            }
            (_, None) => None,
        };
        Ok(Field { id: def_name, arg })
    }

    pub fn def(&self) -> &'static FieldDef {
        &FIELDS[self.id as usize]
    }

    /// The field's name as written, with its argument (`proc.aname[2]`, `evt.arg.fd`).
    pub fn display_name(&self) -> String {
        let base = self.def().name;
        match &self.arg {
            None => base.to_string(),
            Some(FieldArg::Index(i)) => format!("{base}[{i}]"),
            Some(FieldArg::Name(n)) if base.starts_with("evt.") => format!("{base}.{n}"),
            Some(FieldArg::Name(n)) => format!("{base}[{n}]"),
        }
    }

    pub fn ftype(&self) -> FieldType {
        self.def().ftype
    }

    /// What extracts this field: for the fields that rules test most (on every open: `fd.name`,
    /// `fd.directory`, `fd.typechar`, `evt.is_open_*`, `proc.name`...) a function of their own,
    /// which a compiled check calls without [`Field::extract`]'s dispatch by class and by field;
    /// for the others, [`Field::extract`]. Either gives [`Field::extract`]'s value (tested below).
    pub fn extractor(&self) -> Extractor {
        match (self.id, &self.arg) {
            (FieldId::FdName, None) => fd::name,
            (FieldId::FdDirectory, None) => fd::directory,
            (FieldId::FdTypechar, None) => fd::typechar,
            (FieldId::ProcName, None) => proc::name,
            (FieldId::ProcExe, None) => proc::exe,
            (FieldId::ProcPname, None) => proc::pname,
            (
                FieldId::EvtIsOpenRead
                | FieldId::EvtIsOpenWrite
                | FieldId::EvtIsOpenExec
                | FieldId::EvtIsOpenCreate,
                None,
            ) => evt::open_kind,
            _ => Field::extract,
        }
    }

    /// Extracts the value for this event, None when the field does not apply (sysdig's `<NA>`).
    pub fn extract<'a>(&self, ctx: &Ctx<'a>) -> Option<Value<'a>> {
        match registry::class_of(self.id) {
            registry::FieldClass::Evt => evt::extract(self, ctx),
            registry::FieldClass::Proc => proc::extract(self, ctx),
            registry::FieldClass::Fd => fd::extract(self, ctx),
            registry::FieldClass::Fdlist => fdlist::extract(self, ctx),
            registry::FieldClass::FsPath => fspath::extract(self, ctx),
            registry::FieldClass::User => user::extract(self, ctx),
            registry::FieldClass::Container => container::extract(self, ctx),
        }
    }

    /// True for the fields [`Field::any_value`] gives several values: ancestors without an index,
    /// and the fields that stand for both ends of a connection.
    #[inline]
    pub fn is_multi_valued(&self) -> bool {
        match self.id {
            FieldId::ProcAname
            | FieldId::ProcApid
            | FieldId::ProcAexe
            | FieldId::ProcAexepath
            | FieldId::ProcAcmdline => self.arg.is_none(),
            FieldId::FdIp | FieldId::FdNet | FieldId::FdPort | FieldId::FdProto => true,
            FieldId::FdTypes => self.arg.is_none(),
            _ => false,
        }
    }

    /// Calls `f` with every value of a multi-valued field (`proc.aname` / `proc.apid` without index:
    /// all ancestors), or with the single value. Stops early when `f` returns true; returns whether
    /// it did.
    pub fn any_value<'a>(&self, ctx: &Ctx<'a>, f: &mut dyn FnMut(&Value<'a>) -> bool) -> bool {
        if self.arg.is_none()
            && matches!(
                self.id,
                FieldId::ProcAname
                    | FieldId::ProcApid
                    | FieldId::ProcAexe
                    | FieldId::ProcAexepath
                    | FieldId::ProcAcmdline
            )
        {
            return proc::any_ancestor(self.id, ctx, f);
        }
        // fd.ip / fd.port / fd.net match either end of the connection.
        let pair = match self.id {
            FieldId::FdIp | FieldId::FdNet => Some((FieldId::FdCip, FieldId::FdSip)),
            FieldId::FdPort | FieldId::FdProto => Some((FieldId::FdCport, FieldId::FdSport)),
            FieldId::FdTypes if self.arg.is_none() => return fd::any_fd_type(ctx, f),
            _ => None,
        };
        if let Some((a, b)) = pair {
            for id in [a, b] {
                let sub = Field { id, arg: None };
                if let Some(v) = sub.extract(ctx)
                    && f(&v)
                {
                    return true;
                }
            }
            return false;
        }
        match self.extract(ctx) {
            Some(v) => f(&v),
            None => false,
        }
    }
}

/// Renders a field as an output does: the value, or `<NA>` when missing. Composite fields are written
/// straight into `out`, without an intermediate string.
pub fn render_field(out: &mut String, field: &Field, ctx: &Ctx<'_>) -> bool {
    match field.id {
        FieldId::EvtArgs | FieldId::EvtInfo => {
            crate::render::render_args(out, ctx.evt, ctx.state, &ctx.render);
            return true;
        }
        FieldId::EvtTime => {
            evt::push_time(out, ctx.evt.ts, false);
            return true;
        }
        FieldId::EvtDatetime => {
            evt::push_time(out, ctx.evt.ts, true);
            return true;
        }
        FieldId::ProcCmdline => {
            if let Some(t) = ctx.thread {
                out.push_str(&t.comm);
                for a in &t.args {
                    out.push(' ');
                    out.push_str(a);
                }
                return true;
            }
        }
        _ => {}
    }
    match field.extract(ctx) {
        // libs prints these nanosecond parts zero-padded to 9 digits.
        Some(Value::Uint(v))
            if matches!(
                field.id,
                FieldId::EvtRawtimeNs
                    | FieldId::EvtReltime
                    | FieldId::EvtReltimeNs
                    | FieldId::EvtLatencyNs
                    | FieldId::EvtDeltatimeNs
            ) =>
        {
            let _ = write!(out, "{v:09}");
            true
        }
        Some(v) => {
            v.render(out);
            true
        }
        None => {
            out.push_str("<NA>");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspector::Inspector;
    use std::path::Path;

    #[test]
    fn every_extractor_gives_what_extract_gives_on_every_event_of_the_shipped_traces() {
        let fields: Vec<Field> = registry::FIELDS
            .iter()
            .filter(|d| matches!(d.arg, registry::ArgKind::None))
            .map(|d| Field {
                id: d.id,
                arg: None,
            })
            .collect();
        let extractors: Vec<Extractor> = fields.iter().map(Field::extractor).collect();
        let traces = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/traces");
        let mut traces: Vec<_> = std::fs::read_dir(traces)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "scap"))
            .collect();
        traces.sort();
        let mut values = 0;
        for trace in &traces {
            let mut insp = Inspector::open(trace).unwrap();
            while let Some(p) = insp.next().unwrap() {
                let ctx = p.ctx();
                for (f, get) in fields.iter().zip(&extractors) {
                    let v = get(f, &ctx);
                    assert_eq!(
                        v,
                        f.extract(&ctx),
                        "{:?} on event {} of {}",
                        f.id,
                        p.num,
                        trace.display()
                    );
                    values += v.is_some() as usize;
                }
            }
        }
        assert!(values > 1_000_000, "{values} values");
    }
}
