#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and refused requests for tenants and profiles: each fails with
# an errno and an extack message that names the bad value, and nothing
# changes.
. "$(dirname "$0")/lib.sh"
need_progs

sim_add 1 cxi0
ip netns add p1
trap 'ip netns del p1 2>/dev/null' EXIT
$CTL tenant add alice vni 100-199 > /dev/null
$CTL tenant set alice netns p1 > /dev/null
$CTL profile add dev cxi0 vni 100 tc low_latency > /dev/null

state() {
	"$NLRAW" -D tenant_get | grep -v -e '^ *pad=' -e 'deny_\|ep_\|ctx_\|_msgs\|drops'
	"$NLRAW" -D profile_get
}
before=$(state)
check "the state has a tenant and a profile" \
	sh -c "echo '$before' | grep -q tenant_name=alice && echo '$before' | grep -q 'vni=100'"

R() { echo "nest:vni_ranges nest:vni_range u32:vni_first=$1 u32:vni_last=$2 end end"; }

# tenants
nl_expect "tenant_new without a name" EINVAL TENANT_NAME tenant_new $(R 300 301)
nl_expect "tenant_new with a name too long" EINVAL . tenant_new str:tenant_name=abcdefghijklmnopqrstuvwxyz0123456789
nl_expect "tenant_new with VNI 0" ERANGE . tenant_new str:tenant_name=bob $(R 0 5)
nl_expect "tenant_new with VNI 70000" ERANGE . tenant_new str:tenant_name=bob $(R 300 70000)
nl_expect "tenant_new with a reversed range names it" EINVAL "400-300" tenant_new str:tenant_name=bob $(R 400 300)
nl_expect "tenant_new with a range without its first VNI" EINVAL VNI_FIRST \
	tenant_new str:tenant_name=bob nest:vni_ranges nest:vni_range u32:vni_last=5 end end
nl_expect "tenant_new with ranges that are not a nest" EINVAL . tenant_new str:tenant_name=bob u32:vni_ranges=5
nl_expect "tenant_new with a VNI of another tenant names the owner" EBUSY alice tenant_new str:tenant_name=bob $(R 150 160)
nl_expect "tenant_new of an existing name names it" EEXIST alice tenant_new str:tenant_name=alice
nl_expect "tenant_del of an unknown tenant names it" ENOENT nosuch tenant_del str:tenant_name=nosuch
nl_expect "tenant_set without an op" EINVAL OP tenant_set str:tenant_name=alice $(R 300 301)
nl_expect "tenant_set with op 2" ERANGE . tenant_set str:tenant_name=alice u8:op=2 $(R 300 301)
nl_expect "tenant_set of a member pid that does not exist names it" ESRCH 999999 \
	tenant_set str:tenant_name=alice u8:op=0 nest:members nest:member u32:netns_pid=999999 end end
nl_expect "tenant_set of a member fd that is not a netns" EINVAL . \
	tenant_set str:tenant_name=alice u8:op=0 nest:members nest:member u32:netns_fd=0 end end
nl_expect "tenant_set removing a VNI a profile uses names it" EBUSY 100 \
	tenant_set str:tenant_name=alice u8:op=1 $(R 100 100)
nl_expect "tenant_set removing a VNI the tenant does not own names it" "EINVAL|ENOENT" 250 \
	tenant_set str:tenant_name=alice u8:op=1 $(R 250 250)

# profiles
nl_expect "profile_new without a VNI" EINVAL VNI profile_new str:dev_name=cxi0 u8:tc=1
nl_expect "profile_new without a TC" EINVAL TC profile_new str:dev_name=cxi0 u32:vni=101
nl_expect "profile_new without a device" EINVAL . profile_new u32:vni=101 u8:tc=1
nl_expect "profile_new with TC 4" ERANGE . profile_new str:dev_name=cxi0 u32:vni=101 u8:tc=4
nl_expect "profile_new with VNI 0" ERANGE . profile_new str:dev_name=cxi0 u32:vni=0 u8:tc=1
nl_expect "profile_new with VNI 65536" ERANGE . profile_new str:dev_name=cxi0 u32:vni=65536 u8:tc=1
nl_expect "profile_new on an unknown device names it" ENODEV cxi7 profile_new str:dev_name=cxi7 u32:vni=101 u8:tc=1
nl_expect "profile_new that exists" EEXIST 100 profile_new str:dev_name=cxi0 u32:vni=100 u8:tc=1
nl_expect "profile_del that does not exist" ENOENT 101 profile_del str:dev_name=cxi0 u32:vni=101 u8:tc=1

# privileges: node-wide changes need CAP_NET_ADMIN in the initial user ns
unpriv() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
userns_root() { unshare --user --map-root-user --net "$@"; }
check_errno "an unprivileged user cannot add a tenant" EPERM unpriv "$NLRAW" tenant_new str:tenant_name=eve
check_errno "a user namespace root cannot add a tenant" EPERM userns_root "$NLRAW" tenant_new str:tenant_name=eve
check_errno "a user namespace root cannot add a profile" EPERM \
	userns_root "$NLRAW" profile_new str:dev_name=cxi0 u32:vni=101 u8:tc=1
check_errno "a pod root cannot take its pod out of its tenant" EPERM \
	ip netns exec p1 unshare --user --map-root-user "$CTL" tenant set alice netns p1 del

# A pod reading sees its own tenant only; the host sees all.
$CTL tenant add bob vni 200 > /dev/null
check_eq "the host lists both tenants" "alice bob" \
	"$("$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | sort | xargs)"
check_eq "a pod of alice lists alice only" "alice" \
	"$(ip netns exec p1 "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | xargs)"
$CTL tenant del bob > /dev/null

check_eq "nothing changed" "$before" "$(state)"
tap_plan "$_tap_n"
tap_done
