#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns_sim: the bus, debugfs fault knobs, the char-device ABI, the fabric
# (delivery by VNI, drops, push-back), revocation of open files when a
# device or the module goes away, devices created in a netns, and the
# two-endpoint example program.
. "$(dirname "$0")/lib.sh"

need_progs "$CXI" "$NLRAW"

DBG=/sys/kernel/debug/ssns_sim
PINGPONG=$SSNS_TOP/tools/examples/ssns-pingpong
# The module the runner loaded (a debug-kernel build, say), else the tree's.
SIM_KO=$(echo "${SSNS_MODULES:-}" | tr ' ' '\n' | grep '/ssns_sim\.ko$' | head -n 1)
SIM_KO=${SIM_KO:-$SSNS_TOP/kmod/sim/ssns_sim.ko}
trap 'jobs -p | xargs -r kill 2>/dev/null; ip netns del simns 2>/dev/null; rm -rf "$TMPD"' EXIT

quiet() { "$@" > /dev/null; }
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$DBG/$1/stats"; }
profile_add() {
	"$NLRAW" profile_new str:dev_name="$1" u32:vni="$2" u8:tc="$3" > /dev/null
}

# --- bus ---------------------------------------------------------------------
check "new_device 1 simA" sim_add 1 simA
check "new_device 2 (default name cxi%d)" sim_add 2
check "/dev/simA exists" test -c /dev/simA
check_eq "sysfs cxi_name of ssns_sim1" simA \
	"$(cat $SIMBUS/devices/ssns_sim1/cxi_name)"
B=$(cat $SIMBUS/devices/ssns_sim2/cxi_name)
check "default name is cxiN" sh -c "echo $B | grep -Eq '^cxi[0-9]+$'"
IA=$(cat $SIMBUS/devices/ssns_sim1/dev_index)
IB=$(cat $SIMBUS/devices/ssns_sim2/dev_index)
check_eq "INFO dev_index matches sysfs" "dev_index $IA" \
	"$($CXI simA info | head -n 1)"
check_eq "INFO rxq_depth is 64" "rxq_depth 64" \
	"$($CXI simA info | sed -n 3p)"
check_errno "new_device with a used ID" EEXIST sim_add 1 other
check_errno "new_device with a used name" EEXIST sim_add 3 simA
check_errno "new_device with a bad ID" EINVAL sim_add x
check_errno "new_device with a negative ID" EINVAL sim_add -1
check_errno "new_device with a name of 32 bytes" ENAMETOOLONG \
	sim_add 4 abcdefghijabcdefghijabcdefghijab
check_errno "del_device of an unknown ID" ENOENT sim_del 77
check_errno "del_device with trailing junk" EINVAL sim_del "1 x"
check "debugfs directory of simA" test -d $DBG/simA

# --- fault knobs ---------------------------------------------------------------
echo 2 > $DBG/simA/fail_open
check_errno "fail_open: first open fails (EIO)" EIO $CXI simA open
echo 12 > $DBG/simA/fail_errno
check_errno "fail_open: second open fails with fail_errno (ENOMEM)" ENOMEM \
	$CXI simA open
check "fail_open: third open succeeds" quiet $CXI simA open
check_eq "fail_open counted down to 0" 0 "$(cat $DBG/simA/fail_open)"
echo 5 > $DBG/simA/fail_errno

# --- profiles for the data path --------------------------------------------------
if ! profile_add simA 100 1 || ! profile_add "$B" 100 1 ||
   ! profile_add simA 200 1; then
	tap_skip "data path" "cannot create host profiles (PROFILE_NEW)"
	tap_plan "$_tap_n"
	tap_done
fi

echo 1 > $DBG/simA/fail_ep_alloc
check_errno "fail_ep_alloc: allocation fails" EIO $CXI simA alloc 100 1 any
check "fail_ep_alloc: next allocation succeeds" \
	quiet $CXI simA alloc 100 1 any
check_errno "no profile (vni 300): ENOENT" ENOENT $CXI simA alloc 300 1 any

out=$($CXI simA abi 100 low_latency)
rc=$?
check_eq "ioctl ABI rules (cxitool abi)" 0 $rc
[ $rc -eq 0 ] || echo "$out" | grep '^not ok' | sed 's/^/# /'

# --- fabric ------------------------------------------------------------------------
hold_start r1 "" "$B" recv 100 low_latency 7 5000
hold_ready r1
tx=$(stat_of simA tx_msgs)
check "send simA -> $B addr 7, same VNI" \
	$CXI simA send 100 low_latency 3 "$IB" 7 hello-fabric
check_eq "delivered once, intact" hello-fabric "$(hold_wait r1)"
check_eq "tx_msgs of simA rose by 1" $((tx + 1)) "$(stat_of simA tx_msgs)"
check_eq "rx_msgs of $B is 1" 1 "$(stat_of "$B" rx_msgs)"

hold_start r2 "" "$B" recv 100 low_latency 8 1500
hold_ready r2
drops=$(stat_of simA drops)
bdrops=$(stat_of "$B" drops)
check "send from VNI 200 to a VNI 100 endpoint succeeds (dropped)" \
	$CXI simA send 200 low_latency 3 "$IB" 8 intruder
check_eq "VNI 100 endpoint receives nothing" \
	"error: ETIMEDOUT (Connection timed out)" "$(hold_wait r2)"
check_eq "drop counted on the sender" $((drops + 1)) "$(stat_of simA drops)"
check_eq "drop counted on the target device" $((bdrops + 1)) \
	"$(stat_of "$B" drops)"
check "send to a device that does not exist succeeds (dropped)" \
	$CXI simA send 100 low_latency 3 999 8 void
check_eq "drop counted" $((drops + 2)) "$(stat_of simA drops)"
check "send to an empty address of the same device (dropped)" \
	$CXI simA send 100 low_latency 3 "$IA" 99 void
check_eq "a drop within one device counts once" $((drops + 3)) \
	"$(stat_of simA drops)"
check_eq "netlink DEV_GET reports the drops" $((drops + 3)) \
	"$(dev_stat simA drops)"

hold_start r3 "" "$B" recv 100 low_latency 9 5000
hold_ready r3
check "send 1 MiB" $CXI simA sendsize 100 low_latency any "$IB" 9 1048576
check_eq "1 MiB received intact" "len 1048576 ok" "$(hold_wait r3)"
check_errno "send 1 MiB + 1: EMSGSIZE" EMSGSIZE \
	$CXI simA sendsize 100 low_latency any "$IB" 9 1048577

echo 1 > $DBG/simA/fail_send
check_errno "fail_send: send fails" EIO \
	$CXI simA send 100 low_latency any "$IB" 9 x
echo 1 > $DBG/simA/fail_recv
check_errno "fail_recv: receive fails" EIO \
	$CXI simA recv 100 low_latency any 0

hold_start p1 "" "$B" park 100 low_latency 10 30
hold_ready p1
out=$($CXI simA flood 100 low_latency any "$IB" 10 100)
rc=$?
check_eq "flood of a parked endpoint: EAGAIN" "$(errno_num EAGAIN)" $rc
check_eq "exactly rxq_depth (64) messages queued first" "sent 64" \
	"$(echo "$out" | head -n 1)"
check_eq "tx_busy counted" 1 "$(stat_of simA tx_busy)"

# --- revocation ----------------------------------------------------------------------
hold_start h1 "" "$B" hold 100 low_latency 11 30
hold_start h2 "" "$B" pollhold 100 low_latency 12 30
hold_ready h1
hold_ready h2
check "del_device with files open (and 64 messages queued)" sim_del 2
check_eq "blocked receiver woken: revoked ENODEV" "revoked ENODEV" \
	"$(hold_wait h1)"
check_eq "poller woken: revoked ENODEV" "revoked ENODEV" "$(hold_wait h2)"
check_eq "parked endpoint with a full queue: revoked ENODEV" \
	"revoked ENODEV" "$(hold_wait p1)"
check "char device removed" test ! -e "/dev/$B"
check "debugfs directory removed" test ! -e "$DBG/$B"

# --- example program -----------------------------------------------------------------
if [ -x "$PINGPONG" ]; then
	# Idle timeout and waits sized for a slow, shared TCG guest.
	"$PINGPONG" server simA 100 low_latency 20 15000 > "$TMPD/srv" 2>&1 &
	srv=$!
	check "ssns-pingpong server ready" \
		wait_for grep -q '^server:' "$TMPD/srv"
	check "ssns-pingpong client: 50 round trips of 4 KiB" \
		quiet "$PINGPONG" client simA 100 low_latency any "$IA" 20 50 4096
	wait $srv
	check "ssns-pingpong server echoed 50 messages" \
		grep -q "echoed 50 messages" "$TMPD/srv"
	sed 's/^/# /' "$TMPD/srv"
else
	tap_skip "ssns-pingpong server ready" "tools/examples not built"
	tap_skip "ssns-pingpong client" "tools/examples not built"
	tap_skip "ssns-pingpong server echoed" "tools/examples not built"
fi

# --- a device created in a netns -------------------------------------------------------
ip netns add simns
check "new_device from netns simns" \
	ip netns exec simns sh -c "echo '5 simns0' > $SIMBUS/new_device"
check_errno "init_net cannot open it" ENODEV $CXI simns0 open
check "simns opens it" quiet in_ns simns $CXI simns0 open
check "del_device" sim_del 5
ip netns del simns

# --- module unload and load ------------------------------------------------------------
hold_start h3 "" simA hold 100 low_latency 13 30
hold_ready h3
check "rmmod ssns_sim with a file open" rmmod ssns_sim
check_eq "the open file is revoked" "revoked ENODEV" "$(hold_wait h3)"
check "insmod devices=3" insmod "$SIM_KO" devices=3
check_eq "three devices at load" "ssns_sim0 ssns_sim1 ssns_sim2" \
	"$(cd $SIMBUS/devices && echo *)"
check "rmmod" rmmod ssns_sim
check "insmod devices=65 refused" sh -c "! insmod $SIM_KO devices=65"
check "insmod again" insmod "$SIM_KO"
tap_plan "$_tap_n"
tap_done
