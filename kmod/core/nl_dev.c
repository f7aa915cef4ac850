// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of devices: DEV_GET, DEV_SET (a move).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/sock.h>
#include "nl.h"

/* The provider's counters, by the names it registered. */
static int ssns_dev_put_counters(struct sk_buff *skb, struct ssns_dev *dev)
{
	u64 values[SSNS_COUNTERS_MAX] = {};
	struct nlattr *nest, *c;
	unsigned int i;

	if (!dev->nr_counters)
		return 0;
	if (!dev->dead)
		dev->ops->counters(dev, values);
	nest = nla_nest_start(skb, SSNS_ATTR_DEV_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < dev->nr_counters; i++) {
		c = nla_nest_start(skb, SSNS_ATTR_COUNTER);
		if (!c ||
		    nla_put_string(skb, SSNS_ATTR_COUNTER_NAME,
				   dev->counters[i]) ||
		    nla_put_u64_64bit(skb, SSNS_ATTR_COUNTER_VALUE, values[i],
				      SSNS_ATTR_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, c);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A device. @caller, the reader's netns, adds what only it may see
 * (NETNS_ID, counters); events have none.
 */
int ssns_dev_fill(struct sk_buff *skb, struct ssns_dev *dev,
		  struct net *caller, u32 portid, u32 seq, int flags, u8 cmd)
{
	struct net *owner = READ_ONCE(dev->net);
	struct device *parent = dev->dev.parent;
	void *hdr;
	int id;

	hdr = ssns_nl_put_hdr(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (ssns_nl_put_dev_ref(skb, dev) ||
	    nla_put_string(skb, SSNS_ATTR_DEV_PROVIDER, dev->provider) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_NETNS_COOKIE, owner->net_cookie,
			      SSNS_ATTR_PAD) ||
	    nla_put_u8(skb, SSNS_ATTR_SYS_CGROUP_ACCT, ssns_cg_dev_on(dev)))
		goto cancel;
	if (cmd == SSNS_CMD_DEV_DEL)
		goto done;
	if ((*dev->devnode &&
	     nla_put_string(skb, SSNS_ATTR_DEV_CHARDEV, dev->devnode)) ||
	    (parent &&
	     nla_put_string(skb, SSNS_ATTR_DEV_PARENT, dev_name(parent))))
		goto cancel;
	if (caller && !net_eq(caller, owner)) {
		id = peernet2id(caller, owner);
		if (id >= 0 && nla_put_s32(skb, SSNS_ATTR_NETNS_ID, id))
			goto cancel;
	}
	if (caller && (ssns_nl_put_stats(skb, dev->stats) ||
		       ssns_dev_put_counters(skb, dev)))
		goto cancel;
done:
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int ssns_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_dev *dev;
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ssns_cfg_lock);
	dev = ssns_nl_dev(info, false);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_unlock;
	}
	err = ssns_dev_fill(msg, dev, net, info->snd_portid, info->snd_seq, 0,
			    SSNS_CMD_DEV_GET);
	if (err)
		goto err_unlock;
	mutex_unlock(&ssns_cfg_lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	nlmsg_free(msg);
	return err;
}

int ssns_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long i = cb->args[0];
	struct ssns_dev *dev;
	int err = 0;

	mutex_lock(&ssns_cfg_lock);
	xa_for_each_start(&ssns_devs, i, dev, cb->args[0]) {
		if (!ssns_visible(dev, net))
			continue;
		err = ssns_dev_fill(skb, dev, net, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    SSNS_CMD_DEV_GET);
		if (err)
			break;
	}
	mutex_unlock(&ssns_cfg_lock);
	if (err && !skb->len)
		return err;
	cb->args[0] = err ? i : i + 1;
	return skb->len;
}

int ssns_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_dev *dev;
	struct net *target;
	int err;

	if (!info->attrs[SSNS_ATTR_NETNS_FD] &&
	    !info->attrs[SSNS_ATTR_NETNS_PID]) {
		ssns_err(info->extack, NULL,
			 "nothing to set: give NETNS_FD or NETNS_PID");
		return -EINVAL;
	}
	target = ssns_nl_get_netns(info->attrs, NULL, info->extack);
	if (IS_ERR(target))
		return PTR_ERR(target);

	mutex_lock(&ssns_cfg_lock);
	dev = ssns_nl_dev(info, false);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	if (!netlink_ns_capable(skb, dev->net->user_ns, CAP_NET_ADMIN)) {
		ssns_err(info->extack, NULL,
			 "moving %s needs CAP_NET_ADMIN over the user namespace of its netns (cookie %llu)",
			 dev->name, dev->net->net_cookie);
		err = -EPERM;
		goto out;
	}
	if (!netlink_ns_capable(skb, target->user_ns, CAP_NET_ADMIN)) {
		ssns_err(info->extack, NULL,
			 "moving %s needs CAP_NET_ADMIN over the user namespace of the target netns (cookie %llu)",
			 dev->name, target->net_cookie);
		err = -EPERM;
		goto out;
	}
	err = ssns_dev_move(dev, target);
	if (!err)
		pr_info("%s moved to netns %llu\n", dev->name,
			target->net_cookie);
out:
	mutex_unlock(&ssns_cfg_lock);
	put_net(target);
	return err;
}
