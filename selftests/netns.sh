#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Devices and network namespaces: visibility in shared and exclusive mode,
# moves, revocation of open files, netns teardown, device removal with open
# files, the capability rule of a move, and monitor events.
. "$(dirname "$0")/lib.sh"
need_progs

sim_add 1 cxi0
sim_add 2 cxi1
ip netns add a
ip netns add b
trap 'jobs -p | xargs -r kill 2>/dev/null; ip netns del a 2>/dev/null; ip netns del b 2>/dev/null' EXIT

# --- shared mode (the default) ---------------------------------------------
check_eq "system starts in shared mode" 0 "$(sys_mode)"
check "init_net opens cxi0" $CXI cxi0 open
check "netns a opens cxi0 (shared: init_net device)" in_ns a $CXI cxi0 open
check_eq "netns a lists both init_net devices in a dump" "cxi0 cxi1" "$(dev_names a | sort | xargs)"

# --- exclusive mode --------------------------------------------------------
check "system set netns exclusive" $CTL system set netns exclusive
check_eq "system shows exclusive" 1 "$(sys_mode)"
check_errno "netns a cannot open cxi0 (exclusive)" ENODEV in_ns a $CXI cxi0 open
check "init_net still opens cxi0" $CXI cxi0 open
check_eq "netns a lists no device" "" "$(dev_names a)"
check "system set netns shared" $CTL system set netns shared
check "netns a opens cxi0 again" in_ns a $CXI cxi0 open

# --- moves -----------------------------------------------------------------
check "dev set cxi1 netns a" $CTL dev set cxi1 netns a
check_errno "init_net cannot open cxi1 after the move" ENODEV $CXI cxi1 open
check "netns a opens cxi1" in_ns a $CXI cxi1 open
check_errno "netns b cannot open cxi1 (shared mode)" ENODEV in_ns b $CXI cxi1 open
check_eq "netns b does not list cxi1" "cxi0" "$(dev_names b)"
check_eq "init_net does not list cxi1" "cxi0" "$(dev_names)"
check_eq "netns a lists cxi0 and cxi1" "cxi0 cxi1" "$(dev_names a | sort | xargs)"
check "system set netns exclusive" $CTL system set netns exclusive
check "netns a opens cxi1 in exclusive mode" in_ns a $CXI cxi1 open
check_errno "netns b cannot open cxi1 in exclusive mode" ENODEV in_ns b $CXI cxi1 open
check "system set netns shared" $CTL system set netns shared
pid_b=$(in_ns_pid b)
check "dev set cxi1 netns PID (of a process in b)" in_ns a $CTL dev set cxi1 netns "$pid_b"
check "netns b opens cxi1" in_ns b $CXI cxi1 open
check_errno "netns a cannot open cxi1 any more" ENODEV in_ns a $CXI cxi1 open
kill "$pid_b"

# --- revocation of files open across a move --------------------------------
check "profile add dev cxi0 vni 10 tc best_effort" \
	$CTL profile add dev cxi0 vni 10 tc best_effort
hold_start r1 "" cxi0 hold 10 best_effort 5 30
check "init_net holds an endpoint on cxi0" hold_ready r1
check "dev set cxi0 netns a" $CTL dev set cxi0 netns a
check_eq "the open fd is revoked (ENODEV) by the move" "revoked ENODEV" "$(hold_wait r1)"
check_errno "a new open in init_net fails" ENODEV $CXI cxi0 open
check "dev set cxi0 back to init_net" in_ns a $CTL dev set cxi0 netns 1
hold_start r3 "" cxi0 pollhold 10 best_effort 7 600
check "init_net holds an endpoint again" hold_ready r3
check "system set netns exclusive (does not hide init_net from itself)" \
	$CTL system set netns exclusive
check_errno "netns a cannot open cxi0 in exclusive mode" ENODEV in_ns a $CXI cxi0 open
check "system set netns shared" $CTL system set netns shared
hold_start r5 a cxi0 wait 600
check "netns a holds cxi0 open (shared)" hold_ready r5
check "system set netns exclusive" $CTL system set netns exclusive
check_eq "netns a's fd is revoked by the mode switch (poll: ERR|HUP)" \
	"revoked ENODEV" "$(hold_wait r5)"
check_eq "init_net's fd survives the mode switch" running "$(hold_state r3)"
check "system set netns shared" $CTL system set netns shared
hold_stop r3

# --- netns teardown --------------------------------------------------------
monitor_start m1
check "dev set cxi1 netns a (from b, where it is)" in_ns b $CTL dev set cxi1 netns a
hold_start r6 a cxi1 wait 600
check "netns a holds cxi1 open" hold_ready r6
hold_stop r6
# Only the name keeps netns a alive now: deleting it destroys the netns.
ip netns del a
check "cxi1 returns to init_net when netns a dies" wait_for dev_listed cxi1
check "init_net opens cxi1" $CXI cxi1 open
check "monitor announced the move back" monitor_saw m1 "dev_set.*cxi1"
monitor_stop m1
ip netns add a

# --- device add and remove while files are open ----------------------------
sim_add 3 cxi2
check "profile add dev cxi2 vni 11 tc low_latency" \
	$CTL profile add dev cxi2 vni 11 tc low_latency
hold_start r7 "" cxi2 hold 11 low_latency 1 30
check "an endpoint is held on cxi2" hold_ready r7
check "del_device 3 with the file open" sim_del 3
check_eq "the open fd fails with ENODEV" "revoked ENODEV" "$(hold_wait r7)"
check "/dev/cxi2 is gone" test ! -e /dev/cxi2
check_eq "cxi2 is not listed" "cxi0 cxi1" "$(dev_names | sort | xargs)"

# --- capability rule of a move ---------------------------------------------
check_errno "an unprivileged user cannot move a device (EPERM)" EPERM \
	setpriv --reuid=65534 --regid=65534 --clear-groups $CTL dev set cxi0 netns b
check_errno "a user namespace root cannot move a device into its own netns" EPERM \
	unshare --user --map-root-user --net sh -c "$CTL dev set cxi0 netns \$\$"
check_eq "cxi0 stays in init_net" "cxi0 cxi1" "$(dev_names | sort | xargs)"
check_errno "a user namespace root cannot switch the mode" EPERM \
	unshare --user --map-root-user --net $CTL system set netns exclusive
check_eq "the mode is unchanged" 0 "$(sys_mode)"

tap_plan "$_tap_n"
tap_done
