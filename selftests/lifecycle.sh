#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle stress: for $SSNS_STRESS_SECS (30) seconds, background loops race
# every lifecycle operation at once, all inside one rdma cgroup: netns
# create/destroy, device moves, shared/exclusive mode switches, tenant
# add/del with netns and cgroup member bind/unbind, profile add/del,
# endpoint alloc/free, sim device add/del, and numbered traffic on two
# pairs. Then the loops stop and the test checks that no message was lost,
# that every loop failed only with the errnos its races explain, that the
# counters and rdma.current add up, and that both modules unload, reload
# and work again.
#
# No-loss rule. A sender counts the sends the device accepted (EAGAIN is
# retried, not counted); a receiver checks the numbers of each sender run
# arrive in order, without gaps.
# - The stable pair (device lcs in netns lst, tenant tstab, nothing churns
#   them) must receive exactly what was sent: received == sent, no gap,
#   and the device counts tx == rx == sent, drops 0.
# - The churned pair (host processes on lcm, the device the mover moves
#   away, which revokes both ends) may lose what revocation destroys: sends
#   the fabric accepted after the receiver's endpoint died are dropped and
#   counted (drops); messages queued at the receiver when it was revoked are
#   freed with the endpoint and counted as purged (debugfs stats of the
#   sim). So the accounting is exact: every accepted send is counted by the
#   device (tx == sent), tx == rx + drops, rx == received + purged (each
#   run empties its queue when its time is up), and what a run receives is
#   a prefix of what it sent (no gap, nothing repeated); purged is at most
#   rxq_depth per revoked receiver run.
. "$(dirname "$0")/lib.sh"
need_progs

CG=/sys/fs/cgroup
if ! have_rdmacg; then
	echo "1..0 # SKIP no cgroup v2 rdma controller"
	exit $KSFT_SKIP
fi
KO_CORE=$(echo "${SSNS_MODULES:-}" | tr ' ' '\n' | grep '/ssns\.ko$' | head -n 1)
KO_SIM=$(echo "${SSNS_MODULES:-}" | tr ' ' '\n' | grep '/ssns_sim\.ko$' | head -n 1)
KO_CORE=${KO_CORE:-$SSNS_TOP/kmod/core/ssns.ko}
KO_SIM=${KO_SIM:-$SSNS_TOP/kmod/sim/ssns_sim.ko}
SECS=${SSNS_STRESS_SECS:-30}
STOP=$TMPD/stop
LCG=$CG/lc
NSS="lst lm1 lm2 lcn0 lcn1 lcn2"

cleanup() {
	touch "$STOP"
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	echo $$ > $CG/cgroup.procs 2>/dev/null
	for ns in $NSS; do ip netns del $ns 2>/dev/null; done
	for d in $LCG/tA $LCG/tB $LCG; do
		rdma_unlimit $d
		rmdir $d 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT

# Errno names by strerror() text, to read ssnsctl, ip and shell errors.
declare -A ENAME
# (A here-string: the guest has no /dev/fd for process substitution.)
while IFS=$'\t' read -r txt name; do ENAME[$txt]=$name; done <<< "$(python3 -c '
import errno, os
for n, name in sorted(errno.errorcode.items()):
    print(os.strerror(n) + "\t" + name)')"

# ename RC OUTPUT: the errno a failed command reports: cxitool's "error:
# ENAME" or its exit status, else a strerror() text in the output.
ename() {
	local rc=$1 out=$2 last t best=
	if [[ $out =~ error:\ (E[A-Z0-9]+) ]]; then
		echo "${BASH_REMATCH[1]}"; return
	fi
	last=${out##*$'\n'}
	# The longest text found: "No such device or address", not "No such device".
	for t in "${!ENAME[@]}"; do
		[[ $last == *"$t"* ]] && [ ${#t} -gt ${#best} ] && best=$t
	done
	if [ -n "$best" ]; then echo "${ENAME[$best]}"; else echo "rc$rc:${last// /_}"; fi
}

# Per loop, in its own subshell: op counts and errno counts.
declare -A OPS ERRS
# op NAME CMD...: run CMD, count it under NAME, and its errno if it fails.
# Sets $rc and $e (the errno name, "" on success).
op() {
	local name=$1 out; shift
	out=$("$@" 2>&1)
	rc=$?
	e=
	OPS[$name]=$(( ${OPS[$name]:-0} + 1 ))
	if [ $rc -ne 0 ]; then
		e=$(ename $rc "$out")
		ERRS[$name:$e]=$(( ${ERRS[$name:$e]:-0} + 1 ))
	fi
	return $rc
}
# Write the counts of the loop: "ops NAME N" and "err NAME ENAME N" lines.
loop_report() {
	local k
	for k in "${!OPS[@]}"; do echo "ops $k ${OPS[$k]}"; done
	for k in "${!ERRS[@]}"; do echo "err ${k%%:*} ${k#*:} ${ERRS[$k]}"; done
}
running() { [ ! -e "$STOP" ]; }
in_cg() {
	local cg=$1; shift
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$CG/$cg" "$@"
}

# --- setup --------------------------------------------------------------------
echo +rdma > $CG/cgroup.subtree_control
mkdir -p $LCG/tA $LCG/tB
sim_add 21 lcs
sim_add 22 lcm
for ns in lst lm1 lm2; do ip netns add $ns; done
for d in lcs lcm; do
	echo "$d hca_handle=10000 hca_object=100000" > $LCG/rdma.max
done
# From here on the test and every loop are in the rdma cgroup lc.
echo $$ > $LCG/cgroup.procs
$CTL tenant add tstab vni 500-509 > /dev/null &&
	$CTL tenant set tstab netns lst > /dev/null &&
	$CTL profile add dev lcs vni 500 tc low_latency > /dev/null &&
	$CTL dev set lcs netns lst > /dev/null &&
	$CTL profile add dev lcm vni 600 tc best_effort > /dev/null
check "setup: stable tenant, profiles, lcs moved to lst" test $? -eq 0
IDX_S=$(ip netns exec lst "$CXI" lcs info | sed -n 's/^dev_index //p')
IDX_M=$("$CXI" lcm info | sed -n 's/^dev_index //p')
RXQ=$("$CXI" lcm info | sed -n 's/^rxq_depth //p')
sys_mode_start=$(sys_mode)

# --- the loops ------------------------------------------------------------------
# Netns create/destroy; the mover moves lcm into them, the tenant loop
# binds them: destruction returns the device and ends the membership.
loop_netns() {
	local k=0
	while running; do
		op add ip netns add lcn$k
		sleep 0.3
		k=$(( (k + 1) % 3 ))
		[ ! -e /run/netns/lcn$k ] || op del ip netns del lcn$k
	done
	for k in 0 1 2; do ip netns del lcn$k 2>/dev/null; done
	loop_report
}

# Device moves of lcm: init -> lm1 -> lm2 -> init -> lcnK -> ... The move
# runs in the netns that holds the device; when a destroyed lcnK returned
# it to init_net, the mover finds out by ENODEV/ENOENT and starts from
# init_net again.
loop_move() {
	local loc="" tgt i=0 targets=(lm1 lm2 1 lcn0 1 lcn1 lm1 1 lcn2 1)
	# One whole churned run first, however slow the kernel (debug); the
	# clock of the run starts only then (below).
	while running && [ ! -e "$TMPD/churn.first" ]; do sleep 0.1; done
	while running; do
		tgt=${targets[$((i % ${#targets[@]}))]}
		if [ -z "$loc" ]; then
			op move "$CTL" dev set lcm netns $tgt
		else
			op move ip netns exec $loc "$CTL" dev set lcm netns $tgt
		fi
		if [ $rc -eq 0 ]; then
			[ "$tgt" = 1 ] && loc= || loc=$tgt
			i=$((i + 1))
		elif [ "$e" = ENODEV ] || [ "$e" = ENOENT ]; then
			# Source netns gone (or the device left it): init_net.
			[ -n "$loc" ] && loc= || i=$((i + 1))
		else
			i=$((i + 1))
		fi
		sleep 0.4
	done
	# Bring lcm home for the checks.
	[ -z "$loc" ] || ip netns exec $loc "$CTL" dev set lcm netns 1 > /dev/null 2>&1
	loop_report
}

loop_mode() {
	while running; do
		op exclusive "$CTL" system set netns exclusive
		sleep 0.5
		op shared "$CTL" system set netns shared
		sleep 0.5
	done
	loop_report
}

# Tenant tch (VNIs 700-709): add, bind netns lm1, a churned netns and the
# cgroup lc/tA, unbind them, delete it.
loop_tenant() {
	local k=0
	while running; do
		if ! op add "$CTL" tenant add tch vni 700-709; then
			sleep 0.3
			continue
		fi
		op bind_netns "$CTL" tenant set tch netns lm1
		op bind_netns "$CTL" tenant set tch netns lcn$k
		op bind_cgroup "$CTL" tenant set tch cgroup /lc/tA
		sleep 0.3
		op unbind_netns "$CTL" tenant set tch netns lm1 del
		op unbind_cgroup "$CTL" tenant set tch cgroup /lc/tA del
		op del "$CTL" tenant del tch
		k=$(( (k + 1) % 3 ))
	done
	loop_report
}

# Profiles of tch's VNI 700 and of the host VNI 601 on lcm.
loop_profile() {
	while running; do
		op add "$CTL" profile add dev lcm vni 700 tc low_latency
		op add "$CTL" profile add dev lcm vni 601 tc best_effort
		sleep 0.2
		op del "$CTL" profile del dev lcm vni 700 tc low_latency
		op del "$CTL" profile del dev lcm vni 601 tc best_effort
	done
	loop_report
}

# Endpoint alloc/free (cxitool alloc: open, allocate, exit) from every kind
# of caller: the host, tch's netns member lm1, tch's cgroup member lc/tA,
# the stable tenant (must always succeed), and the churned sim device.
loop_ep() {
	while running; do
		op host601 "$CXI" lcm alloc 601 best_effort any
		op lm1_700 ip netns exec lm1 "$CXI" lcm alloc 700 low_latency any
		op cgA_700 in_cg lc/tA "$CXI" lcm alloc 700 low_latency any
		op stable ip netns exec lst "$CXI" lcs alloc 500 low_latency any
		op simdev "$CXI" lcd alloc 600 best_effort any
	done
	loop_report
}

# Sim device lcd (id 23) added and deleted, with a profile and an endpoint
# holder revoked by the deletion.
loop_simdev() {
	local pid
	while running; do
		op new sim_add 23 lcd
		op profile "$CTL" profile add dev lcd vni 600 tc best_effort
		"$CXI" lcd hold 600 best_effort any 30 > /dev/null 2>&1 &
		pid=$!
		sleep 0.3
		op del sim_del 23
		wait $pid
		e=$?
		OPS[holder]=$(( ${OPS[holder]:-0} + 1 ))
		# Revoked by the deletion: ENODEV (19), expected; ENOENT (2) when
		# the deletion came before the holder opened /dev/lcd (slow kernels).
		case $e in
		19) ;;
		2) ERRS[holder:ENOENT]=$(( ${ERRS[holder:ENOENT]:-0} + 1 )) ;;
		*) ERRS[holder:rc$e]=$(( ${ERRS[holder:rc$e]:-0} + 1 )) ;;
		esac
	done
	loop_report
}

# The churned pair on lcm, host processes on the host VNI 600: runs of up
# to 2 s, revoked when the mover takes lcm away. Appends each run's two
# result lines to traffic.runs.
loop_churn() {
	local r s rp sp n=0
	while running; do
		n=$((n + 1))
		rm -f "$TMPD/cr.ready"
		"$CXI" -r "$TMPD/cr.ready" lcm seqrecv 600 best_effort 250 600 \
			> "$TMPD/cr.out" 2>&1 &
		rp=$!
		for i in $(seq 50); do
			[ -e "$TMPD/cr.ready" ] || ! kill -0 $rp 2>/dev/null && break
			sleep 0.02
		done
		if [ -e "$TMPD/cr.ready" ]; then
			"$CXI" lcm seqsend 600 best_effort 251 "$IDX_M" 250 2 2000 \
				> "$TMPD/cs.out" 2>&1
			s=$?
			sl=$(tail -n 1 "$TMPD/cs.out")
			# No endpoint (revoked before it allocated): nothing sent.
			[[ $sl == sent* ]] || sl="sent 0 busy 0 end $(ename $s "$sl")"
			kill -TERM $rp 2>/dev/null
			wait $rp
			r=$?
			OPS[run]=$(( ${OPS[run]:-0} + 1 ))
			echo "run $n send rc $s $sl" >> "$TMPD/traffic.runs"
			echo "run $n recv rc $r $(tail -n 1 "$TMPD/cr.out")" >> "$TMPD/traffic.runs"
			touch "$TMPD/churn.first"
		else
			wait $rp
			OPS[norun]=$(( ${OPS[norun]:-0} + 1 ))
			e=$(ename $? "$(cat "$TMPD/cr.out")")
			ERRS[norun:$e]=$(( ${ERRS[norun:$e]:-0} + 1 ))
			sleep 0.2
		fi
	done
	loop_report
}

LOOPS="netns move mode tenant profile ep simdev churn"
touch "$TMPD/traffic.runs"
# The stable pair: for the whole run, stopped by SIGTERM.
ip netns exec lst "$CXI" -r "$TMPD/sr.ready" lcs seqrecv 500 low_latency 1 3600 \
	> "$TMPD/sr.out" 2>&1 &
SR=$!
check "stable receiver ready" hold_ready sr
ip netns exec lst "$CXI" lcs seqsend 500 low_latency 2 "$IDX_S" 1 3600 2000 \
	> "$TMPD/ss.out" 2>&1 &
SS=$!
for l in $LOOPS; do
	loop_$l > "$TMPD/$l.res" 2> "$TMPD/$l.err" &
	eval "PID_$l=$!"
done
# Every loop runs for SECS seconds: the clock starts when the churn loop has
# made its first whole run, which the mover waits for (minutes under the
# debug kernel beside other guests).
SSNS_WAIT=600 wait_for test -e "$TMPD/churn.first" ||
	tap_diag "the churn loop made no whole run in 600 s"
tap_diag "running $LOOPS and the stable pair for ${SECS}s"
sleep "$SECS"
touch "$STOP"
t_stop=$(date +%s)
for l in $LOOPS; do
	eval "wait \$PID_$l"
done
# The stable sender stops first; the receiver then drains its queue.
kill -TERM $SS
wait $SS
ss_rc=$?
kill -TERM $SR
wait $SR
sr_rc=$?
# Make sure lcm is back in init_net and no churned netns is left.
for ns in lm1 lm2 lcn0 lcn1 lcn2; do
	ip netns exec $ns "$CTL" dev set lcm netns 1 > /dev/null 2>&1
done
$CTL system set netns shared > /dev/null

tap_diag "loops stopped in $(( $(date +%s) - t_stop ))s"

# --- per-loop figures and errnos -------------------------------------------------
# The errnos each loop's races explain, as "OP:ENAME" patterns.
allowed_netns=""
# The source or target lcnK destroyed under the mover (ENOENT), lcm sent
# back to init_net by that (ENODEV), or /run/netns/lcnK opened by ssnsctl
# between the unmount and the unlink of ip netns del: a plain file, "not a
# network namespace" (EINVAL).
allowed_move="move:ENODEV move:ENOENT move:EINVAL"
allowed_mode=""
# A churned netns gone before the bind (ENOENT), or its /run/netns/lcnK
# opened between the unmount and the unlink of ip netns del, as for the
# mover (EINVAL); VNI 700 held by the tenant-less profile the profile loop
# made while tch did not exist (EBUSY).
allowed_tenant="bind_netns:ENOENT bind_netns:EINVAL add:EBUSY"
# In use by an endpoint (EBUSY), and so still there for the next add
# (EEXIST); deleted with its tenant tch (ENOENT).
allowed_profile="del:EBUSY del:ENOENT add:EEXIST"
# lcm moved out of the caller's netns (ENODEV); the profile deleted, alone or
# with tch (ENOENT); tch gone, or the caller unbound, or the profile made
# while tch did not exist (EACCES); lcd deleted, or its profile not there
# yet (ENOENT), or deleted under the open file (ENODEV).
allowed_ep="host601:ENODEV host601:ENOENT lm1_700:ENODEV lm1_700:EACCES lm1_700:ENOENT cgA_700:ENODEV cgA_700:EACCES cgA_700:ENOENT simdev:ENOENT simdev:ENODEV"
# The holder started too late: lcd already deleted (ENOENT).
allowed_simdev="holder:ENOENT"
# The receiver could not start: lcm not in init_net (ENODEV).
allowed_churn="norun:ENODEV"
for l in $LOOPS; do
	ops=$(awk '$1 == "ops" { printf "%s%s %s", sep, $2, $3; sep = ", " }' "$TMPD/$l.res")
	errs=$(awk '$1 == "err" { printf "%s%s:%s %s", sep, $2, $3, $4; sep = ", " }' "$TMPD/$l.res")
	tap_diag "loop $l: ${ops:-nothing}${errs:+; errors: $errs}"
	allowed=$(eval echo "\$allowed_$l")
	bad=$(awk -v ok=" $allowed " '$1 == "err" && index(ok, " " $2 ":" $3 " ") == 0 { printf "%s:%s x%s ", $2, $3, $4 }' "$TMPD/$l.res")
	check_eq "loop $l: only the errnos its races explain" "" "$bad"
	[ -s "$TMPD/$l.err" ] && sed 's/^/# stderr: /' "$TMPD/$l.err" | head -n 5
done
total=$(awk '$1 == "ops" { n += $3 } END { print n + 0 }' $(for l in $LOOPS; do echo "$TMPD/$l.res"; done))
check "every loop ran" sh -c "for l in $LOOPS; do grep -q '^ops ' $TMPD/\$l.res || exit 1; done"
tap_diag "$total operations in ${SECS}s"

# --- no message lost ---------------------------------------------------------------
ss=$(tail -n 1 "$TMPD/ss.out")
sr=$(tail -n 1 "$TMPD/sr.out")
tap_diag "stable pair: $ss / $sr"
sent=$(echo "$ss" | awk '$1 == "sent" { print $2 }')
check_eq "stable sender ran to the end" "rc=0 end ok" "rc=$ss_rc $(echo "$ss" | awk '{ print $(NF-1), $NF }')"
check "stable sender sent messages" test "${sent:-0}" -gt 0
check_eq "stable pair: every message sent was received, in order" \
	"received $sent gaps 0 bad 0 runs 1 end ok" "$sr"
s_tx=$(ip netns exec lst "$NLRAW" dev_get str:dev_name=lcs | sed -n 's/^    tx_msgs=//p')
s_rx=$(ip netns exec lst "$NLRAW" dev_get str:dev_name=lcs | sed -n 's/^    rx_msgs=//p')
s_dr=$(ip netns exec lst "$NLRAW" dev_get str:dev_name=lcs | sed -n 's/^    drops=//p')
check_eq "lcs counts tx == rx == sent, no drop" "$sent $sent 0" "${s_tx:-?} ${s_rx:-?} ${s_dr:-0}"

runs=$(grep -c ' recv ' "$TMPD/traffic.runs" 2>/dev/null)
c_sent=$(awk '$3 == "send" { n += $7 } END { print n + 0 }' "$TMPD/traffic.runs" 2>/dev/null)
c_recv=$(awk '$3 == "recv" { n += $7 } END { print n + 0 }' "$TMPD/traffic.runs" 2>/dev/null)
c_gaps=$(awk '$3 == "recv" { n += $9 + $11 } END { print n + 0 }' "$TMPD/traffic.runs" 2>/dev/null)
c_revoked=$(awk '$3 == "recv" && $NF == "ENODEV" { n++ } END { print n + 0 }' "$TMPD/traffic.runs" 2>/dev/null)
c_badend=$(awk '$NF != "ok" && $NF != "ENODEV" { print }' "$TMPD/traffic.runs" 2>/dev/null)
m_tx=$(dev_stat lcm tx_msgs)
m_rx=$(dev_stat lcm rx_msgs)
m_dr=$(dev_stat lcm drops)
m_pu=$(awk '$1 == "purged" { print $2 }' /sys/kernel/debug/ssns_sim/lcm/stats 2>/dev/null)
tap_diag "churned pair: $runs runs ($c_revoked receivers revoked), sent $c_sent, received $c_recv; lcm tx $m_tx rx $m_rx drops $m_dr purged ${m_pu:-?}, rxq_depth $RXQ"
check "churned pair ran and sent messages" test "${runs:-0}" -gt 0 -a "$c_sent" -gt 0
check_eq "churned runs end only by time or revocation (ENODEV)" "" "$c_badend"
check_eq "churned pair: received prefixes, no gap or repeat" 0 "$c_gaps"
check_eq "lcm counted every accepted send (tx == sent)" "$c_sent" "$m_tx"
check_eq "lcm: tx == rx + drops" "$m_tx" "$((m_rx + m_dr))"
check_eq "lcm: rx == received + purged (none lost uncounted)" "$m_rx" \
	"$((c_recv + ${m_pu:-0}))"
check "lcm: purged <= rxq_depth per revoked receiver run" \
	test "${m_pu:-0}" -le $((c_revoked * RXQ))

# --- counters ------------------------------------------------------------------------
for d in lcm; do
	a=$(dev_stat $d ep_alloc); f=$(dev_stat $d ep_free)
	tap_diag "$d: ep_alloc $a ep_free $f ctx_open $(dev_stat $d ctx_open) ctx_revoked $(dev_stat $d ctx_revoked) deny_nodev $(dev_stat $d deny_nodev) deny_noprofile $(dev_stat $d deny_noprofile) deny_tenant $(dev_stat $d deny_tenant) deny_cgroup $(dev_stat $d deny_cgroup)"
	check_eq "$d: every endpoint allocated was freed" "$a" "$f"
done
s_a=$(ip netns exec lst "$NLRAW" dev_get str:dev_name=lcs | sed -n 's/^    ep_alloc=//p')
s_f=$(ip netns exec lst "$NLRAW" dev_get str:dev_name=lcs | sed -n 's/^    ep_free=//p')
check_eq "lcs: every endpoint allocated was freed" "$s_a" "$s_f"
# Each EACCES/ENOENT the endpoint loop saw on lcm is a denial lcm counted.
ep_deny=$(awk '$1 == "err" && ($2 == "lm1_700" || $2 == "cgA_700" || $2 == "host601") && ($3 == "EACCES" || $3 == "ENOENT") { n += $4 } END { print n + 0 }' "$TMPD/ep.res")
dev_deny=$(( $(dev_stat lcm deny_noprofile) + $(dev_stat lcm deny_tenant) + $(dev_stat lcm deny_cgroup) ))
check_eq "lcm counted each denial the endpoint loop saw" "$ep_deny" "$dev_deny"
check_eq "no endpoint is left" 0 "$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"

# --- rdma cgroup -----------------------------------------------------------------------
cur=$(cat $LCG/rdma.current)
tap_diag "rdma.current: $(echo $cur)"
check_eq "rdma.current is zero on every device" "" \
	"$(echo "$cur" | awk '{ for (i = 2; i <= NF; i++) if ($i !~ /=0$/) print }')"

# Leave the cgroup and remove it (limits lifted first: see cgroup.sh).
echo $$ > $CG/cgroup.procs
for d in $LCG/tA $LCG/tB $LCG; do rdma_unlimit $d; done
check "the rdma cgroup is removed" rmdir $LCG/tA $LCG/tB $LCG
for ns in $NSS; do ip netns del $ns 2>/dev/null; done
$CTL tenant del tstab > /dev/null 2>&1

# --- unload, reload -----------------------------------------------------------------------
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	check_eq "kmemleak: no leak after the stress" 0 "$leaks"
	[ "$leaks" = 0 ] || head -n 30 /sys/kernel/debug/kmemleak | sed 's/^/# /'
else
	tap_skip "kmemleak: no leak after the stress" "no kmemleak"
fi
check "rmmod ssns_sim" rmmod ssns_sim
check "rmmod ssns" rmmod ssns
check "insmod ssns" insmod "$KO_CORE"
check "insmod ssns_sim" insmod "$KO_SIM"
sim_add 1 lca
$CTL profile add dev lca vni 10 tc best_effort > /dev/null
check "after reload: an endpoint is allocated" "$CXI" lca alloc 10 best_effort any
check_eq "after reload: mode is shared" 0 "$(sys_mode)"
tap_diag "mode at start: $sys_mode_start"
tap_plan "$_tap_n"
tap_done
