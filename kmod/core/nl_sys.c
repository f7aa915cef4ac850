// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of the system: SYS_GET, SYS_SET.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include "nl.h"

int ssns_sys_fill(struct sk_buff *skb, u32 portid, u32 seq, u8 cmd)
{
	void *hdr = ssns_nl_put_hdr(skb, portid, seq, 0, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SSNS_ATTR_SYS_NETNS_MODE,
		       READ_ONCE(ssns_netns_mode)) ||
	    nla_put_u8(skb, SSNS_ATTR_SYS_CGROUP_ACCT, ssns_cg_active()) ||
	    nla_put_string(skb, SSNS_ATTR_SYS_VERSION, SSNS_VERSION)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int ssns_nl_sys_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = ssns_sys_fill(msg, info->snd_portid, info->snd_seq,
			    SSNS_CMD_SYS_GET);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int ssns_nl_sys_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *mode = info->attrs[SSNS_ATTR_SYS_NETNS_MODE];

	if (!mode) {
		ssns_err(info->extack, NULL,
			 "missing SYS_NETNS_MODE (0 shared, 1 exclusive)");
		return -EINVAL;
	}
	mutex_lock(&ssns_cfg_lock);
	ssns_set_mode(nla_get_u8(mode));
	mutex_unlock(&ssns_cfg_lock);
	return 0;
}
