//! Every field of the syscall source, in Falco's order: the `evt`, `process`, `user`, `group`, `fd`,
//! `fdlist` and `fs.path` classes of libs, then the fields of Falco's container plugin. Types are
//! libs' (what `falco --list -v` prints); flags are libs' `EPF_*` flags. tests/fields/ holds the list
//! of Falco 0.44.1 this table is checked against.

use super::registry::{ArgKind, FieldDef, PType, flags};

macro_rules! fields {
    ($( $class:literal { $( $id:ident $name:literal $ty:ident [$($flag:ident)*] $arg:ident $desc:literal; )* } )*) => {
        /// Field identifiers, in table order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum FieldId { $($($id),*),* }

        /// Every field, indexed by `FieldId as usize`.
        pub static FIELDS: &[FieldDef] = &[
            $($( FieldDef {
                id: FieldId::$id,
                name: $name,
                class: $class,
                ptype: PType::$ty,
                ftype: PType::$ty.field_type(),
                flags: 0 $(| flags::$flag)*,
                arg: ArgKind::$arg,
                filter_only: (0 $(| flags::$flag)*) & flags::FILTER_ONLY != 0,
                desc: $desc,
            } ),*),*
        ];
    };
}

fields! {
    "evt" {
        EvtNum "evt.num" Uint64 [] None "Event number: the position of the event in the stream, from 1.";
        EvtTime "evt.time" Charbuf [] None "Event timestamp as a local time string with nanoseconds (hh:mm:ss.nnnnnnnnn).";
        EvtTimeS "evt.time.s" Charbuf [] None "Event timestamp as a local time string without the fraction.";
        EvtTimeIso8601 "evt.time.iso8601" Charbuf [] None "Event timestamp in ISO 8601 with nanoseconds and zone offset.";
        EvtDatetime "evt.datetime" Charbuf [] None "Event date and time with nanoseconds (yyyy-mm-dd hh:mm:ss.nnnnnnnnn).";
        EvtDatetimeS "evt.datetime.s" Charbuf [] None "Event date and time without the fraction.";
        EvtRawtime "evt.rawtime" Abstime [] None "Event timestamp in nanoseconds since the epoch.";
        EvtRawtimeS "evt.rawtime.s" Abstime [] None "Integer part of the event timestamp in seconds.";
        EvtRawtimeNs "evt.rawtime.ns" Abstime [] None "Fractional part of the event timestamp in nanoseconds.";
        EvtReltime "evt.reltime" Reltime [] None "Nanoseconds since the first event of the stream.";
        EvtReltimeS "evt.reltime.s" Reltime [] None "Whole seconds since the first event of the stream.";
        EvtReltimeNs "evt.reltime.ns" Reltime [] None "Fractional part (ns) of the time since the first event of the stream.";
        EvtPluginname "evt.pluginname" Charbuf [] None "For events of a plugin source, the plugin's name; missing for syscall events.";
        EvtPlugininfo "evt.plugininfo" Charbuf [] None "For events of a plugin source, the plugin's summary of the event; missing for syscall events.";
        EvtSource "evt.source" Charbuf [] None "Name of the event source: syscall.";
        EvtIsAsync "evt.is_async" Bool [] None "True for asynchronous (meta) events that no syscall produced.";
        EvtAsynctype "evt.asynctype" Charbuf [] None "For asynchronous events, their name; missing otherwise.";
        EvtHostname "evt.hostname" Charbuf [] None "Hostname of the machine the event comes from.";
        EvtLatency "evt.latency" Reltime [DEPRECATED] None "For exit events, nanoseconds since the matching enter event; 0 otherwise.";
        EvtLatencyS "evt.latency.s" Reltime [DEPRECATED] None "Whole seconds of evt.latency.";
        EvtLatencyNs "evt.latency.ns" Reltime [DEPRECATED] None "Fractional part (ns) of evt.latency.";
        EvtLatencyQuantized "evt.latency.quantized" Uint64 [TABLE_ONLY DEPRECATED] None "evt.latency on a logarithmic scale of 0 to 10.";
        EvtLatencyHuman "evt.latency.human" Charbuf [DEPRECATED] None "evt.latency as a human readable string (12.3ms).";
        EvtDeltatime "evt.deltatime" Reltime [] None "Nanoseconds since the previous event.";
        EvtDeltatimeS "evt.deltatime.s" Reltime [] None "Whole seconds since the previous event.";
        EvtDeltatimeNs "evt.deltatime.ns" Reltime [] None "Fractional part (ns) of the time since the previous event.";
        EvtOutputtime "evt.outputtime" Charbuf [PRINT_ONLY] None "Event timestamp as the output's time format prints it.";
        EvtDir "evt.dir" Charbuf [DEPRECATED] None "Direction: '>' for enter events, '<' for exit events.";
        EvtType "evt.type" Charbuf [] None "Event type name (open, execve, connect...). For generic syscall events, the syscall name.";
        EvtTypeIs "evt.type.is" Uint32 [] RequiredName "1 when the event is of the type named in the argument (evt.type.is.open), 0 otherwise.";
        SyscallType "syscall.type" Charbuf [] None "For syscall events, the syscall name; missing for other events.";
        EvtCategory "evt.category" Charbuf [] None "Event category (file, net, process, memory...).";
        EvtCpu "evt.cpu" Int16 [] None "CPU the event happened on.";
        EvtArgs "evt.args" Charbuf [] None "Every argument of the event as name=value pairs.";
        EvtArg "evt.arg" Charbuf [] Required "One argument, by name (evt.arg.fd) or index (evt.arg[0]), rendered as text.";
        EvtRawarg "evt.rawarg" Dynamic [NO_RHS NO_TRANSFORMER] RequiredName "One argument by name (evt.rawarg.fd), as its raw value: a number for numeric arguments.";
        EvtInfo "evt.info" Charbuf [] None "The event arguments as the default line prints them.";
        EvtBuffer "evt.buffer" Bytebuf [] None "The data buffer of an I/O event.";
        EvtBuflen "evt.buflen" Uint64 [] None "Length of the data buffer of an I/O event.";
        EvtRes "evt.res" Charbuf [] None "Return value as text: SUCCESS, or the errno name of a failed call.";
        EvtRawres "evt.rawres" Int64 [] None "Return value as a number (negative errno for failures).";
        EvtFailed "evt.failed" Bool [] None "True for events that returned an error.";
        EvtIsIo "evt.is_io" Bool [] None "True for events that read or write data on an fd.";
        EvtIsIoRead "evt.is_io_read" Bool [] None "True for events that read data from an fd.";
        EvtIsIoWrite "evt.is_io_write" Bool [] None "True for events that write data to an fd.";
        EvtIoDir "evt.io_dir" Charbuf [] None "'read' or 'write' for I/O events.";
        EvtIsWait "evt.is_wait" Bool [] None "True for events that make the thread wait (select, poll, sleep...).";
        EvtWaitLatency "evt.wait_latency" Reltime [DEPRECATED] None "For events that wait, the time spent waiting (always 0, as Falco 0.44).";
        EvtIsSyslog "evt.is_syslog" Bool [] None "True for writes to /dev/log.";
        EvtCount "evt.count" Uint32 [] None "1 for every event (for counting).";
        EvtCountError "evt.count.error" Uint32 [] None "1 for events that returned an error, 0 for other events with a return value.";
        EvtCountErrorFile "evt.count.error.file" Uint32 [] None "As evt.count.error, for file events only.";
        EvtCountErrorNet "evt.count.error.net" Uint32 [] None "As evt.count.error, for network events only.";
        EvtCountErrorMemory "evt.count.error.memory" Uint32 [] None "As evt.count.error, for memory events only.";
        EvtCountErrorOther "evt.count.error.other" Uint32 [] None "As evt.count.error, for events that are not file, network or memory ones.";
        EvtCountExit "evt.count.exit" Uint32 [] None "1 for exit events; missing for enter events.";
        EvtCountProcinfo "evt.count.procinfo" Uint32 [TABLE_ONLY] None "1 for procinfo events of a main thread, 0 otherwise.";
        EvtCountThreadinfo "evt.count.threadinfo" Uint32 [TABLE_ONLY] None "1 for procinfo events, 0 otherwise.";
        EvtAround "evt.around" Uint64 [FILTER_ONLY NO_RHS NO_TRANSFORMER] Index "evt.around[TS]=MS: events within MS milliseconds of the timestamp TS (ns).";
        EvtAbspath "evt.abspath" Charbuf [] NameOptional "Absolute path of the path argument of *at() syscalls; evt.abspath.src / .dst for the two paths of rename and link.";
        EvtBuflenIn "evt.buflen.in" Uint64 [TABLE_ONLY] None "evt.buflen for reads.";
        EvtBuflenOut "evt.buflen.out" Uint64 [TABLE_ONLY] None "evt.buflen for writes.";
        EvtBuflenFile "evt.buflen.file" Uint64 [TABLE_ONLY] None "evt.buflen for file I/O.";
        EvtBuflenFileIn "evt.buflen.file.in" Uint64 [TABLE_ONLY] None "evt.buflen for file reads.";
        EvtBuflenFileOut "evt.buflen.file.out" Uint64 [TABLE_ONLY] None "evt.buflen for file writes.";
        EvtBuflenNet "evt.buflen.net" Uint64 [TABLE_ONLY] None "evt.buflen for network I/O.";
        EvtBuflenNetIn "evt.buflen.net.in" Uint64 [TABLE_ONLY] None "evt.buflen for network reads.";
        EvtBuflenNetOut "evt.buflen.net.out" Uint64 [TABLE_ONLY] None "evt.buflen for network writes.";
        EvtIsOpenRead "evt.is_open_read" Bool [] None "True for open-family exits whose flags allow reading.";
        EvtIsOpenWrite "evt.is_open_write" Bool [] None "True for open-family exits whose flags allow writing.";
        EvtInfraDockerName "evt.infra.docker.name" Charbuf [TABLE_ONLY] None "For docker infrastructure events, the event name.";
        EvtInfraDockerContainerId "evt.infra.docker.container.id" Charbuf [TABLE_ONLY] None "For docker infrastructure events, the container id.";
        EvtInfraDockerContainerName "evt.infra.docker.container.name" Charbuf [TABLE_ONLY] None "For docker infrastructure events, the container name.";
        EvtInfraDockerContainerImage "evt.infra.docker.container.image" Charbuf [TABLE_ONLY] None "For docker infrastructure events, the container image.";
        EvtIsOpenExec "evt.is_open_exec" Bool [] None "True for open-family and creat exits that create a file with an execute bit.";
        EvtIsOpenCreate "evt.is_open_create" Bool [] None "True for open-family exits that created the file (O_CREAT that created it, or O_TMPFILE).";
    }
    "process" {
        ProcExe "proc.exe" Charbuf [] None "First command-line argument (argv[0]) of the process.";
        ProcPexe "proc.pexe" Charbuf [] None "argv[0] of the parent process.";
        ProcAexe "proc.aexe" Charbuf [NO_RHS NO_TRANSFORMER] IndexOptional "argv[0] of an ancestor: proc.aexe[1] is the parent; without index, any ancestor.";
        ProcExepath "proc.exepath" Charbuf [] None "Full path of the executable.";
        ProcPexepath "proc.pexepath" Charbuf [] None "Full executable path of the parent process.";
        ProcAexepath "proc.aexepath" Charbuf [NO_RHS NO_TRANSFORMER] IndexOptional "Full executable path of an ancestor, as proc.aexe.";
        ProcName "proc.name" Charbuf [] None "Process name (comm), without the path.";
        ProcPname "proc.pname" Charbuf [] None "Name of the parent process.";
        ProcAname "proc.aname" Charbuf [NO_RHS NO_TRANSFORMER] IndexOptional "Name of an ancestor: proc.aname[1] is the parent, [2] the grandparent; without index, any ancestor.";
        ProcArgs "proc.args" Charbuf [] IndexOptional "Command-line arguments after the name, space-separated; proc.args[N] is the Nth (from 0).";
        ProcAargs "proc.aargs" Charbuf [] IndexOptional "Arguments of an ancestor: proc.aargs[1] is the parent's; without index, every ancestor's.";
        ProcCmdline "proc.cmdline" Charbuf [] None "Name and arguments, space-separated.";
        ProcPcmdline "proc.pcmdline" Charbuf [] None "Command line of the parent process.";
        ProcAcmdline "proc.acmdline" Charbuf [NO_RHS NO_TRANSFORMER] IndexOptional "Command line of an ancestor, as proc.aname.";
        ProcCmdnargs "proc.cmdnargs" Uint64 [] None "Number of command-line arguments.";
        ProcCmdlenargs "proc.cmdlenargs" Uint64 [] None "Total length of the command-line arguments, separators excluded.";
        ProcExeline "proc.exeline" Charbuf [] None "argv[0] and the arguments, space-separated.";
        ProcEnv "proc.env" Charbuf [] NameOptional "Environment, space-separated; proc.env[NAME] is one variable's value.";
        ProcAenv "proc.aenv" Charbuf [NO_RHS NO_TRANSFORMER] NameOrIndex "Environment of an ancestor: proc.aenv[1] is the parent's; proc.aenv[NAME] the first ancestor's value of NAME.";
        ProcCwd "proc.cwd" Charbuf [] None "Current working directory (with a trailing slash).";
        ProcLoginshellid "proc.loginshellid" Int64 [] None "Pid of the outermost shell (a name ending in 'sh') among the process and its ancestors.";
        ProcTty "proc.tty" Uint32 [] None "Controlling terminal (device number), 0 when none.";
        ProcPid "proc.pid" Int64 [] None "Process id.";
        ProcPpid "proc.ppid" Int64 [] None "Parent process id.";
        ProcApid "proc.apid" Int64 [NO_RHS NO_TRANSFORMER] IndexOptional "Ancestor pid: proc.apid[1] is the parent, [2] the grandparent; without index, any ancestor.";
        ProcVpid "proc.vpid" Int64 [] None "Process id in its pid namespace.";
        ProcPvpid "proc.pvpid" Int64 [] None "Parent process id in its pid namespace.";
        ProcSid "proc.sid" Int64 [] None "Session id.";
        ProcSname "proc.sname" Charbuf [] None "Name of the session leader.";
        ProcSidExe "proc.sid.exe" Charbuf [] None "argv[0] of the session leader.";
        ProcSidExepath "proc.sid.exepath" Charbuf [] None "Executable path of the session leader.";
        ProcVpgid "proc.vpgid" Int64 [] None "Process group id in its pid namespace.";
        ProcVpgidName "proc.vpgid.name" Charbuf [] None "Name of the process group leader (by vpgid).";
        ProcVpgidExe "proc.vpgid.exe" Charbuf [] None "argv[0] of the process group leader (by vpgid).";
        ProcVpgidExepath "proc.vpgid.exepath" Charbuf [] None "Executable path of the process group leader (by vpgid).";
        ProcPgid "proc.pgid" Int64 [] None "Process group id, as the host pid namespace sees it (-1 when unknown).";
        ProcPgidName "proc.pgid.name" Charbuf [] None "Name of the process group leader.";
        ProcPgidExe "proc.pgid.exe" Charbuf [] None "argv[0] of the process group leader.";
        ProcPgidExepath "proc.pgid.exepath" Charbuf [] None "Executable path of the process group leader.";
        ProcDuration "proc.duration" Reltime [] None "Nanoseconds since the process started (when its start was seen).";
        ProcPpidDuration "proc.ppid.duration" Reltime [] None "Nanoseconds since the parent process started (when its start was seen).";
        ProcPidTs "proc.pid.ts" Reltime [] None "Start time of the process, ns since the epoch (when its start was seen).";
        ProcPpidTs "proc.ppid.ts" Reltime [] None "Start time of the parent process, ns since the epoch (0 when unknown).";
        ProcIsExeWritable "proc.is_exe_writable" Bool [] None "True when the executable is writable by the process's user.";
        ProcIsExeUpperLayer "proc.is_exe_upper_layer" Bool [] None "True when the executable is in an overlayfs upper layer (created in the container).";
        ProcIsExeLowerLayer "proc.is_exe_lower_layer" Bool [] None "True when the executable is in an overlayfs lower layer (from the image).";
        ProcIsExeFromMemfd "proc.is_exe_from_memfd" Bool [] None "True when the executable is a memfd (fileless execution).";
        ProcIsSidLeader "proc.is_sid_leader" Bool [] None "True when the process leads its session (sid equals vpid).";
        ProcIsVpgidLeader "proc.is_vpgid_leader" Bool [] None "True when the process leads its process group (vpgid equals vpid).";
        ProcIsPgidLeader "proc.is_pgid_leader" Bool [] None "True when the process leads its process group (pgid equals pid).";
        ProcExeIno "proc.exe_ino" Int64 [] None "Inode number of the executable (missing when unknown).";
        ProcExeInoCtime "proc.exe_ino.ctime" Abstime [] None "Last status change of the executable's inode, ns since the epoch.";
        ProcExeInoMtime "proc.exe_ino.mtime" Abstime [] None "Last modification of the executable's inode, ns since the epoch.";
        ProcExeInoCtimeDurationProcStart "proc.exe_ino.ctime_duration_proc_start" Abstime [] None "Nanoseconds from the executable's ctime to the process start.";
        ProcExeInoCtimeDurationPidnsStart "proc.exe_ino.ctime_duration_pidns_start" Abstime [] None "Nanoseconds from the pid namespace's start to the executable's ctime, when later.";
        ProcPidnsInitStartTs "proc.pidns_init_start_ts" Uint64 [] None "Start time of the pid namespace's init process (the container's start), ns since the epoch.";
        ThreadCapPermitted "thread.cap_permitted" Charbuf [] None "Permitted capabilities, as names.";
        ThreadCapInheritable "thread.cap_inheritable" Charbuf [] None "Inheritable capabilities, as names.";
        ThreadCapEffective "thread.cap_effective" Charbuf [] None "Effective capabilities, as names.";
        ProcFdopencount "proc.fdopencount" Uint64 [] None "Number of open fds of the process known to falco.";
        ProcFdlimit "proc.fdlimit" Int64 [] None "Maximum number of fds the process may open.";
        ProcFdusage "proc.fdusage" Double [] None "Open fds as a percentage of proc.fdlimit.";
        ProcVmsize "proc.vmsize" Uint64 [] None "Virtual memory size in KiB (as of the last update).";
        ProcVmrss "proc.vmrss" Uint64 [] None "Resident set size in KiB (as of the last update).";
        ProcVmswap "proc.vmswap" Uint64 [] None "Swapped memory in KiB (as of the last update).";
        ThreadPfmajor "thread.pfmajor" Uint64 [] None "Major page faults (as of the last update).";
        ThreadPfminor "thread.pfminor" Uint64 [] None "Minor page faults (as of the last update).";
        ThreadTid "thread.tid" Int64 [] None "Thread id.";
        ThreadIsmain "thread.ismain" Bool [] None "True for the main thread of a process.";
        ThreadVtid "thread.vtid" Int64 [] None "Thread id in its pid namespace.";
        ThreadNametid "thread.nametid" Charbuf [TABLE_ONLY] None "Process name followed by the thread id.";
        ThreadExectime "thread.exectime" Reltime [] None "On scheduler switches, the CPU time the outgoing thread last ran; 0 on other events.";
        ThreadTotexectime "thread.totexectime" Reltime [] None "On scheduler switches, the total CPU time of the thread; 0 on other events.";
        ThreadCgroups "thread.cgroups" Charbuf [] None "Every cgroup of the thread as subsystem=path, space-separated.";
        ThreadCgroup "thread.cgroup" Charbuf [] RequiredName "The cgroup path of one subsystem: thread.cgroup.cpuset.";
        ProcNthreads "proc.nthreads" Uint64 [] None "Number of threads of the process known to falco, the leader included.";
        ProcNchilds "proc.nchilds" Uint64 [] None "Number of threads of the process other than the leader.";
        ThreadCpu "thread.cpu" Double [] None "On procinfo events, the CPU used since the previous one.";
        ThreadCpuUser "thread.cpu.user" Double [] None "On procinfo events, the user CPU used since the previous one.";
        ThreadCpuSystem "thread.cpu.system" Double [] None "On procinfo events, the system CPU used since the previous one.";
        ThreadVmsize "thread.vmsize" Uint64 [] None "For the main thread, the process's virtual memory size in KiB; 0 for other threads.";
        ThreadVmrss "thread.vmrss" Uint64 [] None "For the main thread, the process's resident set size in KiB; 0 for other threads.";
        ThreadVmsizeB "thread.vmsize.b" Uint64 [TABLE_ONLY] None "thread.vmsize in bytes.";
        ThreadVmrssB "thread.vmrss.b" Uint64 [TABLE_ONLY] None "thread.vmrss in bytes.";
        ProcStdinType "proc.stdin.type" Charbuf [] None "fd type of the process's standard input (fd 0).";
        ProcStdoutType "proc.stdout.type" Charbuf [] None "fd type of the process's standard output (fd 1).";
        ProcStderrType "proc.stderr.type" Charbuf [] None "fd type of the process's standard error (fd 2).";
        ProcStdinName "proc.stdin.name" Charbuf [] None "fd name of the process's standard input (fd 0).";
        ProcStdoutName "proc.stdout.name" Charbuf [] None "fd name of the process's standard output (fd 1).";
        ProcStderrName "proc.stderr.name" Charbuf [] None "fd name of the process's standard error (fd 2).";
    }
    "user" {
        UserUid "user.uid" Uint32 [] None "User id.";
        UserName "user.name" Charbuf [] None "User name ('root' for uid 0 when unknown, '<NA>' for other unknown ids).";
        UserHomedir "user.homedir" Charbuf [] None "Home directory of the user.";
        UserShell "user.shell" Charbuf [] None "Login shell of the user.";
        UserLoginuid "user.loginuid" Int64 [] None "Audit login uid (-1 when unset).";
        UserLoginname "user.loginname" Charbuf [] None "Name of the audit login user.";
    }
    "group" {
        GroupGid "group.gid" Uint32 [] None "Group id.";
        GroupName "group.name" Charbuf [] None "Group name ('root' for gid 0 when unknown, '<NA>' for other unknown ids).";
    }
    "fd" {
        FdNum "fd.num" Int64 [] None "File descriptor number.";
        FdType "fd.type" Charbuf [] None "fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd...";
        FdTypechar "fd.typechar" Charbuf [] None "fd type as one character (f, d, 4, 6, u, p, e, s, l, i, t, n, m, o...).";
        FdName "fd.name" Charbuf [] None "fd name: the full path of files, the tuple of sockets.";
        FdDirectory "fd.directory" Charbuf [] None "Directory of a file fd.";
        FdFilename "fd.filename" Charbuf [] None "File name of a file fd, without the directory.";
        FdIp "fd.ip" Ipaddr [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Either address of a socket (client or server).";
        FdCip "fd.cip" Ipaddr [] None "Client address of a socket.";
        FdSip "fd.sip" Ipaddr [] None "Server address of a socket.";
        FdLip "fd.lip" Ipaddr [] None "Local address of a socket.";
        FdRip "fd.rip" Ipaddr [] None "Remote address of a socket.";
        FdPort "fd.port" Port [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Either port of a socket (client or server).";
        FdCport "fd.cport" Port [] None "Client port of a socket.";
        FdSport "fd.sport" Port [] None "Server port of a socket.";
        FdLport "fd.lport" Port [] None "Local port of a socket.";
        FdRport "fd.rport" Port [] None "Remote port of a socket.";
        FdL4proto "fd.l4proto" Charbuf [] None "Protocol of a socket: tcp, udp, icmp or raw.";
        FdSockfamily "fd.sockfamily" Charbuf [] None "Socket family: ip or unix.";
        FdIsServer "fd.is_server" Bool [] None "True when the process is the server side of the socket.";
        FdUid "fd.uid" Charbuf [] None "Unique id of the fd: the thread id followed by the fd number.";
        FdContainername "fd.containername" Charbuf [] None "Container id and fd name, colon-separated.";
        FdContainerdirectory "fd.containerdirectory" Charbuf [] None "Container id and fd directory, colon-separated.";
        FdProto "fd.proto" Port [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Either port of a socket, as fd.port.";
        FdCproto "fd.cproto" Charbuf [] None "Client port of a socket, as a number (falco does no service name resolution).";
        FdSproto "fd.sproto" Charbuf [] None "Server port of a socket, as a number (falco does no service name resolution).";
        FdLproto "fd.lproto" Charbuf [] None "Local port of a socket, as a number (falco does no service name resolution).";
        FdRproto "fd.rproto" Charbuf [] None "Remote port of a socket, as a number (falco does no service name resolution).";
        FdNet "fd.net" Ipnet [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Either network of a socket (client or server), for CIDR matches.";
        FdCnet "fd.cnet" Ipnet [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Client network of a socket.";
        FdSnet "fd.snet" Ipnet [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Server network of a socket.";
        FdLnet "fd.lnet" Ipnet [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Local network of a socket.";
        FdRnet "fd.rnet" Ipnet [FILTER_ONLY NO_RHS NO_TRANSFORMER] None "Remote network of a socket.";
        FdConnected "fd.connected" Bool [] None "True when the socket is connected.";
        FdNameChanged "fd.name_changed" Bool [] None "True when processing this event changed the fd's name (a connect, a sendto on an unconnected socket, a new fd).";
        FdCipName "fd.cip.name" Charbuf [NO_RHS NO_TRANSFORMER] None "Domain name of the client address (falco does no DNS resolution: missing).";
        FdSipName "fd.sip.name" Charbuf [NO_RHS NO_TRANSFORMER] None "Domain name of the server address (falco does no DNS resolution: missing).";
        FdLipName "fd.lip.name" Charbuf [NO_RHS NO_TRANSFORMER] None "Domain name of the local address (falco does no DNS resolution: missing).";
        FdRipName "fd.rip.name" Charbuf [NO_RHS NO_TRANSFORMER] None "Domain name of the remote address (falco does no DNS resolution: missing).";
        FdDev "fd.dev" Int32 [] None "Device number of the file's filesystem.";
        FdDevMajor "fd.dev.major" Int32 [] None "Major device number.";
        FdDevMinor "fd.dev.minor" Int32 [] None "Minor device number.";
        FdIno "fd.ino" Int64 [] None "Inode number of the file.";
        FdNameraw "fd.nameraw" Charbuf [] None "fd name as the syscall was given it, before resolution (duplicate slashes removed).";
        FdTypes "fd.types" Charbuf [IS_LIST NO_RHS] IndexOptional "The types of the process's open fds (each once); fd.types[N] is the type of fd N.";
        FdIsUpperLayer "fd.is_upper_layer" Bool [] None "True when the file is in an overlayfs upper layer.";
        FdIsLowerLayer "fd.is_lower_layer" Bool [] None "True when the file is in an overlayfs lower layer.";
    }
    "fdlist" {
        FdlistNums "fdlist.nums" Charbuf [] None "For poll events, the fd numbers of the 'fds' argument, comma-separated.";
        FdlistNames "fdlist.names" Charbuf [] None "For poll events, the fd names of the 'fds' argument, comma-separated.";
        FdlistCips "fdlist.cips" Charbuf [] None "For poll events, the client addresses of the 'fds' argument, comma-separated.";
        FdlistSips "fdlist.sips" Charbuf [] None "For poll events, the server addresses of the 'fds' argument, comma-separated.";
        FdlistCports "fdlist.cports" Charbuf [] None "For poll events, the client ports of the 'fds' argument, comma-separated.";
        FdlistSports "fdlist.sports" Charbuf [] None "For poll events, the server ports of the 'fds' argument, comma-separated.";
    }
    "fs.path" {
        FsPathName "fs.path.name" Charbuf [] None "Path a successful filesystem syscall works on (open, mkdir, unlink, chmod...), made absolute.";
        FsPathNameraw "fs.path.nameraw" Charbuf [] None "Path a successful filesystem syscall works on, as the syscall was given it.";
        FsPathSource "fs.path.source" Charbuf [] None "Source path of a successful rename, link, symlink or mount, made absolute.";
        FsPathSourceraw "fs.path.sourceraw" Charbuf [] None "Source path of a successful rename, link, symlink or mount, as given.";
        FsPathTarget "fs.path.target" Charbuf [] None "Target path of a successful rename, link, symlink or mount, made absolute.";
        FsPathTargetraw "fs.path.targetraw" Charbuf [] None "Target path of a successful rename, link, symlink or mount, as given.";
    }
    "container" {
        ContainerId "container.id" Charbuf [] None "Container id (12 characters) from the thread's cgroups; 'host' outside containers.";
        ContainerFullId "container.full_id" Charbuf [] None "Full container id (64 characters), from the container's metadata.";
        ContainerName "container.name" Charbuf [] None "Container name; 'host' outside containers.";
        ContainerImage "container.image" Charbuf [] None "Container image (repository:tag).";
        ContainerImageId "container.image.id" Charbuf [] None "Container image id.";
        ContainerType "container.type" Charbuf [] None "Container runtime: docker, containerd, cri-o, podman...; 'host' outside containers.";
        ContainerPrivileged "container.privileged" Bool [] None "True for privileged containers.";
        ContainerMounts "container.mounts" Charbuf [] None "Mounts of the container, comma-separated, each source:dest:mode:rdwr:propagation.";
        ContainerMount "container.mount" Charbuf [] Required "One mount, by index (container.mount[0]) or source glob (container.mount[/usr/*]); 'none' when there is no such mount.";
        ContainerMountSource "container.mount.source" Charbuf [] Required "Source of a mount, by index or destination glob.";
        ContainerMountDest "container.mount.dest" Charbuf [] Required "Destination of a mount, by index or source glob.";
        ContainerMountMode "container.mount.mode" Charbuf [] Required "Mode of a mount, by index or source glob.";
        ContainerMountRdwr "container.mount.rdwr" Charbuf [] Required "Whether a mount is read-write (true/false), by index or source glob.";
        ContainerMountPropagation "container.mount.propagation" Charbuf [] Required "Propagation of a mount, by index or source glob.";
        ContainerImageRepository "container.image.repository" Charbuf [] None "Container image repository.";
        ContainerImageTag "container.image.tag" Charbuf [] None "Container image tag.";
        ContainerImageDigest "container.image.digest" Charbuf [] None "Container image digest (sha256:...).";
        ContainerHealthcheck "container.healthcheck" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        ContainerLivenessProbe "container.liveness_probe" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        ContainerReadinessProbe "container.readiness_probe" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        ContainerStartTs "container.start_ts" Abstime [] None "Container start (proc.pidns_init_start_ts), ns since the epoch.";
        ContainerDuration "container.duration" Reltime [] None "Nanoseconds since container.start_ts.";
        ContainerIp "container.ip" Charbuf [] None "Primary IPv4 address of the container, from its metadata.";
        ContainerCniJson "container.cni.json" Charbuf [] None "CNI result of the container's pod, as JSON.";
        ContainerHostPid "container.host_pid" Bool [] None "True when the container shares the host's pid namespace.";
        ContainerHostNetwork "container.host_network" Bool [] None "True when the container shares the host's network namespace.";
        ContainerHostIpc "container.host_ipc" Bool [] None "True when the container shares the host's IPC namespace.";
        ContainerLabel "container.label" Charbuf [] RequiredName "One container label: container.label.NAME or container.label[NAME].";
        ContainerLabels "container.labels" Charbuf [] None "Container labels as key:value, comma-separated (Kubernetes labels excluded).";
        ProcIsContainerHealthcheck "proc.is_container_healthcheck" Bool [] None "Deprecated in Falco's container plugin: always missing.";
        ProcIsContainerLivenessProbe "proc.is_container_liveness_probe" Bool [] None "Deprecated in Falco's container plugin: always missing.";
        ProcIsContainerReadinessProbe "proc.is_container_readiness_probe" Bool [] None "Deprecated in Falco's container plugin: always missing.";
        K8sPodName "k8s.pod.name" Charbuf [] None "Kubernetes pod name (container label io.kubernetes.pod.name).";
        K8sNsName "k8s.ns.name" Charbuf [] None "Kubernetes namespace (container label io.kubernetes.pod.namespace).";
        K8sPodId "k8s.pod.id" Charbuf [] None "Kubernetes pod UID (legacy name of k8s.pod.uid).";
        K8sPodUid "k8s.pod.uid" Charbuf [] None "Kubernetes pod UID (container label io.kubernetes.pod.uid).";
        K8sPodSandboxId "k8s.pod.sandbox_id" Charbuf [] None "Pod sandbox id (12 characters).";
        K8sPodFullSandboxId "k8s.pod.full_sandbox_id" Charbuf [] None "Pod sandbox id (64 characters).";
        K8sPodLabel "k8s.pod.label" Charbuf [] RequiredName "One pod label: k8s.pod.label.NAME or k8s.pod.label[NAME].";
        K8sPodLabels "k8s.pod.labels" Charbuf [] None "Pod labels as key:value, comma-separated.";
        K8sPodIp "k8s.pod.ip" Charbuf [] None "Pod IPv4 address.";
        K8sPodCniJson "k8s.pod.cni.json" Charbuf [] None "CNI result of the pod, as JSON.";
        K8sRcName "k8s.rc.name" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sRcId "k8s.rc.id" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sRcLabel "k8s.rc.label" Charbuf [] RequiredName "Deprecated in Falco's container plugin: always missing.";
        K8sRcLabels "k8s.rc.labels" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sSvcName "k8s.svc.name" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sSvcId "k8s.svc.id" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sSvcLabel "k8s.svc.label" Charbuf [] RequiredName "Deprecated in Falco's container plugin: always missing.";
        K8sSvcLabels "k8s.svc.labels" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sNsId "k8s.ns.id" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sNsLabel "k8s.ns.label" Charbuf [] RequiredName "Deprecated in Falco's container plugin: always missing.";
        K8sNsLabels "k8s.ns.labels" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sRsName "k8s.rs.name" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sRsId "k8s.rs.id" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sRsLabel "k8s.rs.label" Charbuf [] RequiredName "Deprecated in Falco's container plugin: always missing.";
        K8sRsLabels "k8s.rs.labels" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sDeploymentName "k8s.deployment.name" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sDeploymentId "k8s.deployment.id" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
        K8sDeploymentLabel "k8s.deployment.label" Charbuf [] RequiredName "Deprecated in Falco's container plugin: always missing.";
        K8sDeploymentLabels "k8s.deployment.labels" Charbuf [] None "Deprecated in Falco's container plugin: always missing.";
    }
}
