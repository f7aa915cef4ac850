#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bandwidth between tenants on the simulated NIC: the grammar of
# `ssnsctl tenant set NAME bw` and the kernel's errors (bad rates, zero
# weight, overflow, scopes), the CNI bandwidth capability (runtimeConfig
# egressRate), ceilings and shares at small scale, low_latency traffic
# beside a saturated link. Messages waiting for the shaper (a ceiling
# lifted, a tenant deleted, a device removed) are bw_wait.sh's.
#
# Rates are measured by ssns-perf bw over seconds, with 64 KiB messages,
# in a VM whose host is shared: a sender can only fall behind its rate (the
# VM does not run), never get ahead of it by more than the shaper's burst
# (30 ms at the rate: 1 % of a 3 s window) and one message (33 ms at
# 16mbit: 1.1 %). So ceilings are checked tightly from above (+5 %) and
# loosely from below (half the rate: a shaper that stalls fails it, a slow
# VM does not). Shares are compared on a link slow enough to be the
# bottleneck whatever the VM's speed, over the whole window (both flows
# stop when the VM does), within 20 % of 3 (the smaller flow sends about
# 40 messages: one is 2.5 %). Work conservation is the median over 1 s
# slots (30 messages each), which leaves out the slots in which the VM
# did not run.
. "$(dirname "$0")/lib.sh"

PERF=$SSNS_TOP/tools/perf/ssns-perf
PLUGIN=$SSNS_TOP/tools/cni/ssns-cni
need_progs "$CTL" "$CXI" "$NLRAW" "$PERF"

pods="bpa bpb bpc"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	for t in bta btb btc; do "$CTL" tenant del $t 2>/dev/null; done
	for id in 51 52 53; do sim_del $id 2>/dev/null; done
	rm -rf "$TMPD"
}
trap cleanup EXIT

sim_add 51 bwa
sim_add 52 bwb
for ns in $pods; do ip netns add $ns; done
A=$(dev_index bwa)
B=$(dev_index bwb)
"$CTL" -b - <<EOF || { echo "1..0 # SKIP cannot set up tenants"; exit $KSFT_SKIP; }
tenant add bta vni 100
tenant add btb vni 200
tenant set bta netns bpa
tenant set btb netns bpb
EOF
for d in bwa bwb; do
	for v in 100 200; do
		for tc in bulk_data low_latency; do
			"$CTL" profile add dev $d vni $v tc $tc || exit 1
		done
	done
done

# jq-less JSON: python3 EXPR over j, the document.
json() {
	local expr=$1; shift
	"$@" | python3 -c "import json, sys; j = json.load(sys.stdin); print($expr)"
}
cookie() { ip netns exec "$1" "$CXI" bwa info | sed -n 's/^net_cookie //p'; }
# ssnsctl output of a refused command names its value: check_refused
# DESC ERRNO TEXT CMD... (ERRNO "-": refused before the kernel saw it)
check_refused() {
	local desc=$1 want=$2 text=$3 out; shift 3
	if out=$("$@" 2>&1); then
		tap_notok "$desc"
		tap_diag "succeeded: $out"
	elif echo "$out" | grep -qF -- "$text" &&
	     { [ "$want" = - ] ||
	       echo "$out" | grep -q "$(errno_str "$want")"; }; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "want $want and '$text', got: $out"
	fi
}

# --- the grammar and the kernel's errors -------------------------------------
check "bw share 3" "$CTL" tenant set bta bw share 3
check_eq "tenant show: the share" "    bw share 3" \
	"$("$CTL" tenant show bta | grep '^    bw share')"
check_eq "tenant show -j: share 3, no ceiling" "3 None" \
	"$(json "j[0]['bw']['share'], j[0]['bw']['max']" "$CTL" -j tenant show bta)"
check_refused "zero weight refused, named" - 'share "0" is out of range 1..10000' \
	"$CTL" tenant set bta bw share 0
check_refused "a rate without a known unit refused" - 'invalid rate "10xbit"' \
	"$CTL" tenant set bta bw max 10xbit
check_refused "an overflowing rate refused" - 'rate "99999999999999999999gbit" overflows 64 bits' \
	"$CTL" tenant set bta bw max 99999999999999999999gbit
check_refused "a rate below 1kbit refused" - 'rate "999bit" (999 bit/s) is out of range' \
	"$CTL" tenant set bta bw max 999bit
check_refused "an unknown device, named" ENODEV "no device named nosuch" \
	"$CTL" tenant set bta bw max 1gbit dev nosuch
ck_b=$(cookie bpb)
check_refused "a netns of another tenant, named" ENOENT "netns $ck_b is not a member of tenant bta" \
	"$CTL" tenant set bta bw max 1gbit netns bpb
ck_a=$(cookie bpa)
check "a member's ceiling" "$CTL" tenant set bta bw max 500mbit netns bpa
check_eq "tenant show: the member's ceiling" "    bw netns_cookie $ck_a max 500Mbit" \
	"$("$CTL" tenant show bta | grep '^    bw netns_cookie')"
check "a device's share and ceiling" sh -c "'$CTL' tenant set bta bw share 2 dev bwb &&
	'$CTL' tenant set bta bw max none dev bwb"
check_eq "tenant show -j: the device's override" "bwb 2 0" \
	"$(json "' '.join(str(x) for x in (j[0]['bw']['devs'][0]['dev'], j[0]['bw']['devs'][0]['share'], j[0]['bw']['devs'][0]['max']))" "$CTL" -j tenant show bta)"
check "bw clear dev bwb" "$CTL" tenant set bta bw clear dev bwb
check_eq "the override is gone" "0" \
	"$(json "len(j[0]['bw']['devs'])" "$CTL" -j tenant show bta)"
# The same rules for raw requests, each error naming its value.
nl_expect "BW_SHARE 0: EINVAL" EINVAL "bw share 0 is out of range 1..10000" \
	tenant_set str:tenant_name=bta nest:bw u32:bw_share=0 end
nl_expect "BW_SHARE 10001: EINVAL" EINVAL "bw share 10001 is out of range" \
	tenant_set str:tenant_name=bta nest:bw u32:bw_share=10001 end
nl_expect "BW_MAX 999: EINVAL" EINVAL "bw max 999 bit/s is out of range" \
	tenant_set str:tenant_name=bta nest:bw u64:bw_max=999 end
nl_expect "BW_MAX 2^64-1: EINVAL" EINVAL "bw max 18446744073709551615 bit/s" \
	tenant_set str:tenant_name=bta nest:bw u64:bw_max=18446744073709551615 end
nl_expect "BW with OP: EINVAL" EINVAL "BW goes alone" \
	tenant_set str:tenant_name=bta u8:op=0 nest:bw u32:bw_share=2 end
nl_expect "an empty BW: EINVAL" EINVAL "nothing to set" \
	tenant_set str:tenant_name=bta nest:bw end
nl_expect "a member's share: EINVAL" EINVAL "a member has a ceiling, not a share \(share 2\)" \
	tenant_set str:tenant_name=bta nest:bw u64:netns_cookie=$ck_a u32:bw_share=2 end
nl_expect "a device and a member: EINVAL" EINVAL "applies on each device: give no device" \
	tenant_set str:tenant_name=bta nest:bw str:dev_name=bwa u64:netns_cookie=$ck_a u64:bw_max=1000000 end
nl_expect "BW_CLEAR with BW_MAX: EINVAL" EINVAL "BW_CLEAR goes without" \
	tenant_set str:tenant_name=bta nest:bw flag:bw_clear u64:bw_max=1000000 end
nl_expect "a cookie that is no member: ENOENT" ENOENT "netns 1 is not a member of tenant bta" \
	tenant_set str:tenant_name=bta nest:bw u64:netns_cookie=1 u64:bw_max=1000000 end
"$CTL" tenant set bta netns bpa del && "$CTL" tenant set bta netns bpa
check_eq "a member's ceiling goes with its membership" "0" \
	"$(json "len(j[0]['bw']['members'])" "$CTL" -j tenant show bta)"
"$CTL" tenant set bta bw clear

# --- the CNI bandwidth capability ---------------------------------------------
if [ -x "$PLUGIN" ]; then
	STATE=$TMPD/cni
	CNI_BIN=/usr/lib/cni
	rc='"capabilities":{"bandwidth":true},"runtimeConfig":{"bandwidth":{"egressRate":RATE,"egressBurst":1000000}}'
	cfg() { conf btc 300 "${rc/RATE/$1}" | sed 's/"cxi0"/"bwa"/'; }
	out=$(cfg 50000000 | cni ADD bpc)
	check_eq "CNI ADD with egressRate 50000000" 0 $?
	ck_c=$(cookie bpc)
	check_eq "the pod's netns has the ceiling" "$ck_c 50000000" \
		"$(json "' '.join(str(m[k]) for m in j[0]['bw']['members'] for k in ('netns_cookie', 'max'))" "$CTL" -j tenant show btc)"
	cfg 50000000 | cni CHECK bpc > /dev/null
	check_eq "CNI CHECK: as configured" 0 $?
	out=$(cfg 60000000 | cni CHECK bpc)
	check "CNI CHECK: another rate is code 101" \
		sh -c "echo '$out' | grep -q '\"code\": *101'"
	out=$(cfg -5 | cni ADD bpc)
	check "CNI ADD: a negative egressRate is code 7, named" \
		sh -c "echo '$out' | grep -q '\"code\": *7' && echo '$out' | grep -q 'egressRate .*-5'"
	cfg 50000000 | cni DEL bpc > /dev/null
	check_eq "CNI DEL" 0 $?
	check "the ceiling went with the pod" sh -c "! '$CTL' tenant show btc 2>/dev/null | grep -q netns_cookie"
else
	for i in 1 2 3 4 5 6 7; do tap_skip "CNI bandwidth capability" "$PLUGIN not built"; done
fi

# --- ceilings and shares ---------------------------------------------------------
# rate NAME OUT: a flow's mean rate in bit/s, from ssns-perf bw output.
rate() { sed -n "s/^flow $1 rate_bps [0-9]* mean_bps \([0-9]*\) .*/\1/p" "$2"; }
median() { sed -n "s/^flow $1 rate_bps \([0-9]*\) .*/\1/p" "$2"; }
within() { # within VALUE LOW HIGH (integers)
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}
flow() { # flow NAME NS DEV PEER VNI [KEY=VALUE...]
	local n=$1 ns=$2 d=$3 p=$4 v=$5; shift 5
	local f="name=$n,ns=/run/netns/$ns,dev=$d,peer=$p,vni=$v,size=64K"
	for kv in "$@"; do f+=",$kv"; done
	echo "$f"
}

"$CTL" tenant set btb bw max 16mbit
"$PERF" bw -t 3500 -W 500 $(flow b bpb bwb bwa 200) > "$TMPD/ceil" 2>&1
r=$(rate b "$TMPD/ceil")
tap_diag "16mbit ceiling: $(cat "$TMPD/ceil")"
check "a tenant's 16mbit ceiling holds: $r bit/s <= 16.8M" within "$r" 8000000 16800000

"$CTL" tenant set btb bw max none
"$CTL" tenant set bta bw max 8mbit netns bpa
"$PERF" bw -t 3500 -W 500 $(flow a bpa bwb bwa 100) > "$TMPD/member" 2>&1
r=$(rate a "$TMPD/member")
tap_diag "8mbit pod ceiling: $(cat "$TMPD/member")"
check "a pod's 8mbit ceiling holds: $r bit/s <= 8.4M" within "$r" 4000000 8400000
"$CTL" tenant set bta bw max none netns bpa

# A link slow enough to be the bottleneck even in a VM short of CPU.
echo 16mbit > $SIMBUS/devices/ssns_sim51/link_rate
check_eq "link_rate reads back in bit/s" 16000000 "$(cat $SIMBUS/devices/ssns_sim51/link_rate)"
# The A/A control: the same two flows with equal shares. Whatever makes
# their ratio differ from 1 here (start order, which vCPU runs which, the
# quantum of one 64 KiB message) is the measurement's own error; the 3:1
# run below is allowed twice that relative error, at least 5 % (the issue's
# figure) and at most 20 %.
"$PERF" bw -t 6500 -W 500 -S 1000 -R a/b $(flow a bpa bwa bwb 100) \
	$(flow b bpb bwa bwb 200) > "$TMPD/aa" 2>&1
tap_diag "A/A, shares 1:1 on a 16mbit link: $(cat "$TMPD/aa")"
aa=$(python3 -c "print('%.4f' % ($(rate a "$TMPD/aa") / max($(rate b "$TMPD/aa"), 1)))")
tol=$(python3 -c "print('%.4f' % min(0.20, max(0.05, 2 * abs($aa - 1))))")
check "A/A control: equal shares split the link, ratio $aa within 1 +- 0.20" \
	python3 -c "import sys; sys.exit(not abs($aa - 1) <= 0.20)"
"$CTL" tenant set bta bw share 3
"$PERF" bw -t 6500 -W 500 -S 1000 -R a/b $(flow a bpa bwa bwb 100) \
	$(flow b bpb bwa bwb 200) > "$TMPD/share" 2>&1
tap_diag "shares 3:1 on a 16mbit link: $(cat "$TMPD/share")"
ra=$(rate a "$TMPD/share")
rb=$(rate b "$TMPD/share")
r31=$(python3 -c "print('%.4f' % (${ra:-0} / max(${rb:-0}, 1)))")
tap_diag "shares: configured 3.0, measured $r31; A/A $aa, tolerance +-$tol relative"
# Over the whole window: both flows stop when the VM does. Shares are
# only defined under contention: when the two senders together did not
# fill the link (a guest starved of CPU cannot keep them backlogged), the
# premise is missing and the check is skipped with the figures.
if [ "$((${ra:-0} + ${rb:-0}))" -ge 15200000 ]; then
	check "shares 3:1 under contention: $ra / $rb = $r31 within 3 * (1 +- $tol)" \
		python3 -c "import sys; sys.exit(not abs($r31 / 3 - 1) <= $tol)"
else
	tap_skip "shares 3:1 under contention" \
		"the senders filled $((${ra:-0} + ${rb:-0})) of 16000000 bit/s (< 95 %): no contention to share"
fi
check "the link holds: $ra + $rb bit/s <= 16.8M" within "$((${ra:-0} + ${rb:-0}))" 1 16800000

"$PERF" bw -t 4500 -W 500 -S 1000 $(flow b bpb bwa bwb 200) > "$TMPD/alone" 2>&1
r=$(median b "$TMPD/alone")
tap_diag "share 1 of 4, alone: $(cat "$TMPD/alone")"
check "work-conserving: share 1 of 4 alone gets $r bit/s >= 12.8M (80 %)" within "$r" 12800000 16800000

# low_latency round trips of bta while btb saturates the link with bulk_data
"$PERF" bw -t 2500 -W 500 $(flow l bpa bwa bwb 100 tc=low_latency mode=lat cpu=0) > "$TMPD/lat0" 2>&1
"$PERF" bw -t 2500 -W 500 $(flow l bpa bwa bwb 100 tc=low_latency mode=lat cpu=0) \
	$(flow b bpb bwa bwb 200 cpu=1) > "$TMPD/lat1" 2>&1
l0=$(sed -n 's/^flow l rtt_med_us \([0-9.]*\) .*/\1/p' "$TMPD/lat0")
l1=$(sed -n 's/^flow l rtt_med_us \([0-9.]*\) .*/\1/p' "$TMPD/lat1")
tap_diag "low_latency round trip: alone ${l0}us, beside bulk_data ${l1}us"
# A message queued behind the link would wait for its horizon (5 ms ahead),
# and for the 64 KiB message before it (33 ms at 16mbit).
r1=$(sed -n 's/^flow l .* rounds \([0-9]*\)$/\1/p' "$TMPD/lat1")
b1=$(sed -n 's/^flow b rate_bps \([0-9]*\) .*/\1/p' "$TMPD/lat1")
# No round trip at all is a failure when bulk_data filled the link (the
# shaper starved low_latency), and no measurement when it did not either
# (a guest starved of CPU ran neither flow).
# The bound is the round trip alone plus half that horizon: a slow kernel
# (debug: 2 ms alone) moves both, a wait behind the link adds 5 ms or more.
lim=$(python3 -c "print('%.2f' % (float('${l0:-0}' or 0) + 2500))")
if [ "${r1:-0}" -gt 0 ] || [ "${b1:-0}" -ge 15200000 ]; then
	check "low_latency does not wait behind bulk_data: ${l1}us < ${lim}us (alone + 2500us)" \
		python3 -c "import sys; sys.exit(not 0 < float('${l1:-0}') < $lim or not float('${l0:-0}' or 0) > 0)"
else
	tap_skip "low_latency does not wait behind bulk_data" \
		"no round trip timed (rounds ${r1:-none}) and bulk_data at ${b1:-0} bit/s: the guest ran neither flow"
fi
"$CTL" tenant set bta bw clear
echo 0 > $SIMBUS/devices/ssns_sim51/link_rate

tap_plan "$_tap_n"
tap_done
