//! Capture files in the scap format of sysdig and Falco: a pcapng-like sequence of little-endian blocks,
//! usually gzip-compressed. [`reader`] streams them, [`writer`] writes the current format (1.2).
//!
//! Block layout: `u32 type, u32 total_len, body (padded to 4 bytes), u32 total_len`.

mod ahead;
pub mod blocks;
pub mod copy;
mod cursor;
pub mod error;
pub mod reader;
pub mod snapshot;
pub mod writer;

pub use blocks::{FdEntry, FdKind, GroupEntry, Interface, MachineInfo, ProcEntry, UserEntry};
pub use cursor::trim_nul;
pub use error::ScapError;
pub use reader::{Item, Reading, ScapReader};
pub use writer::ScapWriter;

/// Block type ids.
pub mod block_type {
    pub const SHB: u32 = 0x0A0D_0D0A;
    pub const MI: u32 = 0x201;
    pub const MI_INT: u32 = 0x8002_ABCD;
    pub const PL_V1: u32 = 0x202;
    pub const PL_V1_INT: u32 = 0x8000_ABCD;
    pub const PL_V2: u32 = 0x207;
    pub const PL_V2_INT: u32 = 0x8013_ABCD;
    pub const PL_V3: u32 = 0x209;
    pub const PL_V3_INT: u32 = 0x8014_ABCD;
    pub const PL_V4: u32 = 0x210;
    pub const PL_V5: u32 = 0x211;
    pub const PL_V6: u32 = 0x212;
    pub const PL_V7: u32 = 0x213;
    pub const PL_V8: u32 = 0x214;
    pub const PL_V9: u32 = 0x215;
    pub const FDL: u32 = 0x203;
    pub const FDL_INT: u32 = 0x8001_ABCD;
    pub const FDL_V2: u32 = 0x218;
    pub const EV: u32 = 0x204;
    pub const EV_INT: u32 = 0x8010_ABCD;
    pub const EV_V2: u32 = 0x216;
    pub const EV_V2_LARGE: u32 = 0x221;
    pub const EVF: u32 = 0x208;
    pub const EVF_V2: u32 = 0x217;
    pub const EVF_V2_LARGE: u32 = 0x222;
    pub const IL: u32 = 0x205;
    pub const IL_INT: u32 = 0x8011_ABCD;
    pub const IL_V2: u32 = 0x219;
    pub const UL: u32 = 0x206;
    pub const UL_INT: u32 = 0x8012_ABCD;
    pub const UL_V2: u32 = 0x220;
}

/// Byte-order magic of the section header block.
pub const SHB_MAGIC: u32 = 0x1A2B_3C4D;
/// The section header version this crate writes; readers reject a major above 1.
pub const SHB_MAJOR: u16 = 1;
pub const SHB_MINOR: u16 = 2;

/// The process-list versions, ordered, so that "version ≥ N" checks read naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlVersion {
    V1 = 1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
}

impl PlVersion {
    pub fn of(block: u32) -> Option<PlVersion> {
        use block_type::*;
        Some(match block {
            PL_V1 | PL_V1_INT => PlVersion::V1,
            PL_V2 | PL_V2_INT => PlVersion::V2,
            PL_V3 | PL_V3_INT => PlVersion::V3,
            PL_V4 => PlVersion::V4,
            PL_V5 => PlVersion::V5,
            PL_V6 => PlVersion::V6,
            PL_V7 => PlVersion::V7,
            PL_V8 => PlVersion::V8,
            PL_V9 => PlVersion::V9,
            _ => return None,
        })
    }
}
