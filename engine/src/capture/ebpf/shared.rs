//! The structures the eBPF programs and this crate share through maps: declared once here, and
//! written out as C (with layout assertions) into `probe-ebpf/abi.h` by [`super::abi_header`].

use crate::abi::SYSCALL_TABLE_SIZE;

/// Declares a `#[repr(C)]` struct and its C declaration from one list of fields. Each field gives
/// its Rust type and the C type (array fields give the C dimension as a suffix).
macro_rules! shared_struct {
    ($(#[$m:meta])* $name:ident = $cname:literal {
        $($(#[$fm:meta])* $f:ident : $t:ty => $ct:literal $([$dim:literal])?),* $(,)?
    }) => {
        $(#[$m])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug)]
        pub struct $name { $($(#[$fm])* pub $f: $t),* }

        impl $name {
            /// The C declaration (`struct NAME { ... };`).
            pub const C_NAME: &'static str = $cname;
            /// `(C field declaration, Rust offset)` of every field, in order.
            pub fn c_fields() -> Vec<(String, usize)> {
                vec![$((
                    format!("{} {}{}", $ct, stringify!($f), concat!($("[", $dim, "]")?)),
                    std::mem::offset_of!($name, $f),
                )),*]
            }
        }

        // SAFETY: plain integers and arrays of them, no padding (checked by the C assertions and
        // `no_padding` below), so any bit pattern is a valid value.
        unsafe impl aya::Pod for $name {}
    };
}

shared_struct! {
    /// What userspace tells the programs (map `settings`, one entry). The programs read it on every
    /// syscall; userspace rewrites it whole.
    Settings = "falco_settings" {
        /// Added to `bpf_ktime_get_boot_ns()` to give ns since the epoch.
        boot_to_epoch_ns: u64 => "__u64",
        /// Events are written without waking the consumer, which drains on a short timer; past
        /// this many unread bytes in a ring they wake it (0: always wake).
        wakeup_bytes: u64 => "__u64",
        /// Bytes of I/O buffers captured.
        snaplen: u32 => "__u32",
        /// Events are written only while this is 1.
        capture: u8 => "__u8",
        /// 1: exit events of failed syscalls are dropped (drop_failed_exit).
        dropfailed: u8 => "__u8",
        pad: [u8; 2] => "__u8" [2],
        /// 1 for every x86_64 syscall number whose events are wanted.
        interesting: [u8; SYSCALL_TABLE_SIZE] => "__u8" [512],
    }
}

shared_struct! {
    /// Per-CPU counters (map `counters`, a per-CPU array of one entry), the kernel module's
    /// `RingInfo` counters under the same names.
    #[derive(Default)]
    Counters = "falco_counters" {
        /// Events written.
        n_evts: u64 => "__u64",
        /// Events dropped because the ring buffer was full.
        n_drops_buffer: u64 => "__u64",
        /// Events in which a read of user memory faulted (the parameter is empty, the event kept).
        n_drops_pf: u64 => "__u64",
        /// Events dropped by an encoder failure (should stay 0).
        n_drops_bug: u64 => "__u64",
        /// Events dropped for exceeding the maximum event size.
        n_drops_too_big: u64 => "__u64",
        /// Hits that reached an encoder (capture on and the syscall wanted).
        n_tp_hits: u64 => "__u64",
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            boot_to_epoch_ns: 0,
            wakeup_bytes: 0,
            snaplen: crate::abi::DEFAULT_SNAPLEN,
            capture: 0,
            dropfailed: 0,
            pad: [0; 2],
            interesting: [1; SYSCALL_TABLE_SIZE],
        }
    }
}

impl Counters {
    pub fn add(&mut self, o: &Counters) {
        self.n_evts += o.n_evts;
        self.n_drops_buffer += o.n_drops_buffer;
        self.n_drops_pf += o.n_drops_pf;
        self.n_drops_bug += o.n_drops_bug;
        self.n_drops_too_big += o.n_drops_too_big;
        self.n_tp_hits += o.n_tp_hits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_padding() {
        assert_eq!(
            std::mem::size_of::<Settings>(),
            8 + 8 + 4 + 4 + SYSCALL_TABLE_SIZE
        );
        assert_eq!(std::mem::size_of::<Counters>(), 6 * 8);
    }
}
