#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns_cxi, ssns's provider for HPE's cxi driver, against the test-only
# stand-in for cxi-ss1 (selftests/hpe-standin), which announces fake
# devices and keeps services and LNIs as HPE's sources do:
#   with the stock cxi.h (no admission hook): cxi devices become ssns
#     devices; ssns's policy is mirrored into services restricted to each
#     member netns, its VNIs (split by four, grouped by traffic classes)
#     and TCs; pods bound and unbound, many pods and tenants, netns death
#     with and without LNIs held, device removal and addition under live
#     tenants, module unload with services live; the services of a member
#     shown by ssnsctl. (hpe_cxi_hook.sh: the admission hook.)
# The modules: $SSNS_HPE_STANDIN_STOCK_DIR, $SSNS_HPE_STANDIN_DIR,
# $SSNS_HPE_CXI_STOCK_DIR, $SSNS_HPE_CXI_DIR (scripts/hpe-prepare), else
# build/hpe-{standin,cxi}/KVER-{stock,patched}.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/hpe-standin/hpe_cxi_lib.sh"

dmesg -C
[ $sim_was_loaded = 0 ] || rmmod ssns_sim

# ---------------------------------------------------------------- stock --
tap_diag "stock cxi.h: services only"
check "insmod cxi_standin (stock)" insmod "$sd_stock/cxi_standin.ko"
check "a cxi device" ctl new_device 0
check "insmod ssns_cxi (stock)" insmod "$cx_stock/ssns_cxi.ko"
check "it registered as a cxi client" sh -c "dmesg | grep -q 'ssns_cxi: registered as a cxi client: 1 cxi device'"
check "it says the hook is absent" sh -c "dmesg | grep -q 'ssns_cxi: the cxi driver has no admission hook'"
check_eq "cxi0 is an ssns device of ssns_cxi, HPE's node" "cxi0 ssns_cxi /dev/cxi0" \
	"$($CTL -j dev show | python3 -c 'import json,sys
for d in json.load(sys.stdin):
	if d["name"] == "cxi0": print(d["name"], d.get("provider"), d.get("chardev"))')"

for n in $NETNS; do ip netns add "$n"; done
check "tenant alice vni 100-199" $CTL tenant add alice vni 100-199
check "bind pod p1" $CTL tenant set alice netns p1
check_eq "no profile: no service" 0 "$(nsvcs cxi0)"
check "profile cxi0 vni 100 low_latency" $CTL profile add dev cxi0 vni 100 tc low_latency
check_eq "a service for p1: its VNI and TC, enabled" "100 low_latency en=1" \
	"$(svc_shape cxi0 "$(inum p1)")"
S1=$(svcs_of cxi0 "$(inum p1)")
check_eq "restricted to p1's netns only" "$(inum p1)" "$(field cxi0 "$S1" netns)"
check_eq "and to no uid or gid" "-" "$(field cxi0 "$S1" members)"
for v in 101 102 103 104 105; do
	$CTL profile add dev cxi0 vni $v tc low_latency
done
check "profile cxi0 vni 106 bulk_data" $CTL profile add dev cxi0 vni 106 tc bulk_data
check "profile cxi0 vni 106 best_effort" $CTL profile add dev cxi0 vni 106 tc best_effort
check_eq "7 VNIs: split by four, grouped by traffic classes" \
	"100,101,102,103 low_latency en=1 104,105 low_latency en=1 106 bulk_data,best_effort en=1" \
	"$(svc_shape cxi0 "$(inum p1)")"
check_eq "ssnsctl tenant services shows them for p1" "$(ids_of cxi0 "$(inum p1)")" \
	"$(shown alice p1 cxi0)"
check "text output names the device" sh -c "$CTL tenant services alice | grep -q 'dev cxi0 services'"

mark
check "an LNI from p1 on its service" lni p1 cxi0 "$S1"
L1=$(new_lni)
check_errno "an LNI from q1 (no tenant) on p1's service" EPERM lni q1 cxi0 "$S1"
check_errno "an LNI from init_net on it" EPERM lni "" cxi0 "$S1"
check "free the LNI" ctl lni_free cxi0 "$L1"

check "bind pod p2" $CTL tenant set alice netns p2
check_eq "p2 gets its own services" \
	"100,101,102,103 low_latency en=1 104,105 low_latency en=1 106 bulk_data,best_effort en=1" \
	"$(svc_shape cxi0 "$(inum p2)")"
check_errno "p2 cannot use p1's" EPERM lni p2 cxi0 "$S1"
check "tenant bob vni 200, pod q1" sh -c "$CTL tenant add bob vni 200 && $CTL tenant set bob netns q1"
check "profile cxi0 vni 200 dedicated_access" $CTL profile add dev cxi0 vni 200 tc dedicated_access
check_eq "q1 gets bob's VNI only" "200 dedicated_access en=1" "$(svc_shape cxi0 "$(inum q1)")"
check_errno "q1 cannot use alice's" EPERM lni q1 cxi0 "$S1"
check "unbind p2" $CTL tenant set alice netns p2 del
check_eq "its services are destroyed" "" "$(svc_shape cxi0 "$(inum p2)")"
check "profile del vni 106 (both TCs)" sh -c "$CTL profile del dev cxi0 vni 106 tc bulk_data &&
	$CTL profile del dev cxi0 vni 106 tc best_effort"
check_eq "its service goes, the others stay" \
	"100,101,102,103 low_latency en=1 104,105 low_latency en=1" "$(svc_shape cxi0 "$(inum p1)")"
check_eq "the same ids as before" "$S1" "$(svcs_of cxi0 "$(inum p1)" | head -n 1)"
check "profile del vni 104" $CTL profile del dev cxi0 vni 104 tc low_latency
check_eq "regrouped" "100,101,102,103 low_latency en=1 105 low_latency en=1" \
	"$(svc_shape cxi0 "$(inum p1)")"

# netns death without LNIs
qi=$(inum q1)
check "ip netns del q1 (no LNI)" ip netns del q1
check "q1's service is destroyed when q1 dies" wait_for sh -c "[ -z \"\$(awk -v n=netns=$qi '/ name=ssns-/ && \$0 ~ n' $SD/services)\" ]"
check_eq "bob has no member left" "" "$($CTL tenant services bob)"

# netns death with an LNI held
mark
check "an LNI from p1" lni p1 cxi0 "$S1"
L1=$(new_lni)
pi=$(inum p1)
busy0=$(counter cxi0 svc_busy)
check "ip netns del p1 with an LNI held" ip netns del p1
check "p1's free services are destroyed" wait_for sh -c "[ \"\$(awk -v n=netns=$pi '/ name=ssns-/ && \$0 ~ n' $SD/services | wc -l)\" = 1 ]"
check_eq "the held one stays (HPE refuses while held)" "1" "$(field cxi0 "$S1" lnis)"
check_eq "counted as busy" "$((busy0 + 1))" "$(counter cxi0 svc_busy)"
check_eq "not shown for the tenant any more" "" "$($CTL tenant services alice)"
check "freeing the LNI" ctl lni_free cxi0 "$L1"
check "destroys it soon after" wait_for sh -c "[ -z \"\$(awk -v i=$S1 '\$1 == \"cxi0\" && \$2 == i' $SD/services)\" ]"

# unbind with an LNI held: the netns is pinned until the service is free
ip netns add p1
check "bind p1 again" $CTL tenant set alice netns p1
S1=$(svcs_of cxi0 "$(inum p1)" | head -n 1)
mark
lni p1 cxi0 "$S1"
L1=$(new_lni)
check "unbind p1 with an LNI held" $CTL tenant set alice netns p1 del
check_eq "the held service stays" "1" "$(field cxi0 "$S1" lnis)"
check "free it" ctl lni_free cxi0 "$L1"
check "then it is destroyed" wait_for sh -c "[ -z \"\$(awk -v i=$S1 '\$1 == \"cxi0\" && \$2 == i' $SD/services)\" ]"

# many pods and tenants
for t in $(seq 1 6); do
	$CTL tenant add "m$t" vni $((1000 + t * 10))-$((1000 + t * 10 + 5))
	$CTL profile add dev cxi0 vni $((1000 + t * 10)) tc best_effort
	$CTL profile add dev cxi0 vni $((1000 + t * 10 + 1)) tc low_latency
	for p in 1 2 3; do
		ip netns add "m$t-$p"
		$CTL tenant set "m$t" netns "m$t-$p"
	done
done
check_eq "6 tenants x 3 pods x 2 TC groups: 36 services" 36 "$(nsvcs cxi0)"
ok=1
for t in $(seq 1 6); do
	for p in 1 2 3; do
		[ "$(svc_shape cxi0 "$(inum "m$t-$p")")" = "$((1000 + t * 10)) best_effort en=1 $((1000 + t * 10 + 1)) low_latency en=1" ] || ok=0
	done
done
check_eq "each pod has its tenant's VNIs and nothing else" 1 "$ok"
check_errno "a pod cannot use another tenant's" EPERM \
	lni m1-1 cxi0 "$(svcs_of cxi0 "$(inum m2-1)" | head -n 1)"
check "delete the 6 tenants" sh -c "for t in \$(seq 1 6); do $CTL tenant del m\$t || exit 1; done"
check_eq "their services are destroyed" 0 "$(nsvcs cxi0)"
for t in $(seq 1 6); do for p in 1 2 3; do ip netns del "m$t-$p"; done; done

# device removal and addition under live tenants
check "bind p1 and p3" sh -c "$CTL tenant set alice netns p1 && $CTL tenant set alice netns p3"
check "a second device" ctl new_device 1
check "profile cxi1 vni 150 low_latency" $CTL profile add dev cxi1 vni 150 tc low_latency
check_eq "cxi1 has a service per pod" "150 low_latency en=1|150 low_latency en=1" \
	"$(svc_shape cxi1 "$(inum p1)")|$(svc_shape cxi1 "$(inum p3)")"
check "remove cxi0 under live tenants" ctl del_device 0
check_eq "its ssns device is gone" "" "$($CTL dev show | grep -w cxi0)"
check_eq "cxi1 keeps its services" "150 low_latency en=1" "$(svc_shape cxi1 "$(inum p3)")"
check "cxi0 comes back" ctl new_device 0
check "as an ssns device again" sh -c "$CTL dev show | grep -qw cxi0"
check_eq "with no profile, no service" 0 "$(nsvcs cxi0)"
check "profile cxi0 vni 100 low_latency again" $CTL profile add dev cxi0 vni 100 tc low_latency
check_eq "both pods get a service" "100 low_latency en=1|100 low_latency en=1" \
	"$(svc_shape cxi0 "$(inum p1)")|$(svc_shape cxi0 "$(inum p3)")"
check "pods in exclusive mode" $CTL system set netns exclusive
check_eq "cxi0 in init_net is no pod's: services go" 0 "$(nsvcs cxi0)"
check "shared mode" $CTL system set netns shared
check_eq "they come back" 2 "$(nsvcs cxi0)"
check "move cxi1 into p3" $CTL dev set cxi1 netns p3
check_eq "only p3 sees cxi1 now" "|150 low_latency en=1" \
	"$(svc_shape cxi1 "$(inum p1)")|$(svc_shape cxi1 "$(inum p3)")"

# module unload with services live
check "rmmod ssns_cxi with services live" rmmod ssns_cxi
check_eq "its services are destroyed" "0 0" "$(nsvcs cxi0) $(nsvcs cxi1)"
check_eq "its devices are gone from ssns" "" "$($CTL dev show | grep -w 'cxi[01]')"
check "rmmod cxi_standin" rmmod cxi_standin
$CTL tenant del alice
$CTL tenant del bob

check_eq "kernel log clean (warnings and worse)" "" "$(log_problems)"
tap_plan "$_tap_n"
tap_done
