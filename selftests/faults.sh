#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection, stepped through every failure point.
#
# A. The ssns_sim debugfs knobs (fail_open, fail_ep_alloc, fail_send,
#    fail_recv) with several fail_errno values: the caller gets exactly that
#    errno, the knob goes down by one, the next call succeeds, and nothing
#    is left behind (state dumps, counters and rdma.current unchanged).
# B. failslab stepped with the per-task /proc/thread-self/fail-nth (debug
#    kernel only): for N = 1, 2, ... the N-th slab allocation of the thread
#    making the call fails, until the call makes fewer than N. Each failing
#    step returns an errno and leaves the state dump exactly as before; a
#    step that succeeds anyway reaches the same state as without faults and
#    is undone. nlraw -F arms netlink requests, cxifault char device calls
#    and sysfs writes.
. "$(dirname "$0")/lib.sh"

CXF=$SSNS_TOP/selftests/progs/cxifault
need_progs "$CTL" "$NLRAW" "$CXF"

DBG=/sys/kernel/debug/ssns_sim
FAILSLAB=/sys/kernel/debug/failslab
CG=/sys/fs/cgroup
MAXSTEPS=${SSNS_FAULT_MAXSTEPS:-200}
# Step every failure point (stride 1, the default), or every S-th from
# offset O (SSNS_FAULT_STRIDE=S, SSNS_FAULT_OFFSET=O, default random) for a
# quicker run; the offset is printed so that a run can be repeated.
FSTRIDE=${SSNS_FAULT_STRIDE:-1}
FOFFSET=${SSNS_FAULT_OFFSET:-$((RANDOM % FSTRIDE))}
CGRP=
pods="fp1 fp2 fp3"
cleanup() {
	[ -n "${CF_PID:-}" ] && kill "$CF_PID" 2>/dev/null
	kill ${P1:-} ${P2:-} ${P3:-} 2>/dev/null
	exec 5>&- 6<&- 7>&- 8<&-
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	if [ -n "$CGRP" ]; then
		echo $$ > $CG/cgroup.procs
		rmdir $CG/faults $CG/faults-m $CG/faults-n 2>/dev/null
	fi
	[ -e $FAILSLAB/ignore-gfp-wait ] && echo Y > $FAILSLAB/ignore-gfp-wait
	rm -rf "$TMPD"
}
trap cleanup EXIT

# The test runs in a cgroup of its own, so rdma.current shows its charges.
if [ -e $CG/cgroup.controllers ]; then
	mkdir -p $CG/faults $CG/faults-m $CG/faults-n
	CGRP=faults
	if grep -qw rdma $CG/cgroup.controllers; then
		echo +rdma > $CG/cgroup.subtree_control
		echo $$ > $CG/faults/cgroup.procs
	else
		CGRP=
		tap_diag "no rdma cgroup controller: rdma.current not checked"
	fi
fi

sim_add 41 fx0
sim_add 42 fx1
for ns in $pods; do ip netns add $ns; done
# A process in each pod for NETNS_PID, alive for the whole (long) test.
P1=$(in_ns_pid fp1)
P2=$(in_ns_pid fp2)
P3=$(in_ns_pid fp3)
IX0=$(cat $SIMBUS/devices/ssns_sim41/dev_index)

# Host profile (VNI 10), a tenant with pod fp1 and its profile (VNI 100).
$CTL profile add dev fx0 vni 10 tc best_effort > /dev/null &&
$CTL tenant add fpod vni 100-101 > /dev/null &&
$CTL tenant set fpod netns fp1 > /dev/null &&
$CTL profile add dev fx0 vni 100 tc low_latency > /dev/null
check "setup: profiles and a tenant with a pod" test $? -eq 0

# Everything ssns and ssns_sim show: dumps (from init_net and fp2, the pod
# DEV_SET moves a device to),
# sim counters, sim devices, device nodes, rdma charges. One cxifault
# process answers every snapshot: a dozen processes per snapshot are far
# too slow on a debug kernel under emulation.
mkfifo "$TMPD/sr.in" "$TMPD/sr.out"
"$CXF" < "$TMPD/sr.in" > "$TMPD/sr.out" 2>&1 &
SR_PID=$!
exec 7> "$TMPD/sr.in" 8< "$TMPD/sr.out"
state() {
	local l what
	what="ns:fp2 $SIMBUS/devices $DBG $(echo "$DBG"/*/stats) /dev"
	[ -z "$CGRP" ] || what="$what $CG/$CGRP/rdma.current"
	echo "state $what" >&7
	while read -t 300 -r l <&8; do
		[ "$l" = end ] && return 0
		echo "$l"
	done
	echo "state: no answer"
}

# One nlraw -i for the requests of part B (each still in a child of its own,
# for fail-nth). nl ARGS...: run one request, print its output; status its
# exit status.
mkfifo "$TMPD/nl.in" "$TMPD/nl.out"
"$NLRAW" -i < "$TMPD/nl.in" > "$TMPD/nl.out" 2>&1 &
exec 5> "$TMPD/nl.in" 6< "$TMPD/nl.out"
nl() {
	local l
	echo "$*" >&5
	while read -t 300 -r l <&6; do
		case $l in
		"end rc="*) return "${l#end rc=}" ;;
		esac
		echo "$l"
	done
	echo "nl: no answer"
	return 1
}

# nl_seq "REQ; REQ; ...": requests in order, quietly; fails at the first
# that fails, printing its answer.
nl_seq() {
	local r out IFS=';'
	for r in $1; do
		IFS=' '
		out=$(nl $r) || {
			tap_diag "request failed: $r: $(echo "$out" | tail -n 1)"
			return 1
		}
	done
}

check_eq "a state snapshot shows the two devices and their stats" "2 2" \
	"$(state | grep -c '^dev ') $(state | grep -c '/stats: tx_msgs ')"

# diff of two states, as diagnostics (a few lines).
state_diff() {
	echo "$1" > "$TMPD/diff.a"
	echo "$2" > "$TMPD/diff.b"
	diff "$TMPD/diff.a" "$TMPD/diff.b" | head -n 12 | sed 's/^/#   /'
}

# --- cxifault as a co-process ------------------------------------------------
# cf_start [NS]: start cxifault (in netns NS); cf CMD...: one command, print
# its answer; cf_stop.
cf_start() {
	if [ -z "${1:-}" ]; then
		coproc CF { exec "$CXF" 2>&1; }
	else
		coproc CF { exec ip netns exec "$1" "$CXF" 2>&1; }
	fi
}

cf() {
	local l
	echo "$*" >&"${CF[1]}"
	read -t 300 -r l <&"${CF[0]}" || l="error=NOANSWER"
	echo "$l"
}

cf_stop() {
	local pid=$CF_PID
	echo quit >&"${CF[1]}"
	wait "$pid" 2>/dev/null
	CF_PID=
}

# cf_ok DESC CMD...: a command that must succeed (a test point on failure
# only, so the plan does not depend on the kernel).
cf_ok() {
	local desc=$1 out; shift
	out=$(cf "$@")
	case $out in
	ok*) echo "$out" ;;
	*) tap_notok "$desc"; tap_diag "$* -> $out"; return 1 ;;
	esac
}

field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

# ============================================================================
# A. ssns_sim fault knobs
# ============================================================================
knob() { local v; read -r v < "$DBG/fx0/$1"; echo "$v"; }

# knob_case KNOB ERRNO_VALUE ENAME PREP_CMDS ARMED_CMD AFTER_CHECK
# PREP_CMDS are cxifault commands separated by ';' run before the knob is
# set; ARMED_CMD must fail with ENAME, then succeed when run again.
knob_case() {
	local k=$1 ev=$2 en=$3 prep=$4 cmd=$5 before after out cnt bad=0
	local IFS_save=$IFS c
	cf_start
	IFS=';'
	for c in $prep; do
		IFS=$IFS_save
		cf_ok "$k: prepare ($c)" $c > /dev/null || bad=1
		IFS=';'
	done
	IFS=$IFS_save
	echo "$ev" > "$DBG/fx0/fail_errno"
	echo 1 > "$DBG/fx0/$k"
	before=$(state)
	out=$(cf $cmd)
	after=$(state)
	cnt=$(knob "$k")
	if [ "$out" != "error=$en" ]; then
		tap_notok "$k fail_errno=$ev: $cmd fails with $en"
		tap_diag "got: $out"
	elif [ "$cnt" != 0 ]; then
		tap_notok "$k fail_errno=$ev: count went down by one"
		tap_diag "$k is $cnt"
	elif [ "$before" != "$after" ]; then
		tap_notok "$k fail_errno=$ev: nothing left behind"
		state_diff "$before" "$after"
	else
		out=$(cf $cmd)
		case $out in
		ok*) [ $bad -eq 0 ] && tap_ok "$k fail_errno=$ev: $en, count 1 -> 0, state unchanged, next call succeeds" ||
			tap_notok "$k fail_errno=$ev: preparation" ;;
		*) tap_notok "$k fail_errno=$ev: next call succeeds"
		   tap_diag "got: $out" ;;
		esac
		# fail_recv: the message the failed call saw is still there.
		[ "$k" != fail_recv ] ||
			check_eq "fail_recv fail_errno=$ev: the message was not consumed" \
				hello "$(field "$out" msg)"
	fi
	cf_stop
}

tap_diag "A: ssns_sim fault knobs on fx0 (fail_errno 0 is EIO)"
errnos=("0 EIO" "12 ENOMEM" "110 ETIMEDOUT")
# A debug kernel under emulation is slow: two values there are enough.
[ ! -e /proc/self/fail-nth ] || errnos=("0 EIO" "12 ENOMEM")
for e in "${errnos[@]}"; do
	set -- $e
	knob_case fail_open "$1" "$2" "" "open fx0"
	knob_case fail_ep_alloc "$1" "$2" "open fx0" "alloc 10 best_effort any"
	knob_case fail_send "$1" "$2" "open fx0;alloc 10 best_effort 7" \
		"send $IX0 7 hello"
	knob_case fail_recv "$1" "$2" \
		"open fx0;alloc 10 best_effort 8;send $IX0 8 hello" "recv"
done
echo 0 > "$DBG/fx0/fail_errno"

# ============================================================================
# B. failslab stepped with fail-nth
# ============================================================================
if [ ! -e /proc/self/fail-nth ] || [ ! -d $FAILSLAB ]; then
	tap_skip "failslab stepping" "no CONFIG_FAILSLAB"
	tap_plan "$_tap_n"
	tap_done
fi
echo N > $FAILSLAB/ignore-gfp-wait
echo 0 > $FAILSLAB/verbose
total=0

# report NAME POINTS BAD ERRNOS [ZERO_OK]: one test point per operation;
# reaching no failure point fails it unless ZERO_OK (a call that allocates
# nothing).
report() {
	local errs
	errs=$(echo "$4" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c |
	       awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
	tap_diag "$1: $2 failure points, errnos ${errs:-none}"
	total=$((total + $2))
	if [ "$3" -eq 0 ] && { [ "$2" -gt 0 ] || [ -n "${5:-}" ] || [ "$FSTRIDE" -gt 1 ]; }; then
		tap_ok "failslab $1: $2 failure points, clean errnos, no partial state"
	elif [ "$3" -eq 0 ]; then
		tap_notok "failslab $1: no failure point reached"
	else
		tap_notok "failslab $1: $3 of $2 failure points went wrong"
	fi
}

# settled STATE: wait (up to 10 s) for the state to be STATE again.
settled() {
	local i
	for i in $(seq 10); do
		[ "$(state)" = "$1" ] && return 0
		sleep 1
	done
	return 1
}

# step_nl NAME UNDO -- NLRAW_ARGS...: step a netlink request. UNDO (nlraw
# requests separated by ';') reverts a successful request.
step_nl() {
	local name=$1 undo=$2 n out rc last before ref after points=0 bad=0
	local errs=""
	shift 3
	before=$(state)
	if ! out=$(nl "$@"); then
		tap_notok "failslab $name: the request fails without faults"
		tap_diag "$(echo "$out" | tail -n 1)"
		return
	fi
	ref=$(state)
	if ! nl_seq "$undo"; then
		tap_notok "failslab $name: the undo fails without faults"
		return
	fi
	after=$(state)
	if [ "$after" != "$before" ]; then
		tap_notok "failslab $name: undo restores the state"
		state_diff "$before" "$after"
		return
	fi
	for ((n = 1 + FOFFSET; n <= MAXSTEPS; n += FSTRIDE)); do
		out=$(nl -F $n "$@")
		rc=$?
		last=$(echo "$out" | tail -n 1)
		after=$(state)
		if ! echo "$out" | grep -q '^fail-nth: hit'; then
			if [ $rc -ne 0 ] || [ "$after" != "$ref" ]; then
				bad=$((bad + 1))
				tap_diag "$name: without a fault at step $n: $last"
			fi
			nl_seq "$undo"
			break
		fi
		points=$((points + 1))
		if [ $rc -eq 0 ]; then
			# A failure absorbed (a lost notification): full success.
			errs="$errs ok"
			if [ "$after" != "$ref" ]; then
				bad=$((bad + 1))
				tap_diag "$name: step $n succeeded with state missing"
				state_diff "$ref" "$after"
			fi
			nl_seq "$undo"
		elif [ "$last" = "error=ENOBUFS extack=reply lost" ] &&
		     [ "$after" = "$ref" ]; then
			# Done, but the kernel could not allocate the ack.
			errs="$errs ENOBUFS(ack)"
			nl_seq "$undo"
		else
			errs="$errs $(echo "$last" | sed -n 's/^error=\([A-Z0-9?]*\).*/\1/p')"
			if [ "$after" != "$before" ]; then
				bad=$((bad + 1))
				tap_diag "$name: step $n ($last) left partial state:"
				state_diff "$before" "$after"
				nl_seq "$undo"
			fi
		fi
		# Undone (or never changed): as before the step.
		[ "$after" = "$before" ] && continue
		settled "$before"
		after=$(state)
		if [ "$after" != "$before" ]; then
			bad=$((bad + 1))
			tap_diag "$name: state not restored after step $n"
			state_diff "$before" "$after"
			break
		fi
	done
	[ $n -le $MAXSTEPS ] || { bad=$((bad + 1)); tap_diag "$name: more than $MAXSTEPS steps"; }
	report "$name" $points $bad "$errs"
}

# step_cx NAME NS PREP ARMED UNDO [VERIFY [ZERO_OK]]: step one char-device call in a
# cxifault in netns NS. PREP runs once (';'-separated commands); ARMED is
# armed and run for N = 1, 2, ...; after a success UNDO runs (cxifault
# commands; "sh:CMD" runs a shell command). After a failure, VERIFY (a
# cxifault command) must succeed (e.g. the message is still queued) and its
# effect is undone by UNDO too.
step_cx() {
	local name=$1 ns=$2 prep=$3 cmd=$4 undo=$5 verify=${6:-} zok=${7:-}
	local n out before after points=0 bad=0 errs="" c IFS_save=$IFS
	cf_start "$ns"
	IFS=';'
	for c in $prep; do
		IFS=$IFS_save
		cf_ok "$name: prepare ($c)" $c > /dev/null || { cf_stop; return; }
		IFS=';'
	done
	IFS=$IFS_save
	run_undo() {
		local u
		IFS=';'
		for u in $undo; do
			IFS=$IFS_save
			case $u in
			sh:*) eval "${u#sh:}" > /dev/null 2>&1 ;;
			*) cf_ok "$name: undo ($u)" $u > /dev/null ;;
			esac
			IFS=';'
		done
		IFS=$IFS_save
	}
	for ((n = 1 + FOFFSET; n <= MAXSTEPS; n += FSTRIDE)); do
		before=$(state)
		cf arm $n > /dev/null
		out=$(cf $cmd)
		after=$(state)
		case $out in
		*fail-nth=hit) ;;
		ok*)
			run_undo
			break ;;
		*)
			bad=$((bad + 1))
			tap_diag "$name: without a fault at step $n: $out"
			break ;;
		esac
		points=$((points + 1))
		case $out in
		ok*)
			errs="$errs ok"
			run_undo ;;
		*)
			errs="$errs $(echo "$out" | sed -n 's/^error=\([A-Z0-9]*\).*/\1/p')"
			if [ "$before" != "$after" ]; then
				bad=$((bad + 1))
				tap_diag "$name: step $n ($out) left partial state:"
				state_diff "$before" "$after"
			fi
			if [ -n "$verify" ]; then
				out=$(cf $verify)
				case $out in
				ok*) run_undo ;;
				*) bad=$((bad + 1))
				   tap_diag "$name: after step $n, $verify: $out" ;;
				esac
			fi ;;
		esac
	done
	[ $n -le $MAXSTEPS ] || { bad=$((bad + 1)); tap_diag "$name: more than $MAXSTEPS steps"; }
	cf_stop
	report "$name" $points $bad "$errs" "$zok"
}

tap_diag "B: failslab stepping (fail-nth; ignore-gfp-wait N), stride $FSTRIDE, offset $FOFFSET (replay: SSNS_FAULT_STRIDE=$FSTRIDE SSNS_FAULT_OFFSET=$FOFFSET)"
t0=$(date +%s)
cgm=()
cgn=()
if [ -d $CG/faults-m ]; then
	cgm=(nest:member str:cgroup_path=faults-m end)
	cgn=(nest:member str:cgroup_path=faults-n end)
fi

# --- netlink ---------------------------------------------------------------
step_nl TENANT_NEW "tenant_del str:tenant_name=fnew" -- \
	tenant_new str:tenant_name=fnew nest:vni_ranges \
	nest:vni_range u32:vni_first=500 u32:vni_last=509 end \
	nest:vni_range u32:vni_first=520 end end \
	nest:members nest:member u32:netns_pid=$P3 end "${cgn[@]}" end

nl_seq "tenant_new str:tenant_name=fset nest:vni_ranges nest:vni_range u32:vni_first=300 end end"
set_args=(str:tenant_name=fset nest:vni_ranges nest:vni_range
	u32:vni_first=400 u32:vni_last=402 end end
	nest:members nest:member u32:netns_pid=$P2 end "${cgm[@]}" end)
step_nl TENANT_SET "tenant_set u8:op=1 ${set_args[*]}" -- \
	tenant_set u8:op=0 "${set_args[@]}"

step_nl PROFILE_NEW "profile_del str:dev_name=fx1 u32:vni=300 u8:tc=2" -- \
	profile_new str:dev_name=fx1 u32:vni=300 u8:tc=2

nl_seq "profile_new str:dev_name=fx1 u32:vni=10 u8:tc=2"
step_nl PROFILE_DEL "profile_new str:dev_name=fx1 u32:vni=10 u8:tc=2" -- \
	profile_del str:dev_name=fx1 u32:vni=10 u8:tc=2

# fx1 moves from init_net into pod fp2; there only fp2 can name it, so the
# undo is sent from fp2.
step_nl DEV_SET "-n fp2 dev_set str:dev_name=fx1 u32:netns_pid=1" -- \
	dev_set str:dev_name=fx1 u32:netns_pid=$P2

step_nl SYS_SET "sys_set u8:sys_netns_mode=0" -- \
	sys_set u8:sys_netns_mode=1

# The tenant deleted last, so that its re-creation keeps the dump order.
redo_fdel="tenant_new str:tenant_name=fdel nest:vni_ranges nest:vni_range \
u32:vni_first=600 u32:vni_last=601 end end nest:members nest:member \
u32:netns_pid=$P3 end end; profile_new str:dev_name=fx0 u32:vni=600 u8:tc=1"
nl_seq "$redo_fdel"
step_nl "TENANT_DEL with a live profile" "$redo_fdel" -- \
	tenant_del str:tenant_name=fdel

# --- char device -----------------------------------------------------------
step_cx "open" "" "" "open fx0" "close"
step_cx "EP_ALLOC (host)" "" "open fx0" "alloc 10 best_effort any" "free"
step_cx "EP_ALLOC (tenant pod)" fp1 "open fx0" "alloc 100 low_latency any" "free"
step_cx "SEND" "" "open fx0;alloc 10 best_effort 5" "send $IX0 5 hello" "recv"
step_cx "RECV" fp1 "open fx0;alloc 100 low_latency 6;send $IX0 6 hello" \
	"recv" "send $IX0 6 hello" "recv" zero-ok
step_cx "EP_FREE" "" "open fx0;alloc 10 best_effort 9" "free" \
	"alloc 10 best_effort 9" "" zero-ok
step_cx "close" "" "open fx0;alloc 10 best_effort 11" "close" \
	"open fx0;alloc 10 best_effort 11" "" zero-ok
# Windows kept by the kernel: the first set with the flag in a process also
# registers its MMU notifier; a parked window is taken back, or unpinned.
step_cx "WINDOW (keep)" "" "open fx0;alloc 10 best_effort 12" \
	"window 65536 keep" "unwindow" "window 65536 keep"
step_cx "WINDOW (keep, parked)" "" \
	"open fx0;alloc 10 best_effort 13;window 65536 keep;unwindow keep" \
	"window 65536 keep" "unwindow" "window 65536 keep" zero-ok
step_cx "WINDOW (keep, another range)" "" \
	"open fx0;alloc 10 best_effort 14;window 65536 keep;unwindow keep" \
	"window 8192 keep" "unwindow" "window 8192 keep" zero-ok

# --- sim bus ---------------------------------------------------------------
step_cx "sim new_device" "" "" "write $SIMBUS/new_device 43 fx3" \
	"sh:sim_del 43"
step_cx "sim del_device" "" "" "write $SIMBUS/del_device 42" \
	"sh:sim_add 42 fx1"

# --- netns teardown ----------------------------------------------------------
# The teardown runs in the netns cleanup worker, not in the thread that
# drops the last reference, so fail-nth cannot reach it; check instead that
# after all the steps above a pod with members, a device and contexts goes
# away cleanly.
$CTL dev set fx1 netns fp2 > /dev/null
$CTL tenant set fpod netns fp2 > /dev/null
no_members() { [ -z "$(tenant_members fpod)" ]; }
check "netns teardown: fpod has members fp1 and fp2" \
	test "$(tenant_members fpod | wc -l)" -eq 2
kill "$P1" "$P2" 2>/dev/null
wait "$P1" "$P2" 2>/dev/null
ip netns del fp1
ip netns del fp2
check "netns teardown: fx1 is back in init_net" wait_for dev_listed fx1
check "netns teardown: tenant fpod has no member left" wait_for no_members
tap_diag "netns teardown: 0 failure points reachable with fail-nth (cleanup_net runs in a worker)"

tap_diag "B: $total failure points stepped in $(( $(date +%s) - t0 ))s"
tap_plan "$_tap_n"
tap_done
