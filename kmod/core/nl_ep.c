// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of endpoints: the EP_GET dump, and the EP_DENIED
 * event's attributes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/sched.h>
#include <net/sock.h>
#include "nl.h"

static int ssns_ep_fill(struct sk_buff *skb, struct netlink_callback *cb,
			const struct ssns_dev *dev, const struct ssns_ep *ep,
			const struct ssns_ctx *ctx)
{
	void *hdr;

	hdr = ssns_nl_put_hdr(skb, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI, SSNS_CMD_EP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (ssns_nl_put_dev_ref(skb, dev) ||
	    nla_put_u32(skb, SSNS_ATTR_VNI, ep->vni) ||
	    nla_put_u8(skb, SSNS_ATTR_TC, ep->tc) ||
	    nla_put_u32(skb, SSNS_ATTR_EP_ADDR, ep->addr) ||
	    nla_put_u32(skb, SSNS_ATTR_OWNER_PID, ep->owner_pid) ||
	    nla_put_string(skb, SSNS_ATTR_OWNER_COMM, ep->owner_comm) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_NETNS_COOKIE, ctx->net_cookie,
			      SSNS_ATTR_PAD) ||
	    (ctx->tenant &&
	     nla_put_string(skb, SSNS_ATTR_TENANT_NAME, ctx->tenant->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * EP_GET dump: every endpoint the caller may see, by device, in the order
 * they were committed. Position in cb->args[0..1].
 */
int ssns_nl_ep_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long di = cb->args[0], ei = cb->args[1];
	struct ssns_caller who;
	struct ssns_view view;
	struct ssns_dev *dev;
	struct ssns_ep *ep;
	int err;

	if (cb->args[2])
		return 0;
	ssns_nl_caller(cb->skb, net, &who);
	mutex_lock(&ssns_cfg_lock);
	err = ssns_view_init(&view, &who);
	if (err) {
		mutex_unlock(&ssns_cfg_lock);
		return err;
	}
	rcu_read_lock();
	for (dev = xa_find(&ssns_devs, &di, ULONG_MAX, XA_PRESENT); dev;
	     dev = xa_find_after(&ssns_devs, &di, ULONG_MAX, XA_PRESENT),
	     ei = 0) {
		for (ep = xa_find(&dev->eps, &ei, ULONG_MAX, XA_PRESENT); ep;
		     ep = xa_find_after(&dev->eps, &ei, ULONG_MAX,
					XA_PRESENT)) {
			struct ssns_ctx *ctx = READ_ONCE(ep->ctx);

			if (!ctx || !ssns_view_sees(&view, ctx->tenant))
				continue;
			err = ssns_ep_fill(skb, cb, dev, ep, ctx);
			if (err)
				goto out;
		}
	}
out:
	rcu_read_unlock();
	ssns_view_free(&view);
	mutex_unlock(&ssns_cfg_lock);
	cb->args[0] = di;
	cb->args[1] = ei;
	if (!err)
		cb->args[2] = 1;	/* done */
	else if (skb->len)
		return skb->len;
	return err ? err : skb->len;
}

/* The attributes of an EP_DENIED event, for the current task. */
int ssns_denial_fill(struct sk_buff *skb, const struct ssns_denial *d)
{
	struct ssns_ctx *ctx = d->ctx;
	char comm[TASK_COMM_LEN];
	void *hdr;

	hdr = ssns_nl_put_hdr(skb, 0, 0, 0, SSNS_CMD_EP_DENIED);
	if (!hdr)
		return -EMSGSIZE;
	get_task_comm(comm, current);
	if (ssns_nl_put_dev_ref(skb, ctx->dev) ||
	    nla_put_u32(skb, SSNS_ATTR_VNI, d->vni) ||
	    nla_put_u8(skb, SSNS_ATTR_TC, d->tc) ||
	    nla_put_u32(skb, SSNS_ATTR_EP_ADDR, d->addr) ||
	    nla_put_u32(skb, SSNS_ATTR_OWNER_PID, task_tgid_nr(current)) ||
	    nla_put_string(skb, SSNS_ATTR_OWNER_COMM, comm) ||
	    nla_put_u32(skb, SSNS_ATTR_REASON, d->reason) ||
	    nla_put_u32(skb, SSNS_ATTR_ERRNO, d->err) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_NETNS_COOKIE, ctx->net_cookie,
			      SSNS_ATTR_PAD) ||
	    (ctx->tenant &&
	     nla_put_string(skb, SSNS_ATTR_TENANT_NAME, ctx->tenant->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}
