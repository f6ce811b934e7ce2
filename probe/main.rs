// SPDX-License-Identifier: GPL-2.0
//! falco_probe: the kernel side of falco. It attaches to the raw syscall and scheduler tracepoints,
//! encodes events in the scap format of sysdig and Falco, and writes them to one ring per CPU that
//! the consumer maps through the misc device `/dev/falco` (see abi.rs for the ring protocol, the
//! mmap layout and the ioctls, and docs/probe.md for the design).
//!
//! One consumer at a time: opening the device allocates the rings and attaches the tracepoints
//! (capture stays off until IOCTL_ENABLE_CAPTURE); the last close detaches and frees everything.
//!
//! Raw pointers from the kernel become typed references once, at the tracepoint entry points
//! (ffi.rs says how); every unsafe block says why it is sound, which `make lint` enforces.
#![deny(clippy::undocumented_unsafe_blocks)]

use core::sync::atomic::{AtomicBool, Ordering};
use kernel::fs::File;
use kernel::miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration};
use kernel::mm::virt::VmaNew;
use kernel::page::PAGE_SIZE;
use kernel::prelude::*;
use kernel::uaccess::UserSlice;

// Shared with userspace, where its items are public API.
#[allow(unreachable_pub)]
mod abi;
mod convert;
mod event;
mod ffi;
mod fillers;
mod ring;
mod syscalls;
mod tp;

module! {
    type: FalcoProbe,
    name: "falco_probe",
    authors: ["The falco authors"],
    description: "Falco runtime-security probe: syscall events in per-CPU rings, scap format",
    license: "GPL",
    params: {
        ring_bytes: u64 {
            default: crate::abi::DEFAULT_RING_BYTES,
            description: "Ring data size per CPU in bytes: a power of two, at least 128 KiB (default 8 MiB)",
        },
    },
}

#[pin_data(PinnedDrop)]
struct FalcoProbe {
    #[pin]
    _dev: MiscDeviceRegistration<FalcoDev>,
}

/// The ring size from the module parameter, validated.
fn ring_bytes() -> Result<u64> {
    let b = module_parameters::ring_bytes.value();
    let min = 2 * event::MAX_EVENT_BYTES as u64;
    if !b.is_power_of_two() || b < min || b % PAGE_SIZE as u64 != 0 || b > abi::MAX_RING_BYTES {
        pr_err!(
            "ring_bytes={} must be a power of two between {} and 1 GiB\n",
            b,
            min
        );
        return Err(EINVAL);
    }
    Ok(b)
}

impl kernel::InPlaceModule for FalcoProbe {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(|| {
            let bytes = ring_bytes()?;
            tp::resolve()?;
            pr_info!(
                "loaded: /dev/{}, {} rings of {} KiB, API {}.{}.{}, schema {}.{}.{}\n",
                abi::DEVICE_NAME,
                kernel::cpu::nr_cpu_ids(),
                bytes >> 10,
                abi::API_VERSION_MAJOR,
                abi::API_VERSION_MINOR,
                abi::API_VERSION_PATCH,
                abi::SCHEMA_VERSION_MAJOR,
                abi::SCHEMA_VERSION_MINOR,
                abi::SCHEMA_VERSION_PATCH
            );
            Ok(try_pin_init!(Self {
                _dev <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"falco" }),
            }))
        })
    }
}

#[pinned_drop]
impl PinnedDrop for FalcoProbe {
    fn drop(self: Pin<&mut Self>) {
        // The device cannot be open here (an open file holds a module reference), so the
        // tracepoints are already detached and the rings freed.
        pr_info!("unloaded\n");
    }
}

/// True while the device is open: one consumer at a time.
static OPEN: AtomicBool = AtomicBool::new(false);
/// True while an ioctl that attaches or detaches tracepoints runs.
static ATTACHING: AtomicBool = AtomicBool::new(false);

/// Allocates the rings, publishes them, attaches the probes.
fn start() -> Result {
    tp::CONFIG.reset();
    let session = KBox::new(tp::Session::new(ring_bytes()?)?, GFP_KERNEL)?;
    tp::SESSION.store(KBox::into_raw(session), Ordering::Release);
    if let Err(e) = tp::attach_all() {
        stop();
        pr_err!("attaching tracepoints failed: {:?}\n", e);
        return Err(e);
    }
    Ok(())
}

/// Detaches the probes, waits until none runs, frees the rings.
fn stop() {
    tp::CONFIG.capture.store(false, Ordering::Relaxed);
    tp::detach_all();
    let p = tp::SESSION.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !p.is_null() {
        // SAFETY: `p` came from KBox::into_raw in `start`, and no probe can reach it any more:
        // they are detached and synchronized.
        drop(unsafe { KBox::from_raw(p) });
    }
}

fn session() -> Result<&'static tp::Session> {
    let p = tp::SESSION.load(Ordering::Acquire);
    // SAFETY: the session lives until the device's release, and every caller is a file
    // operation on the open device.
    (!p.is_null()).then(|| unsafe { &*p }).ok_or(ENODEV)
}

struct FalcoDev;

#[vtable]
impl MiscDevice for FalcoDev {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        if OPEN.swap(true, Ordering::AcqRel) {
            return Err(EBUSY);
        }
        let dev = start().and_then(|()| Ok(KBox::new(FalcoDev, GFP_KERNEL)?));
        if dev.is_err() {
            stop();
            OPEN.store(false, Ordering::Release);
        }
        dev
    }

    fn release(dev: KBox<Self>, _file: &File) {
        drop(dev);
        stop();
        OPEN.store(false, Ordering::Release);
    }

    /// Maps part of one CPU's region (abi::ring_mmap_offset): the consumer page alone may be
    /// writable; every other mapping must be read-only.
    fn mmap(_dev: &FalcoDev, _file: &File, vma: &VmaNew) -> Result {
        let s = session()?;
        let bytes = s.rings.first().ok_or(ENODEV)?.bytes();
        let region = abi::ring_region_pages(bytes) as usize;
        // SAFETY: the vma is being set up for us and not yet visible to anyone else.
        let pgoff = unsafe { (*vma.as_ptr()).vm_pgoff };
        let npages = (vma.end() - vma.start()) / PAGE_SIZE;
        let (cpu, first) = (
            pgoff.checked_div(region).ok_or(EINVAL)?,
            pgoff.checked_rem(region).ok_or(EINVAL)?,
        );
        let ring = s.rings.get(cpu).ok_or(EINVAL)?;
        if npages == 0 || first + npages > region {
            return Err(EINVAL);
        }
        // Shared mappings only: a private one would copy the consumer page on write, and the
        // kernel would never see the tail.
        if vma.flags() & kernel::mm::virt::flags::SHARED == 0 {
            return Err(EINVAL);
        }
        let consumer_only = first == abi::RING_CONSUMER_PAGE as usize && npages == 1;
        if !consumer_only {
            vma.try_clear_maywrite()?;
        }
        vma.try_clear_mayexec()?;
        vma.set_dontcopy();
        vma.set_dontexpand();
        let map = vma.set_mixedmap();
        for i in 0..npages {
            map.vm_insert_page(vma.start() + i * PAGE_SIZE, ring.region_page(first + i))?;
        }
        Ok(())
    }

    fn ioctl(_dev: &FalcoDev, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let put_u64 = |v: u64| -> Result<isize> {
            UserSlice::new(UserPtr::from_addr(arg), 8)
                .writer()
                .write_slice(&v.to_ne_bytes())?;
            Ok(0)
        };
        let cfg = &tp::CONFIG;
        match cmd {
            abi::IOCTL_GET_API_VERSION => put_u64(abi::API_VERSION),
            abi::IOCTL_GET_SCHEMA_VERSION => put_u64(abi::SCHEMA_VERSION),
            abi::IOCTL_GET_NRINGS => put_u64(session()?.rings.len() as u64),
            abi::IOCTL_GET_RING_BYTES => put_u64(session()?.rings.first().ok_or(ENODEV)?.bytes()),
            abi::IOCTL_ENABLE_CAPTURE => {
                cfg.capture.store(true, Ordering::Relaxed);
                Ok(0)
            }
            abi::IOCTL_DISABLE_CAPTURE => {
                cfg.capture.store(false, Ordering::Relaxed);
                Ok(0)
            }
            abi::IOCTL_SET_SNAPLEN => {
                if arg as u64 > u64::from(abi::MAX_SNAPLEN) {
                    return Err(EINVAL);
                }
                cfg.snaplen.store(arg as u32, Ordering::Relaxed);
                Ok(0)
            }
            abi::IOCTL_ENABLE_SYSCALL => cfg.set_syscall(arg as u64, true).map(|()| 0),
            abi::IOCTL_DISABLE_SYSCALL => cfg.set_syscall(arg as u64, false).map(|()| 0),
            abi::IOCTL_SET_ALL_SYSCALLS => {
                cfg.set_all(arg != 0);
                Ok(0)
            }
            abi::IOCTL_ENABLE_DROPFAILED => {
                cfg.dropfailed.store(true, Ordering::Relaxed);
                Ok(0)
            }
            abi::IOCTL_DISABLE_DROPFAILED => {
                cfg.dropfailed.store(false, Ordering::Relaxed);
                Ok(0)
            }
            abi::IOCTL_ENABLE_TP | abi::IOCTL_DISABLE_TP => {
                if ATTACHING.swap(true, Ordering::Acquire) {
                    return Err(EBUSY);
                }
                let r = tp::set_attached(arg as u64, cmd == abi::IOCTL_ENABLE_TP);
                ATTACHING.store(false, Ordering::Release);
                r.map(|()| 0)
            }
            abi::IOCTL_GET_STATS => {
                let s = session()?;
                let mut st = abi::ProbeStats {
                    n_cpus: s.rings.len() as u64,
                    ring_bytes: s.rings.first().map_or(0, |r| r.bytes()),
                    ..Default::default()
                };
                for r in s.rings.iter() {
                    st.add_ring(&r.stats());
                }
                // SAFETY: ProbeStats is repr(C) and made only of u64s: no padding, any bytes valid.
                let bytes = unsafe {
                    core::slice::from_raw_parts(
                        core::ptr::addr_of!(st).cast::<u8>(),
                        core::mem::size_of::<abi::ProbeStats>(),
                    )
                };
                UserSlice::new(UserPtr::from_addr(arg), bytes.len())
                    .writer()
                    .write_slice(bytes)?;
                Ok(0)
            }
            _ => Err(ENOTTY),
        }
    }
}
