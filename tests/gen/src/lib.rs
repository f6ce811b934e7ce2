//! The capture generator behind `falco-gen` (see its documentation), as a library so tests can
//! write captures without the binary.

use std::net::Ipv4Addr;
use std::path::Path;

use anyhow::{Context, Result};

mod behaviours;
mod builder;
pub mod hostile;
pub mod join;
mod world;

pub use behaviours::write_behaviours;
pub use world::World;
use world::{O_CLOEXEC, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY};

// ppm_sc codes of a few syscalls the workload emits as generic events.
use falco_engine::abi::syscall::{
    PPM_SC_BRK as SC_BRK, PPM_SC_GETDENTS64 as SC_GETDENTS64, PPM_SC_MMAP as SC_MMAP,
    PPM_SC_MPROTECT as SC_MPROTECT,
};

const COMMANDS: &[(&str, &[&str])] = &[
    ("/usr/bin/ls", &["-la", "/usr/share/doc"]),
    ("/usr/bin/cat", &["/etc/os-release"]),
    ("/usr/bin/grep", &["-r", "TODO", "/srv/app"]),
    ("/usr/bin/python3", &["/srv/app/manage.py", "check"]),
    (
        "/usr/bin/curl",
        &["-s", "https://updates.example.com/v1/check"],
    ),
    ("/usr/bin/gcc", &["-c", "main.c", "-o", "main.o"]),
    ("/usr/bin/git", &["status"]),
    ("/usr/bin/ps", &["aux"]),
    ("/usr/bin/date", &[]),
    ("/usr/bin/tar", &["czf", "/tmp/backup.tgz", "/srv/app"]),
];

const LIBS: &[&str] = &[
    "/etc/ld.so.cache",
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/lib/x86_64-linux-gnu/libpcre2-8.so.0",
    "/lib/x86_64-linux-gnu/libselinux.so.1",
];

fn run_command(w: &mut World, shell: i64, exe: &str, args: &[&str]) -> Result<()> {
    let c = w.spawn(shell, exe, args)?;
    w.generic(c, SC_BRK)?;
    for lib in LIBS.iter().take(2 + w.rng.below(3) as usize) {
        let fd = w.open(c, lib, O_RDONLY | O_CLOEXEC, 0)?;
        w.read(
            c,
            fd,
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00",
        )?;
        w.generic(c, SC_MMAP)?;
        w.close(c, fd)?;
    }
    w.generic(c, SC_MPROTECT)?;
    let name = exe.rsplit('/').next().unwrap_or(exe);
    match name {
        "ls" => {
            let fd = w.open(c, "/usr/share/doc", O_RDONLY | (1 << 10) | O_CLOEXEC, 0)?;
            for _ in 0..3 {
                w.generic(c, SC_GETDENTS64)?;
            }
            w.close(c, fd)?;
            w.write(
                c,
                1,
                b"total 1264\ndrwxr-xr-x 2 root root 4096 Jan  1 00:00 adduser\n",
            )?;
        }
        "cat" => {
            let fd = w.open(c, "/etc/os-release", O_RDONLY, 0)?;
            w.read(
                c,
                fd,
                b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n",
            )?;
            w.write(c, 1, b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")?;
            w.close(c, fd)?;
        }
        "grep" | "tar" | "git" => {
            for i in 0..(4 + w.rng.below(12)) {
                let path = format!("/srv/app/src/module_{}.py", (i * 7 + w.rng.below(50)) % 97);
                let fd = w.open(c, &path, O_RDONLY | O_CLOEXEC, 0)?;
                w.read(c, fd, b"import os\nimport sys\n\ndef main():\n    # TODO: handle errors\n    return 0\n")?;
                w.close(c, fd)?;
            }
            if name == "tar" {
                let fd = w.open(c, "/tmp/backup.tgz", O_WRONLY | O_CREAT | O_TRUNC, 0o644)?;
                for _ in 0..4 {
                    w.write(c, fd, &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])?;
                }
                w.close(c, fd)?;
            }
        }
        "python3" => {
            for m in ["os", "sys", "json", "re", "collections", "functools"] {
                let path = format!("/usr/lib/python3.11/{m}.py");
                let fd = w.open(c, &path, O_RDONLY | O_CLOEXEC, 0)?;
                w.read(c, fd, b"\"\"\"Standard library module.\"\"\"\n")?;
                w.close(c, fd)?;
            }
            w.write(c, 1, b"System check identified no issues (0 silenced).\n")?;
        }
        "curl" => {
            let fd = w.connect(c, Ipv4Addr::new(93, 184, 216, 34), 443)?;
            w.write(c, fd, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")?;
            w.read(c, fd, b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03")?;
            w.close(c, fd)?;
        }
        "gcc" => {
            let fd = w.open(c, "/home/alice/proj/main.c", O_RDONLY, 0)?;
            w.read(
                c,
                fd,
                b"#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n",
            )?;
            w.close(c, fd)?;
            let fd = w.open(
                c,
                "/home/alice/proj/main.o",
                O_WRONLY | O_CREAT | O_TRUNC,
                0o644,
            )?;
            w.write(c, fd, b"\x7fELF\x02\x01\x01\x00")?;
            w.close(c, fd)?;
        }
        _ => {
            w.write(c, 1, b"Thu Jan  1 00:00:00 UTC 2026\n")?;
        }
    }
    w.exit(c)
}

fn serve_request(w: &mut World) -> Result<()> {
    let nginx = 420;
    let client = Ipv4Addr::new(198, 51, 100, 1 + w.rng.below(200) as u8);
    let conn = w.accept(nginx, client, 443)?;
    w.read(
        nginx,
        conn,
        b"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
    )?;
    let fd = w.open(nginx, "/var/www/html/index.html", O_RDONLY | O_CLOEXEC, 0)?;
    w.read(
        nginx,
        fd,
        b"<!doctype html><html><head><title>Welcome</title></head><body>",
    )?;
    w.close(nginx, fd)?;
    w.write(
        nginx,
        conn,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 612\r\n\r\n",
    )?;
    w.close(nginx, conn)
}

fn workload(w: &mut World, events: u64) -> Result<()> {
    while w.events < events {
        let shell = if w.rng.below(3) == 0 { 510 } else { 500 };
        if w.rng.below(4) == 0 {
            serve_request(w)?;
        } else {
            let (exe, args) = *w.rng.pick(COMMANDS);
            run_command(w, shell, exe, args)?;
        }
    }
    Ok(())
}

const WEB_ID: &str = "3ad2b9f1c4e5d6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";
const PRIV_ID: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";

/// Every behaviour the default rules cover, once each, in this order (tests rely on it):
///  1. a shell (bash) in container `web` (id 3ad2b9f1c4e5)
///  2. a privileged container `priv` (id 9f8e7d6c5b4a) starting its first process
///  3. `vi` opening /etc/hosts for writing (below /etc, unexpected program)
///  4. `python3` reading /etc/shadow
///  5. `touch` creating the regular file /dev/.hidden
///  6. `nginx` spawning `sh` (unexpected child of a server)
///  7. `cat` connecting out to 203.0.113.5:4444 (system binary, outbound)
///  8. `apt-get` running in container `web` (package manager in a container)
///  9. `useradd` running in container `web` (user management in a container)
/// 10. `find / -name id_rsa` (credential search)
/// 11. `/root/.ssh/authorized_keys` opened for writing by `bash` (below /root)
/// 12. `chmod u+s /tmp/id-copy` (setuid bit set)
/// 13. `rm` unlinking /var/log/auth.log (log deletion)
/// 14. `/tmp/ptr` attaching with ptrace to another process
///
/// The benign activity around them (ls, cat /etc/os-release, dpkg -l on the host, a compile, curl to
/// a web API, the web server answering requests) must not alert.
fn detections(w: &mut World) -> Result<()> {
    let root_sh = 500;
    // The containers that exist when the capture starts.
    w.container(&format!(
        r#"{{"container":{{"id":"{}","name":"web","image":"nginx:1.25","imagerepo":"nginx","imagetag":"1.25","type":0,"privileged":false}}}}"#,
        &WEB_ID[..12]
    ))?;
    w.container(&format!(
        r#"{{"container":{{"id":"{}","name":"priv","image":"alpine:3.19","imagerepo":"alpine","imagetag":"3.19","type":0,"privileged":true}}}}"#,
        &PRIV_ID[..12]
    ))?;

    // Benign: everyday commands and a package query on the host.
    run_command(w, root_sh, "/usr/bin/ls", &["-la", "/usr/share/doc"])?;
    run_command(w, root_sh, "/usr/bin/cat", &["/etc/os-release"])?;
    run_command(w, 510, "/usr/bin/gcc", &["-c", "main.c", "-o", "main.o"])?;
    run_command(w, root_sh, "/usr/bin/dpkg", &["-l"])?;
    serve_request(w)?;

    // 1. Shell in a container.
    let shim = w.spawn(
        430,
        "/usr/bin/containerd-shim-runc-v2",
        &["-namespace", "moby", "-id", WEB_ID],
    )?;
    let runc = w.spawn(shim, "/usr/bin/runc", &["init"])?;
    w.enter_container(runc, WEB_ID);
    let csh = w.spawn(runc, "/usr/bin/bash", &[])?;
    let fd = w.open(csh, "/etc/passwd", O_RDONLY, 0)?;
    w.read(csh, fd, b"root:x:0:0:root:/root:/bin/bash\n")?;
    w.close(csh, fd)?;

    // 2. A privileged container starting.
    let pshim = w.spawn(
        430,
        "/usr/bin/containerd-shim-runc-v2",
        &["-namespace", "moby", "-id", PRIV_ID],
    )?;
    let prunc = w.spawn(pshim, "/usr/bin/runc", &["init"])?;
    w.enter_container(prunc, PRIV_ID);
    let psleep = w.spawn(prunc, "/bin/sleep", &["3600"])?;

    // 3. Write below /etc.
    let vi = w.spawn(root_sh, "/usr/bin/vi", &["/etc/hosts"])?;
    let fd = w.open(vi, "/etc/hosts", O_WRONLY | O_TRUNC, 0)?;
    w.write(vi, fd, b"127.0.0.1 localhost\n10.0.0.9 evil.example\n")?;
    w.close(vi, fd)?;
    w.exit(vi)?;

    // 4. Sensitive file read by an untrusted program.
    let py = w.spawn(
        root_sh,
        "/usr/bin/python3",
        &["-c", "print(open('/etc/shadow').read())"],
    )?;
    let fd = w.open(py, "/etc/shadow", O_RDONLY | O_CLOEXEC, 0)?;
    w.read(py, fd, b"root:$y$j9T$abcdef:19700:0:99999:7:::\n")?;
    w.close(py, fd)?;
    w.exit(py)?;

    // 5. A regular file created below /dev.
    let touch = w.spawn(root_sh, "/usr/bin/touch", &["/dev/.hidden"])?;
    let fd = w.open(touch, "/dev/.hidden", O_WRONLY | O_CREAT, 0o644)?;
    w.close(touch, fd)?;
    w.exit(touch)?;

    // 6. A server spawning a shell.
    let sh = w.spawn(420, "/bin/sh", &["-c", "id"])?;
    w.write(
        sh,
        1,
        b"uid=33(www-data) gid=33(www-data) groups=33(www-data)\n",
    )?;
    w.exit(sh)?;

    // 7. A system binary connecting out.
    let cat = w.spawn(root_sh, "/usr/bin/cat", &["/tmp/payload"])?;
    let fd = w.connect(cat, Ipv4Addr::new(203, 0, 113, 5), 4444)?;
    w.write(cat, fd, b"hello from cat\n")?;
    w.close(cat, fd)?;
    w.exit(cat)?;

    // 8. Package manager in a container.
    let apt = w.spawn(
        csh,
        "/usr/bin/apt-get",
        &["install", "-y", "netcat-openbsd"],
    )?;
    let fd = w.open(apt, "/var/lib/apt/lists/lock", O_RDWR_CREATE, 0o640)?;
    w.close(apt, fd)?;
    w.exit(apt)?;

    // 9. User management in a container.
    let ua = w.spawn(csh, "/usr/sbin/useradd", &["-m", "backdoor"])?;
    let fd = w.open(ua, "/etc/passwd", O_WRONLY | (1 << 3), 0)?;
    w.write(ua, fd, b"backdoor:x:1001:1001::/home/backdoor:/bin/sh\n")?;
    w.close(ua, fd)?;
    w.exit(ua)?;

    // 10. Credential search by name.
    let find = w.spawn(root_sh, "/usr/bin/find", &["/", "-name", "id_rsa"])?;
    w.generic(find, SC_GETDENTS64)?;
    w.exit(find)?;

    // 11. Write below /root.
    let fd = w.open(
        root_sh,
        "/root/.ssh/authorized_keys",
        O_WRONLY | (1 << 3),
        0,
    )?;
    w.write(
        root_sh,
        fd,
        b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake attacker@evil\n",
    )?;
    w.close(root_sh, fd)?;

    // 12. Setuid bit.
    let chmod = w.spawn(root_sh, "/usr/bin/chmod", &["u+s", "/tmp/id-copy"])?;
    w.fchmodat(chmod, "/tmp/id-copy", 0o4755)?;
    w.exit(chmod)?;

    // 13. Log deletion.
    let rm = w.spawn(root_sh, "/usr/bin/rm", &["/var/log/auth.log"])?;
    w.unlinkat(rm, "/var/log/auth.log")?;
    w.exit(rm)?;

    // 14. ptrace attach.
    let victim = w.spawn(510, "/usr/bin/sleep", &["30"])?;
    let ptr = w.spawn(root_sh, "/tmp/ptr", &[&victim.to_string()])?;
    w.ptrace_attach(ptr, victim)?;
    w.exit(ptr)?;
    w.exit(victim)?;

    // Benign epilogue: a build directory renamed, and regular work.
    w.mkdirat(root_sh, "/tmp/build.new")?;
    w.renameat2(root_sh, "/tmp/build.new", "/tmp/build")?;
    run_command(
        w,
        510,
        "/usr/bin/curl",
        &["-s", "https://updates.example.com/v1/check"],
    )?;
    run_command(
        w,
        root_sh,
        "/usr/bin/python3",
        &["/srv/app/manage.py", "check"],
    )?;
    serve_request(w)?;
    let _ = psleep;
    Ok(())
}

const O_RDWR_CREATE: u32 = world::O_RDWR | O_CREAT;

/// Writes the steady workload of about `events` events to `path`. Returns the events written.
pub fn write_workload(path: &Path, gzip: bool, seed: u64, events: u64) -> Result<u64> {
    let mut w = World::create(path, gzip, seed)
        .with_context(|| format!("cannot create {}", path.display()))?;
    workload(&mut w, events)?;
    w.finish()
}

/// Writes the decoding cases falco once got wrong, for its regression tests (falco/tests/decoding.rs):
///  1. `python3` (a child of nginx) reading `/etc/../etc/../etc/shadow`: fd.nameraw keeps the raw
///     path, which Falco's "Directory traversal monitored file read" looks for;
///  2. `cat` opening `/etc/hostname` with an openat whose enter event has an empty path (from cwd
///     `/root`): the path comes from the exit event;
///  3. a privileged container `runner` (id 5c7f2e9a1b3d) announced during the capture by a container
///     event of thread -1, with CRI labels (pod `web-0` in namespace `shop`);
///  4. `ls` on the host (its %container.info is `container_id=host container_name=host`).
pub fn write_decoding_cases(path: &Path, gzip: bool) -> Result<u64> {
    let mut w = World::create(path, gzip, 7)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let py = w.spawn(
        420,
        "/usr/bin/python3",
        &["-c", "open('/etc/../etc/../etc/shadow')"],
    )?;
    let fd = w.open(py, "/etc/../etc/../etc/shadow", O_RDONLY, 0)?;
    w.read(py, fd, b"root:$y$j9T$abcdef:19700:0:99999:7:::\n")?;
    w.close(py, fd)?;
    w.exit(py)?;

    let cat = w.spawn(500, "/usr/bin/cat", &["/etc/hostname"])?;
    let fd = w.open_enter_named(cat, "", "/etc/hostname", O_RDONLY)?;
    w.read(cat, fd, b"gen-host\n")?;
    w.close(cat, fd)?;
    w.exit(cat)?;

    let ts = w.now();
    w.container_event(
        ts,
        -1,
        &format!(
            r#"{{"container":{{"id":"{}","full_id":"{RUNNER_ID}","name":"runner","image":"docker.io/library/alpine:3.19","imagerepo":"docker.io/library/alpine","imagetag":"3.19","type":7,"privileged":true,"labels":{{"io.kubernetes.pod.name":"web-0","io.kubernetes.pod.namespace":"shop","io.kubernetes.pod.uid":"1f2e3d4c-0000-4000-8000-000000000001","app":"web"}},"Mounts":[{{"Source":"/var/run/docker.sock","Destination":"/var/run/docker.sock","Mode":"","RW":true,"Propagation":"rprivate"}}]}}}}"#,
            &RUNNER_ID[..12]
        ),
    )?;
    let shim = w.spawn(430, "/usr/bin/containerd-shim-runc-v2", &["-id", RUNNER_ID])?;
    let runc = w.spawn(shim, "/usr/bin/runc", &["init"])?;
    w.enter_container(runc, RUNNER_ID);
    let sh = w.spawn(runc, "/bin/sh", &["-c", "sleep 60"])?;
    w.exit(sh)?;

    run_command(&mut w, 500, "/usr/bin/ls", &["-la", "/usr/share/doc"])?;
    w.finish()
}

const RUNNER_ID: &str = "5c7f2e9a1b3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddee";

/// Writes the detections scenario (every behaviour the default rules cover, once) to `path`. Returns the events written.
pub fn write_detections(path: &Path, gzip: bool, seed: u64) -> Result<u64> {
    let mut w = World::create(path, gzip, seed)
        .with_context(|| format!("cannot create {}", path.display()))?;
    detections(&mut w)?;
    w.finish()
}
