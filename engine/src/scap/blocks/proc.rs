//! Process-list blocks (PL V1–V9): one `scap_threadinfo` per thread.

use super::{Cursor, Entries, MAX_ARGS, MAX_CGROUPS, MAX_ENV, MAX_PATH, put_lp};
use crate::scap::PlVersion;
use crate::scap::error::ScapError;

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
    /// The entries of a process-list block body of type `btype`, decoded as they are iterated.
    pub fn entries(c: Cursor<'_>, btype: u32) -> Entries<'_, ProcEntry> {
        Entries::new(c, btype, Self::parse_next)
    }

    /// Parses the next entry of a process-list block body of type `btype`.
    fn parse_next(c: &mut Cursor<'_>, btype: u32) -> Result<ProcEntry, ScapError> {
        let v = PlVersion::of(btype).unwrap_or(PlVersion::V1);
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
                    format!("process entry has length {sub_len} but its fields take {read} bytes"),
                ));
            }
            c.skip(sub_len - read, "PL entry tail")?;
        }
        Ok(e)
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
