#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The example program between pods: two pods of tenant alice talk through
# ssns-pingpong across two devices; a pod of tenant bob can neither use
# alice's VNI nor reach alice's server from its own VNI (the fabric drops
# it and counts the drop).
. "$(dirname "$0")/lib.sh"
need_progs
PINGPONG=$SSNS_TOP/tools/examples/ssns-pingpong
if [ ! -x "$PINGPONG" ]; then
	echo "1..0 # SKIP $PINGPONG not built"
	exit $KSFT_SKIP
fi

pods="pa1 pa2 pb1"
for ns in $pods; do ip netns add $ns; done
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	rm -rf "$TMPD"
}
trap cleanup EXIT

check "device pp0" sim_add 1 pp0
check "device pp1" sim_add 2 pp1
i1=$(cat $SIMBUS/devices/ssns_sim2/dev_index)
check "tenant alice with VNI 300" $CTL tenant add alice vni 300
check "tenant bob with VNI 400" $CTL tenant add bob vni 400
check "alice's pods" sh -c "$CTL tenant set alice netns pa1 &&
	$CTL tenant set alice netns pa2"
check "bob's pod" $CTL tenant set bob netns pb1
for dev in pp0 pp1; do
	check "profiles on $dev" sh -c \
		"$CTL profile add dev $dev vni 300 tc low_latency &&
		 $CTL profile add dev $dev vni 400 tc low_latency"
done

# alice: server in pa2 on pp1 address 5, client in pa1 on pp0.
ip netns exec pa2 "$PINGPONG" server pp1 300 low_latency 5 15000 \
	> "$TMPD/srv" 2>&1 &
srv=$!
check "alice's server is up in pa2" wait_for grep -q '^server:' "$TMPD/srv"
out=$(ip netns exec pa1 "$PINGPONG" client pp0 300 low_latency any "$i1" 5 \
      20 1000 2>&1)
check_eq "alice's client in pa1: 20 round trips" 0 $?
echo "$out" | sed 's/^/# /'

# bob: alice's VNI is refused in the kernel.
check_errno "bob's pod cannot allocate on alice's VNI" EACCES \
	ip netns exec pb1 "$PINGPONG" client pp0 300 low_latency any "$i1" 5 1

# bob on his own VNI, aiming at alice's server: dropped, no echo.
d0=$(dev_stat pp1 drops)
check_errno "bob's message to alice's server gets no echo" ETIMEDOUT \
	ip netns exec pb1 "$PINGPONG" client pp0 400 low_latency any "$i1" 5 1
check "the target device counted the drop" \
	test "$(dev_stat pp1 drops)" -gt "$d0"

wait $srv
check_eq "the server echoed alice's 20 messages only" \
	"server: echoed 20 messages" "$(tail -n 1 "$TMPD/srv")"

tap_plan "$_tap_n"
tap_done
