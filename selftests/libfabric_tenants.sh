#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libfabric provider "ssns" at the tenant boundary, with fi_pingpong: a
# pod of another tenant, handed alice's address, reaches nothing (the
# fabric drops and counts it); a pod asking for alice's VNI is refused, at
# once, with a message naming EACCES and its tenant; a revoked endpoint
# (device moved away, tenant deleted) ends a running pair with errors
# ("revoked", FI_ENODEV), neither a crash nor a hang.
. "$(dirname "$0")/lib.sh"
need_progs "$CTL" "$NLRAW"
need_fabric fi_pingpong
T=${SSNS_LF_TIMEOUT:-120}

pods="lfa1 lfa2 lfb1"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	ip netns del lfx 2>/dev/null
	pod_net_del br78 $pods
	rm -rf "$TMPD"
}
trap cleanup EXIT
check "pods lfa1 lfa2 lfb1 on bridge br78 (10.77.0.1-3)" pod_net br78 10.77.0 $pods
check "device lf0" sim_add 1 lf0
check "device lf1" sim_add 2 lf1
i0=$(dev_index lf0)
i1=$(dev_index lf1)
check "tenants alice (VNI 300-301) and bob (VNI 400)" sh -c \
	"$CTL tenant add alice vni 300-301 && $CTL tenant add bob vni 400 &&
	 $CTL tenant set alice netns lfa1 && $CTL tenant set alice netns lfa2 &&
	 $CTL tenant set bob netns lfb1"
for d in lf0 lf1; do
	check "profiles on $d: 300 LL, 301 BE, 400 LL, host 10 LL" sh -c \
		"$CTL profile add dev $d vni 300 tc low_latency &&
		 $CTL profile add dev $d vni 301 tc best_effort &&
		 $CTL profile add dev $d vni 400 tc low_latency &&
		 $CTL profile add dev $d vni 10 tc low_latency"
done

# --------------------------------------------------- another tenant's pod
# bob's client is handed alice's address (fi_pingpong's TCP exchange) and
# sends on his own VNI: the fabric drops it, alice's server sees nothing.
d0=$(dev_stat lf1 drops)
# (ip netns exec execs timeout: $! is the process to stop.)
ip netns exec lfa2 timeout "$T" fi_pingpong -p ssns -e rdm -B 47614 -d lf1 \
	-S 64 -I 1 > "$TMPD/x.srv" 2>&1 &
srv=$!
wait_for listening lfa2 47614
ip netns exec lfb1 timeout 10 fi_pingpong -p ssns -e rdm -P 47614 -d lf0 \
	-S 64 -I 1 10.77.0.2 > "$TMPD/x.cli" 2>&1
echo "rc=$?" >> "$TMPD/x.cli"
check_eq "bob's client gets no answer from alice's server" "rc=124" \
	"$(tail -n 1 "$TMPD/x.cli")"
check "the drop is counted on lf1" test "$(dev_stat lf1 drops)" -gt "$d0"
kill $srv 2>/dev/null
wait
check_eq "alice's server received nothing" "" \
	"$(grep -E '^64 ' "$TMPD/x.srv")"

# bob's pod asking for alice's VNI: refused in the kernel, at once.
(ip netns exec lfb1 env SLINGSHOT_VNIS=300 timeout "$T" fi_pingpong -p ssns \
	-e rdm -B 47615 -S 64 -I 1 > "$TMPD/r.srv" 2>&1; echo "rc=$?" >> "$TMPD/r.srv") &
wait_for listening lfb1 47615
ip netns exec lfb1 timeout 30 fi_pingpong -p ssns -e rdm -P 47615 -S 64 \
	-I 1 10.77.0.3 > "$TMPD/r.cli" 2>&1
wait
rc=$(tail -n 1 "$TMPD/r.srv")
check "SLINGSHOT_VNIS=300 in bob's pod: fi_pingpong fails, not hangs" \
	test "$rc" != rc=0 -a "$rc" != rc=124
check_eq "the refusal names EACCES, VNI, tenant" yes \
	"$(grep -q 'lf0: endpoint on VNI 300, traffic class low_latency refused: EACCES (.*another tenant.*); tenant of this process: bob' "$TMPD/r.srv" && echo yes)"
grep 'ssns' "$TMPD/r.srv" | sed 's/^/# /'

# ----------------------------------------------------------------- revocation
# runpair NAME PORT: a long run between alice's pods, both on lf1, in the
# background; NAME.srv and NAME.cli get their output, then rc=N.
runpair() {
	(ip netns exec lfa2 timeout "$T" fi_pingpong -p ssns -e rdm -B "$2" \
		-d lf1 -S 8 -I 100000000 > "$TMPD/$1.srv" 2>&1
	 echo "rc=$?" >> "$TMPD/$1.srv") &
	wait_for listening lfa2 "$2"
	(ip netns exec lfa1 timeout "$T" fi_pingpong -p ssns -e rdm -P "$2" \
		-d lf1 -S 8 -I 100000000 10.77.0.2 > "$TMPD/$1.cli" 2>&1
	 echo "rc=$?" >> "$TMPD/$1.cli") &
	# Until messages flow (both started: libfabric's start is slow here).
	wait_for flowing $(($(dev_stat lf1 rx_msgs) + 50))
}
flowing() { [ "$(dev_stat lf1 rx_msgs)" -gt "$1" ]; }

# ended_in_error NAME DESC: both sides exited non-zero, by themselves
# (not killed by the timeout or a signal), naming the missing device.
ended_in_error() {
	local s rc
	wait
	for s in srv cli; do
		rc=$(tail -n 1 "$TMPD/$1.$s")
		case $rc in
		rc=0|rc=124|rc=1[2-9][0-9]|"")
			tap_notok "$2: the $s ends with an error ($rc)"
			tail -n 5 "$TMPD/$1.$s" | sed 's/^/# /' ;;
		*)
			if grep -qE 'No such device|revoked' "$TMPD/$1.$s"; then
				tap_ok "$2: the $s ends with an error ($rc)"
			else
				tap_notok "$2: the $s names no revocation"
				tail -n 5 "$TMPD/$1.$s" | sed 's/^/# /'
			fi ;;
		esac
	done
	grep -hE 'revoked|No such' "$TMPD/$1.srv" "$TMPD/$1.cli" |
		head -n 2 | sed 's/^/# /'
}

# lf1 moves into another netns: contexts opened elsewhere are revoked.
ip netns add lfx
runpair v 47616
check "lf1 moves into another netns while they run" $CTL dev set lf1 netns lfx
ended_in_error v "device moved away"
ip netns del lfx
check "lf1 comes back when that netns goes" wait_for dev_listed lf1

# The tenant deleted under a running pair.
runpair w 47617
check "tenant alice deleted while they run" $CTL tenant del alice
ended_in_error w "tenant deleted"

tap_plan "$_tap_n"
tap_done
