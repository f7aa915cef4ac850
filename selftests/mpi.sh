#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified Open MPI (Debian's 4.1, pml cm + mtl ofi) over the libfabric
# provider "ssns", with its ranks in pods: network namespaces bound to a
# tenant, wired to the host by a bridge for Open MPI's own TCP wire-up, and
# entered by mpirun through an rsh agent (ip netns exec), which also gives
# each pod its NIC (SLINGSHOT_DEVICES: pod 1 on mp0, pod 2 on mp1).
#
#  - NetPIPE (NPopenmpi -i: its integrity check) across alice's two pods,
#    message sizes from 1 byte to SSNS_MPI_NP_MAX (8 MiB);
#  - a 4-rank collective program (selftests/progs/mpi_coll) checking
#    allreduce, alltoall, bcast, allgather results.
# mpi_tenants.sh: two tenants at once, a job across tenants, a refusal.
. "$(dirname "$0")/lib.sh"
need_progs "$CTL" "$NLRAW"
COLL=$SSNS_TOP/selftests/progs/mpi_coll
need_fabric mpirun "$COLL" NPopenmpi
NP=$(command -v NPopenmpi)
NPMAX=${SSNS_MPI_NP_MAX:-8388608}
T=${SSNS_MPI_TIMEOUT:-240}

pods="ma1 ma2 mb1 mb2"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	pod_net_del br88 $pods
	rm -rf "$TMPD"
}
trap cleanup EXIT
check "pods ma1 ma2 mb1 mb2 on bridge br88 (10.88.0.1-4)" pod_net br88 10.88.0 $pods
check "device mp0" sim_add 1 mp0
check "device mp1" sim_add 2 mp1
check "tenant alice (VNI 500) in ma1, ma2; bob (VNI 600) in mb1, mb2" sh -c \
	"$CTL tenant add alice vni 500 && $CTL tenant add bob vni 600 &&
	 $CTL tenant set alice netns ma1 && $CTL tenant set alice netns ma2 &&
	 $CTL tenant set bob netns mb1 && $CTL tenant set bob netns mb2"
for d in mp0 mp1; do
	check "profiles on $d" sh -c \
		"$CTL profile add dev $d vni 500 tc low_latency &&
		 $CTL profile add dev $d vni 600 tc low_latency"
done
MPI_NET=10.88.0
MPI_AGENT=$TMPD/agent
mpi_agent "$MPI_AGENT" "10.88.0.1 ma1 mp0" "10.88.0.2 ma2 mp1" \
	"10.88.0.3 mb1 mp0" "10.88.0.4 mb2 mp1"

# coll_ok OUT TAG NP: every rank of the job said ok and the job exited 0.
coll_ok() {
	[ "$(grep -c "^mpi_coll: rank [0-9]* of $3 ($2): ok, [0-9]* checks" "$1")" = "$3" ] &&
		grep -qx 'rc=0' "$1"
}

show() { grep -vE '^ *$' "$1" | tail -n "${2:-8}" | sed 's/^/# /'; }

# ------------------------------------------------------------- NetPIPE
t0=$SECONDS
mpi_job "$TMPD/np" 2 10.88.0.1,10.88.0.2 "$NP" -i -u "$NPMAX"
if grep -q 'Integrity check passed' "$TMPD/np" &&
   ! grep -q 'Integrity check failed' "$TMPD/np" && grep -qx 'rc=0' "$TMPD/np"; then
	tap_ok "NPopenmpi -i between alice's pods, 1 B .. $NPMAX B: integrity check passed"
else
	tap_notok "NPopenmpi -i between alice's pods"
	show "$TMPD/np" 20
fi
last=$(awk '$2 ~ /^[0-9]+$/ && $3 == "bytes" { s = $2 } END { print s + 0 }' "$TMPD/np")
check "... up to $NPMAX B (last size $last)" test "$last" -ge "$((NPMAX * 3 / 4))"
tap_diag "NetPIPE: $((SECONDS - t0)) s"

# ---------------------------------------------------------- collectives
t0=$SECONDS
mpi_job "$TMPD/coll" 4 10.88.0.1:2,10.88.0.2:2 -x MPI_COLL_TAG=alice \
	-x FI_SSNS_YIELD=1 "$COLL"
if coll_ok "$TMPD/coll" alice 4; then
	tap_ok "mpi_coll, 4 ranks in alice's 2 pods: every result right"
else
	tap_notok "mpi_coll, 4 ranks in alice's 2 pods"
	show "$TMPD/coll" 20
fi
tap_diag "collectives: $((SECONDS - t0)) s"

tap_plan "$_tap_n"
tap_done
