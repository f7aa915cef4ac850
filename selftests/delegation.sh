#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rootless and nested: a tenant delegated to the user namespace of an
# unprivileged user (a rootless kubelet), whose root binds its own pods,
# manages profiles, carves two child tenants for two sub-jobs (isolated from
# each other like any two tenants) and delegates one further down to a
# nested user namespace (a Flux sub-instance). Every forbidden action,
# tried by the delegate, by the nested delegate, by a sibling user
# namespace and by a non-delegated user-namespace root, is refused and
# changes nothing. Withdrawing a delegation, and the death of its user
# namespace, end it and delete what its delegates made.
. "$(dirname "$0")/lib.sh"
need_progs

CG=/sys/fs/cgroup
U=1000		# the rootless user
sim_add 1 cxi0
sim_add 2 cxi1
ip netns add other
mkdir -p $CG/rl/pods $CG/elsewhere
chown -R $U:$U $CG/rl
chmod 1777 "$TMPD"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	ip netns del other 2>/dev/null
	rmdir $CG/rl/pods/j1 $CG/rl/pods/j9 $CG/rl/pods $CG/rl $CG/elsewhere 2>/dev/null
}
trap cleanup EXIT

as_user() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --clear-groups "$@"; }
# A process that stays in new namespaces: "bg NAME CMD...": CMD (which may
# be a function) enters them; the process there writes its pid to NAME.pid.
bg() {
	local name=$1; shift
	rm -f "$TMPD/$name.pid"
	"$@" sh -c 'echo $$ > "$1"; exec sleep 1000000' _ "$TMPD/$name.pid" \
		> /dev/null 2>&1 &
	wait_for test -s "$TMPD/$name.pid"
}
pid_of() { cat "$TMPD/$1.pid"; }
# Run as root of the user namespace of process $1 (in its netns too).
in_ns_of() { local p=$1; shift; as_user $U nsenter --preserve-credentials -t "$p" -U -n "$@"; }

# The rootless "kubelet": user U's own user namespace D, and netns.
bg kubelet as_user $U unshare -U -r -n
K=$(pid_of kubelet)
kub() { in_ns_of "$K" "$@"; }
# Its pods: netns owned by D.
bg p1 kub unshare -n
bg p2 kub unshare -n
bg p3 kub unshare -n
# Others: a sibling user namespace of the same user (not delegated); the
# delegate of another tenant (another user's); a user namespace root that
# is no delegate, in init_net.
bg sib as_user $U unshare -U -r -n
sib() { in_ns_of "$(pid_of sib)" "$@"; }
bg odel as_user 1001 unshare -U -r -n
odel() { as_user 1001 nsenter --preserve-credentials -t "$(pid_of odel)" -U -n "$@"; }
nodel() { as_user 1002 unshare -U -r "$@"; }

$CTL tenant add rl vni 500-599 && $CTL tenant add other vni 700-799 &&
$CTL tenant set other netns other &&
$CTL tenant set other delegate "$(pid_of odel)" &&
$CTL profile add dev cxi0 vni 700 tc low_latency &&
$CTL profile add dev cxi0 vni 10 tc best_effort
check "admin: tenants rl and other" test $? -eq 0
check "admin delegates rl to the kubelet's user namespace, cgroup /rl" \
	$CTL tenant set rl delegate "$K" cgroup /rl
check "tenant show names the delegation" \
	sh -c "$NLRAW tenant_get str:tenant_name=rl | grep -q '^    userns_inum=[0-9]'"

snapshot() { "$NLRAW" -D tenant_get; "$NLRAW" -D profile_get; }
snap0=$(snapshot)

# --- forbidden to everyone but admins, whatever they are -----------------------
# bind WHO TENANT: WHO binds its own netns (the pid of a process of its).
bind() { "$1" sh -c '"$0" tenant set "$1" netns $$' "$CTL" "$2"; }
for who in kub sib odel nodel; do
	check_errno "$who: system set netns exclusive: EPERM" EPERM $who $CTL system set netns exclusive
	check_errno "$who: dev set cxi0 netns (a move): EPERM" EPERM \
		$who sh -c '"$0" dev set cxi0 netns $$' "$CTL"
	check_errno "$who: tenant add top: EPERM" EPERM $who $CTL tenant add top vni 900
	check_errno "$who: profile on a tenant-less VNI: EPERM" EPERM $who $CTL profile add dev cxi0 vni 11 tc best_effort
done
for who in kub nodel; do
	check_errno "$who: tenant del rl: EPERM" EPERM $who $CTL tenant del rl
	check_errno "$who: widen rl's VNIs: EPERM" EPERM $who $CTL tenant set rl vni 600
	check_errno "$who: re-delegate rl: EPERM" EPERM $who $CTL tenant set rl delegate "$K"
	check_errno "$who: undelegate rl: EPERM" EPERM $who $CTL tenant set rl delegate none
	check_errno "$who: profile on other's VNI: EPERM" EPERM $who $CTL profile add dev cxi0 vni 701 tc low_latency
done
check_errno "kub: bind to other: ENOENT (not its to see)" ENOENT bind kub other
check_errno "nodel (init_net, reads all): bind to other: EPERM" "EPERM|EINVAL" bind nodel other
# Those in netns of their own see only what they manage: rl is not theirs.
for who in sib odel; do
	check_errno "$who: bind to rl: ENOENT (it sees no rl)" ENOENT bind $who rl
	check_errno "$who: child of rl: ENOENT" ENOENT $who $CTL tenant add x parent rl vni 500
	check_errno "$who: tenant del rl: ENOENT" ENOENT $who $CTL tenant del rl
	check_errno "$who: profile on rl's VNI: EPERM" EPERM $who $CTL profile add dev cxi0 vni 501 tc low_latency
done
check_errno "nodel: bind to rl: EPERM" EPERM bind nodel rl
check_errno "nodel: child of rl: EPERM" EPERM nodel $CTL tenant add x parent rl vni 500
check_errno "odel cannot widen its own tenant: EPERM" EPERM odel $CTL tenant set other vni 800
check_errno "odel cannot re-delegate its own tenant: EPERM" EPERM odel $CTL tenant set other delegate none
check_eq "nothing changed" "$snap0" "$(snapshot)"

# --- what the delegate may do -------------------------------------------------------
check "kubelet binds its pod p1 to rl" kub $CTL tenant set rl netns "$(pid_of p1)"
check_errno "kubelet cannot bind a netns it does not own: EPERM" EPERM \
	kub $CTL tenant set rl netns "$(ip netns exec other sh -c 'echo $PPID')"
check_errno "kubelet cannot bind init_net" "EPERM|EINVAL" kub $CTL tenant set rl netns 1
mkdir -p $CG/rl/pods/j1
check "kubelet binds a cgroup under /rl" kub $CTL tenant set rl cgroup /rl/pods/j1
check "kubelet unbinds it" kub $CTL tenant set rl cgroup /rl/pods/j1 del
check_errno "kubelet cannot bind a cgroup outside /rl: EPERM" EPERM \
	kub $CTL tenant set rl cgroup /elsewhere
check "kubelet adds a profile of rl's VNI" kub $CTL profile add dev cxi0 vni 550 tc low_latency
check "kubelet deletes it" kub $CTL profile del dev cxi0 vni 550 tc low_latency
check_eq "kubelet sees rl only (not other)" "rl" \
	"$(kub "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | xargs)"

# Two sub-jobs: child tenants with VNIs carved from rl.
check "child job1 (vni 500-509)" kub $CTL tenant add job1 parent rl vni 500-509
check "child job2 (vni 510-519)" kub $CTL tenant add job2 parent rl vni 510-519
check_errno "a child cannot take a VNI rl does not have: ENOENT" ENOENT \
	kub $CTL tenant add job3 parent rl vni 600
check_errno "nor one another child took: ENOENT" ENOENT \
	kub $CTL tenant add job3 parent rl vni 505
vr=$("$NLRAW" tenant_get str:tenant_name=rl | sed -n 's/^ *vni_\(first\|last\)=//p' | xargs)
check_eq "rl keeps 520-599" "520 599" "$vr"
check "job1: pod p2" kub $CTL tenant set job1 netns "$(pid_of p2)"
check "job1: profile vni 500 on cxi0" kub $CTL profile add dev cxi0 vni 500 tc low_latency
check "job2: pod p3" kub $CTL tenant set job2 netns "$(pid_of p3)"
check "job2: profile vni 510 on cxi0" kub $CTL profile add dev cxi0 vni 510 tc low_latency
in_pod() { local p=$1; shift; nsenter -t "$p" -n "$@"; }
check "job1's pod allocates on vni 500" in_pod "$(pid_of p2)" "$CXI" cxi0 alloc 500 low_latency any
check_errno "job1's pod on job2's vni 510: EACCES" EACCES in_pod "$(pid_of p2)" "$CXI" cxi0 alloc 510 low_latency any
check_errno "job2's pod on job1's vni 500: EACCES" EACCES in_pod "$(pid_of p3)" "$CXI" cxi0 alloc 500 low_latency any
check "job2's pod allocates on vni 510" in_pod "$(pid_of p3)" "$CXI" cxi0 alloc 510 low_latency any
check_errno "rl's pod p1 on job1's vni: EACCES" EACCES in_pod "$(pid_of p1)" "$CXI" cxi0 alloc 500 low_latency any
# The fabric: job2 sends to job1's receiver's address on its own VNI.
in_pod "$(pid_of p2)" "$CXI" -r "$TMPD/rx.ready" cxi0 recv 500 low_latency 9 3000 > "$TMPD/rx.out" 2>&1 &
rx=$!
wait_for test -e "$TMPD/rx.ready"
dr0=$(dev_stat cxi0 drops)
check "job2 sends to job1's address on its own VNI" \
	in_pod "$(pid_of p3)" "$CXI" cxi0 send 510 low_latency any "$(dev_index cxi0)" 9 hello
check "the fabric dropped it, counted" test "$(dev_stat cxi0 drops)" -gt "$dr0"
wait $rx
check "job1's receiver got nothing" grep -q ETIMEDOUT "$TMPD/rx.out"

# --- nesting: job1 delegated down to a sub-instance's nested user namespace --------
bg sub kub unshare -U -r -n
S=$(pid_of sub)
subi() { in_ns_of "$S" "$@"; }
bg q1 subi unshare -n
check "kubelet delegates job1 to the sub-instance (nested)" kub $CTL tenant set job1 delegate "$S"
check_errno "kubelet cannot delegate to a namespace outside its own" EPERM \
	kub $CTL tenant set job2 delegate "$(pid_of sib)"
check "sub-instance binds its pod q1 to job1" subi $CTL tenant set job1 netns "$(pid_of q1)"
check_eq "sub-instance sees job1 only" "job1" \
	"$(subi "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | xargs)"
snap1=$(snapshot)
check_errno "sub-instance cannot bind to rl (its parent's)" "EPERM|ENOENT" subi $CTL tenant set rl netns "$(pid_of q1)"
check_errno "sub-instance cannot touch job2" "EPERM|ENOENT" subi $CTL tenant set job2 netns "$(pid_of q1)"
check_errno "sub-instance cannot re-delegate job1 (widen)" EPERM subi $CTL tenant set job1 delegate "$K"
check_errno "sub-instance cannot take rl's VNIs" "EPERM|ENOENT" subi $CTL tenant add j1a parent rl vni 530
check "sub-instance makes a grandchild from job1's VNIs" subi $CTL tenant add j1a parent job1 vni 508-509
check_errno "sub-instance cannot bind the kubelet's pod (not its netns)" EPERM subi $CTL tenant set j1a netns "$(pid_of p1)"
check_eq "nothing but the grandchild changed" \
	"$(echo "$snap1" | grep -c tenant_name)" "$(( $(snapshot | grep -c tenant_name) - 1 ))"

# --- the runtime hooks, run by the delegate, work unchanged -------------------------
PLUGIN=$SSNS_TOP/tools/cni/ssns-cni
HOOK=$SSNS_TOP/tools/oci-hook/ssns-oci-hook
bg p4 kub unshare -n
p4=$(pid_of p4)
conf_rl='{"cniVersion":"1.0.0","name":"hpc","type":"ssns-cni","tenant":"rl","vnis":"520","devices":["cxi0"],"trafficClasses":["low_latency"],"stateDir":"'$TMPD'/cni"}'
cni_as_kub() {
	echo "$conf_rl" | kub env -i PATH="$PATH" CNI_COMMAND="$1" \
		CNI_CONTAINERID=ctr-p4 CNI_NETNS=/proc/$p4/ns/net CNI_IFNAME=ssns0 \
		CNI_PATH=/usr/lib/cni "$PLUGIN"
}
check "the delegate's CNI ADD binds its pod to rl" cni_as_kub ADD
check "its pod allocates on rl's VNI 520" nsenter -t "$p4" -n "$CXI" cxi0 alloc 520 low_latency any
check "the delegate's CNI DEL unbinds it" cni_as_kub DEL
check_errno "the pod no longer allocates on 520" EACCES nsenter -t "$p4" -n "$CXI" cxi0 alloc 520 low_latency any
# The OCI hook: a container of the delegate's, its netns and cgroup.
mkdir -p $CG/rl/pods/c1 && chown $U:$U $CG/rl/pods/c1
bg c1 kub unshare -n
c1=$(pid_of c1)
echo "$c1" > $CG/rl/pods/c1/cgroup.procs
ostate='{"ociVersion":"1.0.2","id":"c1","status":"created","pid":'$c1',"bundle":"/run/c1","annotations":{"ssns.tenant":"rl"}}'
hook_as_kub() { echo "$ostate" | in_ns_of "$K" "$HOOK" --state-dir "$TMPD/hook" "$1"; }
check "the delegate's OCI hook binds the container (createRuntime)" hook_as_kub createRuntime
check "the container allocates on rl's VNI 520" nsenter -t "$c1" -n "$CXI" cxi0 alloc 520 low_latency any
check "the delegate's OCI hook unbinds it (poststop)" hook_as_kub poststop
check_errno "the container no longer allocates on 520" EACCES nsenter -t "$c1" -n "$CXI" cxi0 alloc 520 low_latency any
kill "$c1"

# --- a delegate's monitor hears its tenants, nothing else -------------------------------
kub "$CTL" monitor > "$TMPD/kmon" 2>&1 &
kmon=$!
sleep 1
$CTL tenant set other vni 750 && kub $CTL profile add dev cxi1 vni 501 tc bulk_data &&
$CTL tenant set rl netns other && $CTL tenant set rl netns other del
check "the delegate's monitor hears rl's and its children's events" \
	wait_for grep -q '^profile_new .*tenant job1 vni 501' "$TMPD/kmon"
check "the delegate's monitor hears nothing of other" sh -c "! grep -q 'tenant other' $TMPD/kmon"
kill $kmon

# --- races: a delegate binding while its delegation is withdrawn and given back ------------
bg p5 kub unshare -n
p5=$(pid_of p5)
(
	end=$((SECONDS + ${SSNS_STRESS_SECS:-8}))
	while [ $SECONDS -lt $end ]; do
		kub $CTL tenant set rl netns "$p5" 2>/dev/null
		kub $CTL tenant set rl netns "$p5" del 2>/dev/null
		kub $CTL tenant add jr parent rl vni 560 2>/dev/null
		kub $CTL tenant del jr 2>/dev/null
	done
) > "$TMPD/race.out" 2>&1 &
racer=$!
end=$((SECONDS + ${SSNS_STRESS_SECS:-8}))
n=0
while [ $SECONDS -lt $end ]; do
	$CTL tenant set rl delegate none && $CTL tenant set rl delegate "$K" cgroup /rl
	n=$((n + 1))
done
wait $racer
tap_diag "$n withdrawals and re-delegations under a binding delegate"
check "after the race, the delegate works again" kub $CTL tenant set rl netns "$p5"
check "and unbinds" kub $CTL tenant set rl netns "$p5" del
check_eq "no child made in the race is left (made by a delegate, withdrawn)" "" \
	"$("$NLRAW" tenant_get str:tenant_name=jr 2>/dev/null | sed -n 's/^  tenant_name=//p')"

# --- withdrawal: children made by delegates go, VNIs come back -------------------------
check "admin withdraws rl's delegation" $CTL tenant set rl delegate none
check_eq "job1, job2, j1a are gone" "other rl" \
	"$("$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | sort | xargs)"
vr=$("$NLRAW" tenant_get str:tenant_name=rl | sed -n 's/^ *vni_\(first\|last\)=//p' | xargs)
check_eq "rl has 500-599 back" "500 599" "$vr"
check_errno "the former delegate can no longer bind" "EPERM|ENOENT" kub $CTL tenant set rl netns "$(pid_of p2)"

# --- the death of the delegated user namespace ---------------------------------------
bg k2 as_user $U unshare -U -r -n
K2=$(pid_of k2)
mkdir -p $CG/rl/pods/j9
chown $U:$U $CG/rl/pods/j9
check "admin delegates rl to a new kubelet, cgroup /rl" $CTL tenant set rl delegate "$K2" cgroup /rl
check "it makes a child" in_ns_of "$K2" $CTL tenant add job9 parent rl vni 590-599
check "the child gets a host-network pod (cgroup)" in_ns_of "$K2" $CTL tenant set job9 cgroup /rl/pods/j9
check "and a profile" in_ns_of "$K2" $CTL profile add dev cxi1 vni 590 tc bulk_data
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ $CG/rl/pods/j9 \
	"$CXI" -r "$TMPD/live.ready" cxi1 hold 590 bulk_data any 600 > "$TMPD/live.out" 2>&1 &
echo $! > "$TMPD/live.pid"
check "the child's pod holds an endpoint" hold_ready live
kill "$K2"
check "the delegation ends when its user namespace dies: the child goes" \
	wait_for sh -c "! $NLRAW tenant_get str:tenant_name=job9 > /dev/null 2>&1"
check_eq "the pod's endpoint was revoked" "revoked ENODEV" "$(hold_wait live)"
check "rl is no longer delegated" \
	sh -c "! $NLRAW tenant_get str:tenant_name=rl | grep -q userns_inum"
check_eq "no endpoint left" 0 "$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"
rmdir $CG/rl/pods/j9

tap_done
