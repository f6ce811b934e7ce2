//! A thread's cgroup list ([`Cgroups`]), and the lists parsed last ([`CgroupLists`]), shared by
//! the threads that get the same one: the processes of a container all have its list, and a
//! thread first seen mid-flight (no list yet) or coming from another container would otherwise
//! parse it again, two strings per cgroup.

use std::sync::{Arc, LazyLock};

use super::limits::MAX_CGROUPS_BYTES;
use super::threads::ThreadInfo;

/// A thread's cgroups as `(subsystem, path)` pairs, and the event bytes they were parsed from: a
/// clone or exec that stays in its cgroups is told by one comparison of those bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cgroups {
    pairs: Box<[(String, String)]>,
    raw: Box<[u8]>,
    /// The container id the paths give ("" on the host).
    container_id: String,
}

impl Cgroups {
    /// No cgroups, shared: every new thread starts with it.
    pub fn none() -> Arc<Cgroups> {
        static NONE: LazyLock<Arc<Cgroups>> = LazyLock::new(Arc::default);
        Arc::clone(&NONE)
    }

    pub(super) fn new(pairs: Box<[(String, String)]>, raw: &[u8]) -> Cgroups {
        let container_id = pairs
            .iter()
            .find_map(|(_, p)| super::containers::container_id_from_cgroup(p))
            .unwrap_or_default();
        Cgroups {
            pairs,
            raw: kept_bytes(raw).into(),
            container_id,
        }
    }

    /// The container id the paths give ("" on the host).
    pub fn container_id(&self) -> &str {
        &self.container_id
    }

    /// Whether these are the cgroups `raw` (an event's list) gives.
    pub fn parsed_from(&self, raw: &[u8]) -> bool {
        *self.raw == *kept_bytes(raw)
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.raw.len()
            + self.container_id.capacity()
            + self.pairs.len() * std::mem::size_of::<(String, String)>()
            + self
                .pairs
                .iter()
                .map(|(k, v)| k.capacity() + v.capacity())
                .sum::<usize>()
    }
}

impl std::ops::Deref for Cgroups {
    type Target = [(String, String)];
    fn deref(&self) -> &Self::Target {
        &self.pairs
    }
}

/// The part of an event's cgroup list that is parsed: at most [`MAX_CGROUPS_BYTES`], without the
/// final NUL.
fn kept_bytes(raw: &[u8]) -> &[u8] {
    let raw = &raw[..raw.len().min(MAX_CGROUPS_BYTES)];
    raw.strip_suffix(b"\0").unwrap_or(raw)
}

/// Lists kept: a few containers' worth; each is at most [`MAX_CGROUPS_BYTES`].
const RECENT: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct CgroupLists {
    /// Most recently used first.
    recent: Vec<Arc<Cgroups>>,
}

impl CgroupLists {
    /// [`ThreadInfo::set_cgroups`], taking a list parsed before when `raw` is one of them.
    pub fn set(&mut self, t: &mut ThreadInfo, raw: &[u8]) {
        if t.cgroups.parsed_from(raw) {
            return;
        }
        match self.recent.iter().position(|l| l.parsed_from(raw)) {
            Some(i) => {
                t.set_cgroup_list(Arc::clone(&self.recent[i]));
                self.recent[..=i].rotate_right(1);
            }
            None => {
                t.parse_cgroups(raw);
                self.recent.truncate(RECENT - 1);
                self.recent.insert(0, Arc::clone(&t.cgroups));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[u8] = b"cpuset=/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0mem_cgroup=/x\0";
    const B: &[u8] = b"cpuset=/\0";

    #[test]
    fn a_list_seen_before_is_shared_and_gives_what_parsing_it_gives() {
        let mut lists = CgroupLists::default();
        let (mut t1, mut t2, mut t3) = (
            ThreadInfo::unknown(1),
            ThreadInfo::unknown(2),
            ThreadInfo::unknown(3),
        );
        lists.set(&mut t1, A);
        lists.set(&mut t2, B);
        lists.set(&mut t3, A);
        assert!(Arc::ptr_eq(&t1.cgroups, &t3.cgroups));
        let mut parsed = ThreadInfo::unknown(4);
        parsed.set_cgroups(A);
        assert_eq!(*t3.cgroups, *parsed.cgroups);
        assert_eq!(t3.container_id, "0123456789ab");
        lists.set(&mut t3, B);
        assert!(Arc::ptr_eq(&t2.cgroups, &t3.cgroups) && t3.container_id.is_empty());
    }

    #[test]
    fn at_most_a_few_lists_are_kept() {
        let mut lists = CgroupLists::default();
        let mut t = ThreadInfo::unknown(1);
        for i in 0..3 * RECENT {
            lists.set(&mut t, format!("cpuset=/{i}\0").as_bytes());
        }
        assert_eq!(lists.recent.len(), RECENT);
        assert_eq!(&*lists.recent[0][0].1, format!("/{}", 3 * RECENT - 1));
    }
}
