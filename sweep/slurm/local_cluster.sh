#!/bin/sh
# local_cluster.sh - a throwaway single-node Slurm cluster living in one directory.
#
#   local_cluster.sh start DIR   start munged + slurmctld + slurmd, print
#                                "export SLURM_CONF=DIR/slurm.conf" on stdout
#   local_cluster.sh stop DIR    cancel jobs, stop the daemons; idempotent
#
# Typical test use (as root, in a fresh container):
#   eval "$(sweep/slurm/local_cluster.sh start "$tmp/cluster")"
#   trap 'sweep/slurm/local_cluster.sh stop "$tmp/cluster"' EXIT
#   USER=${USER:-root} snakemake --profile sweep/profiles/slurm ...
#
# Design constraints, and the reason behind most of the code below:
# - It runs in CI containers: no systemd, no /etc/slurm, no cgroup delegation,
#   and no guarantee that the hostname resolves.  So everything is addressed
#   by 127.0.0.1, slurmd is told its node name with -N, and only the
#   cgroup-free plugins (proctrack/linuxproc, task/none) are used.
# - Nothing may be written outside DIR (no /etc, /run, /var), and two clusters
#   in two DIRs must coexist: every socket, pid, log, state and spool path is
#   in DIR, and the TCP ports are picked at random among the free ones.
# - Slurm clients (sinfo, sbatch, srun, scontrol, ...) find the cluster only
#   through SLURM_CONF; without it they try a DNS SRV lookup and fail with
#   "fetch_config: DNS SRV lookup failed".
# - Runs as root (SlurmUser=root); needs Debian's slurm-wlm, munge, GNU
#   coreutils (timeout) and GNU grep (-z).
set -eu

START_TIMEOUT=60   # seconds to wait for the node to become idle
STOP_TIMEOUT=15    # seconds to wait for jobs / daemons to go away

# Every daemon gets this variable in its environment.  slurmstepd inherits it
# from slurmd, so "stop" can find step daemons that outlived slurmd.
MARK=LOCAL_CLUSTER_DIR

say() { printf '%s\n' "local_cluster: $*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
    printf 'usage: %s start|stop DIR\n' "$0" >&2
    exit 2
}

# GNU sleep takes fractions; a strictly POSIX sleep does not, so fall back.
nap() { sleep 0.2 2>/dev/null || sleep 1; }

# --- paths ----------------------------------------------------------------

# Resolve DIR to an absolute path and derive every file name from it, so the
# pid files and the cmdline checks below always agree.
set_paths() {
    DIR=$(cd "$1" && pwd -P)
    CONF=$DIR/slurm.conf
    MSOCK=$DIR/munge.socket
    MKEY=$DIR/munge.key
    MPID=$DIR/munged.pid
    CPID=$DIR/slurmctld.pid
    DPID=$DIR/slurmd.pid
    # Unix socket paths are limited to 107 bytes; slurmd puts
    # "<node>_<jobid>.<step>" sockets into the spool directory.
    [ "${#DIR}" -le 70 ] || die "DIR path too long for unix sockets: $DIR"
}

# --- process handling ----------------------------------------------------

# Print the pid from a pid file if that process is alive AND was started for
# this DIR (its command line mentions "DIR/"); guards against pid reuse and
# against killing another cluster's daemon.
live_pid() {
    [ -r "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    case $pid in '' | *[!0-9]*) return 1 ;; esac
    [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$DIR/" ||
        return 1
    printf '%s\n' "$pid"
}

# Wait up to $2 seconds for process $1 to disappear.
wait_gone() {
    n=$(($2 * 5))
    while [ -d "/proc/$1" ] && [ "$n" -gt 0 ]; do
        nap
        n=$((n - 1))
    done
    [ ! -d "/proc/$1" ]
}

# TERM all given daemons at once, then KILL whatever has not exited in time.
# Slurm daemons save state on TERM and take a second or two; KILL is only the
# last resort.
stop_pidfiles() {
    pids=
    for pf in "$@"; do
        pid=$(live_pid "$pf") && kill -TERM "$pid" 2>/dev/null &&
            pids="$pids $pid"
        rm -f "$pf"
    done
    for pid in $pids; do
        wait_gone "$pid" "$STOP_TIMEOUT" || kill -KILL "$pid" 2>/dev/null ||
            true
        wait_gone "$pid" 5 || say "warning: pid $pid survived SIGKILL"
    done
}

# Print the given pids and all their descendants, from the ppid field of
# /proc/*/stat (the text after the last ')' -- comm may contain blanks).
with_descendants() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="$*" '
        { s = $0; sub(/.*\) /, "", s); split(s, f, " "); ppid[$1] = f[2] }
        END {
            n = split(roots, r, " ")
            for (i = 1; i <= n; i++) keep[r[i]] = 1
            do {
                grew = 0
                for (p in ppid)
                    if (!(p in keep) && (ppid[p] in keep)) { keep[p] = 1; grew = 1 }
            } while (grew)
            for (p in keep) print p
        }'
}

# Kill what carries our marker but has no pid file, plus its descendants:
# mainly slurmstepd, which slurmd forks off per job step, which survives
# slurmd's death, and whose children are the job's processes.  Only needed
# when slurmctld died and the jobs could not be cancelled.  One GNU grep over
# all environ files (-z: NUL-separated, -s: skip vanished processes).
sweep_marked() {
    marked=$(grep -lszxF -- "$MARK=$DIR" /proc/[0-9]*/environ |
        sed 's|^/proc/||; s|/environ$||')
    [ -n "$marked" ] || return 0
    # shellcheck disable=SC2086 # one pid per word
    for pid in $(with_descendants $marked); do
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# Cancel everything still queued or running, so that no job process is left
# behind once slurmd is gone (slurmd alone would not kill them on TERM).
cancel_jobs() {
    live_pid "$CPID" >/dev/null || return 0
    ids=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null) || return 0
    [ -n "$ids" ] || return 0
    # shellcheck disable=SC2086 # word splitting of the id list is intended
    SLURM_CONF=$CONF timeout 10 scancel $ids 2>/dev/null || true
    n=$((STOP_TIMEOUT * 5))
    while [ "$n" -gt 0 ] &&
        [ -n "$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null)" ]; do
        nap
        n=$((n - 1))
    done
}

do_stop() {
    [ -f "$CONF" ] && cancel_jobs
    # munged last: the Slurm daemons need it to authenticate their final
    # messages to each other.
    stop_pidfiles "$DPID" "$CPID"
    stop_pidfiles "$MPID"
    sweep_marked
    rm -f "$MSOCK" "$MSOCK.lock"
}

# Print the end of every log to stderr: the only way to see why a daemon died
# when this runs inside CI.
dump_logs() {
    for log in "$DIR"/munged.log "$DIR"/slurmctld.log "$DIR"/slurmd.log \
        "$DIR"/*.out; do
        [ -s "$log" ] || continue
        printf '==> %s <==\n' "$log" >&2
        tail -n 25 "$log" >&2
    done
}

# --- start ---------------------------------------------------------------

# Random port in 20000..29999: below Linux's ephemeral range (32768+), so an
# outgoing connection (srun, sbatch) cannot be sitting on it later, and
# random so that two clusters started at the same time do not pick the same.
random_port() {
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $((20000 + r % 10000))
}

# True if any TCP socket (v4 or v6, any state) uses local port $1.  Reads
# /proc directly, so neither ss nor netstat nor python is needed.
port_used() {
    hex=$(printf '%04X' "$1")
    awk -v p="$hex" 'FNR > 1 { n = split($2, a, ":"); if (a[n] == p) f = 1 }
        END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        p=$(random_port)
        [ "$p" != "${1:-}" ] || continue
        port_used "$p" || { echo "$p"; return 0; }
    done
    die "no free TCP port found"
}

make_key() {
    rm -f "$MKEY"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey -c -f -k "$MKEY"
    else
        dd if=/dev/urandom of="$MKEY" bs=1 count=1024 2>/dev/null
    fi
    chmod 600 "$MKEY"
}

# munged refuses group/world-writable directories and, as root, wants
# --force; --origin avoids a hostname lookup that fails without DNS.
start_munged() {
    make_key
    env "$MARK=$DIR" munged --force --origin=127.0.0.1 \
        --socket="$MSOCK" --key-file="$MKEY" --pid-file="$MPID" \
        --log-file="$DIR/munged.log" --seed-file="$DIR/munged.seed" \
        </dev/null >>"$DIR/munged.out" 2>&1
    n=$((10 * 5))
    until [ -S "$MSOCK" ]; do
        [ "$n" -gt 0 ] || die "munged did not create $MSOCK"
        nap
        n=$((n - 1))
    done
}

# Memory Slurm may hand out: the node would be drained if RealMemory exceeded
# what slurmd detects, so leave 10 % (at least 512 MB) of headroom.
real_memory() {
    awk '/^MemTotal:/ { m = int($2 / 1024); h = int(m / 10);
        if (h < 512) h = 512; m -= h; if (m < 1) m = 1; print m }' /proc/meminfo
}

write_conf() {
    ctld_port=$(free_port)
    slurmd_port=$(free_port "$ctld_port")
    cat >"$CONF" <<EOF
# Generated by local_cluster.sh for a throwaway single-node cluster.
ClusterName=local
# slurmctld refuses to run unless this name is gethostname() (or localhost):
# "This host (...) not a valid controller".  The address is given so that
# nobody has to resolve the name.
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$MSOCK
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$CPID
SlurmdPidFile=$DPID
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# Silences "Configured MailProg is invalid" (no mailer in a container).
MailProg=/bin/true
# No cgroups: containers rarely delegate them, and we need no isolation.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: sacct fails, Snakemake then falls back to scontrol.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
# Start a batch job at submit time instead of up to 3 s later (default):
# workflows here are chains of short jobs, so latency is what counts.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# A node that registers after a restart becomes usable without scontrol.
ReturnToService=2
# Keep finished jobs in slurmctld for an hour: without accounting,
# "scontrol show job" is the only place their final state can be read.
MinJobAge=3600
KillWait=5
InactiveLimit=0
# Trust the numbers below rather than draining the node if slurmd detects
# a different topology (cpusets and memory limits in containers).
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(real_memory) State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

# Daemons fork into the background; their stdio goes to files so that a
# caller doing eval "$(local_cluster.sh start DIR)" is not kept waiting for
# an EOF that never comes.
start_slurm() {
    env "$MARK=$DIR" slurmctld -f "$CONF" </dev/null >>"$DIR/slurmctld.out" 2>&1
    env "$MARK=$DIR" slurmd -f "$CONF" -N "$NODE" \
        </dev/null >>"$DIR/slurmd.out" 2>&1
}

# Poll until sinfo shows the node idle.  A daemon that died is reported at
# once rather than after the full timeout (after a 5 s grace period, since
# the pid files appear only once the daemons have forked).
wait_idle() {
    tick=0
    while :; do
        state=$(timeout 10 sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
        [ "$state" = idle ] && return 0
        [ "$tick" -lt $((START_TIMEOUT * 5)) ] ||
            die "node $NODE not idle after ${START_TIMEOUT}s (state: ${state:-none})"
        if [ "$tick" -gt 25 ]; then
            live_pid "$CPID" >/dev/null || die "slurmctld is not running"
            live_pid "$DPID" >/dev/null || die "slurmd is not running"
        fi
        nap
        tick=$((tick + 1))
    done
}

# On any failure: show why, and leave nothing running.
on_exit() {
    rc=$?
    trap - EXIT
    [ "$rc" -eq 0 ] && return 0
    say "start failed (exit $rc); daemon logs follow"
    dump_logs
    do_stop
    exit "$rc"
}

do_start() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (SlurmUser=root)"
    for pf in "$MPID" "$CPID" "$DPID"; do
        ! live_pid "$pf" >/dev/null || die "already running in $DIR; stop it first"
    done
    trap on_exit EXIT
    trap 'exit 130' INT TERM
    # A fresh cluster every time: no jobs or node state from a previous run.
    rm -rf "$DIR/state" "$DIR/spool" "$DIR"/*.log "$DIR"/*.out
    mkdir -p "$DIR/state" "$DIR/spool"
    NODE=$(uname -n)
    NODE=${NODE%%.*}
    export SLURM_CONF="$CONF"
    start_munged
    write_conf
    start_slurm
    wait_idle
    trap - EXIT INT TERM
    printf 'export SLURM_CONF=%s\n' "$CONF"
}

main() {
    [ $# -eq 2 ] || usage
    case $1 in
    start)
        # 0755: munged rejects a socket/key directory others can write to,
        # and warns if they cannot traverse it.  The key itself is 0600.
        mkdir -p "$2"
        chmod 755 "$2"
        set_paths "$2"
        do_start
        ;;
    stop)
        [ -d "$2" ] || return 0
        set_paths "$2"
        do_stop
        ;;
    *) usage ;;
    esac
}

main "$@"
