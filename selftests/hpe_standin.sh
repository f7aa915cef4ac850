#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test-only stand-in for HPE's cxi-ss1 (selftests/hpe-standin): it
# loads, announces fake devices to a client (cxi_testclient) and behaves as
# HPE's sources do for the service calls and LNI allocation: descriptor
# checks, the 4-VNI limit, set_netns refused while enabled or with uid/gid
# members, destroy refused while LNIs hold the service, the netns check of
# an LNI by ns.inum. Built against the patched header, the admission hook
# too. The modules are $SSNS_HPE_STANDIN_DIR/{cxi_standin,cxi_testclient}.ko
# (scripts/hpe-prepare builds them, scripts/check sets it), else those
# hpe-prepare built for this kernel in build/hpe-standin/.
. "$(dirname "$0")/lib.sh"

kver=$(uname -r)
dir=${SSNS_HPE_STANDIN_DIR:-$SSNS_TOP/build/hpe-standin/$kver-patched}
for m in cxi_standin cxi_testclient; do
	if [ ! -r "$dir/$m.ko" ]; then
		echo "1..0 # SKIP $dir/$m.ko not built (scripts/hpe-prepare)"
		exit $KSFT_SKIP
	fi
	if [ "$(modinfo -F vermagic "$dir/$m.ko" | awk '{ print $1 }')" != "$kver" ]; then
		echo "1..0 # SKIP $dir/$m.ko is not built for $kver"
		exit $KSFT_SKIP
	fi
done
if grep -q '^cxi_ss1 ' /proc/modules; then
	echo "1..0 # SKIP cxi-ss1 is loaded: the stand-in has its symbols"
	exit $KSFT_SKIP
fi

SD=/sys/kernel/debug/cxi_standin
TC=/sys/kernel/debug/cxi_testclient
cleanup() {
	ip netns del hs1 2> /dev/null
	ip netns del hs2 2> /dev/null
	grep -q '^cxi_testclient ' /proc/modules && rmmod cxi_testclient
	grep -q '^cxi_standin ' /proc/modules && rmmod cxi_standin
}
trap 'cleanup 2> /dev/null' EXIT

svc() { echo "$*" > $TC/svc; }
result() { cat $TC/svc; }
ctl() { local f=$1; shift; echo "$*" > "$SD/$f"; }
# lni NETNS DEV SVC: take an LNI as a task of NETNS ("" for init_net).
# The file is opened here: ip netns exec gives the command another /sys.
lni() { in_ns "$1" bash -c "echo '$2 $3' >&3" 3> $SD/lni_alloc; }
# lni_as UID DEV SVC: the same as a task of euid/egid UID.
lni_as() {
	setpriv --reuid="$1" --regid="$1" --clear-groups \
		bash -c "echo '$2 $3' >&3" 3> $SD/lni_alloc
}
# LNI ids are reused (the lowest free, as HPE's): track what a call adds.
lni_ids() { awk '{ print $1 ":" $2 }' $SD/lnis | sort; }
mark() { before=$(lni_ids); }
new_lni() { comm -13 <(echo "$before") <(lni_ids) | cut -d: -f2; }
svc_line() { awk -v d="$1" -v i="$2" '$1 == d && $2 == i' $SD/services; }
field() { svc_line "$1" "$2" | tr ' ' '\n' | sed -n "s/^$3=//p"; }
inum() { stat -L -c %i "/run/netns/$1"; }

dmesg -C
check "insmod cxi_standin" insmod "$dir/cxi_standin.ko"
check "new_device 0" ctl new_device 0
check "insmod cxi_testclient" insmod "$dir/cxi_testclient.ko"
check_eq "the client got the device at registration" "add cxi0" "$(cat $TC/events)"
check "new_device 1" ctl new_device 1
check_eq "and the next one when it came" "add cxi1" "$(tail -n 1 $TC/events)"
check_errno "new_device with a used ID" EEXIST ctl new_device 1
check_eq "devices" "cxi0 0,cxi1 1" "$(paste -sd, $SD/devices)"

# The default service, as HPE makes it.
check "list" svc cxi0 list
check_eq "a new device has the default service only" 1 "$(result)"
check "get 1" svc cxi0 get 1
check_eq "the default service is disabled, VNIs 1 and 10" \
	"id=1 enable=0 vnis=1,10 restricted_members=0 restricted_vnis=1" "$(result)"
check_errno "the default service cannot be destroyed" EINVAL svc cxi0 destroy 1

# Descriptor checks.
check_errno "5 VNIs" EINVAL svc cxi0 alloc vnis=100,101,102,103,104
check_errno "VNI 0" EINVAL svc cxi0 alloc vnis=0
check_errno "VNI 65536" EINVAL svc cxi0 alloc vnis=65536
check "4 VNIs" svc cxi0 alloc vnis=100,101,102,103 member=ignore member=ignore name=t1
S=$(result)
check_eq "ids are the lowest free one" 2 "$S"
check_eq "a service with VNIs is enabled at once" 1 "$(field cxi0 "$S" enabled)"
check_eq "its VNIs" 100,101,102,103 "$(field cxi0 "$S" vnis)"
check_eq "all traffic classes unless restricted" \
	dedicated_access,low_latency,bulk_data,best_effort,eth "$(field cxi0 "$S" tcs)"

# set_netns: refused while enabled, then once per namespace.
ip netns add hs1
ip netns add hs2
check_errno "set_netns while enabled" EBUSY svc cxi0 set_netns "$S" "$(inum hs1)"
check "disable" svc cxi0 enable "$S" 0
check "set_netns hs1" svc cxi0 set_netns "$S" "$(inum hs1)"
check_errno "set_netns hs1 again" EEXIST svc cxi0 set_netns "$S" "$(inum hs1)"
check "get_netns" svc cxi0 get_netns "$S"
check_eq "get_netns is hs1's ns.inum" "$(inum hs1)" "$(result)"
check "enable" svc cxi0 enable "$S" 1
check_errno "get_netns of a service without" EINVAL svc cxi0 get_netns 1
check "a uid member" svc cxi0 alloc vnis=200 tcs=low_latency member=uid:1000
U=$(result)
check_eq "its traffic classes" low_latency "$(field cxi0 "$U" tcs)"
check "disable it" svc cxi0 enable "$U" 0
check_errno "set_netns with a uid member" EEXIST svc cxi0 set_netns "$U" "$(inum hs1)"
check "enable it" svc cxi0 enable "$U" 1
check "an open service" svc cxi0 alloc vnis=300
O=$(result)
check "disable it" svc cxi0 enable "$O" 0
check_errno "set_netns on an open service" EEXIST svc cxi0 set_netns "$O" "$(inum hs1)"

# LNIs: the checks of cxi_lni_alloc().
mark
check "an LNI from hs1" lni hs1 cxi0 "$S"
L=$(new_lni)
check_eq "it holds the service" 1 "$(field cxi0 "$S" lnis)"
check_eq "recorded with hs1's ns.inum" "netns=$(inum hs1)" \
	"$(awk -v l="$L" '$1 == "cxi0" && $2 == l { print $5 }' $SD/lnis)"
check_errno "an LNI from hs2" EPERM lni hs2 cxi0 "$S"
check_errno "an LNI from init_net" EPERM lni "" cxi0 "$S"
check_errno "an LNI on a disabled service" EKEYREVOKED lni "" cxi0 "$O"
check_errno "an LNI on an unknown service" EINVAL lni "" cxi0 99
check_errno "an LNI on the disabled default service" EKEYREVOKED lni "" cxi0 1
check "uid 1000 on its uid service" lni_as 1000 cxi0 "$U"
check_errno "uid 1001 on it" EPERM lni_as 1001 cxi0 "$U"
check_errno "destroy while held" EBUSY svc cxi0 destroy "$S"
check_errno "disable while held" EBUSY svc cxi0 enable "$S" 0
check_errno "update while held" EBUSY svc cxi0 update "$S" vnis=100
check "free the LNI" ctl lni_free cxi0 "$L"
check_errno "free it again" ENOENT ctl lni_free cxi0 "$L"
check_eq "the service is free" 0 "$(field cxi0 "$S" lnis)"

# update changes the descriptor, not what is enforced.
check "update the VNIs" svc cxi0 update "$S" vnis=500
check "get" svc cxi0 get "$S"
check_eq "the descriptor has the new VNI" \
	"id=$S enable=1 vnis=500 restricted_members=1 restricted_vnis=1" "$(result)"
check_eq "the profiles keep the old ones" 100,101,102,103 "$(field cxi0 "$S" vnis)"
check_errno "update to 5 VNIs" EINVAL svc cxi0 update "$S" vnis=1,2,3,4,5
check "destroy" svc cxi0 destroy "$S"
check_errno "destroy again" EINVAL svc cxi0 destroy "$S"
check "alloc again" svc cxi0 alloc vnis=600
check_eq "takes the freed id" "$S" "$(result)"
check "list" svc cxi0 list
check_eq "ids in order" "1 $S $U $O" "$(result)"
check "the other device has its own ids" svc cxi1 alloc vnis=100
check_eq "cxi1's first" 2 "$(result)"

# The admission hook (patched header only).
if [ -e $TC/hook ]; then
	hook() { echo "$*" > $TC/hook; }
	check "register a hook refusing with EACCES" hook register 13
	check_errno "a second registration" EBUSY hook register
	check_errno "the service is checked first" EKEYREVOKED lni "" cxi0 1
	check "enable the default service" svc cxi0 enable 1 1
	check_errno "then the hook, which has the last word" EACCES lni "" cxi0 1
	check_eq "refusals counted" "registered=1 admits=0 refusals=1 releases=0" \
		"$(head -n 1 $TC/hook)"
	check_eq "the hook saw the device, service and task" \
		"last type=0 dev=cxi0 svc=1" "$(sed -n 2p $TC/hook | cut -d' ' -f1-4)"
	check_eq "the service was not held" 0 "$(field cxi0 1 lnis)"
	check "unregister" hook unregister
	check "register a hook admitting all" hook register
	mark
	check "an LNI through it" lni "" cxi0 1
	LH=$(new_lni)
	check_eq "admitted" "registered=1 admits=1 refusals=1 releases=0" \
		"$(head -n 1 $TC/hook)"
	check_err "the hook's module is pinned by what it admitted" "in use" \
		rmmod cxi_testclient
	check "free the LNI" ctl lni_free cxi0 "$LH"
	check_eq "released" "registered=1 admits=1 refusals=1 releases=1" \
		"$(head -n 1 $TC/hook)"
	check "unregister" hook unregister
else
	tap_skip "admission hook" "the stand-in is built against a stock cxi.h"
fi

# Device removal under live services and LNIs.
check "del_device 0 with an LNI held" ctl del_device 0
check_eq "the client was told" "remove cxi0" "$(tail -n 1 $TC/events)"
check_eq "its services are gone" "" "$(awk '$1 == "cxi0"' $SD/services)"
check_eq "its LNIs too" "" "$(awk '$1 == "cxi0"' $SD/lnis)"
check_errno "del_device 0 again" ENODEV ctl del_device 0
check "rmmod cxi_testclient (devices left)" rmmod cxi_testclient
check "rmmod cxi_standin (devices left)" rmmod cxi_standin
check_eq "kernel log clean (warnings and worse)" "" "$(log_problems)"
tap_plan "$_tap_n"
tap_done
