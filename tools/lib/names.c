// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* Names of the enum values of the ssns uapi. */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const mode_names[] = {
	[SSNS_NETNS_SHARED] = "shared",
	[SSNS_NETNS_EXCLUSIVE] = "exclusive",
};

static const char *const tc_names[] = {
	[SSNS_TC_DEDICATED_ACCESS] = "dedicated_access",
	[SSNS_TC_LOW_LATENCY] = "low_latency",
	[SSNS_TC_BULK_DATA] = "bulk_data",
	[SSNS_TC_BEST_EFFORT] = "best_effort",
};

static const char *const reason_names[] = {
	[SSNS_DENY_NODEV] = "nodev",
	[SSNS_DENY_NOPROFILE] = "noprofile",
	[SSNS_DENY_TENANT] = "tenant",
	[SSNS_DENY_CGROUP] = "cgroup",
	[SSNS_DENY_ADDRINUSE] = "addrinuse",
	[SSNS_DENY_NOSPC] = "nospc",
};

static const char *const stat_names[] = {
	[SSNS_STAT_CTX_OPEN] = "ctx_open",
	[SSNS_STAT_CTX_REVOKED] = "ctx_revoked",
	[SSNS_STAT_EP_ALLOC] = "ep_alloc",
	[SSNS_STAT_EP_FREE] = "ep_free",
	[SSNS_STAT_DENY_NODEV] = "deny_nodev",
	[SSNS_STAT_DENY_NOPROFILE] = "deny_noprofile",
	[SSNS_STAT_DENY_TENANT] = "deny_tenant",
	[SSNS_STAT_DENY_CGROUP] = "deny_cgroup",
	[SSNS_STAT_DENY_ADDRINUSE] = "deny_addrinuse",
	[SSNS_STAT_DENY_NOSPC] = "deny_nospc",
	[SSNS_STAT_TX_MSGS] = "tx_msgs",
	[SSNS_STAT_RX_MSGS] = "rx_msgs",
	[SSNS_STAT_DROPS] = "drops",
};

/* Every command of the family, in requests and in notifications. */
static const char *const cmd_names[] = {
	[SSNS_CMD_SYS_GET] = "sys_get",
	[SSNS_CMD_SYS_SET] = "sys_set",
	[SSNS_CMD_DEV_GET] = "dev_get",
	[SSNS_CMD_DEV_SET] = "dev_set",
	[SSNS_CMD_DEV_NEW] = "dev_new",
	[SSNS_CMD_DEV_DEL] = "dev_del",
	[SSNS_CMD_TENANT_GET] = "tenant_get",
	[SSNS_CMD_TENANT_NEW] = "tenant_new",
	[SSNS_CMD_TENANT_DEL] = "tenant_del",
	[SSNS_CMD_TENANT_SET] = "tenant_set",
	[SSNS_CMD_PROFILE_GET] = "profile_get",
	[SSNS_CMD_PROFILE_NEW] = "profile_new",
	[SSNS_CMD_PROFILE_DEL] = "profile_del",
	[SSNS_CMD_EP_GET] = "ep_get",
	[SSNS_CMD_EP_DENIED] = "ep_denied",
	[SSNS_CMD_MONITOR] = "monitor",
};

/* The commands that are also events. */
static const unsigned int event_cmds =
	1U << SSNS_CMD_SYS_SET | 1U << SSNS_CMD_DEV_SET |
	1U << SSNS_CMD_DEV_NEW | 1U << SSNS_CMD_DEV_DEL |
	1U << SSNS_CMD_TENANT_NEW | 1U << SSNS_CMD_TENANT_DEL |
	1U << SSNS_CMD_TENANT_SET | 1U << SSNS_CMD_PROFILE_NEW |
	1U << SSNS_CMD_PROFILE_DEL | 1U << SSNS_CMD_EP_DENIED;

static const char *const attr_names[] = {
	[SSNS_ATTR_PAD] = "PAD",
	[SSNS_ATTR_SYS_NETNS_MODE] = "SYS_NETNS_MODE",
	[SSNS_ATTR_SYS_CGROUP_ACCT] = "SYS_CGROUP_ACCT",
	[SSNS_ATTR_SYS_VERSION] = "SYS_VERSION",
	[SSNS_ATTR_DEV_INDEX] = "DEV_INDEX",
	[SSNS_ATTR_DEV_NAME] = "DEV_NAME",
	[SSNS_ATTR_DEV_PROVIDER] = "DEV_PROVIDER",
	[SSNS_ATTR_DEV_CHARDEV] = "DEV_CHARDEV",
	[SSNS_ATTR_NETNS_FD] = "NETNS_FD",
	[SSNS_ATTR_NETNS_PID] = "NETNS_PID",
	[SSNS_ATTR_NETNS_COOKIE] = "NETNS_COOKIE",
	[SSNS_ATTR_NETNS_ID] = "NETNS_ID",
	[SSNS_ATTR_TENANT_NAME] = "TENANT_NAME",
	[SSNS_ATTR_VNI_RANGES] = "VNI_RANGES",
	[SSNS_ATTR_VNI_RANGE] = "VNI_RANGE",
	[SSNS_ATTR_VNI_FIRST] = "VNI_FIRST",
	[SSNS_ATTR_VNI_LAST] = "VNI_LAST",
	[SSNS_ATTR_MEMBERS] = "MEMBERS",
	[SSNS_ATTR_MEMBER] = "MEMBER",
	[SSNS_ATTR_CGROUP_PATH] = "CGROUP_PATH",
	[SSNS_ATTR_CGROUP_FD] = "CGROUP_FD",
	[SSNS_ATTR_CGROUP_ID] = "CGROUP_ID",
	[SSNS_ATTR_OP] = "OP",
	[SSNS_ATTR_VNI] = "VNI",
	[SSNS_ATTR_TC] = "TC",
	[SSNS_ATTR_EP_ADDR] = "EP_ADDR",
	[SSNS_ATTR_OWNER_PID] = "OWNER_PID",
	[SSNS_ATTR_OWNER_COMM] = "OWNER_COMM",
	[SSNS_ATTR_REASON] = "REASON",
	[SSNS_ATTR_ERRNO] = "ERRNO",
	[SSNS_ATTR_STATS] = "STATS",
	[SSNS_ATTR_DEV_PARENT] = "DEV_PARENT",
	[SSNS_ATTR_DEV_COUNTERS] = "DEV_COUNTERS",
	[SSNS_ATTR_COUNTER] = "COUNTER",
	[SSNS_ATTR_COUNTER_NAME] = "COUNTER_NAME",
	[SSNS_ATTR_COUNTER_VALUE] = "COUNTER_VALUE",
	[SSNS_ATTR_TENANT_PARENT] = "TENANT_PARENT",
	[SSNS_ATTR_USERNS_FD] = "USERNS_FD",
	[SSNS_ATTR_USERNS_PID] = "USERNS_PID",
	[SSNS_ATTR_USERNS_INUM] = "USERNS_INUM",
	[SSNS_ATTR_DELEGATE] = "DELEGATE",
	[SSNS_ATTR_DELEGATE_NONE] = "DELEGATE_NONE",
	[SSNS_ATTR_DELEGATE_CGROUP] = "DELEGATE_CGROUP",
	[SSNS_ATTR_BW] = "BW",
	[SSNS_ATTR_BW_SHARE] = "BW_SHARE",
	[SSNS_ATTR_BW_MAX] = "BW_MAX",
	[SSNS_ATTR_BW_CLEAR] = "BW_CLEAR",
	[SSNS_ATTR_BW_DEV] = "BW_DEV",
	[SSNS_ATTR_BW_MEMBER] = "BW_MEMBER",
	[SSNS_ATTR_BW_THROTTLED] = "BW_THROTTLED",
	[SSNS_ATTR_BW_WAIT_US] = "BW_WAIT_US",
	[SSNS_ATTR_MEMBER_SERVICES] = "MEMBER_SERVICES",
	[SSNS_ATTR_DEV_SERVICES] = "DEV_SERVICES",
	[SSNS_ATTR_SERVICE_ID] = "SERVICE_ID",
};

static const char *lookup(const char *const *tab, size_t n, unsigned int v)
{
	return v < n ? tab[v] : NULL;
}

static int rlookup(const char *const *tab, size_t n, const char *name)
{
	size_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], name))
			return (int)i;
	return -EINVAL;
}

SSNS_EXPORT const char *ssns_netns_mode_name(unsigned int mode)
{
	return lookup(mode_names, ARRAY_SIZE(mode_names), mode);
}

SSNS_EXPORT const char *ssns_tc_name(unsigned int tc)
{
	return lookup(tc_names, ARRAY_SIZE(tc_names), tc);
}

SSNS_EXPORT const char *ssns_deny_reason_name(unsigned int reason)
{
	return lookup(reason_names, ARRAY_SIZE(reason_names), reason);
}

SSNS_EXPORT const char *ssns_stat_name(unsigned int stat)
{
	return lookup(stat_names, ARRAY_SIZE(stat_names), stat);
}

SSNS_EXPORT const char *ssns_event_name(unsigned int cmd)
{
	return cmd < 32 && (event_cmds & 1U << cmd) ? ssns_cmd_name(cmd) : NULL;
}

SSNS_EXPORT const char *ssns_cmd_name(unsigned int cmd)
{
	return lookup(cmd_names, ARRAY_SIZE(cmd_names), cmd);
}

SSNS_EXPORT const char *ssns_attr_name(unsigned int attr)
{
	return lookup(attr_names, ARRAY_SIZE(attr_names), attr);
}

SSNS_EXPORT int ssns_netns_mode_from_name(const char *name)
{
	return rlookup(mode_names, ARRAY_SIZE(mode_names), name);
}

SSNS_EXPORT int ssns_tc_from_name(const char *name)
{
	return rlookup(tc_names, ARRAY_SIZE(tc_names), name);
}
