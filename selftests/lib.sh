# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for ssns selftests (sourced). Tests run as root inside the VM
# with ssns.ko and ssns_sim.ko loaded.

SSNS_TOP=${SSNS_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
KSFT_SKIP=4
_tap_n=0
_tap_fail=0

tap_plan() { echo "1..$1"; }
tap_ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
tap_notok() {
	_tap_n=$((_tap_n + 1)); _tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $*"
}
tap_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP ${2:-}"; }
tap_diag() { echo "# $*"; }

# check DESC CMD...: one test point, passing when CMD succeeds. What CMD
# prints is shown (as diagnostics) only when it fails.
check() {
	local desc=$1 out; shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_notok "$1"
		tap_diag "expected '$2', got '$3'"
	fi
}

# check_err DESC ERRNO CMD...: CMD must fail, and its output name ERRNO.
check_err() {
	local desc=$1 want=$2 out; shift 2
	if out=$("$@" 2>&1); then
		tap_notok "$desc"
		tap_diag "succeeded, expected $want: $out"
	elif echo "$out" | grep -q "$want"; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "expected $want, got: $out"
	fi
}

tap_done() {
	[ "$_tap_fail" -eq 0 ] && exit 0
	exit 1
}

# --- tools -------------------------------------------------------------------
CTL=$SSNS_TOP/tools/ssnsctl/ssnsctl
CXI=$SSNS_TOP/selftests/progs/cxitool
NLRAW=$SSNS_TOP/selftests/progs/nlraw
SIMBUS=/sys/bus/ssns_sim

# need_progs [PROG...]: skip the whole test unless the programs (default:
# ssnsctl, cxitool, nlraw) are built and ssns_sim is loaded; make $TMPD.
need_progs() {
	local p progs=("$@")
	[ ${#progs[@]} -gt 0 ] || progs=("$CTL" "$CXI" "$NLRAW")
	for p in "${progs[@]}"; do
		if [ ! -x "$p" ]; then
			echo "1..0 # SKIP $p not built"
			exit $KSFT_SKIP
		fi
	done
	if [ ! -d $SIMBUS ]; then
		echo "1..0 # SKIP ssns_sim not loaded"
		exit $KSFT_SKIP
	fi
	TMPD=$(mktemp -d /tmp/ssns-test.XXXXXX)
}

# check_errno DESC ENAME[|ENAME...] CMD...: CMD must fail with exit status
# errno ENAME (the convention of cxitool and nlraw) or print ENAME or its
# strerror text (ssnsctl), for one of the names given.
check_errno() {
	local desc=$1 want=$2 out rc e; shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		tap_notok "$desc"
		tap_diag "succeeded, expected $want: $out"
		return
	fi
	for e in ${want//|/ }; do
		if [ "$rc" = "$(errno_num "$e")" ] ||
		   echo "$out" | grep -q -e "$e" -e "$(errno_str "$e")"; then
			tap_ok "$desc"
			return
		fi
	done
	tap_notok "$desc"
	tap_diag "expected $want, got exit $rc: $out"
}

errno_num() {
	python3 -c "import errno,sys; print(getattr(errno, sys.argv[1]))" "$1"
}

errno_str() {
	python3 -c "import errno,os,sys; print(os.strerror(getattr(errno, sys.argv[1])))" "$1"
}

# --- namespaces ----------------------------------------------------------------
in_ns() {
	local ns=$1; shift
	if [ -z "$ns" ]; then "$@"; else ip netns exec "$ns" "$@"; fi
}

# Start a process that lives in netns NS until the caller kills it (even
# through a long debug-kernel run); print its pid once it is there.
in_ns_pid() {
	local pid want
	want=$(ip netns exec "$1" readlink /proc/self/ns/net)
	ip netns exec "$1" sleep 1000000 > /dev/null 2>&1 &
	pid=$!
	wait_for sh -c "[ \"\$(readlink /proc/$pid/ns/net)\" = '$want' ]"
	echo $pid
}

# --- the rdma cgroup controller ---------------------------------------------------
# have_rdmacg: cgroup v2 at /sys/fs/cgroup with the rdma controller.
have_rdmacg() {
	[ -e /sys/fs/cgroup/cgroup.controllers ] &&
		grep -qw rdma /sys/fs/cgroup/cgroup.controllers
}

# rdma_unlimit DIR: lift every rdma limit of cgroup directory DIR. Do it
# before a cgroup goes away: the 6.1 rdma controller keeps an idle resource
# pool that carries a limit when its cgroup is removed, and frees it only
# when the device unregisters, by then through the freed cgroup (a
# use-after-free KASAN reports at rmmod).
rdma_unlimit() {
	local dev
	for dev in $(awk '{print $1}' "$1/rdma.max" 2>/dev/null); do
		echo "$dev hca_handle=max hca_object=max" > "$1/rdma.max"
	done
}

# wait_for CMD ARGS...: run CMD until it succeeds, for up to $SSNS_WAIT
# seconds (30; debug kernels under emulation are slow).
wait_for() {
	local i
	for i in $(seq $((${SSNS_WAIT:-30} * 10))); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# --- simulated devices -----------------------------------------------------------
sim_add() {
	echo "$1 ${2:-}" > $SIMBUS/new_device || return 1
	[ -z "${2:-}" ] || wait_for test -c "/dev/$2"
}

sim_del() { echo "$1" > $SIMBUS/del_device; }

# --- state through netlink ---------------------------------------------------------
# System netns mode: 0 shared, 1 exclusive.
sys_mode() { "$NLRAW" sys_get | sed -n 's/^ *sys_netns_mode=//p'; }

# Names of the devices netns NS (default: this one) sees in a dump.
dev_names() { in_ns "${1:-}" "$NLRAW" -D dev_get | sed -n 's/^  dev_name=//p'; }

# dev_listed NAME [NS]: NAME is in the dump of netns NS.
dev_listed() { dev_names "${2:-}" | grep -qx "$1"; }

# --- processes holding a device open -------------------------------------------------
# hold_start NAME NS DEV CMD ARGS...: run cxitool in the background in netns
# NS ("" for this one); it writes NAME.ready once its endpoint exists.
hold_start() {
	local name=$1 ns=$2; shift 2
	rm -f "$TMPD/$name".*
	# Not through in_ns: $! must be cxitool itself, not a subshell.
	if [ -z "$ns" ]; then
		"$CXI" -r "$TMPD/$name.ready" "$@" > "$TMPD/$name.out" 2>&1 &
	else
		ip netns exec "$ns" "$CXI" -r "$TMPD/$name.ready" "$@" \
			> "$TMPD/$name.out" 2>&1 &
	fi
	echo $! > "$TMPD/$name.pid"
}

hold_ready() { wait_for test -e "$TMPD/$1.ready"; }

# Wait (up to 30 s) for the holder to end; print its last line.
hold_wait() {
	local pid i
	pid=$(cat "$TMPD/$1.pid")
	for i in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	tail -n 1 "$TMPD/$1.out"
}

# "running" while the holder lives, else its last line.
hold_state() {
	if kill -0 "$(cat "$TMPD/$1.pid")" 2>/dev/null; then
		echo running
	else
		tail -n 1 "$TMPD/$1.out"
	fi
}

hold_stop() {
	local pid
	pid=$(cat "$TMPD/$1.pid")
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# --- monitor ----------------------------------------------------------------------
monitor_start() {
	"$CTL" monitor > "$TMPD/$1.mon" 2>&1 &
	echo $! > "$TMPD/$1.monpid"
	sleep 0.3
}

# monitor_saw NAME REGEX: the monitor printed a line matching REGEX (waits).
monitor_saw() { wait_for grep -Eq "$2" "$TMPD/$1.mon"; }

monitor_stop() { kill "$(cat "$TMPD/$1.monpid")" 2>/dev/null; return 0; }

# nl_expect DESC ERRNO EXTACK_ERE NLRAW_ARGS...: the request fails with
# ERRNO (an ERE: "EINVAL|ERANGE") and an extack message matching EXTACK_ERE
# (never empty).
nl_expect() {
	local desc=$1 want=$2 re=$3 out last; shift 3
	out=$("$NLRAW" "$@" 2>&1)
	last=$(echo "$out" | tail -n 1)
	if echo "$last" | grep -Eq "^error=($want) extack=.+" &&
	   echo "${last#*extack=}" | grep -Eq -- "$re"; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "want error=$want extack~/$re/, got: $last"
	fi
}

dev_index() { "$NLRAW" dev_get str:dev_name="$1" | sed -n 's/^  dev_index=//p'; }

# dev_stat DEV COUNTER, tenant_stat TENANT COUNTER: a counter (0 if absent).
dev_stat() {
	local v
	v=$("$NLRAW" dev_get str:dev_name="$1" | sed -n "s/^    $2=//p")
	echo "${v:-0}"
}

tenant_stat() {
	local v
	v=$("$NLRAW" tenant_get str:tenant_name="$1" | sed -n "s/^    $2=//p")
	echo "${v:-0}"
}

# Netns cookies of the members of a tenant, one a line.
tenant_members() {
	"$NLRAW" tenant_get str:tenant_name="$1" | sed -n 's/^ \{6,\}netns_cookie=//p'
}

# --- CNI plugin (cni.sh, cni_stress.sh; they set STATE, CNI_BIN, PLUGIN) ---

# conf TENANT VNIS [EXTRA_JSON_MEMBERS]: a network configuration.
conf() {
	local t=${1:+\"tenant\":\"$1\",} v=${2:+\"vnis\":\"$2\",}
	echo "{\"cniVersion\":\"${VER:-1.0.0}\",\"name\":\"hpc\",\"type\":\"ssns-cni\",$t$v\"devices\":[\"cxi0\"],\"trafficClasses\":[\"low_latency\"],\"stateDir\":\"$STATE\"${3:+,$3}}"
}

# cni CMD POD [CNI_ARGS] < config: run the plugin (or $BIN); stdout is its
# output.
cni() {
	local ns=${2:+/run/netns/$2}
	env -i PATH="$PATH" CNI_COMMAND="$1" CNI_CONTAINERID="ctr-${2:-none}" \
		CNI_NETNS="${NETNS_OVERRIDE-$ns}" CNI_IFNAME="${IFNAME:-ssns0}" \
		CNI_PATH="$CNI_BIN" CNI_ARGS="${3:-}" $WRAP "${BIN:-$PLUGIN}"
}

# --- libfabric and MPI (libfabric*.sh, mpi*.sh) -------------------------------

# need_fabric [PROG...]: skip the whole test unless the provider is built and
# the programs (commands or paths) are there; point libfabric at the provider.
need_fabric() {
	local p
	PROV=$SSNS_TOP/tools/libfabric
	for p in "$PROV/libssns-fi.so" "$@"; do
		case $p in
		/*) [ -e "$p" ] ;;
		*) command -v "$p" > /dev/null ;;
		esac || {
			echo "1..0 # SKIP $p missing (make; scripts/setup)"
			exit $KSFT_SKIP
		}
	done
	export FI_PROVIDER_PATH=$PROV
	unset SLINGSHOT_VNIS SLINGSHOT_DEVICES SLINGSHOT_TCS SLINGSHOT_SVC_IDS
}

# pod_net BRIDGE NET NS...: network namespaces NS... (pods), each with eth0
# at NET.1, NET.2... in order, on BRIDGE, here, at NET.254. The TCP their
# programs need besides the fabric (fi_pingpong's address exchange, Open
# MPI's wire-up).
pod_net() {
	local br=$1 net=$2 ns n=0
	shift 2
	ip link set lo up
	ip link add "$br" type bridge && ip addr add "$net.254/24" dev "$br" &&
		ip link set "$br" up || return 1
	for ns in "$@"; do
		n=$((n + 1))
		ip netns add "$ns" &&
		ip link add "v$ns" type veth peer name eth0 netns "$ns" &&
		ip link set "v$ns" master "$br" up &&
		ip -n "$ns" addr add "$net.$n/24" dev eth0 &&
		ip -n "$ns" link set eth0 up &&
		ip -n "$ns" link set lo up || return 1
	done
}

# pod_net_del BRIDGE NS...
pod_net_del() {
	local br=$1 ns
	shift
	for ns in "$@"; do ip netns del "$ns" 2>/dev/null; done
	ip link del "$br" 2>/dev/null
	return 0
}

# listening NS PORT: a TCP socket listens on PORT in netns NS ("": here).
listening() {
	in_ns "$1" cat /proc/net/tcp |
		awk -v p="$(printf ':%04X' "$2")" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }'
}

# mpi_agent FILE "IP NS DEV"...: mpirun's remote shell, "FILE [options]
# HOST COMMAND...", running COMMAND in the pod NS of HOST IP, on its NIC DEV.
mpi_agent() {
	local f=$1 m
	shift
	{
		echo '#!/bin/sh'
		echo 'while [ $# -gt 0 ]; do case $1 in -*) shift ;; *) break ;; esac; done'
		echo 'case $1 in'
		for m in "$@"; do
			set -- $m
			echo "$1) ns=$2 dev=$3 ;;"
		done
		echo '*) echo "agent: unknown host $1" >&2; exit 1 ;;'
		echo 'esac'
		echo 'shift'
		echo 'exec ip netns exec "$ns" env SLINGSHOT_DEVICES="$dev" /bin/sh -c "$*"'
	} > "$f"
	chmod +x "$f"
}

# mpi_job OUT NP HOSTS ARGS...: mpirun of ARGS on the ofi MTL over the
# provider ssns, through the agent $MPI_AGENT, wire-up on $MPI_NET.0/24,
# bounded by $T seconds: its output in OUT, then "rc=N"; the pid of its
# timeout (to stop it) in OUT.pid.
mpi_job() {
	local out=$1 np=$2 hosts=$3
	shift 3
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
	timeout "${T:-240}" mpirun --allow-run-as-root -np "$np" --host "$hosts" \
		--bind-to none --mca plm_rsh_agent "$MPI_AGENT" \
		--mca oob_tcp_if_include "$MPI_NET.0/24" \
		--mca pml cm --mca mtl ofi --mca mtl_ofi_provider_include ssns \
		--mca btl self -x FI_PROVIDER_PATH "$@" > "$out" 2>&1 &
	echo $! > "$out.pid"
	wait $!
	echo "rc=$?" >> "$out"
}

# --- kernel log ----------------------------------------------------------------
# log_problems: kernel log lines of warning level or worse, but for the
# taint notes an out-of-tree or unsigned module causes and what a slow
# emulated guest says about its timers.
log_problems() {
	dmesg --level=emerg,alert,crit,err,warn |
		grep -v -e 'loading out-of-tree module taints kernel' \
			-e 'module verification failed: signature and/or required key missing' \
			-e 'hrtimer: interrupt took'
}
