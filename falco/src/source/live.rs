//! Live capture: events from a driver, the falco_probe kernel module's per-CPU rings
//! (engine.kind=kmod) or the CO-RE eBPF programs' ring buffers (engine.kind=modern_ebpf). Both are
//! a `falco_engine::capture::Capture`, read through the engine's live loop (`LiveStream`);
//! everything here is shared.
//!
//! Opening asks only for the syscalls the rules and state tracking need, starts capture, then seeds
//! the thread and fd tables from /proc (in that order, so nothing that happens during the scan is
//! missed). With two event threads (engine.threads) the rings are drained on a thread of their own
//! (`AheadCapture`). Reading sleeps with a short backoff when the rings are empty. Drops are the
//! driver's counters.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use falco_engine::capture::ebpf::{self, EbpfOptions};
use falco_engine::capture::select::{self, Selection};
use falco_engine::capture::{
    AheadCapture, Capture, EbpfCapture, EbpfError, LiveCapture, LiveError, LiveStep, LiveStream,
};
use falco_engine::filter::evttype::EventTypeSet;
use falco_engine::state::State;
use falco_engine::state::host::ExitSweep;

use super::{EventSource, Next, SourceError};
use crate::logger;
use crate::stats::{CpuCounters, SourceCounters};

/// Longest wait for an event before the pipeline gets an idle turn (signals, -M, output flushes).
const IDLE_WAIT: Duration = Duration::from_millis(100);
/// Decode problems are logged at most this often.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Which driver, and its own settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// The falco_probe kernel module.
    Kmod,
    /// The CO-RE eBPF programs: CPUs per ring buffer (0: one for all).
    ModernEbpf { cpus_for_each_buffer: u32 },
}

/// How to open live capture.
#[derive(Debug, Clone)]
pub struct LiveSettings {
    pub driver: Driver,
    /// The host's root: "/" normally, HOST_ROOT (e.g. /host) in a container.
    pub host_root: PathBuf,
    pub snaplen: Option<u32>,
    pub selection: Selection,
    /// drop_failed_exit: the driver drops exit events of failed syscalls.
    pub drop_failed: bool,
    /// buf_size_preset (Falco's table: 1 = 1 MiB ... 10 = 512 MiB per ring).
    pub buf_size_preset: u8,
    /// falco_libs.thread_table_auto_purging_interval_s: how often threads that exited unseen
    /// (their procexit dropped) are looked for in /proc.
    pub purge_interval: Duration,
    /// engine.threads: with 2, the driver's rings are read on a thread of their own.
    pub threads: usize,
}

impl LiveSettings {
    pub fn device(&self) -> PathBuf {
        self.host_root.join("dev/falco")
    }
}

pub struct LiveSource {
    stream: LiveStream,
    selection: Selection,
    last_warning: Option<Instant>,
    proc_root: PathBuf,
    sweep: ExitSweep,
    next_sweep: Instant,
    sweep_every: Duration,
    /// Calls to `next`, so the clock is read only every few thousand events.
    calls: u32,
}

/// The error for a device that would not open, with the cause and the fix.
fn open_error(settings: &LiveSettings, err: LiveError) -> anyhow::Error {
    let dev = settings.device();
    let module_loaded = settings.host_root.join("sys/module/falco_probe").exists()
        || Path::new("/sys/module/falco_probe").exists();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let hint = match &err {
        LiveError::Open { source, .. } => match source.raw_os_error() {
            Some(libc::ENOENT) | Some(libc::ENXIO) | Some(libc::ENODEV) if !module_loaded => {
                "the falco_probe kernel module is not loaded. Load it with `sudo falco-probe-loader` \
                 (it builds the probe for this kernel with DKMS), or from a source checkout with \
                 `sudo make probe-load`; then start falco again. To analyse a capture file instead, \
                 use -e FILE."
                    .to_string()
            }
            Some(libc::ENOENT) => format!(
                "the falco_probe module is loaded but {} does not exist: is devtmpfs mounted on /dev \
                 (in a container, mount the host's /dev under HOST_ROOT/dev)?",
                dev.display()
            ),
            Some(libc::EACCES) | Some(libc::EPERM) if !root => format!(
                "{} is readable by root only: run falco as root (sudo), or in a privileged container",
                dev.display()
            ),
            Some(libc::EACCES) | Some(libc::EPERM) => format!(
                "permission denied on {} although running as root: a security module (SELinux, \
                 AppArmor) or the container's device cgroup forbids it",
                dev.display()
            ),
            Some(libc::EBUSY) => format!(
                "{} is already open: another falco (or sysdig-like consumer) is running; only one \
                 reader at a time is supported (`fuser -v {}` shows which)",
                dev.display(),
                dev.display()
            ),
            _ => String::new(),
        },
        LiveError::ApiVersion { .. } | LiveError::SchemaVersion { .. } => {
            "the loaded falco_probe was built from another falco version. Reload the matching one: \
             `sudo rmmod falco_probe && sudo falco-probe-loader`"
                .to_string()
        }
        _ => String::new(),
    };
    if hint.is_empty() {
        anyhow!(err)
    } else {
        anyhow!("{err}\n{hint}")
    }
}

/// Opens the configured driver.
fn open_driver(settings: &LiveSettings) -> Result<Box<dyn Capture>> {
    match settings.driver {
        Driver::Kmod => {
            let cap = LiveCapture::open(&settings.device()).map_err(|e| open_error(settings, e))?;
            if (1..=10).contains(&settings.buf_size_preset) {
                let want = ebpf::preset_bytes(settings.buf_size_preset);
                if want != cap.ring_bytes() {
                    logger::warning(&format!(
                        "engine.kmod.buf_size_preset {} asks for {} MiB rings, but the loaded probe has \
                         {} MiB: the ring size is fixed when the module loads (falco-probe-loader \
                         --param ring_bytes={want})",
                        settings.buf_size_preset,
                        want >> 20,
                        cap.ring_bytes() >> 20
                    ));
                }
            }
            Ok(Box::new(cap))
        }
        Driver::ModernEbpf {
            cpus_for_each_buffer,
        } => {
            let opts = EbpfOptions {
                cpus_for_each_buffer,
                ring_bytes: ebpf::preset_bytes(settings.buf_size_preset),
            };
            let cap = EbpfCapture::open(&opts).map_err(ebpf_open_error)?;
            Ok(Box::new(cap))
        }
    }
}

/// The error for an eBPF driver that would not start: the error names the missing piece.
fn ebpf_open_error(err: EbpfError) -> anyhow::Error {
    anyhow!("cannot start the modern_ebpf driver: {err}")
}

impl LiveSource {
    /// Opens the driver, configures it for `required` event types (and the ppm_sc codes of
    /// syscalls without their own events that the rules name), starts capture, and seeds `state`.
    pub fn open(
        settings: &LiveSettings,
        required: &EventTypeSet,
        rule_syscalls: &[u16],
        state: &mut State,
    ) -> Result<LiveSource> {
        let mut driver = open_driver(settings)?;
        if settings.threads >= 2 {
            driver =
                Box::new(AheadCapture::spawn(driver).context("starting the ring reader thread")?);
        }
        let mut src = LiveSource {
            stream: LiveStream::new(driver),
            selection: settings.selection.clone(),
            last_warning: None,
            proc_root: settings.host_root.join("proc"),
            sweep: ExitSweep::default(),
            next_sweep: Instant::now() + settings.purge_interval,
            sweep_every: settings.purge_interval,
            calls: 0,
        };
        if let Some(n) = settings.snaplen {
            src.stream
                .capture_mut()
                .set_snaplen(n)
                .context("setting the snaplen")?;
        }
        src.stream
            .capture_mut()
            .set_dropfailed(settings.drop_failed)
            .context("setting drop_failed_exit")?;
        let n = src.set_mask(required, rule_syscalls)?;
        let ignored = select::ignored_rule_syscalls(required, &settings.selection);
        if !ignored.is_empty() {
            logger::warning(&format!(
                "Loaded rules match high-volume syscalls that are not captured without -A: {} \
                 (falco -i lists them; run with -A to capture them)",
                ignored.join(", ")
            ));
        }
        let what = match settings.driver {
            Driver::Kmod => format!("the kernel probe {}", settings.device().display()),
            Driver::ModernEbpf { .. } => "the modern_ebpf driver (CO-RE eBPF)".to_string(),
        };
        logger::info(&format!(
            "Opened {what}: {} ring buffers of {} KiB, {} syscalls enabled{}, {}",
            src.stream.capture().num_rings(),
            src.stream.capture().ring_bytes() / 1024,
            n,
            if settings.selection.all {
                " (-A: all)"
            } else {
                " (rules + state tracking)"
            },
            if settings.threads >= 2 {
                "read ahead on a thread of their own (engine.threads 2)"
            } else {
                "read by the event thread (engine.threads 1)"
            }
        ));
        // Capture before the scan: a process that starts or opens a file while /proc is read then
        // also arrives as events, which replace what the scan saw.
        src.stream
            .capture_mut()
            .enable_capture()
            .context("starting capture")?;
        let started = Instant::now();
        let scan = state.seed_from_host(&settings.host_root);
        logger::info(&format!(
            "Read {} threads and {} fds from {} in {} ms",
            scan.threads,
            scan.fds,
            settings.host_root.join("proc").display(),
            started.elapsed().as_millis()
        ));
        Ok(src)
    }

    /// Points the driver's syscall selection at the current rules. Returns how many are enabled.
    fn set_mask(&mut self, required: &EventTypeSet, rule_syscalls: &[u16]) -> Result<usize> {
        let nrs = select::syscall_numbers(required, rule_syscalls, &self.selection)?;
        self.stream
            .capture_mut()
            .set_syscalls(&nrs, self.selection.all)?;
        Ok(nrs.len())
    }
}

/// Logs `msg` unless another warning went out less than WARN_EVERY ago.
fn warn_limited(last: &mut Option<Instant>, msg: &str) {
    if last.is_none_or(|t| t.elapsed() >= WARN_EVERY) {
        *last = Some(Instant::now());
        logger::warning(msg);
    }
}

impl Drop for LiveSource {
    fn drop(&mut self) {
        // Closing the driver detaches it too; this stops writers first.
        let _ = self.stream.capture_mut().disable_capture();
    }
}

impl EventSource for LiveSource {
    fn name(&self) -> &'static str {
        self.stream.capture().kind()
    }

    fn is_live(&self) -> bool {
        true
    }

    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError> {
        self.calls = self.calls.wrapping_add(1);
        if self.calls.is_multiple_of(4096) && Instant::now() >= self.next_sweep {
            let n = state.sweep_exited_threads(&self.proc_root, &mut self.sweep);
            if n > 0 {
                logger::debug(&format!(
                    "Forgot {n} threads that exited while their events were dropped"
                ));
            }
            self.next_sweep = Instant::now() + self.sweep_every;
        }
        match self.stream.next(IDLE_WAIT)? {
            LiveStep::Event(event) => Ok(Next::Event { event, flags: 0 }),
            LiveStep::Idle => {
                // An idle moment: the next call checks the clock.
                self.calls = 4095;
                Ok(Next::Idle)
            }
            LiveStep::Skipped(problem) => {
                warn_limited(&mut self.last_warning, &problem);
                Ok(Next::Idle)
            }
        }
    }

    fn counters(&self) -> SourceCounters {
        let d = self.stream.capture().counters();
        SourceCounters {
            n_evts: d.n_evts,
            n_drops_buffer: d.n_drops_buffer,
            n_drops_page_faults: d.n_drops_pf,
            n_drops_bug: d.n_drops_bug + self.stream.undecodable(),
            n_drops_too_big: d.n_drops_too_big,
            n_preemptions: d.n_preemptions,
        }
    }

    fn per_cpu(&self) -> Vec<CpuCounters> {
        let cap = self.stream.capture();
        (0..cap.num_rings())
            .filter_map(|cpu| {
                let i = cap.ring_counters(cpu)?;
                Some(CpuCounters {
                    cpu: cpu as u32,
                    n_evts: i.n_evts,
                    n_drops: i.n_drops_buffer + i.n_drops_bug + i.n_drops_too_big,
                })
            })
            .collect()
    }

    fn rules_changed(&mut self, required: &EventTypeSet, rule_syscalls: &[u16]) {
        match self.set_mask(required, rule_syscalls) {
            Ok(n) => logger::info(&format!(
                "Syscall set updated for the new rules: {n} syscalls"
            )),
            Err(e) => logger::error(&format!(
                "cannot update the driver's syscall set for the new rules: {e:#}"
            )),
        }
    }
}
