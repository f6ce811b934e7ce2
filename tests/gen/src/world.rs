//! A simulated machine whose processes clone, exec, open, read, write, connect and exit, written as
//! a capture. Each operation emits the enter/exit pairs a 2018-era driver would (the layouts sysdig
//! 0.29.3 reads), so the same file serves falco's benchmarks and the sysdig oracle.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use anyhow::Result;
use falco_engine::abi::event_id as ev;
use falco_engine::scap::writer::CaptureHeader;
use falco_engine::scap::{
    FdEntry, GroupEntry, Interface, MachineInfo, ProcEntry, ScapWriter, UserEntry,
};

use crate::builder::EventBuilder;

/// PPM open flags.
pub const O_RDONLY: u32 = 1;
pub const O_WRONLY: u32 = 2;
pub const O_RDWR: u32 = 3;
pub const O_CREAT: u32 = 1 << 2;
pub const O_TRUNC: u32 = 1 << 8;
pub const O_CLOEXEC: u32 = 1 << 12;
pub const SOCK_STREAM: u32 = 1;
pub const SOCK_DGRAM: u32 = 2;
/// PPM clone flags.
const CL_CLONE_CHILD_CLEARTID: u32 = 1 << 23;
const CL_CLONE_CHILD_SETTID: u32 = 1 << 24;
const AT_FDCWD: i64 = -100;

/// A small deterministic generator (xorshift64*), so captures are reproducible from their seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What the simulation knows about one process (single-threaded: tid == pid).
#[derive(Clone)]
pub struct Proc {
    pub pid: i64,
    pub ppid: i64,
    pub comm: String,
    pub exe: String,
    pub exepath: String,
    pub args: Vec<String>,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub cgroups: Vec<String>,
    pub env: Vec<String>,
    pub vpid: i64,
    next_fd: i64,
    open_fds: Vec<i64>,
}

/// The simulated machine and the capture being written.
pub struct World {
    out: ScapWriter,
    ev: EventBuilder,
    pub rng: Rng,
    pub ts: u64,
    next_pid: i64,
    pub procs: HashMap<i64, Proc>,
    cpu: u16,
    pub events: u64,
}

const HOST_CGROUPS: &[&str] = &[
    "cpuset=/",
    "cpu=/user.slice",
    "memory=/user.slice",
    "pids=/user.slice/user-1000.slice",
];
const ENV: &[&str] = &[
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME=/root",
    "LANG=C.UTF-8",
    "TERM=xterm",
];

impl World {
    /// Starts a capture at `path` with a process list of a typical small server.
    pub fn create(path: &std::path::Path, gzip: bool, seed: u64) -> Result<World> {
        let mut w = World {
            out: ScapWriter::create(path, gzip)?,
            ev: EventBuilder::default(),
            rng: Rng::new(seed),
            // 2026-01-01T00:00:00Z
            ts: 1_767_225_600_000_000_000,
            next_pid: 1000,
            procs: HashMap::new(),
            cpu: 0,
            events: 0,
        };
        let initial = [
            (1, 0, "systemd", "/usr/lib/systemd/systemd", "/", 0),
            (400, 1, "sshd", "/usr/sbin/sshd", "/", 0),
            (410, 1, "cron", "/usr/sbin/cron", "/var/spool/cron", 0),
            (420, 1, "nginx", "/usr/sbin/nginx", "/", 33),
            (430, 1, "containerd", "/usr/bin/containerd", "/", 0),
            (500, 400, "bash", "/usr/bin/bash", "/root", 0),
            (510, 400, "bash", "/usr/bin/bash", "/home/alice", 1000),
        ];
        for (pid, ppid, comm, path, cwd, uid) in initial {
            w.procs.insert(
                pid,
                Proc {
                    pid,
                    ppid,
                    comm: comm.into(),
                    exe: path.into(),
                    exepath: path.into(),
                    args: Vec::new(),
                    cwd: cwd.into(),
                    uid,
                    gid: uid,
                    cgroups: HOST_CGROUPS.iter().map(|s| s.to_string()).collect(),
                    env: ENV.iter().map(|s| s.to_string()).collect(),
                    vpid: pid,
                    next_fd: 3,
                    open_fds: Vec::new(),
                },
            );
        }
        let header = CaptureHeader {
            machine: MachineInfo {
                num_cpus: 2,
                memory_bytes: 8 << 30,
                max_pid: 4_194_304,
                hostname: "gen-host".into(),
                boot_ts: w.ts - 3_600_000_000_000,
                flags: 0,
            },
            interfaces: vec![
                Interface {
                    name: "lo".into(),
                    addr: Ipv4Addr::LOCALHOST.into(),
                    netmask: Ipv4Addr::new(255, 0, 0, 0).into(),
                    bcast: Ipv4Addr::LOCALHOST.into(),
                    linkspeed: 0,
                },
                Interface {
                    name: "eth0".into(),
                    addr: Ipv4Addr::new(10, 0, 0, 5).into(),
                    netmask: Ipv4Addr::new(255, 255, 255, 0).into(),
                    bcast: Ipv4Addr::new(10, 0, 0, 255).into(),
                    linkspeed: 1000,
                },
            ],
            users: vec![
                user(0, "root", "/root", "/bin/bash"),
                user(33, "www-data", "/var/www", "/usr/sbin/nologin"),
                user(1000, "alice", "/home/alice", "/bin/bash"),
            ],
            groups: vec![
                group(0, "root"),
                group(33, "www-data"),
                group(1000, "alice"),
            ],
            processes: w.procs.values().map(proc_entry).collect(),
            fds: w
                .procs
                .keys()
                .map(|&pid| {
                    let std = |fd: i64, name: &str| FdEntry {
                        fd,
                        ino: 0,
                        kind: falco_engine::scap::FdKind::FileV2,
                        detail: falco_engine::scap::blocks::FdDetail::File {
                            open_flags: O_RDWR,
                            name: name.into(),
                            dev: 0,
                        },
                    };
                    (
                        pid,
                        vec![
                            std(0, "/dev/null"),
                            std(1, "/dev/null"),
                            std(2, "/dev/null"),
                        ],
                    )
                })
                .collect(),
        };
        w.out.write_header(&header)?;
        Ok(w)
    }

    pub fn finish(self) -> Result<u64> {
        let n = self.events;
        self.out.finish()?;
        Ok(n)
    }

    fn tick(&mut self) -> u64 {
        self.ts += 200 + self.rng.below(20_000);
        self.ts
    }

    /// Emits the event built by `f` for thread `tid`.
    pub(crate) fn emit(
        &mut self,
        tid: i64,
        etype: u16,
        f: impl FnOnce(&mut EventBuilder),
    ) -> Result<()> {
        let ts = self.tick();
        self.ev.start(ts, tid, etype);
        f(&mut self.ev);
        let bytes = self.ev.finish();
        self.out.write_raw_event(bytes, self.cpu, 0, false)?;
        self.events += 1;
        Ok(())
    }

    /// Forks `parent` (clone exit in the parent and in the child), then execs `exepath` in the child.
    pub fn spawn(&mut self, parent: i64, exepath: &str, args: &[&str]) -> Result<i64> {
        let child = self.fork(parent)?;
        let mut c = self.procs[&child].clone();
        // execve: the new image.
        let comm = exepath
            .rsplit('/')
            .next()
            .unwrap_or(exepath)
            .chars()
            .take(15)
            .collect::<String>();
        c.comm = comm;
        c.exe = exepath.to_string();
        c.exepath = exepath.to_string();
        c.args = args.iter().map(|s| s.to_string()).collect();
        self.emit(child, ev::SYSCALL_EXECVE_19_E, |b| {
            b.str(exepath);
        })?;
        let ce = c.clone();
        self.emit(child, ev::SYSCALL_EXECVE_19_X, |b| {
            execve_exit_head(b, &ce, child, parent, 0).u32(0);
        })?;
        self.procs.insert(child, c);
        Ok(child)
    }

    /// Forks `parent` (clone exit in the parent and in the child); the child runs the parent's
    /// program until it execs.
    pub fn fork(&mut self, parent: i64) -> Result<i64> {
        let child = self.next_pid;
        self.next_pid += 1 + self.rng.below(3) as i64;
        self.cpu ^= 1;
        let p = self.procs[&parent].clone();
        let flags = CL_CLONE_CHILD_CLEARTID | CL_CLONE_CHILD_SETTID;
        self.emit(parent, ev::SYSCALL_CLONE_20_E, |_| {})?;
        let clone_exit =
            |b: &mut EventBuilder, res: i64, tid: i64, pid: i64, ptid: i64, p: &Proc| {
                let args: Vec<&str> = p.args.iter().map(String::as_str).collect();
                let cg: Vec<&str> = p.cgroups.iter().map(String::as_str).collect();
                b.i64(res)
                    .str(&p.exe)
                    .strs(&args)
                    .i64(tid)
                    .i64(pid)
                    .i64(ptid)
                    .str(&p.cwd)
                    .i64(1024)
                    .u64(0)
                    .u64(120)
                    .u32(8000)
                    .u32(2000)
                    .u32(0)
                    .str(&p.comm)
                    .strs(&cg)
                    .u32(flags)
                    .u32(p.uid)
                    .u32(p.gid)
                    // vtid/vpid: the ids inside the process's pid namespace (1 for a
                    // container's first process); the host ids outside containers.
                    .i64(if p.vpid > 0 && p.vpid != p.pid {
                        p.vpid
                    } else {
                        tid
                    })
                    .i64(if p.vpid > 0 && p.vpid != p.pid {
                        p.vpid
                    } else {
                        pid
                    });
            };
        self.emit(parent, ev::SYSCALL_CLONE_20_X, |b| {
            clone_exit(b, child, parent, parent, p.ppid, &p)
        })?;
        let mut c = p.clone();
        c.pid = child;
        c.ppid = parent;
        c.vpid = if p.vpid == p.pid { child } else { p.vpid + 1 };
        c.next_fd = 3;
        c.open_fds.clear();
        self.emit(child, ev::SYSCALL_CLONE_20_X, |b| {
            clone_exit(b, 0, child, child, parent, &c)
        })?;
        self.procs.insert(child, c);
        Ok(child)
    }

    /// openat(AT_FDCWD, path, flags) → the new fd (or the error if `fail`).
    pub fn open(&mut self, pid: i64, path: &str, flags: u32, mode: u32) -> Result<i64> {
        self.open_res(pid, path, flags, mode, None)
    }

    pub fn open_res(
        &mut self,
        pid: i64,
        path: &str,
        flags: u32,
        mode: u32,
        error: Option<i64>,
    ) -> Result<i64> {
        let fd = match error {
            Some(e) => e,
            None => {
                let p = self.procs.get_mut(&pid).expect("known process");
                let fd = p.next_fd;
                p.next_fd += 1;
                p.open_fds.push(fd);
                fd
            }
        };
        self.emit(pid, ev::SYSCALL_OPENAT_2_E, |b| {
            b.i64(AT_FDCWD).str(path).u32(flags).u32(mode);
        })?;
        self.emit(pid, ev::SYSCALL_OPENAT_2_X, |b| {
            b.i64(fd)
                .i64(AT_FDCWD)
                .str(path)
                .u32(flags)
                .u32(mode)
                .u32(0x803);
        })?;
        Ok(fd)
    }

    /// openat whose enter event names `enter_name` while its exit names `path`: some drivers leave
    /// the enter event's path empty and fill in the exit's.
    pub fn open_enter_named(
        &mut self,
        pid: i64,
        enter_name: &str,
        path: &str,
        flags: u32,
    ) -> Result<i64> {
        let p = self.procs.get_mut(&pid).expect("known process");
        let fd = p.next_fd;
        p.next_fd += 1;
        p.open_fds.push(fd);
        self.emit(pid, ev::SYSCALL_OPENAT_2_E, |b| {
            b.i64(AT_FDCWD).str(enter_name).u32(flags).u32(0);
        })?;
        self.emit(pid, ev::SYSCALL_OPENAT_2_X, |b| {
            b.i64(fd)
                .i64(AT_FDCWD)
                .str(path)
                .u32(flags)
                .u32(0)
                .u32(0x803);
        })?;
        Ok(fd)
    }

    pub fn read(&mut self, pid: i64, fd: i64, data: &[u8]) -> Result<()> {
        self.emit(pid, ev::SYSCALL_READ_E, |b| {
            b.i64(fd).u32(4096);
        })?;
        let n = data.len().min(80);
        self.emit(pid, ev::SYSCALL_READ_X, |b| {
            b.i64(data.len() as i64).raw(&data[..n]);
        })
    }

    pub fn write(&mut self, pid: i64, fd: i64, data: &[u8]) -> Result<()> {
        self.emit(pid, ev::SYSCALL_WRITE_E, |b| {
            b.i64(fd).u32(data.len() as u32);
        })?;
        let n = data.len().min(80);
        self.emit(pid, ev::SYSCALL_WRITE_X, |b| {
            b.i64(data.len() as i64).raw(&data[..n]);
        })
    }

    pub fn close(&mut self, pid: i64, fd: i64) -> Result<()> {
        if let Some(p) = self.procs.get_mut(&pid) {
            p.open_fds.retain(|f| *f != fd);
        }
        self.emit(pid, ev::SYSCALL_CLOSE_E, |b| {
            b.i64(fd);
        })?;
        self.emit(pid, ev::SYSCALL_CLOSE_X, |b| {
            b.i64(0);
        })
    }

    /// socket + connect to `ip:port` from an ephemeral port; returns the fd.
    pub fn connect(&mut self, pid: i64, ip: Ipv4Addr, port: u16) -> Result<i64> {
        self.connect_sock(pid, ip, port, SOCK_STREAM)
    }

    /// socket of `sock_type` (SOCK_STREAM, SOCK_DGRAM) + connect to `ip:port`; returns the fd.
    pub fn connect_sock(
        &mut self,
        pid: i64,
        ip: Ipv4Addr,
        port: u16,
        sock_type: u32,
    ) -> Result<i64> {
        let fd = {
            let p = self.procs.get_mut(&pid).expect("known process");
            let fd = p.next_fd;
            p.next_fd += 1;
            p.open_fds.push(fd);
            fd
        };
        self.emit(pid, ev::SOCKET_SOCKET_E, |b| {
            b.u32(2).u32(sock_type).u32(0);
        })?;
        self.emit(pid, ev::SOCKET_SOCKET_X, |b| {
            b.i64(fd);
        })?;
        self.emit(pid, ev::SOCKET_CONNECT_E, |b| {
            b.i64(fd).sockaddr4(ip, port);
        })?;
        let sport = 32768 + self.rng.below(28000) as u16;
        let local = if ip.is_loopback() {
            Ipv4Addr::LOCALHOST
        } else {
            Ipv4Addr::new(10, 0, 0, 5)
        };
        self.emit(pid, ev::SOCKET_CONNECT_X, |b| {
            b.i64(0).tuple4(local, sport, ip, port);
        })?;
        Ok(fd)
    }

    /// The server side: accept4 on a listening socket, returning the connection fd (the 2018 layout
    /// sysdig 0.29.3 knows).
    pub fn accept(&mut self, pid: i64, client: Ipv4Addr, local_port: u16) -> Result<i64> {
        let fd = {
            let p = self.procs.get_mut(&pid).expect("known process");
            let fd = p.next_fd;
            p.next_fd += 1;
            p.open_fds.push(fd);
            fd
        };
        self.emit(pid, ev::SOCKET_ACCEPT4_5_E, |b| {
            b.u32(0);
        })?;
        let cport = 40000 + self.rng.below(20000) as u16;
        self.emit(pid, ev::SOCKET_ACCEPT4_5_X, |b| {
            b.i64(fd)
                .tuple4(client, cport, Ipv4Addr::new(10, 0, 0, 5), local_port)
                .u8(0)
                .u32(0)
                .u32(511);
        })?;
        Ok(fd)
    }

    pub fn exit(&mut self, pid: i64) -> Result<()> {
        let fds = self
            .procs
            .get(&pid)
            .map(|p| p.open_fds.clone())
            .unwrap_or_default();
        for fd in fds {
            self.close(pid, fd)?;
        }
        self.emit(pid, ev::PROCEXIT_1_E, |b| {
            b.i64(0).i64(0).u8(0).u8(0);
        })?;
        self.procs.remove(&pid);
        Ok(())
    }

    /// A generic syscall event pair for a syscall the capture only counts (ppm_sc code).
    pub fn generic(&mut self, pid: i64, ppm_sc: u16) -> Result<()> {
        self.emit(pid, ev::GENERIC_E, |b| {
            b.u16(ppm_sc).u16(0);
        })?;
        self.emit(pid, ev::GENERIC_X, |b| {
            b.u16(ppm_sc);
        })
    }

    /// Emits a container description. Call before any other event: like libscap, the generator
    /// describes the containers that exist at the start of the capture with timestamp 0.
    pub fn container(&mut self, json: &str) -> Result<()> {
        self.container_event(0, 0, json)
    }

    /// A container description at `ts` from thread `tid` (-1 for the runtime's events, as libscap
    /// writes a container that starts during the capture).
    pub fn container_event(&mut self, ts: u64, tid: i64, json: &str) -> Result<()> {
        self.ev.start(ts, tid, ev::CONTAINER_JSON_E);
        self.ev.str(json);
        let bytes = self.ev.finish();
        self.out.write_raw_event(bytes, 0, 0, false)?;
        self.events += 1;
        Ok(())
    }

    /// The current time, advanced as by any event.
    pub fn now(&mut self) -> u64 {
        self.tick()
    }

    /// Moves a process into a container's cgroup (as a runtime does before exec).
    pub fn enter_container(&mut self, pid: i64, id64: &str) {
        if let Some(p) = self.procs.get_mut(&pid) {
            let scope = format!("/system.slice/docker-{id64}.scope");
            p.cgroups = vec![
                format!("cpuset={scope}"),
                format!("cpu={scope}"),
                format!("memory={scope}"),
                format!("pids={scope}"),
            ];
            p.vpid = 0;
            p.cwd = "/".into();
        }
    }

    pub fn ptrace_attach(&mut self, pid: i64, target: i64) -> Result<()> {
        self.emit(pid, ev::SYSCALL_PTRACE_E, |b| {
            b.u16(11).i64(target); // PPM_PTRACE_ATTACH
        })?;
        self.emit(pid, ev::SYSCALL_PTRACE_X, |b| {
            b.i64(0)
                .raw(&[0, 0, 0, 0, 0, 0, 0, 0, 0])
                .raw(&[0, 0, 0, 0, 0, 0, 0, 0, 0]);
        })
    }

    pub fn unlinkat(&mut self, pid: i64, path: &str) -> Result<()> {
        self.emit(pid, ev::SYSCALL_UNLINKAT_2_E, |_| {})?;
        self.emit(pid, ev::SYSCALL_UNLINKAT_2_X, |b| {
            b.i64(0).i64(AT_FDCWD).str(path).u32(0);
        })
    }

    pub fn renameat2(&mut self, pid: i64, from: &str, to: &str) -> Result<()> {
        self.emit(pid, ev::SYSCALL_RENAMEAT2_E, |_| {})?;
        self.emit(pid, ev::SYSCALL_RENAMEAT2_X, |b| {
            b.i64(0)
                .i64(AT_FDCWD)
                .str(from)
                .i64(AT_FDCWD)
                .str(to)
                .u32(0);
        })
    }

    pub fn fchmodat(&mut self, pid: i64, path: &str, mode: u32) -> Result<()> {
        self.emit(pid, ev::SYSCALL_FCHMODAT_E, |_| {})?;
        self.emit(pid, ev::SYSCALL_FCHMODAT_X, |b| {
            b.i64(0).i64(AT_FDCWD).str(path).u32(mode);
        })
    }

    pub fn mkdirat(&mut self, pid: i64, path: &str) -> Result<()> {
        self.emit(pid, ev::SYSCALL_MKDIRAT_E, |_| {})?;
        self.emit(pid, ev::SYSCALL_MKDIRAT_X, |b| {
            b.i64(0).i64(AT_FDCWD).str(path).u32(0o755);
        })
    }
}

fn user(uid: u32, name: &str, home: &str, shell: &str) -> UserEntry {
    UserEntry {
        uid,
        gid: uid,
        name: name.into(),
        homedir: home.into(),
        shell: shell.into(),
    }
}

fn group(gid: u32, name: &str) -> GroupEntry {
    GroupEntry {
        gid,
        name: name.into(),
    }
}

fn proc_entry(p: &Proc) -> ProcEntry {
    let nul = |v: &[String]| -> Vec<u8> {
        v.iter()
            .flat_map(|s| s.bytes().chain(std::iter::once(0)))
            .collect()
    };
    ProcEntry {
        tid: p.pid,
        pid: p.pid,
        ptid: p.ppid,
        sid: p.pid,
        vpgid: p.pid,
        comm: p.comm.clone(),
        exe: p.exe.clone(),
        exepath: p.exepath.clone(),
        args: nul(&p.args),
        cwd: p.cwd.clone(),
        fdlimit: 1024,
        uid: p.uid,
        gid: p.gid,
        env: nul(&p.env),
        vtid: p.pid,
        vpid: p.pid,
        cgroups: nul(&p.cgroups),
        ..ProcEntry::default()
    }
}

/// The parameters of an execve exit up to the login uid (res 0, `p`'s image in `pid`, child of
/// `ppid`, terminal `tty`), which every layout the generator writes starts with.
pub(crate) fn execve_exit_head<'b>(
    b: &'b mut EventBuilder,
    p: &Proc,
    pid: i64,
    ppid: i64,
    tty: u32,
) -> &'b mut EventBuilder {
    let args: Vec<&str> = p.args.iter().map(String::as_str).collect();
    let cg: Vec<&str> = p.cgroups.iter().map(String::as_str).collect();
    let env: Vec<&str> = p.env.iter().map(String::as_str).collect();
    b.i64(0)
        .str(&p.exe)
        .strs(&args)
        .i64(pid)
        .i64(pid)
        .i64(ppid)
        .str(&p.cwd)
        .u64(1024)
        .u64(0)
        .u64(60)
        .u32(4000)
        .u32(900)
        .u32(0)
        .str(&p.comm)
        .strs(&cg)
        .strs(&env)
        .u32(tty)
        .i64(pid)
        .u32(p.uid)
}
