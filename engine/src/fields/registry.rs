//! The table of every field: name, type, argument form and description.

/// The type of a field's value; it decides which operators a condition may use on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    /// An absolute filesystem path (string operators, plus glob-friendly semantics).
    AbsPath,
    Int64,
    Uint64,
    Bool,
    IpAddr,
    IpNet,
    Port,
    Bytes,
    RelTime,
    AbsTime,
    Double,
    /// Raw event argument: its type depends on the event (evt.rawarg).
    Dynamic,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::AbsPath => "abspath",
            FieldType::Int64 => "int64",
            FieldType::Uint64 => "uint64",
            FieldType::Bool => "bool",
            FieldType::IpAddr => "ipaddr",
            FieldType::IpNet => "ipnet",
            FieldType::Port => "port",
            FieldType::Bytes => "bytes",
            FieldType::RelTime => "reltime",
            FieldType::AbsTime => "abstime",
            FieldType::Double => "double",
            FieldType::Dynamic => "dynamic",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Int64
                | FieldType::Uint64
                | FieldType::Port
                | FieldType::RelTime
                | FieldType::AbsTime
                | FieldType::Double
        )
    }

    pub fn is_stringy(self) -> bool {
        matches!(self, FieldType::String | FieldType::AbsPath)
    }
}

/// The argument a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// `evt.arg.NAME` / `evt.arg[N]`: required, a name or an index.
    Required,
    /// A name or an index, optional.
    NameOrIndex,
    /// An index, required (`proc.apid[1]` style when it cannot be omitted).
    Index,
    /// An index, optional (`proc.aname` = any ancestor, `proc.aname[2]` = the grandparent).
    IndexOptional,
    /// A name, optional.
    NameOptional,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub id: FieldId,
    pub name: &'static str,
    pub ftype: FieldType,
    pub arg: ArgKind,
    /// Usable in conditions only, not in outputs (sysdig's FILTER ONLY).
    pub filter_only: bool,
    pub desc: &'static str,
}

macro_rules! fields {
    ($( $id:ident $name:literal $ty:ident $arg:ident $fo:literal $desc:literal; )*) => {
        /// Field identifiers, in table order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum FieldId { $($id),* }

        /// Every field, indexed by `FieldId as usize`.
        pub static FIELDS: &[FieldDef] = &[
            $( FieldDef { id: FieldId::$id, name: $name, ftype: FieldType::$ty, arg: ArgKind::$arg, filter_only: $fo, desc: $desc } ),*
        ];
    };
}

fields! {
    EvtNum "evt.num" Uint64 None false "Event number: the position of the event in the stream, from 1.";
    EvtTime "evt.time" String None false "Event timestamp as a local time string with nanoseconds (hh:mm:ss.nnnnnnnnn).";
    EvtTimeS "evt.time.s" String None false "Event timestamp as a local time string without the fraction.";
    EvtTimeIso8601 "evt.time.iso8601" String None false "Event timestamp in ISO 8601 with nanoseconds and zone offset.";
    EvtDatetime "evt.datetime" String None false "Event date and time with nanoseconds (yyyy-mm-dd hh:mm:ss.nnnnnnnnn).";
    EvtDatetimeS "evt.datetime.s" String None false "Event date and time without the fraction.";
    EvtRawtime "evt.rawtime" AbsTime None false "Event timestamp in nanoseconds since the epoch.";
    EvtRawtimeS "evt.rawtime.s" AbsTime None false "Integer part of the event timestamp in seconds.";
    EvtRawtimeNs "evt.rawtime.ns" AbsTime None false "Fractional part of the event timestamp in nanoseconds.";
    EvtReltime "evt.reltime" RelTime None false "Nanoseconds since the first event of the stream.";
    EvtLatency "evt.latency" RelTime None false "For exit events, nanoseconds since the matching enter event; 0 otherwise.";
    EvtDeltatime "evt.deltatime" RelTime None false "Nanoseconds since the previous event.";
    EvtDir "evt.dir" String None false "Direction: '>' for enter events, '<' for exit events.";
    EvtType "evt.type" String None false "Event type name (open, execve, connect...). For generic syscall events, the syscall name.";
    EvtCategory "evt.category" String None false "Event category (file, net, process, memory...).";
    EvtCpu "evt.cpu" Int64 None false "CPU the event happened on.";
    EvtArgs "evt.args" String None false "Every argument of the event as name=value pairs.";
    EvtArg "evt.arg" String Required false "One argument, by name (evt.arg.fd) or index (evt.arg[0]), rendered as text.";
    EvtRawarg "evt.rawarg" Dynamic Required false "One argument by name, as its raw value (a number for numeric arguments).";
    EvtInfo "evt.info" String None false "The event arguments as sysdig prints them on its default line.";
    EvtBuffer "evt.buffer" Bytes None false "The data buffer of an I/O event.";
    EvtBuflen "evt.buflen" Uint64 None false "Length of the data buffer of an I/O event.";
    EvtRes "evt.res" String None false "Return value as text: SUCCESS, or the errno name of a failed call.";
    EvtRawres "evt.rawres" Int64 None false "Return value as a number (negative errno for failures).";
    EvtFailed "evt.failed" Bool None false "True for events that returned an error.";
    EvtIsIo "evt.is_io" Bool None false "True for events that read or write data on an fd.";
    EvtIsIoRead "evt.is_io_read" Bool None false "True for events that read data from an fd.";
    EvtIsIoWrite "evt.is_io_write" Bool None false "True for events that write data to an fd.";
    EvtIoDir "evt.io_dir" String None false "'r' for reads, 'w' for writes.";
    EvtIsWait "evt.is_wait" Bool None false "True for events that make the thread wait (select, poll, sleep...).";
    EvtIsSyslog "evt.is_syslog" Bool None false "True for writes to /dev/log.";
    EvtAbspath "evt.abspath" AbsPath NameOptional false "Absolute path of the file argument of *at() and path syscalls (src/dst for rename/link).";
    EvtIsOpenRead "evt.is_open_read" Bool None false "True for open/openat/openat2/creat exits whose flags allow reading.";
    EvtIsOpenWrite "evt.is_open_write" Bool None false "True for open/openat/openat2/creat exits whose flags allow writing.";
    EvtIsOpenExec "evt.is_open_exec" Bool None false "True for open-family exits that create a file with an exec bit.";
    EvtSource "evt.source" String None false "Event source: syscall.";
    EvtHostname "evt.hostname" String None false "Hostname of the machine the event comes from.";
    ProcPid "proc.pid" Int64 None false "Process id.";
    ProcExe "proc.exe" String None false "First command-line argument (argv[0]) of the process.";
    ProcName "proc.name" String None false "Process name (comm), without the path.";
    ProcArgs "proc.args" String None false "Command-line arguments after the name, space-separated.";
    ProcEnv "proc.env" String NameOptional false "Environment, space-separated; proc.env[NAME] is one variable's value.";
    ProcCmdline "proc.cmdline" String None false "Name and arguments, space-separated.";
    ProcExeline "proc.exeline" String None false "argv[0] and arguments, space-separated.";
    ProcCwd "proc.cwd" String None false "Current working directory (with a trailing slash).";
    ProcNthreads "proc.nthreads" Uint64 None false "Number of threads of the process known to falco.";
    ProcNchilds "proc.nchilds" Uint64 None false "Number of threads of the process other than the leader.";
    ProcPpid "proc.ppid" Int64 None false "Parent process id.";
    ProcPname "proc.pname" String None false "Parent process name.";
    ProcPcmdline "proc.pcmdline" String None false "Parent process command line.";
    ProcPexe "proc.pexe" String None false "Parent process argv[0].";
    ProcPexepath "proc.pexepath" String None false "Parent process executable path.";
    ProcApid "proc.apid" Int64 IndexOptional false "Ancestor pid: proc.apid[1] is the parent, [2] the grandparent; without index, any ancestor.";
    ProcAname "proc.aname" String IndexOptional false "Ancestor name: proc.aname[1] is the parent, [2] the grandparent; without index, any ancestor.";
    ProcAexe "proc.aexe" String IndexOptional false "Ancestor argv[0], as proc.aname.";
    ProcAexepath "proc.aexepath" String IndexOptional false "Ancestor executable path, as proc.aname.";
    ProcAcmdline "proc.acmdline" String IndexOptional false "Ancestor command line, as proc.aname.";
    ProcLoginshellid "proc.loginshellid" Int64 None false "Pid of the outermost shell ancestor.";
    ProcDuration "proc.duration" RelTime None false "Nanoseconds since the process started (when its start was seen).";
    ProcFdopencount "proc.fdopencount" Uint64 None false "Number of open fds of the process known to falco.";
    ProcFdlimit "proc.fdlimit" Int64 None false "Maximum number of fds the process may open.";
    ProcVmsize "proc.vmsize" Uint64 None false "Virtual memory size in KiB (as of the last update).";
    ProcVmrss "proc.vmrss" Uint64 None false "Resident set size in KiB (as of the last update).";
    ProcVmswap "proc.vmswap" Uint64 None false "Swapped memory in KiB (as of the last update).";
    ProcVpid "proc.vpid" Int64 None false "Process id in its pid namespace.";
    ProcSid "proc.sid" Int64 None false "Session id.";
    ProcSname "proc.sname" String None false "Name of the session leader.";
    ProcTty "proc.tty" Int64 None false "Controlling terminal (device number), 0 when none.";
    ProcExepath "proc.exepath" String None false "Full path of the executable.";
    ProcVpgid "proc.vpgid" Int64 None false "Process group id in its pid namespace.";
    ProcIsExeWritable "proc.is_exe_writable" Bool None false "True when the executable is writable by the process's user.";
    ProcIsExeUpperLayer "proc.is_exe_upper_layer" Bool None false "True when the executable is in an overlayfs upper layer (created in the container).";
    ProcIsExeFromMemfd "proc.is_exe_from_memfd" Bool None false "True when the executable is a memfd (fileless execution).";
    ProcIsSidLeader "proc.is_sid_leader" Bool None false "True when the process leads its session.";
    ProcIsVpgidLeader "proc.is_vpgid_leader" Bool None false "True when the process leads its process group.";
    ThreadTid "thread.tid" Int64 None false "Thread id.";
    ThreadVtid "thread.vtid" Int64 None false "Thread id in its pid namespace.";
    ThreadIsmain "thread.ismain" Bool None false "True for the main thread of a process.";
    ThreadCgroups "thread.cgroups" String None false "Every cgroup of the thread as subsystem=path, space-separated.";
    ThreadCgroup "thread.cgroup" String Required false "The cgroup path of one subsystem: thread.cgroup.cpuset.";
    ThreadPfmajor "thread.pfmajor" Uint64 None false "Major page faults (as of the last update).";
    ThreadPfminor "thread.pfminor" Uint64 None false "Minor page faults (as of the last update).";
    ThreadCapPermitted "thread.cap_permitted" String None false "Permitted capabilities, as names.";
    ThreadCapInheritable "thread.cap_inheritable" String None false "Inheritable capabilities, as names.";
    ThreadCapEffective "thread.cap_effective" String None false "Effective capabilities, as names.";
    FdNum "fd.num" Int64 None false "File descriptor number.";
    FdType "fd.type" String None false "fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd...";
    FdTypechar "fd.typechar" String None false "fd type as one character (f, d, 4, 6, u, p, e, s, l, i, t, n, m...).";
    FdName "fd.name" String None false "fd name: the full path of files, the tuple of sockets.";
    FdDirectory "fd.directory" String None false "Directory of a file fd.";
    FdFilename "fd.filename" String None false "File name of a file fd, without the directory.";
    FdIp "fd.ip" IpAddr None true "Either address of a socket (client or server).";
    FdCip "fd.cip" IpAddr None false "Client address of a socket.";
    FdSip "fd.sip" IpAddr None false "Server address of a socket.";
    FdLip "fd.lip" IpAddr None false "Local address of a socket.";
    FdRip "fd.rip" IpAddr None false "Remote address of a socket.";
    FdPort "fd.port" Port None true "Either port of a socket (client or server).";
    FdCport "fd.cport" Port None false "Client port of a socket.";
    FdSport "fd.sport" Port None false "Server port of a socket.";
    FdLport "fd.lport" Port None false "Local port of a socket.";
    FdRport "fd.rport" Port None false "Remote port of a socket.";
    FdL4proto "fd.l4proto" String None false "Protocol of a socket: tcp, udp, icmp or raw.";
    FdSockfamily "fd.sockfamily" String None false "Socket family: ip or unix.";
    FdIsServer "fd.is_server" Bool None false "True when the process is the server side of the socket.";
    FdNet "fd.net" IpNet None true "Either network of a socket (client or server), for CIDR matches.";
    FdCnet "fd.cnet" IpNet None true "Client network of a socket.";
    FdSnet "fd.snet" IpNet None true "Server network of a socket.";
    FdLnet "fd.lnet" IpNet None true "Local network of a socket.";
    FdRnet "fd.rnet" IpNet None true "Remote network of a socket.";
    FdConnected "fd.connected" Bool None false "True when the socket is connected.";
    FdDev "fd.dev" Int64 None false "Device number of the file's filesystem.";
    FdDevMajor "fd.dev.major" Int64 None false "Major device number.";
    FdDevMinor "fd.dev.minor" Int64 None false "Minor device number.";
    FdIno "fd.ino" Int64 None false "Inode number of the file.";
    FdNameraw "fd.nameraw" String None false "fd name as the event carried it, before resolution.";
    FsPathName "fs.path.name" AbsPath None false "Path of the filesystem object an event touches (open, mkdir, unlink, rename target...).";
    FsPathSource "fs.path.source" AbsPath None false "Source path of rename/link/symlink events.";
    FsPathTarget "fs.path.target" AbsPath None false "Target path of rename/link/symlink events.";
    UserUid "user.uid" Uint64 None false "User id.";
    UserName "user.name" String None false "User name.";
    UserHomedir "user.homedir" String None false "Home directory of the user.";
    UserShell "user.shell" String None false "Login shell of the user.";
    UserLoginuid "user.loginuid" Int64 None false "Audit login uid (-1 when unset).";
    UserLoginname "user.loginname" String None false "Name of the audit login user.";
    GroupGid "group.gid" Uint64 None false "Group id.";
    GroupName "group.name" String None false "Group name.";
    ContainerId "container.id" String None false "Container id (12 characters), 'host' outside containers.";
    ContainerName "container.name" String None false "Container name, 'host' outside containers.";
    ContainerImage "container.image" String None false "Container image (repository:tag).";
    ContainerImageRepository "container.image.repository" String None false "Container image repository.";
    ContainerImageTag "container.image.tag" String None false "Container image tag.";
    ContainerType "container.type" String None false "Container runtime: docker, containerd, cri-o, podman...";
    ContainerPrivileged "container.privileged" Bool None false "True for privileged containers.";
    ContainerInfo "container.info" String None false "Container name and id, for outputs (%container.info).";
    K8sNsName "k8s.ns.name" String None false "Kubernetes namespace of the pod (from container labels).";
    K8sPodName "k8s.pod.name" String None false "Kubernetes pod name (from container labels).";
}

/// Which extractor serves a field (its name's first component), computed once for every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldClass {
    Evt,
    Proc,
    Fd,
    User,
    Container,
    Other,
}

pub fn class_of(id: FieldId) -> FieldClass {
    static CLASSES: std::sync::OnceLock<Vec<FieldClass>> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        FIELDS
            .iter()
            .map(|f| match f.name.split('.').next().unwrap_or("") {
                "evt" => FieldClass::Evt,
                "proc" | "thread" => FieldClass::Proc,
                "fd" | "fs" => FieldClass::Fd,
                "user" | "group" => FieldClass::User,
                "container" | "k8s" => FieldClass::Container,
                _ => FieldClass::Other,
            })
            .collect()
    })[id as usize]
}

/// The field named exactly `name`.
pub fn lookup(name: &str) -> Option<FieldId> {
    FIELDS.iter().find(|f| f.name == name).map(|f| f.id)
}

/// Splits `evt.arg.fd` into (`evt.arg`, `fd`) for fields that take a dotted argument.
pub fn split_dotted(name: &str) -> Option<(FieldId, &str)> {
    for prefix in [
        "evt.arg",
        "evt.rawarg",
        "thread.cgroup",
        "evt.abspath",
        "proc.env",
    ] {
        if let Some(rest) = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('.'))
            && !rest.is_empty()
        {
            return lookup(prefix).map(|id| (id, rest));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_table() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.id as usize, i, "{}", f.name);
        }
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len(), "duplicate field name");
    }
}
