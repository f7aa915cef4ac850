#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns-oci-hook driven with OCI state JSON on stdin, as runc/crun call a
# hook: createRuntime binds the container's netns and cgroup v2 directory
# to the tenant named by the "ssns.tenant" annotation, poststop unbinds
# (also after the cgroup is gone); host-network containers are confined by
# their cgroup; bad or missing annotations fail clearly and change nothing.
. "$(dirname "$0")/lib.sh"
need_progs

HOOK=$SSNS_TOP/tools/oci-hook/ssns-oci-hook
if [ ! -x "$HOOK" ]; then
	echo "1..0 # SKIP $HOOK not built"
	exit $KSFT_SKIP
fi
CG=/sys/fs/cgroup
if [ ! -f $CG/cgroup.controllers ]; then
	echo "1..0 # SKIP no cgroup v2 at $CG"
	exit $KSFT_SKIP
fi
STATE=$TMPD/hookstate
H() { "$HOOK" --state-dir "$STATE" "$@"; }

sim_add 1 cxi0
nss="c1 c3 c4"
for ns in $nss; do ip netns add $ns; done
cleanup() {
	[ -f "$TMPD/ctr.pids" ] && xargs -r kill < "$TMPD/ctr.pids" 2>/dev/null
	sleep 0.2
	for ns in $nss; do ip netns del $ns 2>/dev/null; done
	for c in ctr1 ctr2 ctr3 ctr4; do rmdir $CG/oci-$c 2>/dev/null; done
}
trap cleanup EXIT

# start_ctr NAME NS: a "container" process in netns NS ("" = host) and
# cgroup oci-NAME; prints its pid once it is in both.
start_ctr() {
	local name=$1 ns=$2 pid
	mkdir -p $CG/oci-$name
	# into the cgroup first: `ip netns exec` remounts /sys
	if [ -n "$ns" ]; then
		sh -c "echo \$\$ > $CG/oci-$name/cgroup.procs; exec ip netns exec $ns sleep 600" > /dev/null 2>&1 &
	else
		sh -c "echo \$\$ > $CG/oci-$name/cgroup.procs; exec sleep 600" > /dev/null 2>&1 &
	fi
	pid=$!
	echo $pid >> "$TMPD/ctr.pids"
	wait_for grep -qx "0::/oci-$name" /proc/$pid/cgroup
	wait_for sh -c "readlink /proc/$pid/exe | grep -q sleep"
	echo $pid
}

# state ID PID TENANT_ANNOTATION_JSON STATUS: an OCI state document.
state() {
	local pid=${2:+\"pid\":$2,}
	echo "{\"ociVersion\":\"1.0.2\",\"id\":\"$1\",\"status\":\"${4:-created}\",$pid\"bundle\":\"/run/containers/$1\",\"annotations\":{\"io.container.manager\":\"test\"${3:+,$3}}}"
}

# as_ctr NAME NS CMD...: run CMD in the container's netns and cgroup.
as_ctr() {
	local name=$1 ns=$2; shift 2
	if [ -n "$ns" ]; then
		sh -c "echo \$\$ > $CG/oci-$name/cgroup.procs; exec ip netns exec $ns \"\$@\"" sh "$@"
	else
		sh -c "echo \$\$ > $CG/oci-$name/cgroup.procs; exec \"\$@\"" sh "$@"
	fi
}

alloc() { # alloc NAME NS VNI: OK or the errno name
	local out
	if out=$(as_ctr "$1" "$2" "$CXI" cxi0 alloc "$3" low_latency any 2>&1); then
		echo OK
	else
		echo "$out" | sed -n 's/^error: \(E[A-Z]*\).*/\1/p'
	fi
}

members() { # members TENANT: "N netns, M cgroup"
	local out
	out=$("$NLRAW" tenant_get str:tenant_name="$1")
	echo "$(echo "$out" | grep -c 'netns_cookie=') netns, $(echo "$out" | grep -c 'cgroup_id=') cgroup"
}

tap_plan 43

$CTL tenant add alice vni 100 > /dev/null && $CTL tenant add bob vni 200 > /dev/null &&
$CTL profile add dev cxi0 vni 100 tc low_latency > /dev/null &&
$CTL profile add dev cxi0 vni 200 tc low_latency > /dev/null
check_eq "tenants alice, bob and their profiles" 0 $?

check "the hooks.d files are valid and name both stages" sh -c "
	jq -e '.version == \"1.0.0\" and .stages == [\"createRuntime\"] and .hook.args[1] == \"createRuntime\" and (.when.annotations | has(\"^ssns\\\\.tenant\$\"))' $SSNS_TOP/tools/oci-hook/ssns-hook.json &&
	jq -e '.stages == [\"poststop\"] and .hook.args[1] == \"poststop\"' $SSNS_TOP/tools/oci-hook/ssns-hook-poststop.json"

# --- a container in its own netns and cgroup ----------------------------------
p1=$(start_ctr ctr1 c1)
check_eq "before the hook, ctr1 has no tenant" EACCES "$(alloc ctr1 c1 100)"
out=$(state ctr1 "$p1" '"ssns.tenant":"alice"' | H createRuntime 2>&1)
check_eq "createRuntime ctr1 (alice): exit 0, silent" "0:" "$?:$out"
check_eq "alice has ctr1's netns and cgroup" "1 netns, 1 cgroup" "$(members alice)"
check_eq "ctr1 allocates on alice's VNI" OK "$(alloc ctr1 c1 100)"
check_eq "ctr1 cannot use bob's VNI" EACCES "$(alloc ctr1 c1 200)"
check "a record was kept for poststop" test -f "$STATE/ctr1.json"
out=$(state ctr1 "$p1" '"ssns.tenant":"alice"' | H createRuntime 2>&1)
check_eq "createRuntime again: idempotent" "0:1 netns, 1 cgroup" "$?:$(members alice)"

# --- host network: the cgroup confines ------------------------------------------
p2=$(start_ctr ctr2 "")
out=$(state ctr2 "$p2" '"ssns.tenant":"bob"' | H createRuntime 2>&1)
check_eq "createRuntime ctr2 (host network, bob)" "0:" "$?:$out"
check_eq "bob has only ctr2's cgroup (init_net is never a member)" "0 netns, 1 cgroup" "$(members bob)"
check_eq "host-network ctr2 allocates on bob's VNI" OK "$(alloc ctr2 "" 200)"
check_eq "host-network ctr2 cannot use alice's VNI" EACCES "$(alloc ctr2 "" 100)"

# --- poststop -------------------------------------------------------------------------
out=$(state ctr1 "" '"ssns.tenant":"alice"' stopped | H poststop 2>&1)
check_eq "poststop ctr1: exit 0" "0:" "$?:$out"
check_eq "alice has no member left" "0 netns, 0 cgroup" "$(members alice)"
check_eq "ctr1 lost alice's rights" EACCES "$(alloc ctr1 c1 100)"
check "the record is gone" test ! -e "$STATE/ctr1.json"
out=$(state ctr1 "" '"ssns.tenant":"alice"' stopped | H poststop 2>&1)
check_eq "poststop ctr1 again: idempotent" "0:" "$?:$out"

kill "$p2"
wait_for rmdir $CG/oci-ctr2
check "ctr2's cgroup directory is removed (a dead member now)" test ! -d $CG/oci-ctr2
out=$(state ctr2 "$p2" '"ssns.tenant":"bob"' stopped | H poststop 2>&1)
check_eq "poststop ctr2 after its cgroup is gone: exit 0" "0:" "$?:$out"
check_eq "bob has no member left" "0 netns, 0 cgroup" "$(members bob)"

# --- bad input changes nothing ------------------------------------------------------------
p3=$(start_ctr ctr3 c3)
rejects() { # rejects DESC STDERR_ERE STATE_JSON [STAGE]
	local out rc
	out=$(echo "$3" | H "${4:-createRuntime}" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -Eq "$2" &&
	   [ "$(members alice)/$(members bob)" = "0 netns, 0 cgroup/0 netns, 0 cgroup" ] &&
	   [ ! -e "$STATE/ctr3.json" ]; then
		tap_ok "$1"
	else
		tap_notok "$1"
		tap_diag "exit $rc: $out; alice: $(members alice); bob: $(members bob)"
	fi
}
out=$(state ctr3 "$p3" "" | H createRuntime 2>&1)
rc=$?
check_eq "no ssns.tenant annotation: not an ssns container, exit 0, silent" \
	"0::0 netns, 0 cgroup/0 netns, 0 cgroup:none" \
	"$rc:$out:$(members alice)/$(members bob):$(ls "$STATE"/ctr3.json 2>/dev/null || echo none)"
out=$(echo '{"ociVersion":"1.0.2","id":"ctr3","status":"created"}' | H createRuntime 2>&1)
check_eq "no annotations at all (and no pid): exit 0, silent" "0:" "$?:$out"
out=$(state ctr3 "" "" stopped | H poststop 2>&1)
check_eq "poststop without the annotation and no record: exit 0" "0:" "$?:$out"
rejects "empty annotation" "tenant name" "$(state ctr3 "$p3" '"ssns.tenant":""')"
rejects "bad tenant name" "tenant name" "$(state ctr3 "$p3" '"ssns.tenant":"../etc"')"
rejects "unknown tenant" "tenant carol does not exist" "$(state ctr3 "$p3" '"ssns.tenant":"carol"')"
rejects "not JSON" "not a JSON object" '{"ociVersion":'
rejects "no pid at createRuntime" "no pid" "$(state ctr3 "" '"ssns.tenant":"alice"')"
rejects "dead pid" "cannot open" "$(state ctr3 999999 '"ssns.tenant":"alice"')"
rejects "poststop with a bad annotation" "tenant name" "$(state ctr3 "" '"ssns.tenant":"a b"' stopped)" poststop
out=$(echo '{}' | H frobnicate 2>&1)
check "unknown stage: usage error" test $? -eq 2

# The cgroup is bob's: binding ctr3 to alice fails at the cgroup step and
# the netns bound a moment before is unbound again.
$CTL tenant set bob cgroup $CG/oci-ctr3 > /dev/null
out=$(state ctr3 "$p3" '"ssns.tenant":"alice"' | H createRuntime 2>&1)
rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q 'member of tenant bob'; then
	tap_ok "cgroup of another tenant: fails with the kernel's reason"
else
	tap_notok "cgroup of another tenant: fails with the kernel's reason"
fi
tap_diag "$out"
check_eq "and alice got nothing (the netns was unbound again)" "0 netns, 0 cgroup" "$(members alice)"
$CTL tenant set bob cgroup $CG/oci-ctr3 del > /dev/null

# --- tenant names are the kernel's: one made with ssnsctl as ".x-1" -------------------
$CTL tenant add .x-1 vni 300 > /dev/null && $CTL profile add dev cxi0 vni 300 tc low_latency > /dev/null
p4=$(start_ctr ctr4 c4)
out=$(state ctr4 "$p4" '"ssns.tenant":".x-1"' | H createRuntime 2>&1)
check_eq "createRuntime ctr4 (tenant .x-1, made with ssnsctl)" "0:1 netns, 1 cgroup" "$?:$out$(members .x-1)"
check_eq "ctr4 allocates on .x-1's VNI" OK "$(alloc ctr4 c4 300)"
out=$(state ctr4 "" '"ssns.tenant":".x-1"' stopped | H poststop 2>&1)
check_eq "poststop ctr4: .x-1 has no member left" "0:0 netns, 0 cgroup" "$?:$out$(members .x-1)"
$CTL profile del dev cxi0 vni 300 tc low_latency > /dev/null; $CTL tenant del .x-1 > /dev/null

# --- the reason of a failure reaches the system log ---------------------------------
# A runtime shows only "error executing hook"; the hook's own words go to
# syslog (/dev/log) when something listens there, else to the kernel log.
fail_carol() { state ctr3 "$p3" '"ssns.tenant":"carol"' | "$HOOK" --state-dir "$STATE" "$@" createRuntime > /dev/null 2>&1; }
want='ssns-oci-hook\[[0-9]+\]: container ctr3 \(createRuntime\): annotation ssns.tenant: tenant carol does not exist'
dmesg -C
if [ -e /dev/log ]; then
	tap_skip "no syslog listener: the reason goes to the kernel log" "/dev/log exists here"
else
	fail_carol
	check "no syslog listener: the reason goes to the kernel log, tagged" \
		sh -c "dmesg | grep -Eq '$want'"
fi
dmesg -C
fail_carol --log kmsg
check "--log kmsg: the kernel log has it, facility daemon, level err" \
	sh -c "dmesg -x | grep -Eq 'daemon *:err *: .*$want'"
if [ -x /bin/busybox ] && [ ! -e /dev/log ]; then
	/bin/busybox syslogd -n -O "$TMPD/syslog" &
	slpid=$!
	wait_for test -S /dev/log
	dmesg -C
	fail_carol
	wait_for grep -Eq "$want" "$TMPD/syslog"
	check "a syslog daemon listens: the reason goes to syslog (daemon.err)" \
		grep -Eq "daemon.err $want" "$TMPD/syslog"
	check_eq "... and not to the kernel log as well" 0 "$(dmesg | grep -c ssns-oci-hook)"
	fail_carol --log stderr
	check_eq "--log stderr: nothing more in syslog" 1 "$(grep -Ec "$want" "$TMPD/syslog")"
	kill $slpid
	wait $slpid 2>/dev/null
	rm -f /dev/log
else
	for i in 1 2 3; do tap_skip "syslog" "no busybox syslogd, or /dev/log in use"; done
fi
out=$(echo '{}' | "$HOOK" --log bogus createRuntime 2>&1)
check_eq "--log with an unknown value: usage error" "2" "$?"

tap_done
