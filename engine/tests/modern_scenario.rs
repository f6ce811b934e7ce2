//! modern_scenario.scap was recorded live from the current C kernel module (schema 4.5.1): mostly
//! exit-only events with more parameters than the 2016 layouts. sysdig 0.29.3 cannot read it, so this
//! test checks, against the scenario's own description (tests/traces/modern_scenario.md), that each
//! step shows up decoded, with its process lineage.

use std::path::Path;

use falco_engine::fields::{Ctx, Field, Value};
use falco_engine::inspector::Inspector;

/// One decoded event, flattened to the fields the checks look at.
#[derive(Debug, Clone, Default)]
struct Row {
    num: u64,
    etype: String,
    dir: String,
    name: String,
    exepath: String,
    pname: String,
    pexepath: String,
    cmdline: String,
    fd_name: String,
    sip: String,
    sport: String,
    container: String,
    args: String,
    res: String,
}

fn text(f: &Field, ctx: &Ctx<'_>) -> String {
    f.extract(ctx)
        .map(|v: Value<'_>| v.to_text())
        .unwrap_or_default()
}

fn decode() -> (Vec<Row>, u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/traces/modern_scenario.scap");
    let mut insp = Inspector::open(path).unwrap();
    let f = |n: &str| Field::parse(n, None).unwrap();
    let fields = [
        f("evt.type"),
        f("evt.dir"),
        f("proc.name"),
        f("proc.exepath"),
        f("proc.pname"),
        f("proc.pexepath"),
        f("proc.cmdline"),
        f("fd.name"),
        f("fd.sip"),
        f("fd.sport"),
        f("container.id"),
        f("evt.args"),
        f("evt.res"),
    ];
    let mut rows = Vec::new();
    let mut total = 0;
    while let Some(p) = insp
        .next()
        .expect("modern_scenario.scap reads to the end without error")
    {
        total += 1;
        let ctx = p.ctx();
        let v: Vec<String> = fields.iter().map(|f| text(f, &ctx)).collect();
        rows.push(Row {
            num: p.num,
            etype: v[0].clone(),
            dir: v[1].clone(),
            name: v[2].clone(),
            exepath: v[3].clone(),
            pname: v[4].clone(),
            pexepath: v[5].clone(),
            cmdline: v[6].clone(),
            fd_name: v[7].clone(),
            sip: v[8].clone(),
            sport: v[9].clone(),
            container: v[10].clone(),
            args: v[11].clone(),
            res: v[12].clone(),
        });
    }
    (rows, total)
}

fn find<'a>(rows: &'a [Row], what: &str, pred: impl Fn(&Row) -> bool) -> &'a Row {
    rows.iter()
        .find(|r| pred(r))
        .unwrap_or_else(|| panic!("not found in modern_scenario.scap: {what}"))
}

#[test]
fn modern_scenario_steps_are_decoded_with_lineage() {
    let (rows, total) = decode();
    // modern_scenario.md: 94,773 EV_V2 events.
    assert_eq!(total, 94_773);

    // S14: /tmp/httpd (a copy of bash) runs `sh -c whoami`: sh is a child of httpd.
    let sh = find(&rows, "sh spawned by /tmp/httpd", |r| {
        r.etype == "execve" && r.dir == "<" && r.name == "sh" && r.pexepath == "/tmp/httpd"
    });
    assert_eq!(sh.pname, "httpd");

    // S09: head, a child of /tmp/python3, opens /etc/shadow.
    let shadow = find(&rows, "head opening /etc/shadow", |r| {
        r.etype == "openat" && r.dir == "<" && r.fd_name == "/etc/shadow" && r.name == "head"
    });
    assert_eq!(shadow.pexepath, "/tmp/python3");
    assert_eq!(shadow.pname, "python3");
    assert_eq!(shadow.res, "SUCCESS");

    // S12: /tmp/cat (busybox nc under another name) connects to 127.0.0.1:4444.
    let conn = find(&rows, "connect from /tmp/cat to 127.0.0.1:4444", |r| {
        r.etype == "connect" && r.dir == "<" && r.exepath == "/tmp/cat"
    });
    assert_eq!(conn.name, "cat");
    assert_eq!(conn.sip, "127.0.0.1");
    assert_eq!(conn.sport, "4444");
    assert!(
        conn.fd_name.ends_with("->127.0.0.1:4444"),
        "{}",
        conn.fd_name
    );

    // S11: processes in the docker-d7f7d8650d99….scope cgroup belong to container d7f7d8650d99.
    let in_container = find(&rows, "a process of container d7f7d8650d99", |r| {
        r.container == "d7f7d8650d99"
    });
    assert!(in_container.num > 0);
    let cat_passwd = find(&rows, "cat /etc/passwd in the container", |r| {
        r.container == "d7f7d8650d99"
            && r.etype == "openat"
            && r.dir == "<"
            && r.fd_name == "/etc/passwd"
    });
    // busybox sh runs its cat applet by re-executing itself through /proc/self/exe: comm is "exe".
    assert_eq!(cat_passwd.exepath, "/bin/busybox");
    assert_eq!(cat_passwd.pname, "sh");
    // The host's processes are not in it.
    let host = find(&rows, "a host process", |r| {
        r.container == "host" && r.name == "bash"
    });
    assert!(host.num > 0);

    // S03: coreutils mv renames /etc/hosts with renameat2, busybox mv moves it back with rename.
    let r2 = find(&rows, "renameat2 of /etc/hosts", |r| {
        r.etype == "renameat2" && r.dir == "<"
    });
    assert!(
        r2.args.contains("oldpath=/etc/hosts ") && r2.args.contains("newpath=/etc/hosts.bak"),
        "{}",
        r2.args
    );
    assert_eq!(r2.name, "mv");
    let r1 = find(&rows, "rename back of /etc/hosts", |r| {
        r.etype == "rename" && r.dir == "<"
    });
    assert!(
        r1.args.contains("/etc/hosts.bak") && r1.args.contains("/etc/hosts"),
        "{}",
        r1.args
    );

    // S16: /lab/ptr attaches to sleep with ptrace.
    let pt = find(&rows, "ptrace attach", |r| {
        r.etype == "ptrace" && r.dir == "<" && r.args.contains("PTRACE_ATTACH")
    });
    assert_eq!(pt.exepath, "/lab/ptr");

    // S06: touch creates /dev/.hidden.
    let dev = find(&rows, "touch /dev/.hidden", |r| {
        r.name == "touch" && r.fd_name == "/dev/.hidden"
    });
    assert_eq!(dev.res, "SUCCESS");

    // S04: a crontab line written to /etc/cron.d/job.
    find(&rows, "write to /etc/cron.d/job", |r| {
        r.etype == "write" && r.fd_name == "/etc/cron.d/job"
    });

    // S08: grep -rl PRIVATE /root reads the fake key.
    let key = find(&rows, "grep reading the ssh key", |r| {
        r.name == "grep" && r.fd_name == "/root/.ssh/id_ed25519"
    });
    assert!(
        key.cmdline.starts_with("grep -rl PRIVATE"),
        "{}",
        key.cmdline
    );

    // S15: unlink of /var/log/messages.1.
    let ul = find(&rows, "unlink of the log", |r| {
        r.etype == "unlink" && r.dir == "<"
    });
    assert!(ul.args.contains("/var/log/messages.1"), "{}", ul.args);

    // S13: chmod u+s on /tmp/id-copy.
    let suid = find(&rows, "setuid bit on /tmp/id-copy", |r| {
        r.etype == "fchmodat" && r.args.contains("/tmp/id-copy")
    });
    assert!(suid.args.contains("S_ISUID"), "{}", suid.args);

    // S07: the echo server (busybox nc -l -p 7070) accepts the bash client.
    let acc = find(&rows, "accept on port 7070", |r| {
        r.etype == "accept" && r.dir == "<" && r.sport == "7070"
    });
    assert_eq!(acc.sip, "127.0.0.1");
}
