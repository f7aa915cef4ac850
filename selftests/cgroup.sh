#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cgroups: rdma controller accounting of contexts (hca_handle) and endpoints
# (hca_object), limits from rdma.max, uncharging on close, revocation,
# tenant deletion and device removal; tenants bound to cgroup v2
# directories (hostNetwork pods), and bad cgroup arguments.
. "$(dirname "$0")/lib.sh"
need_progs

CG=/sys/fs/cgroup
if ! have_rdmacg; then
	echo "1..0 # SKIP no cgroup v2 rdma controller"
	exit $KSFT_SKIP
fi
echo +rdma > $CG/cgroup.subtree_control

sim_add 1 cxi0
sim_add 2 cxi1
ip netns add p1
mkdir -p $CG/pod1 $CG/parent/child $CG/hostpod
echo +rdma > $CG/parent/cgroup.subtree_control
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	ip netns del p1 2>/dev/null
	for d in pod1 parent/child parent hostpod/sub hostpod; do
		# Every limit lifted before the cgroup goes (rdma_unlimit).
		rdma_unlimit $CG/$d
		rmdir $CG/$d 2>/dev/null
	done
}
trap cleanup EXIT

# in_cg CG CMD...: run CMD in cgroup CG (exec, so $! is CMD).
in_cg() {
	local cg=$1; shift
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$CG/$cg" "$@"
}

# rdma_cur CG DEV RES: the current charge (0 when the device has none).
rdma_cur() {
	local v
	v=$(sed -n "s/^$2 .*$3=\([0-9]*\).*/\1/p" "$CG/$1/rdma.current")
	echo "${v:-0}"
}

# cg_start NAME CG CXITOOL-ARGS...: background cxitool in a cgroup.
cg_start() {
	local name=$1 cg=$2; shift 2
	rm -f "$TMPD/$name".*
	# Not through in_cg: $! must be the process that becomes cxitool.
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$CG/$cg" \
		"$CXI" -r "$TMPD/$name.ready" "$@" > "$TMPD/$name.out" 2>&1 &
	echo $! > "$TMPD/$name.pid"
}

check "system show reports accounting on" \
	sh -c "$CTL -j system show | grep -q '\"cgroup_accounting\":true'"
check "cxi0 is an rdma cgroup device" grep -q "^cxi0 " $CG/pod1/rdma.max
$CTL profile add dev cxi0 vni 10 tc best_effort > /dev/null

# --- limits at exactly the configured counts -------------------------------
echo "cxi0 hca_handle=2 hca_object=3" > $CG/pod1/rdma.max
cg_start o1 pod1 cxi0 wait 600
cg_start o2 pod1 cxi0 wait 600
check "two opens in pod1" eval 'hold_ready o1 && hold_ready o2'
check_eq "rdma.current counts 2 hca_handle" 2 "$(rdma_cur pod1 cxi0 hca_handle)"
check_errno "the third open fails with EAGAIN" EAGAIN in_cg pod1 "$CXI" cxi0 open
check_eq "and nothing else changed" 2 "$(rdma_cur pod1 cxi0 hca_handle)"
check "an open outside pod1 is not limited" "$CXI" cxi0 open
hold_stop o1
hold_stop o2
check_eq "closing uncharges" 0 "$(rdma_cur pod1 cxi0 hca_handle)"

cg_start e1 pod1 cxi0 many 5 10 best_effort 600
check "a process allocates in pod1" hold_ready e1
check_eq "it got exactly 3 endpoints, then EAGAIN" "allocated 3 error: EAGAIN" \
	"$(head -n 2 "$TMPD/e1.out" | xargs)"
check_eq "rdma.current counts 3 hca_object" 3 "$(rdma_cur pod1 cxi0 hca_object)"
check_eq "and 1 hca_handle" 1 "$(rdma_cur pod1 cxi0 hca_handle)"
hold_stop e1
check_eq "exit uncharges the endpoints" 0 "$(rdma_cur pod1 cxi0 hca_object)"
check_eq "and the context" 0 "$(rdma_cur pod1 cxi0 hca_handle)"
echo "cxi0 hca_handle=max hca_object=max" > $CG/pod1/rdma.max

# --- uncharged by revocation: netns move, tenant deletion, device removal ---
cg_start r1 pod1 cxi0 many 2 10 best_effort 600
check "a holder in pod1 has 2 endpoints" hold_ready r1
check "dev set cxi0 netns p1 (revokes the holder)" $CTL dev set cxi0 netns p1
check "the holder is revoked" wait_for grep -q "revoked ENODEV" "$TMPD/r1.out"
check_eq "revocation by a move uncharges the endpoints (fd still open)" 0 "$(rdma_cur pod1 cxi0 hca_object)"
check_eq "and the context" 0 "$(rdma_cur pod1 cxi0 hca_handle)"
hold_stop r1
ip netns exec p1 "$CTL" dev set cxi0 netns 1 > /dev/null

$CTL tenant add alice vni 100-199 > /dev/null
$CTL tenant set alice netns p1 > /dev/null
$CTL profile add dev cxi1 vni 100 tc low_latency > /dev/null
rm -f "$TMPD"/t1.*
# Join the cgroup before ip netns exec, which remounts /sys without cgroupfs.
bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ $CG/pod1 \
	ip netns exec p1 "$CXI" -r "$TMPD/t1.ready" cxi1 many 2 100 low_latency 600 \
	> "$TMPD/t1.out" 2>&1 &
echo $! > "$TMPD/t1.pid"
check "alice's pod (netns p1, cgroup pod1) holds 2 endpoints" hold_ready t1 ||
	cat "$TMPD/t1.out" | sed 's/^/# /'
check_eq "charged to pod1" 2 "$(rdma_cur pod1 cxi1 hca_object)"
check "tenant del alice" $CTL tenant del alice
check "alice's holder is revoked" wait_for grep -q "revoked ENODEV" "$TMPD/t1.out"
check_eq "tenant deletion uncharges" "0 0" \
	"$(rdma_cur pod1 cxi1 hca_object) $(rdma_cur pod1 cxi1 hca_handle)"
hold_stop t1

sim_add 3 cxi2
$CTL profile add dev cxi2 vni 11 tc best_effort > /dev/null
cg_start d1 pod1 cxi2 many 2 11 best_effort 600
check "a holder on cxi2 has 2 endpoints" hold_ready d1
check_eq "charged to pod1 on cxi2" 2 "$(rdma_cur pod1 cxi2 hca_object)"
check "del_device with the files open" sim_del 3
check "the holder is revoked" wait_for grep -q "revoked ENODEV" "$TMPD/d1.out"
check "cxi2 is gone from rdma.current" sh -c "! grep -q '^cxi2 ' $CG/pod1/rdma.current"
hold_stop d1

# --- nested cgroups: a parent's limit applies to its children ---------------
echo "cxi0 hca_handle=1 hca_object=max" > $CG/parent/rdma.max
cg_start n1 parent/child cxi0 wait 600
check "one open in parent/child" hold_ready n1
check_errno "a second open in parent/child hits the parent's limit" EAGAIN \
	in_cg parent/child "$CXI" cxi0 open
check_eq "the parent is charged" 1 "$(rdma_cur parent cxi0 hca_handle)"
hold_stop n1
check_eq "and uncharged" 0 "$(rdma_cur parent cxi0 hca_handle)"

# --- tenants bound to cgroups: hostNetwork pods -------------------------------
$CTL tenant add alice vni 100-199 > /dev/null
$CTL tenant add bob vni 200-299 > /dev/null
$CTL profile add dev cxi0 vni 100 tc low_latency > /dev/null
$CTL profile add dev cxi0 vni 200 tc low_latency > /dev/null
check "tenant set alice cgroup /hostpod" $CTL tenant set alice cgroup /hostpod
check "a host-network process in hostpod gets alice's VNI" \
	in_cg hostpod "$CXI" cxi0 alloc 100 low_latency any
check_errno "but not bob's" EACCES in_cg hostpod "$CXI" cxi0 alloc 200 low_latency any
check_errno "nor the host's tenant-less profile" EACCES \
	in_cg hostpod "$CXI" cxi0 alloc 10 best_effort any
mkdir -p $CG/hostpod/sub
check "a descendant cgroup inherits alice" \
	in_cg hostpod/sub "$CXI" cxi0 alloc 100 low_latency any
check_errno "a cgroup is a member of one tenant only" EBUSY $CTL tenant set bob cgroup /hostpod
$CTL tenant set bob netns p1 > /dev/null
check_errno "the netns comes first: bob's pod in alice's cgroup is bob's" EACCES \
	in_cg hostpod ip netns exec p1 "$CXI" cxi0 alloc 100 low_latency any
check "and it has bob's rights" \
	in_cg hostpod ip netns exec p1 "$CXI" cxi0 alloc 200 low_latency any
check "moving out of the cgroup loses alice: host profile allowed again" \
	bash -c "echo \$\$ > $CG/hostpod/cgroup.procs; echo \$\$ > $CG/cgroup.procs; exec $CXI cxi0 alloc 10 best_effort any"
check_errno "moving out of the cgroup loses alice's VNI" EACCES \
	bash -c "echo \$\$ > $CG/hostpod/cgroup.procs; echo \$\$ > $CG/cgroup.procs; exec $CXI cxi0 alloc 100 low_latency any"
rmdir $CG/hostpod/sub
check "the cgroup is removed while bound" rmdir $CG/hostpod
mkdir $CG/hostpod
check_errno "a new cgroup at the same path inherits nothing" EACCES \
	in_cg hostpod "$CXI" cxi0 alloc 100 low_latency any
check "tenant show still works" $CTL tenant show alice
check "tenant set alice cgroup /hostpod binds the new directory" $CTL tenant set alice cgroup /hostpod
check "tenant set alice cgroup /hostpod del" $CTL tenant set alice cgroup /hostpod del
check_errno "unbound: hostpod has no tenant" EACCES in_cg hostpod "$CXI" cxi0 alloc 100 low_latency any

# --- bad arguments ------------------------------------------------------------
nl_expect "a cgroup path that does not exist names it" "ENOENT" "nosuch" \
	tenant_set str:tenant_name=alice u8:op=0 nest:members nest:member str:cgroup_path=/nosuch end end
nl_expect "an fd that is not a cgroup" "EBADF|EINVAL|ENOTDIR" . \
	tenant_set str:tenant_name=alice u8:op=0 nest:members nest:member u32:cgroup_fd=0 end end
nl_expect "a closed fd names it" "EBADF" 777 \
	tenant_set str:tenant_name=alice u8:op=0 nest:members nest:member u32:cgroup_fd=777 end end
check_errno "ssnsctl: a directory that is not a cgroup" "ENOENT|EINVAL|ENOTDIR|EBADF" \
	$CTL tenant set alice cgroup /../../tmp

tap_plan "$_tap_n"
tap_done
