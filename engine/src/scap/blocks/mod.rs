//! Metadata blocks: machine info (MI), process list (PL V1–V9), fd lists (FDL V1/V2), interfaces
//! (IL V1/V2) and users/groups (UL V1/V2). Each has a parser over the block body and an encoder of its
//! current version, used by the writer.
//!
//! The lists are decoded lazily ([`Entries`]): a block of a few hundred MB can hold millions of
//! small entries, and holding them all decoded at once would take many times the block's size.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::cursor::Cursor;
use super::error::ScapError;

mod fd;
mod net;
mod proc;
mod users;

pub use fd::{FdDetail, FdEntry, FdKind};
pub use net::Interface;
pub use proc::ProcEntry;
pub use users::{GroupEntry, UserEntry, UserRecord, encode_group_v2, encode_user_v2, user_entries};

/// Limits of libscap's fixed buffers; longer strings in a file mean corruption.
pub const MAX_PATH: usize = 1024;
pub const MAX_ARGS: usize = 4096;
pub const MAX_ENV: usize = 4096;
pub const MAX_CGROUPS: usize = 4096;
pub const MAX_CREDENTIALS: usize = 256;

/// The machine info block (`scap_machine_info`, packed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachineInfo {
    pub num_cpus: u32,
    pub memory_bytes: u64,
    pub max_pid: u64,
    pub hostname: String,
    pub boot_ts: u64,
    pub flags: u64,
}

const MI_HOSTNAME_LEN: usize = 128;

impl MachineInfo {
    pub fn parse(c: &mut Cursor<'_>) -> Result<Self, ScapError> {
        let num_cpus = c.u32("MI num_cpus")?;
        let memory_bytes = c.u64("MI memory")?;
        let max_pid = c.u64("MI max_pid")?;
        let host = c.bytes(MI_HOSTNAME_LEN, "MI hostname")?;
        let hostname = String::from_utf8_lossy(crate::scap::trim_nul(host)).into_owned();
        // boot_ts and flags were appended later; older files end here.
        let boot_ts = if c.remaining() >= 8 {
            c.u64("MI boot_ts")?
        } else {
            0
        };
        let flags = if c.remaining() >= 8 {
            c.u64("MI flags")?
        } else {
            0
        };
        Ok(MachineInfo {
            num_cpus,
            memory_bytes,
            max_pid,
            hostname,
            boot_ts,
            flags,
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.num_cpus.to_le_bytes());
        out.extend_from_slice(&self.memory_bytes.to_le_bytes());
        out.extend_from_slice(&self.max_pid.to_le_bytes());
        let mut host = [0u8; MI_HOSTNAME_LEN];
        let h = self.hostname.as_bytes();
        let n = h.len().min(MI_HOSTNAME_LEN - 1);
        host[..n].copy_from_slice(&h[..n]);
        out.extend_from_slice(&host);
        out.extend_from_slice(&self.boot_ts.to_le_bytes());
        out.extend_from_slice(&self.flags.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes()); // reserved3
        out.extend_from_slice(&0u64.to_le_bytes()); // reserved4
    }
}

fn put_lp(out: &mut Vec<u8>, b: &[u8], max: usize) {
    let n = b.len().min(max).min(u16::MAX as usize);
    out.extend_from_slice(&(n as u16).to_le_bytes());
    out.extend_from_slice(&b[..n]);
}

fn ipv4(b: &[u8]) -> Ipv4Addr {
    // Addresses are saved in network byte order, as the kernel holds them.
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn ipv6(b: &[u8]) -> Ipv6Addr {
    let a: [u8; 16] = b.try_into().expect("16 bytes");
    Ipv6Addr::from(a)
}

/// The entries of a metadata block, decoded one at a time as they are iterated. The reader checks
/// the whole block with [`validate`](Self::validate) before handing it out, so iteration itself
/// meets no error (were one met, iteration would stop there).
pub struct Entries<'a, T> {
    cursor: Cursor<'a>,
    btype: u32,
    parse: fn(&mut Cursor<'a>, u32) -> Result<T, ScapError>,
}

impl<'a, T> Entries<'a, T> {
    fn new(
        cursor: Cursor<'a>,
        btype: u32,
        parse: fn(&mut Cursor<'a>, u32) -> Result<T, ScapError>,
    ) -> Self {
        Entries {
            cursor,
            btype,
            parse,
        }
    }

    /// Decodes every entry once, keeping none: the number of entries, or the first error with its
    /// byte offset.
    pub fn validate(&self) -> Result<usize, ScapError> {
        let mut c = self.cursor.clone();
        let mut n = 0;
        while c.remaining() >= 4 {
            (self.parse)(&mut c, self.btype)?;
            n += 1;
        }
        Ok(n)
    }
}

impl<T> Clone for Entries<'_, T> {
    fn clone(&self) -> Self {
        Entries {
            cursor: self.cursor.clone(),
            btype: self.btype,
            parse: self.parse,
        }
    }
}

impl<T> std::fmt::Debug for Entries<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entries")
            .field("block_type", &self.btype)
            .field("bytes_left", &self.cursor.remaining())
            .finish()
    }
}

impl<T> Iterator for Entries<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.cursor.remaining() < 4 {
            return None;
        }
        match (self.parse)(&mut self.cursor, self.btype) {
            Ok(t) => Some(t),
            Err(_) => {
                self.cursor.finish();
                None
            }
        }
    }
}
