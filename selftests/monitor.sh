#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who hears which event: a node admin hears everything; a pod (by netns or
# by cgroup), an unprivileged host user and a user-namespace root in a pod
# hear only what their own dumps would show them, decided when each event
# is delivered. The multicast group is for node admins only.
. "$(dirname "$0")/lib.sh"
need_progs

CG=/sys/fs/cgroup
if [ ! -e $CG/cgroup.controllers ]; then
	echo "1..0 # SKIP no cgroup v2"
	exit $KSFT_SKIP
fi

sim_add 1 cxi0
pods="a1 b1 p1"
for ns in $pods; do ip netns add $ns; done
mkdir -p $CG/podc
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	rmdir $CG/podc 2>/dev/null
}
trap cleanup EXIT

$CTL tenant add alice vni 100-199 && $CTL tenant set alice netns a1 &&
$CTL tenant add bob vni 200-299 && $CTL tenant set bob netns b1 &&
$CTL tenant add carol vni 300-399 && $CTL tenant set carol cgroup /podc
check "tenants alice (netns a1), bob (netns b1), carol (cgroup /podc)" test $? -eq 0

# listen NAME WHERE: start "ssnsctl monitor" as one kind of listener.
listen() {
	local name=$1 out=$TMPD/$1.mon
	case $2 in
	admin)	"$CTL" monitor ;;
	carol)	# a host-network pod: init_net, cgroup of carol, no privilege
		sh -c 'echo $$ > "$1/podc/cgroup.procs" && exec setpriv --reuid 65534 --regid 65534 --clear-groups "$2" monitor' _ "$CG" "$CTL" ;;
	bob)	ip netns exec b1 "$CTL" monitor ;;
	host)	setpriv --reuid 65534 --regid 65534 --clear-groups "$CTL" monitor ;;
	alice-userns)	# root of a user namespace inside alice's pod
		ip netns exec a1 unshare -U -r "$CTL" monitor ;;
	p1)	ip netns exec p1 "$CTL" monitor ;;
	esac > "$out" 2>&1 &
	echo $! > "$TMPD/$name.monpid"
}

listeners="admin carol bob host alice-userns p1"
for who in $listeners; do listen "$who" "$who"; done
# Each listener subscribes when it gets there, later under load: add devices
# (in shared mode every listener hears those of init_net) until each has
# heard one, so that none misses the events below.
heard_probe() {
	local who
	for who in $listeners; do
		grep -q '^dev_new dev mprobe' "$TMPD/$who.mon" || return 1
	done
}
probes=0
while [ $probes -lt 20 ] && ! heard_probe; do
	probes=$((probes + 1))
	sim_add $((10 + probes)) "mprobe$probes"
	SSNS_WAIT=2 wait_for heard_probe
done
check "every listener subscribed (heard a new device)" heard_probe

# Events of every kind, from every tenant.
$CTL tenant set bob vni 1250 &&
$CTL tenant set alice vni 1150 &&
$CTL tenant set carol vni 1350 &&
$CTL profile add dev cxi0 vni 100 tc low_latency &&
$CTL profile add dev cxi0 vni 200 tc low_latency &&
$CTL profile add dev cxi0 vni 300 tc low_latency &&
$CTL profile add dev cxi0 vni 10 tc best_effort
check "changes of every tenant" test $? -eq 0
# Denials: alice's pod on bob's VNI, bob's on alice's, carol's cgroup pod on
# alice's, a host process on carol's.
in_ns a1 "$CXI" cxi0 alloc 200 low_latency any > /dev/null 2>&1
in_ns b1 "$CXI" cxi0 alloc 100 low_latency any > /dev/null 2>&1
sh -c 'echo $$ > "$1/podc/cgroup.procs" && exec "$2" cxi0 alloc 100 low_latency any' _ $CG "$CXI" > /dev/null 2>&1
"$CXI" cxi0 alloc 300 low_latency any > /dev/null 2>&1
sim_add 2 cxi1
$CTL system set netns exclusive && $CTL system set netns shared
# The last event: every listener has seen what it will see once the admin
# saw it (events are sent to everyone in one pass).
$CTL tenant add zed vni 900
check "admin monitor saw the last event" monitor_saw admin "^tenant_new tenant zed"
check "p1's monitor saw the mode switch back (last event it hears)" \
	monitor_saw p1 "^sys_set netns shared"

m=$TMPD
# others FILE TENANTS...: no line of FILE names a tenant outside TENANTS, or
# a VNI of theirs.
only_tenants() {
	local f=$1; shift
	local bad
	bad=$(grep -E 'tenant [a-z]+|ep_denied|profile_' "$f" |
		grep -vE "$(printf 'tenant %s( |$)|' "$@" | sed 's/|$//')")
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

# --- admin: everything ---------------------------------------------------------
for t in alice bob carol zed; do
	check "admin hears tenant $t" grep -q "tenant $t" $m/admin.mon
done
check "admin hears the tenant-less profile" grep -Eq '^profile_new dev cxi0 index [0-9]+ vni 10 ' $m/admin.mon
check "admin hears the host's denial (no tenant)" grep -Eq '^ep_denied dev cxi0 index [0-9]+ vni 300 .*reason tenant' $m/admin.mon

# --- carol's cgroup pod, uid 65534, init_net -----------------------------------------
check "carol hears her own vni change" grep -q '^tenant_set tenant carol vni 300-399,1350' $m/carol.mon
check "carol hears her own profile" grep -q '^profile_new .*tenant carol vni 300' $m/carol.mon
check "carol hears her own denial" grep -Eq '^ep_denied .*tenant carol vni 100 ' $m/carol.mon
check "carol hears the new device" grep -q '^dev_new dev cxi1' $m/carol.mon
check "carol hears the mode switch" grep -q '^sys_set netns exclusive' $m/carol.mon
check "carol hears nothing of alice, bob, zed" only_tenants $m/carol.mon carol
check "carol hears no tenant-less profile" sh -c "! grep -q 'vni 10 ' $m/carol.mon"
check "carol hears no denial of the host" sh -c "! grep -Eq 'ep_denied .*vni 300 ' $m/carol.mon"

# --- bob's pod (netns b1) ----------------------------------------------------------
check "bob hears his own vni change" grep -q '^tenant_set tenant bob vni 200-299,1250' $m/bob.mon
check "bob hears his own denial" grep -Eq '^ep_denied .*tenant bob vni 100 ' $m/bob.mon
check "bob hears his own profile" grep -q '^profile_new .*tenant bob vni 200' $m/bob.mon
check "bob hears the new device (shared mode)" grep -q '^dev_new dev cxi1' $m/bob.mon
check "bob hears nothing of alice, carol, zed" only_tenants $m/bob.mon bob

# --- an unprivileged host user without tenant: devices and mode only ------------------
check "host user hears the new device" grep -q '^dev_new dev cxi1' $m/host.mon
check "host user hears the mode switch" grep -q '^sys_set netns exclusive' $m/host.mon
check "host user hears no tenant, profile or denial" \
	sh -c "! grep -Eq '^(tenant|profile|ep_denied)' $m/host.mon"

# --- root of a user namespace in alice's pod ------------------------------------------
check "alice's userns root hears alice" grep -q '^tenant_set tenant alice vni 100-199,1150' $m/alice-userns.mon
check "alice's userns root hears her denial" grep -Eq '^ep_denied .*tenant alice vni 200 ' $m/alice-userns.mon
check "alice's userns root hears nothing of bob, carol, zed" only_tenants $m/alice-userns.mon alice

# --- a pod netns of no tenant --------------------------------------------------------
check "a pod of no tenant hears no tenant, profile or denial" \
	sh -c "! grep -Eq '^(tenant|profile|ep_denied)' $m/p1.mon"

# --- decided at delivery: p1 joins bob, hears bob; leaves, hears nothing ----------------
$CTL tenant set bob netns p1
$CTL tenant set bob vni 1260
check "p1, now bob's, hears bob's change" monitor_saw p1 '^tenant_set tenant bob vni .*1260'
$CTL tenant set bob netns p1 del
$CTL tenant set bob vni 1270
$CTL tenant set alice vni 1170
check "admin saw the last two changes" monitor_saw admin '^tenant_set tenant alice vni .*1170'
check "p1, no longer bob's, does not hear bob's next change" \
	sh -c "! grep -q 'vni .*1270' $m/p1.mon"
check "p1 never heard alice" sh -c "! grep -q 'tenant alice' $m/p1.mon"

# --- the group: node admins only ---------------------------------------------------------
check "root in init_net joins the monitor group" "$NLRAW" -g sys_get
check_errno "an unprivileged host user cannot join the group" EPERM \
	setpriv --reuid 65534 --regid 65534 --clear-groups "$NLRAW" -g sys_get
check_errno "a user-namespace root cannot join the group" EPERM \
	unshare -U -r "$NLRAW" -g sys_get

# --- a closed monitor is forgotten ------------------------------------------------------
kill "$(cat $m/host.monpid)"
wait "$(cat $m/host.monpid)" 2>/dev/null
$CTL tenant set alice vni 1180
check "the others keep hearing after one closed" monitor_saw admin 'vni .*1180'

if [ "$_tap_fail" -ne 0 ]; then
	for f in "$m"/*.mon; do
		tap_diag "--- what $(basename "$f" .mon) heard:"
		sed 's/^/# /' "$f"
	done
fi
tap_done
