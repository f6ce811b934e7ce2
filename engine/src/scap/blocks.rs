//! Metadata blocks: machine info (MI), process list (PL V1–V9), fd lists (FDL V1/V2), interfaces
//! (IL V1/V2) and users/groups (UL V1/V2). Each has a parser over the block body and an encoder of its
//! current version, used by the writer.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::PlVersion;
use super::cursor::Cursor;
use super::error::ScapError;

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
        let hostname = String::from_utf8_lossy(super::cursor::trim_nul(host)).into_owned();
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

/// One thread of the process list block (`scap_threadinfo` as saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcEntry {
    pub tid: i64,
    pub pid: i64,
    pub ptid: i64,
    pub sid: i64,
    pub vpgid: i64,
    pub comm: String,
    pub exe: String,
    pub exepath: String,
    /// Arguments, each NUL-terminated (as in /proc/PID/cmdline, without argv[0]).
    pub args: Vec<u8>,
    pub cwd: String,
    pub fdlimit: u64,
    pub flags: u32,
    pub uid: u32,
    pub gid: u32,
    pub vmsize_kb: u32,
    pub vmrss_kb: u32,
    pub vmswap_kb: u32,
    pub pfmajor: u64,
    pub pfminor: u64,
    /// Environment, each variable NUL-terminated.
    pub env: Vec<u8>,
    pub vtid: i64,
    pub vpid: i64,
    /// cgroups as `subsys=path` entries, each NUL-terminated.
    pub cgroups: Vec<u8>,
    pub root: String,
    pub pidns_init_start_ts: u64,
    pub tty: u32,
    pub loginuid: u32,
    pub exe_writable: bool,
    pub cap_inheritable: u64,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub exe_upper_layer: bool,
    pub exe_ino: u64,
    pub exe_ino_ctime: u64,
    pub exe_ino_mtime: u64,
    pub exe_from_memfd: bool,
}

impl Default for ProcEntry {
    fn default() -> Self {
        ProcEntry {
            tid: 0,
            pid: 0,
            ptid: 0,
            sid: -1,
            vpgid: -1,
            comm: String::new(),
            exe: String::new(),
            exepath: String::new(),
            args: Vec::new(),
            cwd: String::new(),
            fdlimit: 0,
            flags: 0,
            uid: 0,
            gid: 0,
            vmsize_kb: 0,
            vmrss_kb: 0,
            vmswap_kb: 0,
            pfmajor: 0,
            pfminor: 0,
            env: Vec::new(),
            vtid: -1,
            vpid: -1,
            cgroups: Vec::new(),
            root: String::new(),
            pidns_init_start_ts: 0,
            tty: 0,
            loginuid: u32::MAX,
            exe_writable: false,
            cap_inheritable: 0,
            cap_permitted: 0,
            cap_effective: 0,
            exe_upper_layer: false,
            exe_ino: 0,
            exe_ino_ctime: 0,
            exe_ino_mtime: 0,
            exe_from_memfd: false,
        }
    }
}

/// Bytes of the fields that libs < 0.10 appended after `root` (loginuid, exe_writable, 3 caps).
const PRE_0_10_TAIL: usize = 4 + 1 + 8 + 8 + 8;

impl ProcEntry {
    /// Parses every entry of a process-list block body.
    pub fn parse_block(c: &mut Cursor<'_>, v: PlVersion) -> Result<Vec<ProcEntry>, ScapError> {
        let mut out = Vec::new();
        while c.remaining() >= 4 {
            let start = c.pos();
            let at = c.offset();
            let sub_len = if v == PlVersion::V9 {
                c.u32("PL entry length")? as usize
            } else {
                0
            };
            let e = Self::parse_entry(c, v, start, sub_len)?;
            if sub_len != 0 {
                let read = c.pos() - start;
                if read > sub_len {
                    return Err(ScapError::corrupt(
                        at,
                        format!(
                            "process entry has length {sub_len} but its fields take {read} bytes"
                        ),
                    ));
                }
                c.skip(sub_len - read, "PL entry tail")?;
            }
            out.push(e);
        }
        Ok(out)
    }

    fn parse_entry(
        c: &mut Cursor<'_>,
        v: PlVersion,
        start: usize,
        sub_len: usize,
    ) -> Result<Self, ScapError> {
        let mut e = ProcEntry {
            tid: c.i64("PL tid")?,
            pid: c.i64("PL pid")?,
            ptid: c.i64("PL ptid")?,
            ..ProcEntry::default()
        };
        if v >= PlVersion::V6 {
            e.sid = c.i64("PL sid")?;
        }
        if v >= PlVersion::V8 {
            e.vpgid = c.i64("PL vpgid")?;
        }
        e.comm = c.lp_string(MAX_PATH, "PL comm")?;
        e.exe = c.lp_string(MAX_PATH, "PL exe")?;
        if v >= PlVersion::V7 {
            e.exepath = c.lp_string(MAX_PATH, "PL exepath")?;
        }
        e.args = c.lp_bytes(MAX_ARGS, "PL args")?.to_vec();
        e.cwd = c.lp_string(MAX_PATH, "PL cwd")?;
        e.fdlimit = c.u64("PL fdlimit")?;
        e.flags = c.u32("PL flags")?;
        e.uid = c.u32("PL uid")?;
        e.gid = c.u32("PL gid")?;
        if v >= PlVersion::V2 {
            e.vmsize_kb = c.u32("PL vmsize")?;
            e.vmrss_kb = c.u32("PL vmrss")?;
            e.vmswap_kb = c.u32("PL vmswap")?;
            e.pfmajor = c.u64("PL pfmajor")?;
            e.pfminor = c.u64("PL pfminor")?;
            if v >= PlVersion::V3 {
                e.env = c.lp_bytes(MAX_ENV, "PL env")?.to_vec();
            }
            if v >= PlVersion::V4 {
                e.vtid = c.i64("PL vtid")?;
                e.vpid = c.i64("PL vpid")?;
                e.cgroups = c.lp_bytes(MAX_CGROUPS, "PL cgroups")?.to_vec();
                if v >= PlVersion::V5 {
                    e.root = c.lp_string(MAX_PATH, "PL root")?;
                }
            }
        }
        if sub_len == 0 {
            return Ok(e);
        }
        // Optional trailing fields: present when the entry length leaves room for them.
        let has = |c: &Cursor<'_>, n: usize| c.pos() - start + n <= sub_len;
        // libs 0.10 inserted pidns_init_start_ts and tty *before* loginuid; entries written by older
        // libs have at most the pre-0.10 tail left at this point.
        let pre_0_10 = sub_len.saturating_sub(c.pos() - start) <= PRE_0_10_TAIL;
        if !pre_0_10 {
            if has(c, 8) {
                e.pidns_init_start_ts = c.u64("PL pidns_init_start_ts")?;
            }
            if has(c, 4) {
                e.tty = c.u32("PL tty")?;
            }
        }
        if has(c, 4) {
            e.loginuid = c.u32("PL loginuid")?;
        }
        if has(c, 1) {
            e.exe_writable = c.u8("PL exe_writable")? != 0;
        }
        if has(c, 8) {
            e.cap_inheritable = c.u64("PL cap_inheritable")?;
        }
        if has(c, 8) {
            e.cap_permitted = c.u64("PL cap_permitted")?;
        }
        if has(c, 8) {
            e.cap_effective = c.u64("PL cap_effective")?;
        }
        if has(c, 1) {
            e.exe_upper_layer = c.u8("PL exe_upper_layer")? != 0;
        }
        if has(c, 8) {
            e.exe_ino = c.u64("PL exe_ino")?;
        }
        if has(c, 8) {
            e.exe_ino_ctime = c.u64("PL exe_ino_ctime")?;
        }
        if has(c, 8) {
            e.exe_ino_mtime = c.u64("PL exe_ino_mtime")?;
        }
        if has(c, 1) {
            e.exe_from_memfd = c.u8("PL exe_from_memfd")? != 0;
        }
        Ok(e)
    }

    /// Appends this entry in the PL_V9 layout (with its leading entry length).
    pub fn encode_v9(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
        for v in [self.tid, self.pid, self.ptid, self.sid, self.vpgid] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        put_lp(out, self.comm.as_bytes(), MAX_PATH);
        put_lp(out, self.exe.as_bytes(), MAX_PATH);
        put_lp(out, self.exepath.as_bytes(), MAX_PATH);
        put_lp(out, &self.args, MAX_ARGS);
        put_lp(out, self.cwd.as_bytes(), MAX_PATH);
        out.extend_from_slice(&self.fdlimit.to_le_bytes());
        for v in [
            self.flags,
            self.uid,
            self.gid,
            self.vmsize_kb,
            self.vmrss_kb,
            self.vmswap_kb,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.pfmajor.to_le_bytes());
        out.extend_from_slice(&self.pfminor.to_le_bytes());
        put_lp(out, &self.env, MAX_ENV);
        out.extend_from_slice(&self.vtid.to_le_bytes());
        out.extend_from_slice(&self.vpid.to_le_bytes());
        put_lp(out, &self.cgroups, MAX_CGROUPS);
        put_lp(out, self.root.as_bytes(), MAX_PATH);
        out.extend_from_slice(&self.pidns_init_start_ts.to_le_bytes());
        out.extend_from_slice(&self.tty.to_le_bytes());
        out.extend_from_slice(&self.loginuid.to_le_bytes());
        out.push(self.exe_writable as u8);
        for v in [self.cap_inheritable, self.cap_permitted, self.cap_effective] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.push(self.exe_upper_layer as u8);
        for v in [self.exe_ino, self.exe_ino_ctime, self.exe_ino_mtime] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.push(self.exe_from_memfd as u8);
        let len = (out.len() - start) as u32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }
}

fn put_lp(out: &mut Vec<u8>, b: &[u8], max: usize) {
    let n = b.len().min(max).min(u16::MAX as usize);
    out.extend_from_slice(&(n as u16).to_le_bytes());
    out.extend_from_slice(&b[..n]);
}

/// `scap_fd_type`, as saved in fd lists.
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

fn ipv4(b: &[u8]) -> Ipv4Addr {
    // Addresses are saved in network byte order, as the kernel holds them.
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn ipv6(b: &[u8]) -> Ipv6Addr {
    let a: [u8; 16] = b.try_into().expect("16 bytes");
    Ipv6Addr::from(a)
}

impl FdEntry {
    /// Parses an fd-list block body: the owning tid, then the entries.
    pub fn parse_block(c: &mut Cursor<'_>, v2: bool) -> Result<(i64, Vec<FdEntry>), ScapError> {
        let tid = c.i64("FDL tid")?;
        let mut out = Vec::new();
        while c.remaining() >= 4 {
            let start = c.pos();
            let at = c.offset();
            let sub_len = if v2 {
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
            out.push(e);
        }
        Ok((tid, out))
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

/// One network interface address (IL blocks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub addr: IpAddr,
    pub netmask: IpAddr,
    pub bcast: IpAddr,
    pub linkspeed: u64,
}

const II_IPV4: u16 = 1;
const II_IPV6: u16 = 2;
const II_IPV4_NOLINKSPEED: u16 = 3;
const II_IPV6_NOLINKSPEED: u16 = 4;

impl Interface {
    pub fn parse_block(c: &mut Cursor<'_>, v2: bool) -> Result<Vec<Interface>, ScapError> {
        let mut out = Vec::new();
        while c.remaining() >= 4 {
            let at = c.offset();
            let entry_len = if v2 {
                Some(c.u32("IL entry length")? as usize)
            } else {
                None
            };
            let start = c.pos();
            let ty = c.u16("IL type")?;
            let namelen = c.u16("IL name length")? as usize;
            if namelen >= MAX_PATH {
                return Err(ScapError::corrupt(
                    at,
                    format!("interface name length {namelen}"),
                ));
            }
            let (v6, speed) = match ty {
                II_IPV4 => (false, true),
                II_IPV6 => (true, true),
                II_IPV4_NOLINKSPEED => (false, false),
                II_IPV6_NOLINKSPEED => (true, false),
                _ => {
                    return Err(ScapError::corrupt(
                        at,
                        format!("unknown interface type {ty}"),
                    ));
                }
            };
            let alen = if v6 { 16 } else { 4 };
            let addr = |b: &[u8]| -> IpAddr {
                if v6 {
                    IpAddr::V6(ipv6(b))
                } else {
                    IpAddr::V4(ipv4(b))
                }
            };
            let a = addr(c.bytes(alen, "IL addr")?);
            let m = addr(c.bytes(alen, "IL netmask")?);
            let b = addr(c.bytes(alen, "IL bcast")?);
            let linkspeed = if speed { c.u64("IL linkspeed")? } else { 0 };
            let name =
                String::from_utf8_lossy(super::cursor::trim_nul(c.bytes(namelen, "IL name")?))
                    .into_owned();
            if let Some(len) = entry_len {
                let read = c.pos() - start;
                if read > len {
                    return Err(ScapError::corrupt(
                        at,
                        "interface entry longer than its length",
                    ));
                }
                c.skip(len - read, "IL entry tail")?;
            }
            out.push(Interface {
                name,
                addr: a,
                netmask: m,
                bcast: b,
                linkspeed,
            });
        }
        Ok(out)
    }

    pub fn encode_v2(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
        let v6 = self.addr.is_ipv6();
        out.extend_from_slice(&(if v6 { II_IPV6 } else { II_IPV4 }).to_le_bytes());
        let name = &self.name.as_bytes()[..self.name.len().min(MAX_PATH - 1)];
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        for a in [self.addr, self.netmask, self.bcast] {
            match a {
                IpAddr::V4(a) => out.extend_from_slice(&a.octets()),
                IpAddr::V6(a) => out.extend_from_slice(&a.octets()),
            }
        }
        out.extend_from_slice(&self.linkspeed.to_le_bytes());
        out.extend_from_slice(name);
        // The entry length excludes itself.
        let len = (out.len() - start - 4) as u32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }
}

/// A user of the UL block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEntry {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
    pub homedir: String,
    pub shell: String,
}

/// A group of the UL block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    pub gid: u32,
    pub name: String,
}

const USERBLOCK_TYPE_USER: u8 = 0;
const USERBLOCK_TYPE_GROUP: u8 = 1;

/// Parses a user-list block body.
pub fn parse_user_block(
    c: &mut Cursor<'_>,
    v2: bool,
) -> Result<(Vec<UserEntry>, Vec<GroupEntry>), ScapError> {
    let mut users = Vec::new();
    let mut groups = Vec::new();
    while c.remaining() >= 4 {
        let start = c.pos();
        let at = c.offset();
        let sub_len = if v2 {
            c.u32("UL entry length")? as usize
        } else {
            0
        };
        let ty = c.u8("UL type")?;
        if ty == USERBLOCK_TYPE_USER {
            users.push(UserEntry {
                uid: c.u32("UL uid")?,
                gid: c.u32("UL gid")?,
                name: c.lp_string(MAX_CREDENTIALS - 1, "UL user name")?,
                homedir: c.lp_string(MAX_CREDENTIALS - 1, "UL homedir")?,
                shell: c.lp_string(MAX_CREDENTIALS - 1, "UL shell")?,
            });
        } else {
            groups.push(GroupEntry {
                gid: c.u32("UL gid")?,
                name: c.lp_string(MAX_CREDENTIALS - 1, "UL group name")?,
            });
        }
        if sub_len != 0 {
            let read = c.pos() - start;
            if read > sub_len {
                return Err(ScapError::corrupt(at, "user entry longer than its length"));
            }
            c.skip(sub_len - read, "UL entry tail")?;
        }
    }
    Ok((users, groups))
}

/// Appends a user in the UL_V2 layout.
pub fn encode_user_v2(u: &UserEntry, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(USERBLOCK_TYPE_USER);
    out.extend_from_slice(&u.uid.to_le_bytes());
    out.extend_from_slice(&u.gid.to_le_bytes());
    put_lp(out, u.name.as_bytes(), MAX_CREDENTIALS - 1);
    put_lp(out, u.homedir.as_bytes(), MAX_CREDENTIALS - 1);
    put_lp(out, u.shell.as_bytes(), MAX_CREDENTIALS - 1);
    let len = (out.len() - start) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

/// Appends a group in the UL_V2 layout.
pub fn encode_group_v2(g: &GroupEntry, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(USERBLOCK_TYPE_GROUP);
    out.extend_from_slice(&g.gid.to_le_bytes());
    put_lp(out, g.name.as_bytes(), MAX_CREDENTIALS - 1);
    let len = (out.len() - start) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}
