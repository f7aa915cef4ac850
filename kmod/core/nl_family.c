// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the operations of the family, their permissions, and the front
 * end's registration.
 *
 * Permissions are declared on the operations (internal_flags) and checked
 * in one place, pre_doit, with a message for the caller: reads are open to
 * everyone (they show what the caller may see); the node-wide mode needs
 * CAP_NET_ADMIN in the initial user namespace (SSNS_NL_NODE_ADMIN). Tenant
 * and profile changes are open to delegates too, so the model judges them
 * once it knows what they touch (access.c); a move checks the namespaces
 * it involves (DEV_SET).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include "nl.h"

static int ssns_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	if ((ops->internal_flags & SSNS_NL_NODE_ADMIN) &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		ssns_err(info->extack, NULL,
			 "CAP_NET_ADMIN in the initial user namespace required");
		return -EPERM;
	}
	return 0;
}

static const struct genl_small_ops ssns_ops[] = {
	{ .cmd = SSNS_CMD_SYS_GET, .doit = ssns_nl_sys_get },
	{ .cmd = SSNS_CMD_SYS_SET, .doit = ssns_nl_sys_set,
	  .internal_flags = SSNS_NL_NODE_ADMIN },
	{ .cmd = SSNS_CMD_DEV_GET, .doit = ssns_nl_dev_get,
	  .dumpit = ssns_nl_dev_dump },
	{ .cmd = SSNS_CMD_DEV_SET, .doit = ssns_nl_dev_set },
	{ .cmd = SSNS_CMD_TENANT_GET, .doit = ssns_nl_tenant_get,
	  .dumpit = ssns_nl_tenant_dump },
	{ .cmd = SSNS_CMD_TENANT_NEW, .doit = ssns_nl_tenant_new },
	{ .cmd = SSNS_CMD_TENANT_DEL, .doit = ssns_nl_tenant_del },
	{ .cmd = SSNS_CMD_TENANT_SET, .doit = ssns_nl_tenant_set },
	{ .cmd = SSNS_CMD_PROFILE_GET, .doit = ssns_nl_profile_get,
	  .dumpit = ssns_nl_profile_dump },
	{ .cmd = SSNS_CMD_PROFILE_NEW, .doit = ssns_nl_profile_new },
	{ .cmd = SSNS_CMD_PROFILE_DEL, .doit = ssns_nl_profile_del },
	{ .cmd = SSNS_CMD_EP_GET, .dumpit = ssns_nl_ep_dump },
	{ .cmd = SSNS_CMD_MONITOR, .doit = ssns_nl_monitor },
};

/*
 * Node admins only: see nl_monitor.c. A kernel without the flag gets no
 * group messages at all (subscribers still get theirs).
 */
static const struct genl_multicast_group ssns_mcgrps[] = {
#ifdef GENL_MCAST_CAP_NET_ADMIN
	{ .name = SSNS_GENL_MCGRP_MONITOR, .flags = GENL_MCAST_CAP_NET_ADMIN },
#else
	{ .name = SSNS_GENL_MCGRP_MONITOR },
#endif
};

int ssns_netlink_init(void)
{
	struct genl_family *f = &ssns_genl_family;
	int err;

	strscpy(f->name, SSNS_GENL_NAME, sizeof(f->name));
	f->version = SSNS_GENL_VERSION;
	f->maxattr = SSNS_ATTR_MAX;
	f->policy = ssns_policy;
	f->netnsok = true;
	f->module = THIS_MODULE;
	f->pre_doit = ssns_nl_pre_doit;
	f->small_ops = ssns_ops;
	f->n_small_ops = ARRAY_SIZE(ssns_ops);
	f->mcgrps = ssns_mcgrps;
	f->n_mcgrps = ARRAY_SIZE(ssns_mcgrps);

	err = ssns_monitor_init();
	if (err)
		return err;
	err = genl_register_family(f);
	if (err) {
		ssns_monitor_exit();
		return err;
	}
	mutex_lock(&ssns_cfg_lock);
	ssns_event_set_sink(ssns_monitor_event);
	mutex_unlock(&ssns_cfg_lock);
	return 0;
}

void ssns_netlink_exit(void)
{
	mutex_lock(&ssns_cfg_lock);
	ssns_event_set_sink(NULL);
	mutex_unlock(&ssns_cfg_lock);
	genl_unregister_family(&ssns_genl_family);
	WRITE_ONCE(ssns_nl_down, true);
	ssns_monitor_exit();
}
