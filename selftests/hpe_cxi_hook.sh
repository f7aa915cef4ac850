#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns_cxi with the admission hook of patches/hpe-cxi, against the stand-in
# for cxi-ss1 built with the patched cxi.h (selftests/hpe-standin): it
# registers on the hook and admits LNIs itself (ssns contexts, counters),
# refuses a pod on a service not made for it and on a retired one (also
# when a new netns got the dead one's ns.inum), admits the host on HPE's
# default service, and is pinned by what it admitted. The modules as
# hpe_cxi.sh finds them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hpe-standin/hpe_cxi_lib.sh"

dmesg -C
[ $sim_was_loaded = 0 ] || rmmod ssns_sim
ip netns add p1

check "insmod cxi_standin (patched)" insmod "$sd_patched/cxi_standin.ko"
check "a cxi device" ctl new_device 0
check "insmod ssns_cxi (patched)" insmod "$cx_patched/ssns_cxi.ko"
check "it registered on the admission hook" sh -c "dmesg | grep -q 'ssns_cxi: registered on the cxi admission hook'"
check "insmod cxi_testclient" insmod "$sd_patched/cxi_testclient.ko"
check_errno "the hook is taken" EBUSY bash -c "echo register > $TC/hook"
check "tenant alice, pod p1, profile" sh -c "$CTL tenant add alice vni 100-199 &&
	$CTL tenant set alice netns p1 &&
	$CTL profile add dev cxi0 vni 100 tc low_latency"
S1=$(svcs_of cxi0 "$(inum p1)")
ctx0=$(counter cxi0 ctx_open)
mark
check "an LNI from p1 on its service" lni p1 cxi0 "$S1"
L1=$(new_lni)
check_eq "admitted by ssns: a context" "$((ctx0 + 1)) 1" \
	"$(counter cxi0 ctx_open) $(counter cxi0 lni_admit)"
check_err "ssns_cxi is pinned by what it admitted" "in use" rmmod ssns_cxi
check "enable HPE's default service (open to all)" sh -c "echo 'cxi0 enable 1 1' > $TC/svc"
check_errno "a pod on a service not made for it" EACCES lni p1 cxi0 1
mark
check "the host (no tenant) on the default service" lni "" cxi0 1
LH=$(new_lni)
check_eq "refusals counted" 1 "$(counter cxi0 lni_deny)"
check "free the host's LNI" ctl lni_free cxi0 "$LH"
# netns death with the LNI held: the retired service admits nobody, even
# a new netns that got the dead one's ns.inum.
pi=$(inum p1)
check "ip netns del p1 with the LNI held" ip netns del p1
check "p1's membership ends" wait_for sh -c "[ -z \"\$($CTL tenant services alice)\" ] && ! $CTL tenant show alice | grep -q netns_cookie"
ip netns add p9
if [ "$(inum p9)" = "$pi" ]; then
	tap_diag "p9 got p1's ns.inum $pi: HPE's check alone would admit it"
	check_errno "the hook refuses p9 on the dead pod's service" EKEYREVOKED lni p9 cxi0 "$S1"
else
	check_errno "p9 on the dead pod's service" EPERM lni p9 cxi0 "$S1"
fi
check "free p1's LNI" ctl lni_free cxi0 "$L1"
check "its service is destroyed" wait_for sh -c "[ -z \"\$(awk -v i=$S1 '\$1 == \"cxi0\" && \$2 == i' $SD/services)\" ]"
check "rmmod cxi_testclient" rmmod cxi_testclient
check "rmmod ssns_cxi (nothing admitted left)" rmmod ssns_cxi
check "rmmod cxi_standin" rmmod cxi_standin
$CTL tenant del alice
check_eq "kernel log clean (warnings and worse)" "" "$(log_problems)"
tap_plan "$_tap_n"
tap_done
