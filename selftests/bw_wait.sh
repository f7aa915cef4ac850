#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Messages waiting for the simulated NIC's shaper when their ceiling is
# lifted, their tenant deleted or their device removed: nothing lost,
# nothing stuck; sleeping and polling senders; the throttle counters.
# (bw.sh has the grammar, the CNI capability and the rates.)
. "$(dirname "$0")/lib.sh"

need_progs "$CTL" "$CXI" "$NLRAW"

pods="bpa bpb"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	for t in bta btb; do "$CTL" tenant del $t 2>/dev/null; done
	for id in 51 52; do sim_del $id 2>/dev/null; done
	rm -rf "$TMPD"
}
trap cleanup EXIT

sim_add 51 bwa
sim_add 52 bwb
for ns in $pods; do ip netns add $ns; done
B=$(dev_index bwb)
"$CTL" -b - <<EOF || { echo "1..0 # SKIP cannot set up tenants"; exit $KSFT_SKIP; }
tenant add bta vni 100
tenant add btb vni 200
tenant set bta netns bpa
tenant set btb netns bpb
EOF
for d in bwa bwb; do
	for v in 100 200; do
		"$CTL" profile add dev $d vni $v tc bulk_data || exit 1
	done
done

# --- messages waiting for the shaper -------------------------------------------------
# shaped NAME NS VNI SRC MODE [N]: messages of $slen bytes from bwa to address 7 of bwb.
shaped() {
	hold_start "$1" "$2" bwa shaped "$3" bulk_data "$4" "$B" 7 "$slen" "${6:-3}" "$5"
}
# 64 KiB at 1kbit: 524 s per message, whatever the VM's speed.
slen=65536
waiting() { # the sender sent one message and waits for the next
	wait_for grep -qx "sent 1" "$TMPD/$1.out" && sleep 1 &&
	[ "$(hold_state "$1")" = running ] &&
	[ "$(tail -n 1 "$TMPD/$1.out")" = "sent 1" ]
}
rx0=$(dev_stat bwb rx_msgs)
hold_start rcv bpb bwb recv 200 bulk_data 7 30000 3
hold_ready rcv
"$CTL" tenant set btb bw max 1kbit
shaped s1 bpb 200 1 wait
check "a 1kbit ceiling holds the second 64 KiB message back" waiting s1
"$CTL" tenant set btb bw max none
check_eq "lifting the ceiling lets it go at once" "sent 3 eagain 0 end ok" "$(hold_wait s1)"
check_eq "its receiver got all three" "3" "$(hold_wait rcv >/dev/null; grep -c '^len 65536 ok$' "$TMPD/rcv.out")"
check_eq "nothing lost: rx_msgs +3" "$((rx0 + 3))" "$(dev_stat bwb rx_msgs)"

# One sender per tenant: each has its ceiling to itself.
"$CTL" tenant set btb bw max 1kbit
"$CTL" tenant set bta bw max 1kbit
shaped s2 bpb 200 2 wait
shaped s3 bpa 100 3 poll
check "a sleeping sender waits" waiting s2
check "a polling sender waits" waiting s3
th=$("$CTL" -j stats tenant btb | python3 -c 'import json, sys; t = json.load(sys.stdin)["tenants"][0]["bw"]; print(t["throttled"], t["wait_us"] > 0)')
check "stats: the tenant's throttled messages counted ($th)" \
	sh -c "[ '${th% *}' -ge 2 ] && [ '${th#* }' = True ]"
check "stats: the device's tx_shaped counted" \
	sh -c "'$CTL' stats dev bwa | grep -q 'tx_shaped [1-9]'"
"$CTL" tenant del btb
check_eq "tenant deletion wakes the sleeper: ENODEV" "sent 1 eagain 0 end ENODEV" "$(hold_wait s2)"
"$CTL" tenant del bta
check_eq "and the poller, woken once: ENODEV" "sent 1 eagain 1 end ENODEV" "$(hold_wait s3)"

# Host traffic held back by the link of a device that goes away.
echo 1kbit > $SIMBUS/devices/ssns_sim51/link_rate
"$NLRAW" profile_new str:dev_name=bwa u32:vni=400 u8:tc=2 > /dev/null
"$NLRAW" profile_new str:dev_name=bwb u32:vni=400 u8:tc=2 > /dev/null
shaped s4 "" 400 4 wait
check "a host sender waits for the 1kbit link" waiting s4
sim_del 51
check_eq "removing the device wakes it: ENODEV" "sent 1 eagain 0 end ENODEV" "$(hold_wait s4)"

tap_plan "$_tap_n"
tap_done
