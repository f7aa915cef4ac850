// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of profiles: PROFILE_GET, PROFILE_NEW,
 * PROFILE_DEL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/sock.h>
#include "nl.h"

int ssns_profile_fill(struct sk_buff *skb, struct ssns_profile *p,
		      u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr = ssns_nl_put_hdr(skb, portid, seq, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (ssns_nl_put_dev_ref(skb, p->dev) ||
	    nla_put_u32(skb, SSNS_ATTR_VNI, p->vni) ||
	    nla_put_u8(skb, SSNS_ATTR_TC, p->tc) ||
	    (p->tenant &&
	     nla_put_string(skb, SSNS_ATTR_TENANT_NAME, p->tenant->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Profiles of a tenant's VNIs are for whoever manages the tenant; those of
 * unowned VNIs (host use) for node admins.
 */
static int ssns_profile_allowed(const struct ssns_caller *who, u16 vni,
				struct netlink_ext_ack *extack)
{
	struct ssns_tenant *t = ssns_tenant_of_vni(vni);

	if (who->admin || (t && ssns_manages(who, t)))
		return 0;
	if (t)
		ssns_err(extack, NULL,
			 "VNI %u is tenant %s's: not a node admin, nor a delegate of it",
			 vni, t->name);
	else
		ssns_err(extack, NULL,
			 "VNI %u is no tenant's: its profiles need CAP_NET_ADMIN in the initial user namespace",
			 vni);
	return -EPERM;
}

/* The (device, VNI, TC) of a request. Under ssns_cfg_lock. */
static int ssns_profile_req(struct genl_info *info, bool global,
			    struct ssns_dev **dev, u16 *vni, u8 *tc)
{
	struct nlattr **a = info->attrs;

	*dev = ssns_nl_dev(info, global);
	if (IS_ERR(*dev))
		return PTR_ERR(*dev);
	if (!a[SSNS_ATTR_VNI] || !a[SSNS_ATTR_TC]) {
		ssns_err(info->extack, NULL,
			 "a profile needs DEV_INDEX or DEV_NAME, VNI and TC");
		return -EINVAL;
	}
	*vni = nla_get_u32(a[SSNS_ATTR_VNI]);
	*tc = nla_get_u8(a[SSNS_ATTR_TC]);
	return 0;
}

int ssns_nl_profile_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_caller who;
	struct ssns_profile *p;
	struct ssns_dev *dev;
	u16 vni;
	u8 tc;
	int err;

	ssns_nl_caller(skb, genl_info_net(info), &who);
	mutex_lock(&ssns_cfg_lock);
	/* Node admins name any device; delegates those they see. */
	err = ssns_profile_req(info, who.admin, &dev, &vni, &tc);
	if (!err)
		err = ssns_profile_allowed(&who, vni, info->extack);
	if (!err) {
		p = ssns_profile_new(dev, vni, tc, info->extack);
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			info->extack->bad_attr = info->attrs[SSNS_ATTR_VNI];
		}
	}
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

int ssns_nl_profile_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_caller who;
	struct ssns_dev *dev;
	u16 vni;
	u8 tc;
	int err;

	ssns_nl_caller(skb, genl_info_net(info), &who);
	mutex_lock(&ssns_cfg_lock);
	err = ssns_profile_req(info, who.admin, &dev, &vni, &tc);
	if (!err)
		err = ssns_profile_allowed(&who, vni, info->extack);
	if (!err) {
		err = ssns_profile_del(dev, vni, tc, info->extack);
		if (err)
			info->extack->bad_attr = info->attrs[SSNS_ATTR_VNI];
	}
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

int ssns_nl_profile_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_profile *p = NULL;
	struct ssns_caller who;
	struct ssns_dev *dev;
	struct sk_buff *msg;
	u16 vni;
	u8 tc;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ssns_nl_caller(skb, net, &who);
	mutex_lock(&ssns_cfg_lock);
	err = ssns_profile_req(info, net_eq(net, &init_net), &dev, &vni, &tc);
	if (err)
		goto err_unlock;
	p = ssns_profile_lookup(dev, vni, tc);
	if (!p || !ssns_reader_sees(&who, p->tenant)) {
		ssns_err(info->extack, info->attrs[SSNS_ATTR_VNI],
			 "no profile %s vni %u tc %s", dev->name, vni,
			 ssns_tc_names[tc]);
		err = -ENOENT;
		goto err_unlock;
	}
	err = ssns_profile_fill(msg, p, info->snd_portid, info->snd_seq, 0,
				SSNS_CMD_PROFILE_GET);
	if (err)
		goto err_unlock;
	mutex_unlock(&ssns_cfg_lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	nlmsg_free(msg);
	return err;
}

/* Dump position: cb->args[0] device index, cb->args[1] profile key. */
int ssns_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long di, key;
	struct ssns_profile *p;
	struct ssns_caller who;
	struct ssns_view view;
	struct ssns_dev *dev;
	int err = 0;

	if (cb->args[2])
		return 0;
	ssns_nl_caller(cb->skb, net, &who);
	mutex_lock(&ssns_cfg_lock);
	err = ssns_view_init(&view, &who);
	if (err) {
		mutex_unlock(&ssns_cfg_lock);
		return err;
	}
	xa_for_each_start(&ssns_devs, di, dev, cb->args[0]) {
		xa_for_each_start(&dev->profiles, key, p,
				  di == cb->args[0] ? cb->args[1] : 0) {
			if (!ssns_view_sees(&view, p->tenant))
				continue;
			err = ssns_profile_fill(skb, p,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq,
						NLM_F_MULTI,
						SSNS_CMD_PROFILE_GET);
			if (err) {
				cb->args[0] = di;
				cb->args[1] = key;
				goto out;
			}
		}
	}
	cb->args[2] = 1;
out:
	ssns_view_free(&view);
	mutex_unlock(&ssns_cfg_lock);
	if (err && !skb->len)
		return err;
	return skb->len;
}
