#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The provider boundary: ssns_tprov, a provider with a device node of its
# own (/dev/ssns_tprov) that uses only the core's authority calls. Its
# devices are ssns devices (class, parent, counters by name, no /dev/NAME
# of the core); admission through it follows the rules and errnos (rule 5
# is its own, counted by the core); the core revokes its contexts; it is
# told every policy change it must mirror.
. "$(dirname "$0")/lib.sh"
need_progs

TP=${SSNS_KMOD_DIR:-$SSNS_TOP/selftests/kmod}/tprov/ssns_tprov.ko
TOOL=$SSNS_TOP/selftests/progs/tprovtool
if [ ! -e "$TP" ] || [ ! -x "$TOOL" ]; then
	echo "1..0 # SKIP ssns_tprov.ko or tprovtool not built (make test-modules progs)"
	exit $KSFT_SKIP
fi
POLICY=/sys/kernel/debug/ssns_tprov/policy
CG=/sys/fs/cgroup

ip netns add tpa
ip netns add tpb
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	ip netns del tpa 2>/dev/null
	ip netns del tpb 2>/dev/null
	rdma_unlimit $CG/tpcg 2>/dev/null
	rmdir $CG/tpcg 2>/dev/null
	grep -q '^ssns_tprov ' /proc/modules && rmmod ssns_tprov
}
trap cleanup EXIT

check "insmod ssns_tprov devices=2" insmod "$TP" devices=2
check_eq "its devices are ssns devices" "tp0 tp1" "$(dev_names | grep '^tp' | xargs)"
dump=$("$NLRAW" dev_get str:dev_name=tp0)
check "provider ssns_tprov" grep -q '^  dev_provider=ssns_tprov$' <<< "$dump"
check "its own device node is shown, not one of the core" \
	grep -q '^  dev_chardev=/dev/ssns_tprov$' <<< "$dump"
check "no /dev/tp0: the provider runs its node" test ! -e /dev/tp0
check "the parent device is honoured (sysfs)" \
	test -e /sys/devices/ssns_tprov/ssns/tp0
check "DEV_PARENT names it" grep -q '^  dev_parent=ssns_tprov$' <<< "$dump"
i0=$(dev_index tp0)

# --- admission through the provider ---------------------------------------------
$CTL tenant add alice vni 100-199 && $CTL tenant set alice netns tpa &&
$CTL tenant add bob vni 200-299 && $CTL tenant set bob netns tpb &&
$CTL profile add dev tp0 vni 100 tc low_latency &&
$CTL profile add dev tp0 vni 200 tc low_latency &&
$CTL profile add dev tp0 vni 10 tc best_effort
check "tenants and profiles on tp0" test $? -eq 0
check "host allocates on the tenant-less profile" "$TOOL" "$i0" alloc 10 3 any
check_errno "no profile: ENOENT" ENOENT "$TOOL" "$i0" alloc 11 3 any
check_errno "host on alice's profile: EACCES" EACCES "$TOOL" "$i0" alloc 100 1 any
check "alice's pod on alice's profile" in_ns tpa "$TOOL" "$i0" alloc 100 1 5
check_errno "alice's pod on bob's profile: EACCES" EACCES \
	in_ns tpa "$TOOL" "$i0" alloc 200 1 any
check_errno "bob's pod on alice's profile: EACCES" EACCES \
	in_ns tpb "$TOOL" "$i0" alloc 100 1 any
check_errno "a bad traffic class: EINVAL" EINVAL in_ns tpa "$TOOL" "$i0" alloc 100 9 any
check_eq "the core counted the provider's denials" 3 "$(dev_stat tp0 deny_tenant)"

# Rule 5 is the provider's; the core counts its refusals.
hold_tp() {
	local name=$1 ns=$2; shift 2
	rm -f "$TMPD/$name".*
	if [ -z "$ns" ]; then
		"$TOOL" -r "$TMPD/$name.ready" "$@" > "$TMPD/$name.out" 2>&1 &
	else
		ip netns exec "$ns" "$TOOL" -r "$TMPD/$name.ready" "$@" \
			> "$TMPD/$name.out" 2>&1 &
	fi
	echo $! > "$TMPD/$name.pid"
}
hold_tp h1 tpa "$i0" hold 100 1 3 600
check "alice holds address 3" hold_ready h1
check_errno "address 3 again: EADDRINUSE (provider's rule 5)" EADDRINUSE \
	in_ns tpa "$TOOL" "$i0" alloc 100 1 3
check_eq "counted as deny_addrinuse by the core" 1 "$(dev_stat tp0 deny_addrinuse)"
check "ep show lists the provider's endpoint" \
	sh -c "$CTL ep show dev tp0 | grep -q 'vni 100 tc low_latency addr 3 .*tenant alice'"
check_eq "provider counter allocs, by name" 3 "$(dev_stat tp0 allocs)"
check "ssnsctl stats prints the provider's counters" \
	sh -c "$CTL stats dev tp0 | grep -q ' allocs 3 frees 2'"

# --- revocation ------------------------------------------------------------------
check "dev set tp0 netns tpb: alice's pod loses it" $CTL dev set tp0 netns tpb
check_eq "the holder's context is revoked (alloc then ENODEV)" revoked "$(hold_wait h1)"
check "dev set tp0 back to init_net" in_ns tpb $CTL dev set tp0 netns 1
hold_tp h2 tpa "$i0" hold 100 1 any 600
check "alice holds again" hold_ready h2
check "tenant del alice" $CTL tenant del alice
check_eq "tenant deletion revokes through the provider" revoked "$(hold_wait h2)"
check_eq "no endpoint left on tp0" "" "$($CTL ep show dev tp0)"

# --- rdma cgroup through the provider ---------------------------------------------
if have_rdmacg; then
	echo +rdma > $CG/cgroup.subtree_control
	mkdir -p $CG/tpcg
	echo "tp1 hca_handle=1 hca_object=1" > $CG/tpcg/rdma.max
	$CTL profile add dev tp1 vni 20 tc best_effort
	in_cg() { bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$CG/$1" "${@:2}"; }
	check "one endpoint in the limited cgroup" in_cg tpcg "$TOOL" "$(dev_index tp1)" alloc 20 3 any
	check_eq "charges are back to 0 after close" 0 \
		"$(sed -n 's/^tp1 .*hca_object=\([0-9]*\).*/\1/p' $CG/tpcg/rdma.current)"
else
	tap_skip "rdma cgroup through the provider" "no rdma controller"
	tap_skip "charges after close" "no rdma controller"
fi

# --- policy notifications ---------------------------------------------------------
: > "$TMPD/before"
cat $POLICY > "$TMPD/before"
$CTL tenant add carol vni 300-301 && $CTL tenant set carol netns tpa &&
$CTL profile add dev tp1 vni 300 tc bulk_data &&
$CTL profile del dev tp1 vni 300 tc bulk_data &&
$CTL system set netns exclusive && $CTL system set netns shared &&
$CTL dev set tp1 netns tpb && in_ns tpb $CTL dev set tp1 netns 1
check "policy changes made" test $? -eq 0
ck_tpa=$(tenant_members carol)
ip netns del tpa
wait_for grep -q "netns_exit $ck_tpa" $POLICY
new=$(diff "$TMPD/before" $POLICY | sed -n 's/^> //p')
tap_diag "policy log:"; echo "$new" | sed 's/^/#   /'
check "member_add told to every device" \
	sh -c "echo '$new' | grep -q '^tp0: member_add carol netns $ck_tpa' && echo '$new' | grep -q '^tp1: member_add carol netns $ck_tpa'"
check "profile_add told to its device only" \
	sh -c "echo '$new' | grep -q '^tp1: profile_add tp1 vni 300 tc 2 tenant carol' && ! echo '$new' | grep -q '^tp0: profile_add tp1'"
check "profile_del told" sh -c "echo '$new' | grep -q '^tp1: profile_del tp1 vni 300 tc 2 tenant carol'"
check "mode switches told" sh -c "echo '$new' | grep -q '^tp0: mode 1' && echo '$new' | grep -q '^tp0: mode 0'"
check "a move told to the moved device" sh -c "echo '$new' | grep -q '^tp1: move tp1 from 1'"
l_del=$(echo "$new" | grep -n "^tp0: member_del carol netns $ck_tpa" | cut -d: -f1)
l_exit=$(echo "$new" | grep -n "^tp0: netns_exit $ck_tpa" | cut -d: -f1)
check "netns death: member_del, then netns_exit" \
	test -n "$l_del" -a -n "$l_exit" -a "${l_del:-0}" -lt "${l_exit:-0}"

check "rmmod ssns_tprov" rmmod ssns_tprov
check_eq "its devices are gone" "" "$(dev_names | grep '^tp')"

tap_done
