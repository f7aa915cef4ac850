#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs inside the VM with ssns.ko and ssns_sim.ko loaded and
# walks through what a site admin and two tenants' pods see.
set -u
top=${SSNS_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
ctl=$top/tools/ssnsctl/ssnsctl
cxi=$top/selftests/progs/cxitool
pingpong=$top/tools/examples/ssns-pingpong
for p in "$ctl" "$cxi"; do
	[ -x "$p" ] || { echo "demo: $p not built (run make)"; exit 1; }
done

bold=$(printf '\033[1m') off=$(printf '\033[0m')
say() { printf '\n%s# %s%s\n' "$bold" "$*" "$off"; }
run() { printf '%s$ %s%s\n' "$bold" "$*" "$off"; "$@"; }
ssnsctl() { "$ctl" "$@"; }
cleanup() {
	[ -n "${mon:-}" ] && kill "$mon" 2>/dev/null
	jobs -p | xargs -r kill 2>/dev/null
	for ns in pod-a1 pod-a2 pod-b1 pod-x; do ip netns del $ns 2>/dev/null; done
}
trap cleanup EXIT

say "ssns is loaded; the simulated NIC provider adds two cxi devices"
run grep -E '^ssns(_sim)? ' /proc/modules
run sh -c 'echo "1 cxi0" > /sys/bus/ssns_sim/new_device'
run sh -c 'echo "2 cxi1" > /sys/bus/ssns_sim/new_device'
run ls -l /dev/cxi0 /dev/cxi1
run ssnsctl system show
run ssnsctl dev show

say "A monitor prints every change (in the background)"
"$ctl" monitor | sed -u "s/^/    [monitor] /" &
mon=$!
sleep 0.5

say "Network namespaces: in shared mode init_net's devices are visible to pods"
for ns in pod-a1 pod-a2 pod-b1 pod-x; do ip netns add $ns; done
run ip netns exec pod-x "$ctl" dev show
run ssnsctl system set netns exclusive
run ip netns exec pod-x "$ctl" dev show
run ip netns exec pod-x "$cxi" cxi0 open
run ssnsctl system set netns shared

say "A whole NIC can be moved into one pod, and it is private there"
run ssnsctl dev set cxi1 netns pod-x
run ip netns exec pod-x "$ctl" dev show
run ssnsctl dev show
run "$cxi" cxi1 open
say "When the pod's netns dies, its NIC returns to init_net"
run ip netns del pod-x
for i in $(seq 50); do "$ctl" dev show cxi1 > /dev/null 2>&1 && break; sleep 0.1; done
run ssnsctl dev show

say "Two tenants, each with its VNIs and its pods"
run ssnsctl tenant add alice vni 100-199
run ssnsctl tenant add bob vni 200-299
run ssnsctl tenant set alice netns pod-a1
run ssnsctl tenant set alice netns pod-a2
run ssnsctl tenant set bob netns pod-b1
run ssnsctl profile add dev cxi0 vni 100 tc low_latency
run ssnsctl profile add dev cxi1 vni 100 tc low_latency
run ssnsctl profile add dev cxi0 vni 200 tc low_latency
run ssnsctl tenant show
run ssnsctl profile show

say "Inside tenant alice: pod-a2 serves on cxi1, pod-a1 talks to it"
idx1=$("$ctl" -j dev show cxi1 | sed -n 's/.*"index":\([0-9]*\).*/\1/p')
ip netns exec pod-a2 "$cxi" cxi1 echo 100 low_latency 8 2000 > /tmp/demo-srv.out &
sleep 1
run ssnsctl ep show
run ip netns exec pod-a1 "$cxi" -v cxi0 call 100 low_latency 7 "$idx1" 8 "hello from pod-a1" 2000
sleep 2.5	# the echo server ends once idle
if [ -x "$pingpong" ]; then
	say "The example program does the same: 5 round trips of 4 KiB, timed"
	ip netns exec pod-a2 "$pingpong" server cxi1 100 low_latency 8 3000 &
	sleep 1
	run ip netns exec pod-a1 "$pingpong" client cxi0 100 low_latency any "$idx1" 8 5 4096
	wait $!
fi

say "bob's pod tries alice's VNI: the kernel refuses, whatever its uid"
run ip netns exec pod-b1 "$cxi" cxi0 alloc 100 low_latency any
run ip netns exec pod-b1 unshare --user --map-root-user "$cxi" cxi0 alloc 100 low_latency any
say "bob sends to alice's address on its own VNI: the fabric drops it"
run ip netns exec pod-b1 "$cxi" cxi0 call 200 low_latency 7 "$idx1" 8 "intruder" 1000
sleep 2
say "Counters: the denials per device and per tenant, the fabric's drops"
run ssnsctl stats
run ssnsctl -p stats tenant bob

say "Deleting a tenant revokes its pods' open files"
ip netns exec pod-a1 "$cxi" cxi0 hold 100 low_latency 9 60 > /tmp/demo-hold.out &
sleep 1
run ssnsctl ep show
run ssnsctl tenant del alice
sleep 1
run cat /tmp/demo-hold.out
run ssnsctl ep show
sleep 0.5
