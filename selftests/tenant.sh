#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tenants, VNIs, profiles and endpoint admission: the full matrix of
# (caller, VNI, TC, device) against the design's rules and errnos, a pod's
# root, an fd passed across tenants, netns identity by cookie, revocation on
# tenant deletion, and the fabric between pods.
. "$(dirname "$0")/lib.sh"
need_progs

sim_add 1 cxi0
sim_add 2 cxi1
pods="a1 a2 b1 b2 u1"
for ns in $pods; do ip netns add $ns; done
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	for ns in $pods x y; do ip netns del $ns 2>/dev/null; done
}
trap cleanup EXIT

check "tenant add alice vni 100-101,150" $CTL tenant add alice vni 100-101,150
check "tenant add bob vni 200-201" $CTL tenant add bob vni 200-201
for ns in a1 a2; do check "tenant set alice netns $ns" $CTL tenant set alice netns $ns; done
for ns in b1 b2; do check "tenant set bob netns $ns" $CTL tenant set bob netns $ns; done

# Profiles: each tenant a low_latency and a bulk_data profile on both
# devices; host use of the unowned VNI 10 (best_effort) on both devices.
for dev in cxi0 cxi1; do
	$CTL profile add dev $dev vni 100 tc low_latency &&
	$CTL profile add dev $dev vni 101 tc bulk_data &&
	$CTL profile add dev $dev vni 200 tc low_latency &&
	$CTL profile add dev $dev vni 201 tc bulk_data &&
	$CTL profile add dev $dev vni 10 tc best_effort
	check "profiles on $dev" test $? -eq 0
done
# Only on cxi0: alice's VNI 150.
check "profile add dev cxi0 vni 150 tc best_effort" \
	$CTL profile add dev cxi0 vni 150 tc best_effort

tenant_of() {
	case $1 in
	a*) echo alice ;;
	b*) echo bob ;;
	*) echo "" ;;
	esac
}

# The profile (dev, vni, tc) and its tenant: "none" when there is no
# profile, "" for a tenant-less one.
profile_tenant() {
	local dev=$1 vni=$2 tc=$3
	case $vni/$tc in
	100/low_latency | 101/bulk_data) echo alice ;;
	200/low_latency | 201/bulk_data) echo bob ;;
	10/best_effort) echo "" ;;
	150/best_effort) [ "$dev" = cxi0 ] && echo alice || echo none ;;
	*) echo none ;;
	esac
}

# The design's rule for a caller in netns NS ("" is the host, init_net).
expect() {
	local ns=$1 dev=$2 vni=$3 tc=$4 pt ct
	pt=$(profile_tenant "$dev" "$vni" "$tc")
	ct=$(tenant_of "$ns")
	if [ "$pt" = none ]; then
		echo ENOENT
	elif [ -z "$pt" ]; then
		# Tenant-less profile: only callers with no tenant in init_net.
		if [ -z "$ct" ] && [ -z "$ns" ]; then echo OK; else echo EACCES; fi
	elif [ "$pt" = "$ct" ]; then
		echo OK
	else
		echo EACCES
	fi
}

result() {
	local out rc
	out=$(in_ns "$1" "$CXI" "$2" alloc "$3" "$4" any 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then echo OK; else echo "$out" | sed -n 's/^error: \(E[A-Z]*\).*/\1/p'; fi
}

# One cxitool process per caller tries every (dev, vni, tc) cell.
cells=0 bad=0 n_ok=0 n_noent=0 n_acces=0
for ns in "" $pods; do
	list=
	for dev in cxi0 cxi1; do
		for vni in 10 100 101 150 200 201 300; do
			for tc in low_latency bulk_data best_effort; do
				list="$list$dev $vni $tc any
"
			done
		done
	done
	got_all=$(echo -n "$list" | in_ns "$ns" "$CXI" - batch)
	i=0
	while read -r dev vni tc addr; do
		[ -n "$dev" ] || continue
		i=$((i + 1))
		want=$(expect "$ns" "$dev" "$vni" "$tc")
		got=$(echo "$got_all" | sed -n "${i}p")
		cells=$((cells + 1))
		case $want in
		OK) n_ok=$((n_ok + 1)) ;;
		ENOENT) n_noent=$((n_noent + 1)) ;;
		EACCES) n_acces=$((n_acces + 1)) ;;
		esac
		if [ "$want" != "$got" ]; then
			bad=$((bad + 1))
			tap_diag "caller=${ns:-host} dev=$dev vni=$vni tc=$tc: want $want, got $got"
		fi
	done <<< "$list"
done
check_eq "admission matrix: $cells cells as the design says" 0 "$bad"
tap_diag "matrix: $cells cells, $n_ok admitted, $n_noent ENOENT, $n_acces EACCES"
check "the matrix has cells of each outcome" \
	test "$cells" -eq 252 -a "$n_ok" -gt 0 -a "$n_noent" -gt 0 -a "$n_acces" -gt 0

# A pod's root: uid 0 with every capability in its own user namespace.
check_errno "pod root (userns, all caps) cannot use bob's VNI from alice's pod" EACCES \
	ip netns exec a1 unshare --user --map-root-user "$CXI" cxi0 alloc 200 low_latency any
check_errno "pod root cannot use the host's tenant-less profile" EACCES \
	ip netns exec a1 unshare --user --map-root-user "$CXI" cxi0 alloc 10 best_effort any
check "pod root keeps its own tenant's rights" \
	ip netns exec a1 unshare --user --map-root-user "$CXI" cxi0 alloc 100 low_latency any
check_errno "a pod cannot leave its tenant by unsharing its user namespace" EACCES \
	ip netns exec b1 unshare --user --map-root-user --mount "$CXI" cxi0 alloc 100 low_latency any

# The fd is the capability: opened in alice's pod, used in bob's pod.
check_errno "alice's fd in bob's pod cannot allocate on bob's VNI" EACCES \
	ip netns exec a1 bash -c "exec 3<>/dev/cxi0; ip netns exec b1 $CXI fd:3 alloc 200 low_latency any"
check "alice's fd in bob's pod still allocates on alice's VNI" \
	ip netns exec a1 bash -c "exec 3<>/dev/cxi0; ip netns exec b1 $CXI fd:3 alloc 100 low_latency any"

# Identity by cookie: a new netns never inherits a dead one's membership.
ip netns add x
check "tenant set alice netns x" $CTL tenant set alice netns x
check "x allocates on alice's VNI" ip netns exec x "$CXI" cxi0 alloc 100 low_latency any
members_before=$(tenant_members alice | wc -l)
ip netns del x
members_below() { [ "$(tenant_members "$1" | wc -l)" -lt "$2" ]; }
check "alice's membership of x ends when x dies" \
	wait_for members_below alice "$members_before"
for i in 1 2 3 4 5; do
	ip netns add y
	r=$(result y cxi0 100 low_latency)
	[ "$r" = EACCES ] || break
	ip netns del y
done
check_eq "five new netns (inode numbers reused) inherit nothing" EACCES "$r"
ip netns del y 2>/dev/null

# A VNI cannot leave its tenant while a profile uses it; conflicts name
# the current owner.
check_errno "tenant set alice vni 100 del while a profile uses it" EBUSY \
	$CTL tenant set alice vni 100 del
check_errno "bob cannot take alice's VNI 101" EBUSY $CTL tenant add carol vni 101
check_err "the conflict names the owner" alice $CTL tenant add carol vni 101
check_errno "a netns is a member of one tenant only" EBUSY $CTL tenant set bob netns a1
check_errno "init_net is never a member" EINVAL $CTL tenant set bob netns 1

# Data path inside alice: a1 (cxi0 addr 7) <-> a2 (cxi1 addr 8).
idx0=$(dev_index cxi0)
idx1=$(dev_index cxi1)
hold_start srv a2 cxi1 echo 100 low_latency 8 3000
check "a2 serves on cxi1 addr 8" hold_ready srv
out=$(ip netns exec a1 "$CXI" cxi0 call 100 low_latency 7 "$idx1" 8 hello 3000)
check_eq "a1 and a2 exchange a message" hello "$out"
drops0=$(dev_stat cxi1 drops)
check_errno "b1 sending to a2's address with bob's VNI is not answered" ETIMEDOUT \
	ip netns exec b1 "$CXI" cxi0 call 200 low_latency 7 "$idx1" 8 intruder 1000
check "the fabric dropped bob's message" test "$(dev_stat cxi1 drops)" -gt "$drops0"
check_eq "the server echoed a1's message only" "echoed 1" "$(hold_wait srv)"

# Denials are counted per device and per tenant.
d0=$(dev_stat cxi0 deny_tenant)
t0=$(tenant_stat bob deny_tenant)
in_ns b1 "$CXI" cxi0 alloc 100 low_latency any > /dev/null
check_eq "the device counts the denial" $((d0 + 1)) "$(dev_stat cxi0 deny_tenant)"
check_eq "the tenant counts the denial" $((t0 + 1)) "$(tenant_stat bob deny_tenant)"

# Deleting a tenant revokes its live endpoints.
hold_start h1 a1 cxi0 hold 100 low_latency 20 30
check "alice's pod holds an endpoint" hold_ready h1
check_eq "ep show lists it" 1 "$("$NLRAW" -D ep_get | grep -c '^  ep_addr=20$')"
check_errno "profile del while an endpoint uses it" EBUSY \
	$CTL profile del dev cxi0 vni 100 tc low_latency
check "profile del of an unused profile" $CTL profile del dev cxi1 vni 101 tc bulk_data
check_errno "its VNI and TC are refused afterwards" ENOENT \
	ip netns exec a1 "$CXI" cxi1 alloc 101 bulk_data any
check "tenant del alice" $CTL tenant del alice
check_eq "alice's endpoint is revoked" "revoked ENODEV" "$(hold_wait h1)"
check_eq "no endpoint is left" 0 "$("$NLRAW" -D ep_get | grep -c '^  ep_addr=')"
check_errno "a1 has no tenant now: tenant-less profile denied" EACCES \
	ip netns exec a1 "$CXI" cxi0 alloc 10 best_effort any

tap_plan "$_tap_n"
tap_done
