#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssnsctl and libssns against the real module: every object and command,
# text and JSON output, extack error text, batch mode, -n, monitor events,
# and no leak (valgrind) on the main paths. Runs in the VM:
#
#   selftests/vm/run -- tools/tests/vm/ssnsctl.sh
. "$(dirname "$0")/../../../selftests/lib.sh"
need_progs

sim_add 1 cxi0
sim_add 2 cxi1
ip netns add ctl1
ip netns add ctl2
trap 'jobs -p | xargs -r kill 2>/dev/null; ip netns del ctl1 2>/dev/null; ip netns del ctl2 2>/dev/null; rm -rf "$TMPD"' EXIT

# check_json DESC EXPR CMD...: CMD prints a JSON document j for which the
# Python expression EXPR holds.
check_json() {
	local desc=$1 expr=$2 out; shift 2
	out=$("$@" 2>&1)
	if echo "$out" | python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)"; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "$out"
	fi
}

monitor_start m
"$CTL" -j monitor > "$TMPD/mj.mon" 2>&1 &
echo $! > "$TMPD/mj.monpid"
sleep 0.3

# --- system ------------------------------------------------------------------
check_eq "system show" "netns shared" "$($CTL system show | cut -d' ' -f1-2)"
check_json "system show -j" "j['netns'] == 'shared' and j['version']" $CTL -j system show
check "system set netns exclusive (abbreviated)" $CTL sys se n ex
check_eq "mode is exclusive" 1 "$(sys_mode)"
check "system set netns shared" $CTL system set netns shared
check_err "system set netns bogus is a usage error" 'invalid netns mode "bogus"' $CTL system set netns bogus

# --- devices -----------------------------------------------------------------
check_eq "dev show lists cxi0 and cxi1" "cxi0: cxi1:" "$($CTL dev show | cut -d' ' -f2 | xargs)"
check_json "dev show -j" "[d['name'] for d in j] == ['cxi0', 'cxi1'] and j[0]['chardev'] == '/dev/cxi0'" $CTL -j dev show
check_err "dev show of an unknown device: extack" "error: ssns: no device named cxi9 .*\(No such device\)" $CTL dev show cxi9
check "dev set cxi1 netns ctl1 (ip netns name)" $CTL dev set cxi1 netns ctl1
check_eq "init_net no longer lists cxi1" "cxi0:" "$($CTL dev show | cut -d' ' -f2 | xargs)"
check_eq "-n ctl1 lists cxi0 and cxi1" "cxi0: cxi1:" "$($CTL -n ctl1 dev show | cut -d' ' -f2 | xargs)"
check "dev set cxi1 back by pid 1, from ctl1" in_ns ctl1 $CTL dev set cxi1 netns 1
check_err "dev set to an unknown netns name" 'no netns "nope"' $CTL dev set cxi1 netns nope
check_err "unprivileged dev set: EPERM with extack" "CAP_NET_ADMIN.*Operation not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups $CTL dev set cxi0 netns ctl2

# --- tenants -----------------------------------------------------------------
check "tenant add alice vni 100-199,300" $CTL tenant add alice vni 100-199,300
check "tenant add bob vni 200-210" $CTL tenant add bob vni 200-210
check_err "tenant add with a VNI of alice: EBUSY names alice" "VNI 150 belongs to tenant alice .*Device or resource busy" $CTL tenant add carol vni 150
check_err "tenant add with a bad name" "bad tenant name" $CTL tenant add 'a b'
check_err "unprivileged tenant add: EPERM" "Operation not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups $CTL tenant add eve
check "tenant set alice netns ctl1" $CTL tenant set alice netns ctl1
check_err "ctl1 cannot join bob too" "member of tenant alice" $CTL tenant set bob netns ctl1
check "tenant set alice vni 400-401" $CTL tenant set alice vni 400-401
check "tenant set alice vni 401 del" $CTL tenant set alice vni 401 del
check_eq "tenant show alice" "alice: vni 100-199,300,400" "$($CTL tenant show alice | head -1)"
check_json "tenant show -j: ranges and the member" "j[0]['vni'][2] == {'first': 400, 'last': 400} and j[0]['members'][0]['type'] == 'netns'" $CTL -j tenant show alice
check_eq "-n ctl1 sees its own tenant only" "alice:" "$($CTL -n ctl1 tenant show | grep -o '^[a-z]*:' | xargs)"
check_err "tenant del of an unknown tenant: ENOENT" "no tenant named zed .*No such file" $CTL tenant del zed

# --- profiles and endpoints --------------------------------------------------
check "profile add dev cxi0 vni 100 tc low_latency" $CTL profile add dev cxi0 vni 100 tc low_latency
check "profile add (any order, prefixes)" $CTL profile add tc bulk v 200 d cxi1
check "profile add host profile" $CTL profile add dev cxi0 vni 5 tc best_effort
check_err "profile add on an unknown device" "no device named cxi9" $CTL profile add dev cxi9 vni 100 tc low_latency
check_eq "profile show dev cxi1" "dev cxi1 vni 200 tc bulk_data tenant bob" "$($CTL profile show dev cxi1)"
check_json "profile show -j" "len(j) == 3 and [p for p in j if p['vni'] == 5][0]['tenant'] is None" $CTL -j profile show
check_eq "-n ctl1 sees alice's profile only" "dev cxi0 vni 100 tc low_latency tenant alice" "$($CTL -n ctl1 profile show)"

hold_start ep ctl1 cxi0 park 100 low_latency 7 60
hold_ready ep
check "ep show lists the endpoint" sh -c "$CTL ep show | grep -q 'dev cxi0 vni 100 tc low_latency addr 7 pid [0-9]* comm cxitool tenant alice'"
check_json "ep show -j dev cxi0" "j[0]['addr'] == 7 and j[0]['tenant'] == 'alice'" $CTL -j ep show dev cxi0
check_eq "ep show dev cxi1 is empty" "" "$($CTL ep show dev cxi1)"
check_errno "ctl2 (no tenant) is denied alice's VNI" EACCES in_ns ctl2 $CXI cxi0 alloc 100 low_latency 8
check "stats dev cxi0 counts the denial" sh -c "$CTL stats dev cxi0 | grep -q ' deny_tenant 1 '"
check_json "stats -j" "j['devs'][0]['stats']['ep_alloc'] >= 1 and j['tenants'][0]['name'] == 'alice'" $CTL -j stats
hold_stop ep

# --- batch -------------------------------------------------------------------
cat > "$TMPD/batch" <<'B'
# a batch
tenant add dave vni 1000
profile add dev cxi0 vni 1000 tc dedicated_access
tenant add dave vni 1001
tenant del bob
B
check_err "batch stops at line 4, with its extack" "tenant dave exists.*
Command failed $TMPD/batch:4" $CTL -b "$TMPD/batch"
check "the line after the failure did not run" $CTL tenant show bob
check_err "VNI with a profile cannot leave its tenant" "used by the profile cxi0/dedicated_access" $CTL tenant set dave vni 1000 del
check "profile del" $CTL profile del dev cxi0 vni 1000 tc dedicated_access
check "tenant del dave" $CTL tenant del dave

# --- members by cookie --------------------------------------------------------
ck=$($CTL -j tenant show alice | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['members'][0]['netns_cookie'])")
check "tenant set alice netns_cookie $ck del" $CTL tenant set alice netns_cookie "$ck" del
check_err "the same again: ENOENT" "not a member.*No such file" $CTL tenant set alice netns_cookie "$ck" del

# --- cgroup members ------------------------------------------------------------
cg=/sys/fs/cgroup
grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg
if grep -q " $cg cgroup2 " /proc/mounts && mkdir -p $cg/ctl-a $cg/ctl-b; then
	check "tenant set alice cgroup /ctl-a (relative to the mount)" $CTL tenant set alice cgroup /ctl-a
	check "tenant show lists the cgroup with its path" sh -c "$CTL tenant show alice | grep -q '^    cgroup /ctl-a id [0-9]*$'"
	check_err "bob cannot take alice's cgroup" "alice" $CTL tenant set bob cgroup ctl-a
	check_err "the root cgroup cannot be a member" "root cgroup" $CTL tenant set alice cgroup /
	check_err "a missing cgroup" 'no cgroup "/sys/fs/cgroup/ctl-zz"' $CTL tenant set alice cgroup ctl-zz
	check "unbind by full path" $CTL tenant set alice cgroup $cg/ctl-a del
	check "bind ctl-b" $CTL tenant set alice cgroup ctl-b
	id=$($CTL -j tenant show alice | python3 -c "import json,sys; print([m for m in json.load(sys.stdin)[0]['members'] if m['type'] == 'cgroup'][0]['cgroup_id'])")
	rmdir $cg/ctl-b
	check "a removed cgroup is unbound by cgroup_id $id" $CTL tenant set alice cgroup_id "$id" del
	check_eq "no cgroup member left" "" "$($CTL tenant show alice | grep cgroup)"
	rmdir $cg/ctl-a
else
	tap_skip "cgroup members" "no cgroup2 hierarchy"
fi

# --- valgrind ----------------------------------------------------------------
if command -v valgrind > /dev/null; then
	VG="valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99"
	for a in "-j tenant show" "stats" "dev show cxi9"; do
		$VG $CTL $a > "$TMPD/vg" 2>&1
		check_eq "valgrind: ssnsctl $a" 0 "$(grep -c '^==' "$TMPD/vg")"
	done
else
	tap_skip "valgrind" "not installed"
fi

# --- monitor -----------------------------------------------------------------
check "monitor: dev_set of cxi1" monitor_saw m "^dev_set dev cxi1 index 1 netns_cookie"
check "monitor: tenant_new alice" monitor_saw m "^tenant_new tenant alice vni 100-199,300"
check "monitor: profile_new" monitor_saw m "^profile_new dev cxi0 index 0 tenant alice vni 100 tc low_latency"
check "monitor: ep_denied with reason and errno" monitor_saw m "^ep_denied dev cxi0 .*vni 100 tc low_latency .*reason tenant errno EACCES"
check "monitor: sys_set" monitor_saw m "^sys_set netns exclusive"
monitor_stop m
kill "$(cat "$TMPD/mj.monpid")" 2>/dev/null
check "monitor -j: one JSON object a line" python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$TMPD/mj.mon')]
assert any(e['event'] == 'ep_denied' and e['errno'] == 'EACCES' for e in ev)
"

tap_done
