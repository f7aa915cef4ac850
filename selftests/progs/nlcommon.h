/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the generic netlink test programs (nlraw, nlfuzz): the names
 * of the commands of the "ssns" family. A header, not a .c file: every .c
 * file here is a program of its own.
 */
#ifndef SSNS_NLCOMMON_H
#define SSNS_NLCOMMON_H

#include <linux/ssns.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Indexed by command: nlraw takes and nlfuzz prints these names. */
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

#endif /* SSNS_NLCOMMON_H */
