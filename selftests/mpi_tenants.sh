#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified Open MPI over the libfabric provider "ssns" at the tenant
# boundary, ranks in pods as in mpi.sh:
#
#  - alice's and bob's jobs at the same time on the same devices, with the
#    same endpoint addresses (on their own VNIs): both right, no drop;
#  - a job spanning a pod of each tenant: MPI_Init works (its wire-up is
#    TCP), but no message crosses: the fabric drops them and counts them;
#  - alice's job with SLINGSHOT_VNIS set to bob's VNI: refused in MPI_Init,
#    at once, with a message naming the refusal.
. "$(dirname "$0")/lib.sh"
need_progs "$CTL" "$NLRAW"
COLL=$SSNS_TOP/selftests/progs/mpi_coll
need_fabric mpirun "$COLL"
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

# ----------------------------------------------- two tenants at once
# Same devices, same endpoint addresses (each on its own VNI): both jobs
# must be right, and the fabric must not have dropped anything. Each
# endpoint's address is in the provider's log (FI_LOG_LEVEL=info).
t0=$SECONDS
d0=$(($(dev_stat mp0 drops) + $(dev_stat mp1 drops)))
LOG="-x FI_LOG_LEVEL=info -x FI_LOG_PROV=ssns -x FI_SSNS_YIELD=1"
mpi_job "$TMPD/ja" 4 10.88.0.1:2,10.88.0.2:2 -x MPI_COLL_TAG=alice $LOG "$COLL" &
mpi_job "$TMPD/jb" 4 10.88.0.3:2,10.88.0.4:2 -x MPI_COLL_TAG=bob $LOG "$COLL" &
wait
# "mp0: endpoint 0:1 on VNI 500, ...": device:address, and the VNIs.
eps() { grep -oE 'mp[01]: endpoint [0-9]+:[0-9]+ on VNI' "$1" | awk '{ print $3 }' | sort | tr '\n' ' '; }
vnis() { grep -oE 'mp[01]: endpoint [0-9:]+ on VNI [0-9]+' "$1" | awk '{ print $6 }' | sort -u | tr '\n' ' '; }
ea=$(eps "$TMPD/ja")
check_eq "alice's and bob's ranks had the same endpoint addresses" "$ea" \
	"$(eps "$TMPD/jb")"
check_eq "... four each, on VNI 500 and 600" "4 500 600 " \
	"$(echo $ea | wc -w) $(vnis "$TMPD/ja")$(vnis "$TMPD/jb")"
tap_diag "endpoints of each job (device:address): $ea"
for j in "a alice" "b bob"; do
	set -- $j
	if coll_ok "$TMPD/j$1" "$2" 4; then
		tap_ok "$2's job, beside the other tenant's: every result right"
	else
		tap_notok "$2's job, beside the other tenant's"
		show "$TMPD/j$1" 20
	fi
done
check_eq "no message dropped on mp0, mp1 meanwhile" "$d0" \
	"$(($(dev_stat mp0 drops) + $(dev_stat mp1 drops)))"
tap_diag "two tenants: $((SECONDS - t0)) s"

# ------------------------------------------- a job across two tenants
# Rank 0 in alice's pod on mp0, rank 1 in bob's on mp1: each opens its own
# tenant's VNI. MPI_Init works (its wire-up is TCP), but an address names
# an endpoint of the sender's own VNI: nobody of alice's is at bob's
# address on mp1, nobody of bob's at alice's on mp0, so every message is
# dropped (and counted on both devices) and the job gets nowhere: it is
# stopped once the drops show.
t0=$SECONDS
d0=$(dev_stat mp0 drops)
d1=$(dev_stat mp1 drops)
mpi_job "$TMPD/jx" 2 10.88.0.1,10.88.0.4 -x MPI_COLL_TAG=mixed "$COLL" 1 &
dropping() { [ "$(dev_stat mp0 drops)" -gt "$d0" ] && [ "$(dev_stat mp1 drops)" -gt "$d1" ]; }
SSNS_WAIT=$T wait_for dropping
check "a job spanning alice's and bob's pods: its messages are dropped, counted on mp0 and mp1" \
	dropping
sleep 2
check_eq "... and none got through (no rank finished)" "" \
	"$(grep 'mpi_coll: rank' "$TMPD/jx")"
kill "$(cat "$TMPD/jx.pid")" 2>/dev/null
wait
tap_diag "drops on mp0: $d0 -> $(dev_stat mp0 drops), mp1: $d1 -> $(dev_stat mp1 drops); $((SECONDS - t0)) s"

# ----------------------------------------------------------- refusal
t0=$SECONDS
mpi_job "$TMPD/jr" 2 10.88.0.1,10.88.0.2 -x SLINGSHOT_VNIS=600 "$COLL" 1
rc=$(tail -n 1 "$TMPD/jr")
check "alice's job with SLINGSHOT_VNIS=600 fails in MPI_Init, in bounded time" \
	test "$rc" != rc=0 -a "$rc" != rc=124
check_eq "... with a message naming the refusal" yes \
	"$(grep -q 'endpoint on VNI 600, traffic class low_latency refused: EACCES.*tenant of this process: alice' "$TMPD/jr" && echo yes)"
grep -m 2 -E 'ssns|MPI_Init|PML' "$TMPD/jr" | sed 's/^/# /'
tap_diag "refusal: $((SECONDS - t0)) s"

tap_plan "$_tap_n"
tap_done
