//! Fd-list blocks (FDL V1/V2): the open fds of one process.

use super::{Cursor, Entries, MAX_PATH, ipv4, ipv6, put_lp};
use crate::scap::block_type;
use crate::scap::error::ScapError;
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FdKind {
    Unknown = 0,
    File = 1,
    Directory = 2,
    Ipv4Sock = 3,
    Ipv6Sock = 4,
    Ipv4ServSock = 5,
    Ipv6ServSock = 6,
    Fifo = 7,
    UnixSock = 8,
    Event = 9,
    Unsupported = 10,
    SignalFd = 11,
    EventPoll = 12,
    Inotify = 13,
    TimerFd = 14,
    Netlink = 15,
    FileV2 = 16,
    Bpf = 17,
    UserFaultFd = 18,
    IoUring = 19,
    MemFd = 20,
    PidFd = 21,
}

impl FdKind {
    pub fn from_u8(v: u8) -> Option<FdKind> {
        use FdKind::*;
        Some(match v {
            0 => Unknown,
            1 => File,
            2 => Directory,
            3 => Ipv4Sock,
            4 => Ipv6Sock,
            5 => Ipv4ServSock,
            6 => Ipv6ServSock,
            7 => Fifo,
            8 => UnixSock,
            9 => Event,
            10 => Unsupported,
            11 => SignalFd,
            12 => EventPoll,
            13 => Inotify,
            14 => TimerFd,
            15 => Netlink,
            16 => FileV2,
            17 => Bpf,
            18 => UserFaultFd,
            19 => IoUring,
            20 => MemFd,
            21 => PidFd,
            _ => return None,
        })
    }
}

/// What an fd-list entry describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FdDetail {
    Ipv4 {
        sip: Ipv4Addr,
        dip: Ipv4Addr,
        sport: u16,
        dport: u16,
        l4proto: u8,
    },
    Ipv6 {
        sip: Ipv6Addr,
        dip: Ipv6Addr,
        sport: u16,
        dport: u16,
        l4proto: u8,
    },
    Ipv4Server {
        ip: Ipv4Addr,
        port: u16,
        l4proto: u8,
    },
    Ipv6Server {
        ip: Ipv6Addr,
        port: u16,
        l4proto: u8,
    },
    Unix {
        source: u64,
        dest: u64,
        path: String,
    },
    File {
        open_flags: u32,
        name: String,
        dev: u32,
    },
    Named(String),
}

/// One entry of an fd-list block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdEntry {
    pub fd: i64,
    pub ino: u64,
    pub kind: FdKind,
    pub detail: FdDetail,
}

impl FdEntry {
    /// An fd-list block body of type `btype`: the owning tid, then its entries, decoded as they are
    /// iterated.
    pub fn entries(
        mut c: Cursor<'_>,
        btype: u32,
    ) -> Result<(i64, Entries<'_, FdEntry>), ScapError> {
        let tid = c.i64("FDL tid")?;
        Ok((tid, Entries::new(c, btype, Self::parse_next)))
    }

    fn parse_next(c: &mut Cursor<'_>, btype: u32) -> Result<FdEntry, ScapError> {
        let start = c.pos();
        let at = c.offset();
        let sub_len = if btype == block_type::FDL_V2 {
            c.u32("FDL entry length")? as usize
        } else {
            0
        };
        let e = Self::parse_entry(c, start, sub_len)?;
        if sub_len != 0 {
            let read = c.pos() - start;
            if read > sub_len {
                return Err(ScapError::corrupt(
                    at,
                    format!("fd entry has length {sub_len} but its fields take {read} bytes"),
                ));
            }
            c.skip(sub_len - read, "FDL entry tail")?;
        }
        Ok(e)
    }

    fn parse_entry(c: &mut Cursor<'_>, start: usize, sub_len: usize) -> Result<Self, ScapError> {
        let fd = c.i64("FDL fd")?;
        let ino = c.u64("FDL ino")?;
        let raw = c.u8("FDL type")?;
        let kind = FdKind::from_u8(raw).unwrap_or(FdKind::Unsupported);
        let detail = match kind {
            FdKind::Ipv4Sock => FdDetail::Ipv4 {
                sip: ipv4(c.bytes(4, "FDL sip")?),
                dip: ipv4(c.bytes(4, "FDL dip")?),
                sport: c.u16("FDL sport")?,
                dport: c.u16("FDL dport")?,
                l4proto: c.u8("FDL l4proto")?,
            },
            FdKind::Ipv4ServSock => FdDetail::Ipv4Server {
                ip: ipv4(c.bytes(4, "FDL ip")?),
                port: c.u16("FDL port")?,
                l4proto: c.u8("FDL l4proto")?,
            },
            FdKind::Ipv6Sock => FdDetail::Ipv6 {
                sip: ipv6(c.bytes(16, "FDL sip")?),
                dip: ipv6(c.bytes(16, "FDL dip")?),
                sport: c.u16("FDL sport")?,
                dport: c.u16("FDL dport")?,
                l4proto: c.u8("FDL l4proto")?,
            },
            FdKind::Ipv6ServSock => FdDetail::Ipv6Server {
                ip: ipv6(c.bytes(16, "FDL ip")?),
                port: c.u16("FDL port")?,
                l4proto: c.u8("FDL l4proto")?,
            },
            FdKind::UnixSock => FdDetail::Unix {
                source: c.u64("FDL unix source")?,
                dest: c.u64("FDL unix dest")?,
                path: c.lp_string(MAX_PATH - 1, "FDL unix path")?,
            },
            FdKind::FileV2 => {
                let open_flags = c.u32("FDL open flags")?;
                let name = c.lp_string(MAX_PATH - 1, "FDL file name")?;
                let dev = if sub_len != 0 && c.pos() - start + 4 <= sub_len {
                    c.u32("FDL dev")?
                } else {
                    0
                };
                FdDetail::File {
                    open_flags,
                    name,
                    dev,
                }
            }
            FdKind::Unknown => FdDetail::Named(String::new()),
            _ if FdKind::from_u8(raw).is_none() => {
                // A type from a newer library: keep the entry, as libscap does.
                FdDetail::Named(format!("unknown-type:[{raw}]"))
            }
            _ => FdDetail::Named(c.lp_string(MAX_PATH - 1, "FDL name")?),
        };
        Ok(FdEntry {
            fd,
            ino,
            kind,
            detail,
        })
    }

    /// Appends this entry in the FDL_V2 layout.
    pub fn encode_v2(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&self.fd.to_le_bytes());
        out.extend_from_slice(&self.ino.to_le_bytes());
        out.push(self.kind as u8);
        match &self.detail {
            FdDetail::Ipv4 {
                sip,
                dip,
                sport,
                dport,
                l4proto,
            } => {
                out.extend_from_slice(&sip.octets());
                out.extend_from_slice(&dip.octets());
                out.extend_from_slice(&sport.to_le_bytes());
                out.extend_from_slice(&dport.to_le_bytes());
                out.push(*l4proto);
            }
            FdDetail::Ipv6 {
                sip,
                dip,
                sport,
                dport,
                l4proto,
            } => {
                out.extend_from_slice(&sip.octets());
                out.extend_from_slice(&dip.octets());
                out.extend_from_slice(&sport.to_le_bytes());
                out.extend_from_slice(&dport.to_le_bytes());
                out.push(*l4proto);
            }
            FdDetail::Ipv4Server { ip, port, l4proto } => {
                out.extend_from_slice(&ip.octets());
                out.extend_from_slice(&port.to_le_bytes());
                out.push(*l4proto);
            }
            FdDetail::Ipv6Server { ip, port, l4proto } => {
                out.extend_from_slice(&ip.octets());
                out.extend_from_slice(&port.to_le_bytes());
                out.push(*l4proto);
            }
            FdDetail::Unix { source, dest, path } => {
                out.extend_from_slice(&source.to_le_bytes());
                out.extend_from_slice(&dest.to_le_bytes());
                put_lp(out, path.as_bytes(), MAX_PATH - 1);
            }
            FdDetail::File {
                open_flags,
                name,
                dev,
            } => {
                out.extend_from_slice(&open_flags.to_le_bytes());
                put_lp(out, name.as_bytes(), MAX_PATH - 1);
                out.extend_from_slice(&dev.to_le_bytes());
            }
            FdDetail::Named(name) => {
                if self.kind != FdKind::Unknown {
                    put_lp(out, name.as_bytes(), MAX_PATH - 1);
                }
            }
        }
        let len = (out.len() - start) as u32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }
}
