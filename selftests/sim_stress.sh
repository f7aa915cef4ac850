#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns_sim under races: threads allocating and freeing an endpoint while
# others send to it and receive on it (cxitool stress), on two devices at
# once, with a device removed and then the module unloaded in the middle of
# the traffic. Every run must end with only the errnos its races explain,
# and the kernel log must stay clean (the runner checks it).
. "$(dirname "$0")/lib.sh"

need_progs "$CXI" "$NLRAW"
# The module the runner loaded (a debug-kernel build, say), else the tree's.
SIM_KO=$(echo "${SSNS_MODULES:-}" | tr ' ' '\n' | grep '/ssns_sim\.ko$' | head -n 1)
SIM_KO=${SIM_KO:-$SSNS_TOP/kmod/sim/ssns_sim.ko}
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$TMPD"' EXIT

profile_add() {
	"$NLRAW" profile_new str:dev_name="$1" u32:vni="$2" u8:tc="$3" > /dev/null
}

sim_add 1 st1
sim_add 2 st2
if ! profile_add st1 100 1 || ! profile_add st2 100 1; then
	tap_skip "stress" "cannot create host profiles (PROFILE_NEW)"
	tap_plan "$_tap_n"
	tap_done
fi

# stress_start NAME DEV ADDR SECS [PEER_INDEX]
stress_start() {
	"$CXI" "$2" stress 100 low_latency "$3" "$4" ${5:-} > "$TMPD/$1" 2>&1 &
	echo $! > "$TMPD/$1.pid"
}

# stress_end NAME: wait for the run (in this shell, not a subshell); set
# $res to its exit status and status line
stress_end() {
	wait "$(cat "$TMPD/$1.pid")"
	res="rc=$? $(tail -n 1 "$TMPD/$1" | cut -d' ' -f1-2)"
}

stress_start a st1 200 6
stress_start b st1 201 6
stress_start c st2 200 30
stress_start d st2 201 30
sleep 3
check "del_device st2 under traffic" sim_del 2
stress_end a
check_eq "st1 run a: clean" "rc=0 stress ok" "$res"
stress_end b
check_eq "st1 run b: clean" "rc=0 stress ok" "$res"
stress_end c
check_eq "st2 run c: revoked" "rc=0 stress revoked" "$res"
stress_end d
check_eq "st2 run d: revoked" "rc=0 stress revoked" "$res"

# Across devices: st1's senders aim at st2's endpoints and back, while
# st2 goes away under them.
sim_add 2 st2
profile_add st2 100 1
i1=$(cat $SIMBUS/devices/ssns_sim1/dev_index)
i2=$(cat $SIMBUS/devices/ssns_sim2/dev_index)
stress_start x st1 220 6 "$i2"
stress_start y st2 220 30 "$i1"
sleep 3
check "del_device st2 under cross-device traffic" sim_del 2
stress_end x
check_eq "st1 run x (sending to st2): clean" "rc=0 stress ok" "$res"
stress_end y
check_eq "st2 run y: revoked" "rc=0 stress revoked" "$res"
check "run x delivered across devices" \
	grep -Eq 'recvs [1-9]' "$TMPD/y"

stress_start e st1 210 30
stress_start f st1 211 30
stress_start g st1 212 30
sleep 3
check "rmmod ssns_sim under traffic" rmmod ssns_sim
stress_end e
check_eq "run e: revoked" "rc=0 stress revoked" "$res"
stress_end f
check_eq "run f: revoked" "rc=0 stress revoked" "$res"
stress_end g
check_eq "run g: revoked" "rc=0 stress revoked" "$res"
check "insmod ssns_sim again" insmod "$SIM_KO"
tap_plan "$_tap_n"
tap_done
