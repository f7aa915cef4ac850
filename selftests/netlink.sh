#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed requests to the ssns family (system and device commands): each
# fails with an errno and an extack message that names the bad value, and
# nothing changes.
. "$(dirname "$0")/lib.sh"
need_progs

sim_add 1 cxi0
ip netns add a
trap 'ip netns del a 2>/dev/null' EXIT

state() { echo "mode=$(sys_mode) devs=$(dev_names | xargs) a=$(dev_names a | xargs)"; }
before=$(state)

# system
nl_expect "sys_set without attributes" EINVAL . sys_set
nl_expect "sys_set mode 2 is out of range" ERANGE . sys_set u8:sys_netns_mode=2
nl_expect "sys_set mode as u32 is the wrong type" EINVAL . sys_set u32:sys_netns_mode=1
nl_expect "sys_set with an unknown attribute type" EINVAL . sys_set u8:sys_netns_mode=1 u32:250=1
nl_expect "sys_set with a read-only attribute" EINVAL . sys_set u8:sys_cgroup_acct=1
nl_expect "a request cut into its last attribute" EINVAL . -t 6 sys_set u8:sys_netns_mode=1
# The generic netlink core rejects an unknown command before ssns sees it,
# without a message.
check_eq "an unknown command" "error=EOPNOTSUPP extack=" "$("$NLRAW" 200 | tail -n 1)"

# device
nl_expect "dev_get of an unknown index names it" ENODEV 4242 dev_get u32:dev_index=4242
nl_expect "dev_get of an unknown name names it" ENODEV nosuch dev_get str:dev_name=nosuch
nl_expect "dev_set without a device" EINVAL . dev_set u32:netns_pid=1
nl_expect "dev_set without a target netns" EINVAL . dev_set str:dev_name=cxi0
nl_expect "dev_set of an unknown device names it" ENODEV cxi9 dev_set str:dev_name=cxi9 u32:netns_pid=1
nl_expect "dev_set to a pid that does not exist names it" ESRCH 999999 dev_set str:dev_name=cxi0 u32:netns_pid=999999
nl_expect "dev_set to a closed fd names it" EBADF 987 dev_set str:dev_name=cxi0 u32:netns_fd=987
nl_expect "dev_set to an fd that is not a netns" EINVAL . dev_set str:dev_name=cxi0 u32:netns_fd=0
nl_expect "dev_set with both fd and pid" EINVAL . dev_set str:dev_name=cxi0 u32:netns_fd=0 u32:netns_pid=1
nl_expect "dev_set with a name too long" EINVAL . dev_set str:dev_name=cxi0123456789012345678901234567890123 u32:netns_pid=1
nl_expect "dev_set with a name without NUL" EINVAL . dev_set strz:dev_name=cxi0 u32:netns_pid=1
nl_expect "dev_set with an index as u8" EINVAL . dev_set u8:dev_index=0 u32:netns_pid=1
nl_expect "dev_set with a u64 pid" EINVAL . dev_set str:dev_name=cxi0 u64:netns_pid=1

check_eq "nothing changed" "$before" "$(state)"
tap_plan "$_tap_n"
tap_done
