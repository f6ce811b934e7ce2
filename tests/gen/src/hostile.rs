//! Hostile captures: small files (gzip squeezes their repetitions) built to make a reader's state
//! grow or its CPU spin. The state's limits are tested against them; none is committed, each test
//! writes what it needs.

use std::path::Path;

use anyhow::Result;
use falco_engine::abi::event_id as ev;
use falco_engine::scap::block_type;
use falco_engine::scap::blocks::FdDetail;
use falco_engine::scap::writer::CaptureHeader;
use falco_engine::scap::{FdEntry, FdKind, ProcEntry, ScapWriter};

use crate::builder::EventBuilder;
use crate::world::{O_RDONLY, World};

/// Wall-clock start of every hostile capture (2026-01-01T00:00:00Z).
const T0: u64 = 1_767_225_600_000_000_000;

struct Raw {
    out: ScapWriter,
    ev: EventBuilder,
    ts: u64,
    events: u64,
}

impl Raw {
    fn create(path: &Path, header: &CaptureHeader) -> Result<Raw> {
        let mut out = ScapWriter::create(path, true)?;
        out.write_header(header)?;
        Ok(Raw {
            out,
            ev: EventBuilder::default(),
            ts: T0,
            events: 0,
        })
    }

    fn emit(&mut self, tid: i64, etype: u16, f: impl FnOnce(&mut EventBuilder)) -> Result<()> {
        self.ts += 1000;
        self.ev.start(self.ts, tid, etype);
        f(&mut self.ev);
        let bytes = self.ev.finish();
        self.out.write_raw_event(bytes, 0, 0, false)?;
        self.events += 1;
        Ok(())
    }

    fn finish(self) -> Result<u64> {
        let n = self.events;
        self.out.finish()?;
        Ok(n)
    }
}

/// An execve exit of thread `tid` in the 2018 layout sysdig 0.29.3 reads.
fn execve_exit(b: &mut EventBuilder, tid: i64, args: &[&str], env: &[&str]) {
    b.i64(0)
        .str("/usr/bin/x")
        .strs(args)
        .i64(tid)
        .i64(tid)
        .i64(1)
        .str("/")
        .u64(1024)
        .u64(0)
        .u64(0)
        .u32(4000)
        .u32(900)
        .u32(0)
        .str("x")
        .strs(&["cpu=/"])
        .strs(env)
        .u32(0)
        .i64(tid)
        .u32(0)
        .u32(0);
}

/// `execs` processes forked from one shell, each exec'ing a program and never exiting: every exec
/// of a reader that scans its thread table costs the table's size.
pub fn execve_storm(path: &Path, execs: u64) -> Result<u64> {
    let mut w = World::create(path, true, 7)?;
    for i in 0..execs {
        let c = w.spawn(500, "/usr/bin/true", &["--storm"])?;
        if i % 4 == 0 {
            w.generic(c, falco_engine::abi::syscall::PPM_SC_BRK)?;
        }
    }
    w.finish()
}

/// `procs` distinct threads each exec'ing with `args` one-byte arguments (and as many environment
/// variables): tens of thousands of entries per process, from a few hundred bytes of gzip.
pub fn args_bomb(path: &Path, procs: i64, args: usize) -> Result<u64> {
    let mut r = Raw::create(path, &CaptureHeader::default())?;
    let many: Vec<&str> = std::iter::repeat_n("a", args).collect();
    for i in 0..procs {
        let tid = 100_000 + i;
        r.emit(tid, ev::SYSCALL_EXECVE_19_E, |b| {
            b.str("/usr/bin/x");
        })?;
        r.emit(tid, ev::SYSCALL_EXECVE_19_X, |b| {
            execve_exit(b, tid, &many, &many)
        })?;
    }
    r.finish()
}

/// A process list of `procs` processes, each with an fd list of `fds` files with long names: the
/// lists alone hold far more fds than any process may have.
pub fn fd_list_bomb(path: &Path, procs: i64, fds: i64) -> Result<u64> {
    let name = format!("/var/lib/{}", "f".repeat(900));
    let processes: Vec<ProcEntry> = (0..procs)
        .map(|i| ProcEntry {
            tid: 1000 + i,
            pid: 1000 + i,
            ptid: 1,
            comm: "holder".into(),
            exe: "/usr/bin/holder".into(),
            exepath: "/usr/bin/holder".into(),
            cwd: "/".into(),
            ..ProcEntry::default()
        })
        .collect();
    let header = CaptureHeader {
        processes,
        ..CaptureHeader::default()
    };
    let mut r = Raw::create(path, &header)?;
    for i in 0..procs {
        let list = (0..fds).map(|fd| FdEntry {
            fd,
            ino: fd as u64,
            kind: FdKind::FileV2,
            detail: FdDetail::File {
                open_flags: O_RDONLY,
                name: name.clone(),
                dev: 0,
            },
        });
        r.out.write_fds(1000 + i, list)?;
    }
    r.emit(1000, ev::GENERIC_E, |b| {
        b.u16(1).u16(0);
    })?;
    r.finish()
}

/// One fd-list block of `bytes` bytes of minimal entries (19 bytes each on file, many times that
/// once decoded).
pub fn fd_block_bomb(path: &Path, bytes: usize) -> Result<u64> {
    let header = CaptureHeader {
        processes: vec![ProcEntry {
            tid: 1000,
            pid: 1000,
            ptid: 1,
            comm: "holder".into(),
            ..ProcEntry::default()
        }],
        ..CaptureHeader::default()
    };
    let mut r = Raw::create(path, &header)?;
    let mut body = Vec::with_capacity(bytes + 32);
    body.extend_from_slice(&1000i64.to_le_bytes());
    let mut fd = 0i64;
    while body.len() + 19 <= bytes {
        body.extend_from_slice(&fd.to_le_bytes());
        body.extend_from_slice(&0u64.to_le_bytes());
        body.push(FdKind::Fifo as u8);
        body.extend_from_slice(&0u16.to_le_bytes());
        fd += 1;
    }
    r.out.write_block(block_type::FDL, &body)?;
    r.emit(1000, ev::GENERIC_E, |b| {
        b.u16(1).u16(0);
    })?;
    r.finish()
}

/// `blocks` tiny blocks of a type no reader knows, each worth a warning.
pub fn unknown_blocks(path: &Path, blocks: u64) -> Result<u64> {
    let mut r = Raw::create(path, &CaptureHeader::default())?;
    for _ in 0..blocks {
        r.out.write_block(0x7777_0000, &[])?;
    }
    r.emit(1, ev::GENERIC_E, |b| {
        b.u16(1).u16(0);
    })?;
    r.finish()
}

/// `containers` container events, each for a new container id with a long name and image.
pub fn container_flood(path: &Path, containers: u64) -> Result<u64> {
    let mut r = Raw::create(path, &CaptureHeader::default())?;
    let pad = "n".repeat(2000);
    for i in 0..containers {
        let json = format!(
            r#"{{"container":{{"id":"{i:012x}","name":"{pad}","image":"registry.example.com/{pad}:v1","type":0,"privileged":false}}}}"#
        );
        // Container descriptions come first and carry timestamp 0, as libscap writes them.
        r.ev.start(0, 0, ev::CONTAINER_JSON_E);
        r.ev.str(&json);
        let bytes = r.ev.finish();
        r.out.write_raw_event(bytes, 0, 0, false)?;
        r.events += 1;
    }
    r.finish()
}

/// One event (a generic syscall pair) from each of `tids` distinct threads, none seen to exit.
pub fn distinct_tids(path: &Path, tids: i64) -> Result<u64> {
    let mut r = Raw::create(path, &CaptureHeader::default())?;
    for tid in 0..tids {
        r.emit(10_000 + tid, ev::GENERIC_E, |b| {
            b.u16(1).u16(0);
        })?;
    }
    r.finish()
}
