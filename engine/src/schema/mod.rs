//! The event schema: for every event type, its name, direction, category, flags and typed parameters.
//!
//! The numbering and parameter layouts follow the scap event table of sysdig and Falco (libs
//! `driver/event_table.c`), so captures written by those tools decode here and the other way round.
//! The tables themselves live in [`table`] (events) and [`flags`] (flag and enum names).

pub mod flags;
pub mod syscalls;
pub mod table;

pub use crate::abi::event_category as ec;
pub use crate::abi::event_flags as ef;
pub use crate::abi::event_id as ev;
pub use crate::abi::param_type as pt;
pub use crate::abi::print_fmt as pf;

/// A named value of a flags or enum parameter (`ppm_name_value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagName {
    pub name: &'static str,
    pub value: u32,
}

/// What a parameter's `info` refers to.
#[derive(Debug, Clone, Copy)]
pub enum ParamExtra {
    None,
    /// Names for a PT_FLAGS*/PT_ENUMFLAGS*/PT_MODE parameter, in table order.
    Flags(&'static [FlagName]),
    /// A PT_DYN parameter: the first byte of the value indexes this table of possible types.
    Dyn(&'static [ParamInfo]),
    /// A PT_FSRELPATH parameter: the index of the parameter holding the directory fd.
    DirFd(u8),
}

/// One parameter of an event type (`ppm_param_info`).
#[derive(Debug, Clone, Copy)]
pub struct ParamInfo {
    pub name: &'static str,
    /// `pt::PT_*`.
    pub ptype: u8,
    /// `pf::PF_*`.
    pub fmt: u8,
    pub extra: ParamExtra,
}

/// One event type (`ppm_event_info`).
#[derive(Debug, Clone, Copy)]
pub struct EventInfo {
    pub name: &'static str,
    /// `ec::EC_*` (enumerated low bits plus flag bits).
    pub category: u32,
    /// `ef::EF_*`.
    pub flags: u32,
    pub params: &'static [ParamInfo],
}

/// Number of event types known to this build (`PPM_EVENT_MAX`).
pub const EVENT_COUNT: usize = table::EVENTS.len();

/// Direction of an event: enter (even ids) or exit (odd ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Enter,
    Exit,
}

impl Direction {
    pub fn of(event_type: u16) -> Direction {
        if event_type & 1 == 0 {
            Direction::Enter
        } else {
            Direction::Exit
        }
    }
    /// sysdig's rendering: `>` for enter, `<` for exit.
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::Enter => ">",
            Direction::Exit => "<",
        }
    }
}

/// The schema entry of an event type, if this build knows it.
#[inline]
pub fn info(event_type: u16) -> Option<&'static EventInfo> {
    table::EVENTS.get(event_type as usize)
}

/// True for the event types whose parameter lengths are u32 (EF_LARGE_PAYLOAD).
#[inline]
pub fn is_large_payload(event_type: u16) -> bool {
    info(event_type).is_some_and(|i| i.flags & ef::EF_LARGE_PAYLOAD != 0)
}

pub use syscalls::syscall_name;
