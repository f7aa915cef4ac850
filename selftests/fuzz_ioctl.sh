#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing of the char-device ABI of ssns_sim (/dev/cxiN) with cxifuzz:
# host callers on one file and two threads sharing files, a pod of a
# tenant (admission), and files revoked under the fuzzer by a device move
# and a device removal; receive windows and writes into them throughout
# (cxifuzz checks their data and that no page stays pinned). Afterwards:
# no endpoint left, counters that add up (writes too), no rdma cgroup
# charge left, valid use still working; the runner
# checks the kernel log and unloads the modules.
#
#   SSNS_FUZZ_SEED   seed of the first campaign (the others: +1, +2, ...);
#                    default: from the clock, printed as "# seed: N"
#   SSNS_FUZZ_COUNT  iterations of the main host campaign (default 5000;
#                    the others run a quarter of it, or until revoked)
#   SSNS_FUZZ_SECS   bound of the whole run in seconds (default and cap 60)
#
# Replay: SSNS_FUZZ_SEED=N SSNS_FUZZ_COUNT=C selftests/vm/run -- \
#   selftests/fuzz_ioctl.sh, or cxifuzz with the seed and iteration count
# it printed on the failure.
. "$(dirname "$0")/lib.sh"

FUZZ=$SSNS_TOP/selftests/progs/cxifuzz
need_progs "$CTL" "$CXI" "$NLRAW" "$FUZZ"

SEED=${SSNS_FUZZ_SEED:-$(( $(date +%s%N) % 1000000007 ))}
COUNT=${SSNS_FUZZ_COUNT:-5000}
SECS=${SSNS_FUZZ_SECS:-60}
[ "$SECS" -le 60 ] || SECS=60
[ "$SECS" -ge 6 ] || SECS=6
QCOUNT=$(( COUNT / 4 > 0 ? COUNT / 4 : 1 ))
CG=/sys/fs/cgroup
FCG=$CG/ssns-fuzz

tap_diag "seed: $SEED (replay: SSNS_FUZZ_SEED=$SEED SSNS_FUZZ_COUNT=$COUNT selftests/vm/run -- selftests/fuzz_ioctl.sh)"

cgroup=0
have_rdmacg && cgroup=1
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	ip netns del fzpod 2>/dev/null
	ip netns del fzns 2>/dev/null
	if [ -d $FCG ]; then
		rdma_unlimit $FCG
		rmdir $FCG 2>/dev/null
	fi
	rm -rf "$TMPD"
}
trap cleanup EXIT

profile_add() {
	"$NLRAW" profile_new str:dev_name="$1" u32:vni="$2" u8:tc="$3" > /dev/null
}

# fuzz NAME SEED SECS CXIFUZZ-ARGS...: run cxifuzz (in the fuzz cgroup
# when there is one) in the foreground; $TMPD/NAME holds its output.
fuzz() {
	local name=$1 seed=$2 secs=$3; shift 3
	if [ $cgroup -eq 1 ]; then
		bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ \
			"$FCG" "$FUZZ" -q -s "$seed" -t "$secs" "$@" \
			> "$TMPD/$name" 2>&1
	else
		"$FUZZ" -q -s "$seed" -t "$secs" "$@" > "$TMPD/$name" 2>&1
	fi
}

# fuzz_report NAME RC: one test point for the campaign; the summary as
# diagnostics, all of the output on a failure.
fuzz_report() {
	local name=$1 rc=$2
	check_eq "cxifuzz $name: clean (exit 0)" 0 "$rc"
	tap_diag "$name: done at $((SECONDS - start)) s"
	if [ "$rc" -ne 0 ]; then
		sed 's/^/# /' "$TMPD/$name" | tail -n 40
	else
		grep -e 'calls,' -e 'judged' -e 'cxifuzz: errno' -e 'cxifuzz:   WINDOW' \
			-e 'cxifuzz:   WRITE ' "$TMPD/$name" | sed 's/^/# /'
	fi
}

# The figure after "KEY" (words) or "KEY=" in a cxifuzz summary, or 0.
fz_num() {
	local v
	v=$(grep -o -E "(^|[ ,])[0-9]+ $2|$2=[0-9]+" "$TMPD/$1" | tail -n 1 |
	    grep -o -E '[0-9]+' | head -n 1)
	echo "${v:-0}"
}
fz_errno() {
	local v
	v=$(grep '^cxifuzz: errno' "$TMPD/$1" | grep -o -E " $2=[0-9]+" |
	    cut -d= -f2)
	echo "${v:-0}"
}

sim_add 1 fz0
sim_add 2 fz1
I0=$(cat $SIMBUS/devices/ssns_sim1/dev_index)
I1=$(cat $SIMBUS/devices/ssns_sim2/dev_index)
if ! profile_add fz0 100 1 || ! profile_add fz0 101 1 ||
   ! profile_add fz1 100 1; then
	tap_skip "ioctl fuzzing" "cannot create host profiles (PROFILE_NEW)"
	tap_plan "$_tap_n"
	tap_done
fi

if [ $cgroup -eq 1 ]; then
	echo +rdma > $CG/cgroup.subtree_control
	mkdir -p $FCG
fi

# Time shares of the campaigns: half for the host runs, the rest for the
# pod and the two revocations.
T_MAIN=$(( SECS * 2 / 7 )); T_MAIN=$(( T_MAIN > 2 ? T_MAIN : 2 ))
T_SMALL=$(( SECS / 7 )); T_SMALL=$(( T_SMALL > 2 ? T_SMALL : 2 ))
# The revocation runs go on for a few seconds after the revocation.
T_REVOKE=$(( SECS / 12 )); T_REVOKE=$(( T_REVOKE > 3 ? T_REVOKE : 3 ))
start=$SECONDS

# --- host, one thread: the strict checks (double free, undo of EP_ALLOC) ---
fuzz host1 "$SEED" "$T_MAIN" fz0 -n "$COUNT" -V 100,101 -p "$I1"
fuzz_report host1 $?

# --- host, two threads on the same files, with an rdma limit ----------------
if [ $cgroup -eq 1 ] && grep -q "^fz0 " $FCG/rdma.max 2>/dev/null; then
	echo "fz0 hca_object=40" > $FCG/rdma.max
fi
fuzz host2 $((SEED + 1)) "$T_SMALL" fz0 -j 2 -n "$QCOUNT" -V 100,101 -p "$I1"
fuzz_report host2 $?
[ $cgroup -eq 1 ] && rdma_unlimit $FCG

# --- a pod of a tenant: its VNI 300 admitted, the host's refused -----------
ip netns add fzpod
$CTL tenant add fzt vni 300 > /dev/null &&
$CTL tenant set fzt netns fzpod > /dev/null &&
$CTL profile add dev fz0 vni 300 tc low_latency > /dev/null
check "tenant fzt with pod fzpod and a profile on fz0" test $? -eq 0
ip netns exec fzpod "$FUZZ" -q -s $((SEED + 2)) -t "$T_SMALL" fz0 \
	-n "$QCOUNT" -V 300,100 -p "$I1" > "$TMPD/pod" 2>&1
fuzz_report pod $?
deny=$(tenant_stat fzt deny_tenant)
check "the pod's calls were admitted and denied (ep_alloc, deny_tenant)" \
	test "$(tenant_stat fzt ep_alloc)" -gt 0 -a "$deny" -gt 0

# --- what the campaigns left ----------------------------------------------------
check_eq "no endpoint left (ep_get)" 0 \
	"$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"
for d in fz0 fz1; do
	check_eq "$d: ep_alloc = ep_free" "$(dev_stat $d ep_alloc)" \
		"$(dev_stat $d ep_free)"
done
sent=$(( $(fz_num host1 'messages sent') + $(fz_num host2 'messages sent') +
	 $(fz_num pod 'messages sent') ))
# Writes count in tx_msgs like sends; one whose source faulted during the
# copy does not (nothing left the device).
written=$(( $(fz_num host1 written) + $(fz_num host2 written) +
	    $(fz_num pod written) ))
faulted=$(( $(fz_num host1 'faulted writes') + $(fz_num host2 'faulted writes') +
	    $(fz_num pod 'faulted writes') ))
recvd=$(( $(fz_num host1 received) + $(fz_num host2 received) +
	  $(fz_num pod received) ))
allocs=$(( $(fz_num host1 'endpoints allocated') +
	   $(fz_num host2 'endpoints allocated') +
	   $(fz_num pod 'endpoints allocated') ))
tx=$(( $(dev_stat fz0 tx_msgs) + $(dev_stat fz1 tx_msgs) ))
rx=$(( $(dev_stat fz0 rx_msgs) + $(dev_stat fz1 rx_msgs) ))
tap_diag "sent $sent written $written (faulted $faulted) received $recvd allocated $allocs; tx_msgs $tx rx_msgs $rx ep_alloc $(dev_stat fz0 ep_alloc)"
check_eq "tx_msgs counts every successful SEND and WRITE, no faulted one" \
	"$((sent + written))" "$tx"
check "rx_msgs between the messages received and those sent" \
	test "$recvd" -le "$rx" -a "$rx" -le "$tx"
check "ep_alloc counts every endpoint the fuzzers got" \
	test "$(dev_stat fz0 ep_alloc)" -ge "$allocs" -a "$allocs" -gt 0
check_eq "no context of fz0 was revoked" 0 "$(dev_stat fz0 ctx_revoked)"
if [ "$COUNT" -ge 2000 ]; then
	check "the host campaigns set windows and wrote into them" \
		test "$(fz_num host1 'windows set')" -gt 0 -a "$written" -gt 0 \
		-a "$(fz_num host1 'writes verified')" -gt 0
else
	tap_skip "the host campaigns set windows and wrote into them" \
		"SSNS_FUZZ_COUNT below 2000"
fi
if [ $cgroup -eq 1 ]; then
	check_eq "rdma cgroup: nothing charged any more" "" \
		"$(grep -E '=[1-9]' $FCG/rdma.current)"
else
	tap_skip "rdma cgroup: nothing charged any more" "no rdma controller"
fi
$CTL tenant del fzt > /dev/null
ip netns del fzpod

# --- revocation under the fuzzer: a move into another netns ------------------
# revoke_run NAME SEED DEV ACTION...: fuzz DEV with -R, run ACTION once
# the fuzzer has its files open and has run a second; the fuzzer goes on
# for T_REVOKE seconds after it sees a file revoked.
revoke_run() {
	local name=$1 seed=$2 dev=$3 pid rc; shift 3
	"$FUZZ" -s "$seed" -t "$SECS" -r "$T_REVOKE" "$dev" -R -n 100000000 -V 100 \
		-p "$I0" > "$TMPD/$name" 2>&1 &
	pid=$!
	wait_for grep -q 'dev_index=' "$TMPD/$name"
	sleep 1
	check "$name: $* under the fuzzer" "$@"
	wait $pid
	rc=$?
	fuzz_report "$name" $rc
	check "$name: the fuzzer saw the revocation (ENODEV)" \
		test "$(fz_errno "$name" ENODEV)" -gt 0 \
		-a "$(fz_num "$name" revoked_files_seen)" -gt 0
}

ip netns add fzns
sim_add 3 fz2
profile_add fz2 100 1
revoke_run move $((SEED + 3)) fz2 $CTL dev set fz2 netns fzns
check_eq "no endpoint left after the move" 0 \
	"$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"
sim_del 3
ip netns del fzns

# --- revocation under the fuzzer: device removal -------------------------------
sim_add 4 fz3
profile_add fz3 100 1
revoke_run remove $((SEED + 4)) fz3 sim_del 4
check_eq "no endpoint left after the removal" 0 \
	"$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"

# --- valid use still works ------------------------------------------------------------
hold_start r1 "" fz1 recv 100 low_latency 7 10000
hold_ready r1
check "send fz0 -> fz1 after the fuzzing" \
	$CXI fz0 send 100 low_latency 3 "$I1" 7 after-fuzz
check_eq "received intact" after-fuzz "$(hold_wait r1)"
check_eq "and no endpoint left" 0 \
	"$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"
tap_diag "fuzzing took $((SECONDS - start)) s"
tap_plan "$_tap_n"
tap_done
