//! The CO-RE eBPF driver (engine.kind: modern_ebpf): loads the programs of `probe-ebpf/` (compiled
//! by this crate's build script and embedded here), attaches them to the syscall and scheduler
//! tracepoints, and reads the scap events they write to BPF ring buffers.
//!
//! Loading, in order: the object with the kernel's BTF (aya applies the CO-RE relocations); every
//! program (the five attached ones, then the exit encoders, each put in the `exit_encoders` program
//! array at its syscall numbers); one ring buffer per `cpus_for_each_buffer` CPUs, each placed in
//! the `ringbufs` table at its CPUs' ids; the settings (capture off); then the attachments.
//! Dropping an [`EbpfCapture`] detaches and unloads everything (the kernel frees programs and maps
//! with their last file descriptor).
//!
//! The programs write without waking the consumer (`BPF_RB_NO_WAKEUP`): the consumer drains on a
//! short timer, and only an event that takes a ring past a quarter full wakes it early. A wakeup per
//! event would double the cost of a syscall.

pub mod abi_header;
mod error;
mod ring;
pub mod shared;

pub use error::{EbpfError, KERNEL_BTF, MIN_KERNEL, caps_allow_bpf, kernel_version, preflight};

use super::{Capture, CaptureError, DriverCounters};
use crate::abi::{self, SYSCALL_TABLE_SIZE};
use aya::maps::{Array, ArrayOfMaps, MapData, PerCpuArray, ProgramArray};
use aya::programs::{BtfTracePoint, Program, ProgramError};
use aya::{Btf, Ebpf, EbpfLoader};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
use ring::{Ring, Rings};
use shared::{Counters, Settings};
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

/// The compiled programs (engine/build.rs).
static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/falco.bpf.o"));
/// Empty programs on the syscall tracepoints: the benchmarks' floor.
static FLOOR_OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/floor.bpf.o"));

/// Empty programs attached to sys_enter and sys_exit while this lives: what any tracepoint
/// driver costs before it does anything (make bench-ebpf's floor).
pub struct Floor {
    _bpf: Ebpf,
}

impl Floor {
    pub fn attach() -> Result<Floor, EbpfError> {
        preflight()?;
        let btf = Btf::from_sys_fs().map_err(|e| EbpfError::Btf(e.to_string()))?;
        let mut bpf = EbpfLoader::new()
            .btf(Some(&btf))
            .load(FLOOR_OBJECT)
            .map_err(|e| EbpfError::Object(error_chain(&e)))?;
        for (name, tp) in [("floor_enter", "sys_enter"), ("floor_exit", "sys_exit")] {
            let p: &mut BtfTracePoint = bpf
                .program_mut(name)
                .and_then(|p| p.try_into().ok())
                .ok_or_else(|| EbpfError::Object(format!("no program {name}")))?;
            p.load(tp, &btf).map_err(|e| program_err(name, e))?;
            p.attach().map_err(|e| EbpfError::Attach {
                program: name.into(),
                tracepoint: tp.into(),
                reason: e.to_string(),
            })?;
        }
        Ok(Floor { _bpf: bpf })
    }
}

/// The attached programs and their tracepoints. Everything else in the object is an exit encoder.
const ATTACHED: [(&str, &str); 5] = [
    ("sys_enter", "sys_enter"),
    ("sys_exit", "sys_exit"),
    ("sched_exec", "sched_process_exec"),
    ("sched_fork", "sched_process_fork"),
    ("sched_exit", "sched_process_exit"),
];

/// Exit encoders are named `x_<syscall>`.
const ENCODER_PREFIX: &str = "x_";

/// How to set the driver up (falco.yaml's engine.modern_ebpf section).
#[derive(Debug, Clone, Copy)]
pub struct EbpfOptions {
    /// CPUs sharing one ring buffer; 0: one ring buffer for every CPU.
    pub cpus_for_each_buffer: u32,
    /// Data bytes of each ring buffer (a power of two, at least a page).
    pub ring_bytes: u64,
}

impl Default for EbpfOptions {
    fn default() -> EbpfOptions {
        EbpfOptions {
            cpus_for_each_buffer: 2,
            ring_bytes: abi::DEFAULT_RING_BYTES,
        }
    }
}

/// Falco's buf_size_preset table: 1 = 1 MiB ... 10 = 512 MiB per ring buffer (0: the default).
pub fn preset_bytes(preset: u8) -> u64 {
    match preset {
        1..=10 => (1 << 20) << (preset - 1),
        _ => abi::DEFAULT_RING_BYTES,
    }
}

/// A live capture session on the eBPF driver.
pub struct EbpfCapture {
    rings: Rings,
    settings: Settings,
    settings_map: Array<MapData, Settings>,
    counters_map: PerCpuArray<MapData, Counters>,
    epoll: Epoll,
    ring_bytes: u64,
    cpus_per_ring: u32,
    _ring_maps: Vec<MapData>,
    _encoders: ProgramArray<MapData>,
    _bpf: Ebpf,
}

fn map_err(map: &'static str) -> impl Fn(aya::maps::MapError) -> EbpfError {
    move |e| EbpfError::Map {
        map,
        reason: e.to_string(),
    }
}

fn program_err(program: &str, e: ProgramError) -> EbpfError {
    let (reason, log) = match &e {
        ProgramError::LoadError {
            io_error,
            verifier_log,
        } => (
            io_error.to_string(),
            error::log_tail(&verifier_log.to_string()),
        ),
        other => (error_chain(other), String::new()),
    };
    if reason.contains("Operation not permitted") {
        return EbpfError::Capability;
    }
    EbpfError::Program {
        program: program.to_string(),
        reason,
        log,
    }
}

/// The x86_64 syscall numbers an encoder named `x_<name>` serves.
fn encoder_syscalls(name: &str) -> Vec<u32> {
    let Some(code) = name
        .strip_prefix(ENCODER_PREFIX)
        .and_then(crate::filter::evttype::syscall_id)
    else {
        return Vec::new();
    };
    abi::syscall::X86_64
        .iter()
        .enumerate()
        .filter(|(_, e)| e.ppm_sc == code)
        .map(|(nr, _)| nr as u32)
        .collect()
}

/// Loads every program and puts the encoders in the program array, which it returns: the kernel
/// empties a program array when its last user-space handle closes, so the capture keeps it.
fn load_programs(bpf: &mut Ebpf, btf: &Btf) -> Result<ProgramArray<MapData>, EbpfError> {
    let mut encoders = ProgramArray::try_from(
        bpf.take_map("exit_encoders")
            .ok_or(EbpfError::Object("no exit_encoders map".into()))?,
    )
    .map_err(map_err("exit_encoders"))?;
    for (name, prog) in bpf.programs_mut() {
        let tp = ATTACHED
            .iter()
            .find(|(p, _)| *p == name)
            .map_or("sys_exit", |(_, tp)| tp);
        let Program::BtfTracePoint(p) = prog else {
            return Err(EbpfError::Object(format!("{name} is not a tp_btf program")));
        };
        p.load(tp, btf).map_err(|e| program_err(name, e))?;
        if name.starts_with(ENCODER_PREFIX) {
            let nrs = encoder_syscalls(name);
            if nrs.is_empty() {
                return Err(EbpfError::Object(format!("{name}: no such syscall")));
            }
            let fd = p.fd().map_err(|e| program_err(name, e))?;
            for nr in nrs {
                encoders.set(nr, fd, 0).map_err(map_err("exit_encoders"))?;
            }
        }
    }
    Ok(encoders)
}

/// Creates the ring buffers and fills the CPU -> ring table. Returns the rings' maps.
fn create_rings(bpf: &mut Ebpf, opts: &EbpfOptions, ncpus: u32) -> Result<Vec<MapData>, EbpfError> {
    let per = if opts.cpus_for_each_buffer == 0 {
        ncpus
    } else {
        opts.cpus_for_each_buffer.min(ncpus)
    };
    let nrings = ncpus.div_ceil(per);
    let mut table: ArrayOfMaps<MapData, MapData> = ArrayOfMaps::try_from(
        bpf.take_map("ringbufs")
            .ok_or(EbpfError::Object("no ringbufs map".into()))?,
    )
    .map_err(map_err("ringbufs"))?;
    let mut rings = Vec::with_capacity(nrings as usize);
    for _ in 0..nrings {
        // BPF_MAP_TYPE_RINGBUF: no key or value, max_entries is the data size.
        let obj = aya_obj::Map::new_from_params(27, 0, 0, opts.ring_bytes as u32, 0);
        rings.push(MapData::create(obj, "falco_ring", None).map_err(map_err("ring buffer"))?);
    }
    for cpu in 0..ncpus.min(table.len()) {
        table
            .set(cpu, &rings[(cpu / per) as usize], 0)
            .map_err(map_err("ringbufs"))?;
    }
    // The table lives as long as the programs that read it: the kernel keeps it referenced by
    // them; our handle may close.
    drop(table);
    Ok(rings)
}

impl EbpfCapture {
    /// Loads and attaches the driver. Capture starts off: configure, then enable.
    pub fn open(opts: &EbpfOptions) -> Result<EbpfCapture, EbpfError> {
        preflight()?;
        if !opts.ring_bytes.is_power_of_two() || !(4096..=1 << 30).contains(&opts.ring_bytes) {
            return Err(EbpfError::Map {
                map: "ring buffer",
                reason: format!(
                    "size {} is not a power of two between 4 KiB and 1 GiB",
                    opts.ring_bytes
                ),
            });
        }
        let btf = Btf::from_sys_fs().map_err(|e| EbpfError::Btf(e.to_string()))?;
        let ncpus = aya::util::nr_cpus().map_err(|(_, e)| EbpfError::Io(e))? as u32;
        let mut bpf = EbpfLoader::new()
            .btf(Some(&btf))
            .map_max_entries("scratch", ncpus)
            .load(OBJECT)
            .map_err(|e| {
                let s = error_chain(&e);
                if s.contains("Operation not permitted") {
                    EbpfError::Capability
                } else {
                    EbpfError::Object(s)
                }
            })?;
        let encoders = load_programs(&mut bpf, &btf)?;
        let ring_maps = create_rings(&mut bpf, opts, ncpus)?;
        let mut settings_map: Array<MapData, Settings> = Array::try_from(
            bpf.take_map("settings")
                .ok_or(EbpfError::Object("no settings map".into()))?,
        )
        .map_err(map_err("settings"))?;
        let counters_map: PerCpuArray<MapData, Counters> = PerCpuArray::try_from(
            bpf.take_map("counters")
                .ok_or(EbpfError::Object("no counters map".into()))?,
        )
        .map_err(map_err("counters"))?;
        let settings = Settings {
            boot_to_epoch_ns: boot_to_epoch_ns(),
            wakeup_bytes: opts.ring_bytes / 4,
            ..Settings::default()
        };
        settings_map
            .set(0, settings, 0)
            .map_err(map_err("settings"))?;
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC).map_err(std::io::Error::from)?;
        let mut rings = Vec::with_capacity(ring_maps.len());
        for (i, m) in ring_maps.iter().enumerate() {
            let fd = m.fd().as_fd();
            epoll
                .add(fd, EpollEvent::new(EpollFlags::EPOLLIN, i as u64))
                .map_err(std::io::Error::from)?;
            rings.push(
                Ring::map(fd.as_raw_fd(), opts.ring_bytes)
                    .map_err(|source| EbpfError::Mmap { ring: i, source })?,
            );
        }
        for (name, tp) in ATTACHED {
            let p: &mut BtfTracePoint = bpf
                .program_mut(name)
                .and_then(|p| p.try_into().ok())
                .ok_or_else(|| EbpfError::Object(format!("no program {name}")))?;
            p.attach().map_err(|e| EbpfError::Attach {
                program: name.into(),
                tracepoint: tp.into(),
                reason: e.to_string(),
            })?;
        }
        let per = match opts.cpus_for_each_buffer {
            0 => ncpus,
            n => n.min(ncpus),
        };
        Ok(EbpfCapture {
            rings: Rings::new(rings),
            settings,
            settings_map,
            counters_map,
            epoll,
            ring_bytes: opts.ring_bytes,
            cpus_per_ring: per,
            _ring_maps: ring_maps,
            _encoders: encoders,
            _bpf: bpf,
        })
    }

    fn store_settings(&mut self) -> Result<(), CaptureError> {
        self.settings_map
            .set(0, self.settings, 0)
            .map_err(|e| CaptureError::Ebpf(map_err("settings")(e)))
    }
}

/// An error and its causes, joined.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

/// CLOCK_REALTIME - CLOCK_BOOTTIME: added to the programs' boot-clock readings, it gives ns since
/// the epoch (monotonic and consistent across CPUs, as the merge needs).
fn boot_to_epoch_ns() -> u64 {
    let ns = |clock| {
        nix::time::clock_gettime(clock)
            .map(|t| t.tv_sec() as u64 * 1_000_000_000 + t.tv_nsec() as u64)
            .unwrap_or(0)
    };
    let real = ns(nix::time::ClockId::CLOCK_REALTIME);
    let boot = ns(nix::time::ClockId::CLOCK_BOOTTIME);
    real.wrapping_sub(boot)
}

impl Capture for EbpfCapture {
    fn kind(&self) -> &'static str {
        "modern_ebpf"
    }

    fn enable_capture(&mut self) -> Result<(), CaptureError> {
        self.settings.capture = 1;
        self.store_settings()
    }

    fn disable_capture(&mut self) -> Result<(), CaptureError> {
        self.settings.capture = 0;
        self.store_settings()
    }

    fn set_snaplen(&mut self, snaplen: u32) -> Result<(), CaptureError> {
        self.settings.snaplen = snaplen.min(abi::MAX_SNAPLEN);
        self.store_settings()
    }

    fn set_dropfailed(&mut self, on: bool) -> Result<(), CaptureError> {
        self.settings.dropfailed = on as u8;
        self.store_settings()
    }

    fn set_syscalls(&mut self, nrs: &[u32], all: bool) -> Result<(), CaptureError> {
        self.settings.interesting = [all as u8; SYSCALL_TABLE_SIZE];
        for &nr in nrs {
            if let Some(slot) = self.settings.interesting.get_mut(nr as usize) {
                *slot = 1;
            }
        }
        self.store_settings()
    }

    fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, CaptureError> {
        let per = self.cpus_per_ring;
        match self.rings.next_event() {
            Ok(Some((ring, bytes))) => Ok(Some(((ring as u32 * per) as u16, bytes))),
            Ok(None) => Ok(None),
            Err(b) => Err(CaptureError::Ebpf(EbpfError::Corrupt {
                ring: b.ring,
                pos: b.pos,
                len: b.len,
            })),
        }
    }

    /// Sleeps with backoff (500 µs doubling to 30 ms, as for the kernel module) on the rings'
    /// epoll: writes wake it only past the wakeup threshold.
    fn wait(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut nap = Duration::from_micros(500);
        let mut events = [EpollEvent::empty(); 8];
        loop {
            if self.rings.has_event() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let ms = nap.min(deadline - now).as_millis().max(1) as u16;
            let _ = self.epoll.wait(&mut events, EpollTimeout::from(ms));
            nap = (nap * 2).min(Duration::from_millis(30));
        }
    }

    fn counters(&self) -> DriverCounters {
        let mut sum = Counters::default();
        if let Ok(per_cpu) = self.counters_map.get(&0, 0) {
            for c in per_cpu.iter() {
                sum.add(c);
            }
        }
        DriverCounters {
            n_evts: sum.n_evts,
            n_drops_buffer: sum.n_drops_buffer,
            n_drops_pf: sum.n_drops_pf,
            n_drops_bug: sum.n_drops_bug,
            n_drops_too_big: sum.n_drops_too_big,
            n_preemptions: 0,
            n_tp_hits: sum.n_tp_hits,
        }
    }

    fn num_rings(&self) -> usize {
        self.rings.count()
    }

    fn ring_bytes(&self) -> u64 {
        self.ring_bytes
    }

    fn backlog(&self) -> u64 {
        self.rings.backlog()
    }

    fn skip_all(&mut self) {
        self.rings.skip_all()
    }
}

impl Drop for EbpfCapture {
    fn drop(&mut self) {
        // Stop writers before the rings are unmapped; the programs go with the object.
        let _ = self.disable_capture();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoder_names_a_syscall() {
        for name in [
            "x_openat",
            "x_pread64",
            "x_umount2",
            "x_clone3",
            "x_accept4",
        ] {
            assert!(!encoder_syscalls(name).is_empty(), "{name}");
        }
        assert_eq!(encoder_syscalls("x_openat"), vec![257]);
        assert!(encoder_syscalls("x_nosuchcall").is_empty());
        assert!(encoder_syscalls("sys_exit").is_empty());
    }

    #[test]
    fn presets() {
        assert_eq!(preset_bytes(1), 1 << 20);
        assert_eq!(preset_bytes(4), 8 << 20);
        assert_eq!(preset_bytes(10), 512 << 20);
        assert_eq!(preset_bytes(0), abi::DEFAULT_RING_BYTES);
    }
}
