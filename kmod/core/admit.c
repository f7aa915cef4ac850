// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: endpoint admission, the endpoint tables and the endpoint dump.
 *
 * Admission applies the rules of the design in order, each with its own
 * errno:
 *   1. context not revoked, device visible from the context's netns: ENODEV
 *   2. a profile (device, VNI, TC) exists: ENOENT
 *   3. the profile's tenant is the context's tenant; a context without a
 *      tenant may use only tenant-less profiles, only from init_net: EACCES
 *   4. the rdma cgroup allows one more hca_object: EAGAIN
 *   5. the address is free on (device, VNI): EADDRINUSE, ENOSPC if none is
 * No capability bypasses any rule. Every lookup is an xarray load under
 * RCU; the configuration lock is never taken here.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/rcupdate.h>
#include <net/sock.h>
#include "core.h"

static const int ssns_deny_stat[SSNS_DENY_MAX + 1] = {
	[SSNS_DENY_NODEV]	= SSNS_STAT_DENY_NODEV,
	[SSNS_DENY_NOPROFILE]	= SSNS_STAT_DENY_NOPROFILE,
	[SSNS_DENY_TENANT]	= SSNS_STAT_DENY_TENANT,
	[SSNS_DENY_CGROUP]	= SSNS_STAT_DENY_CGROUP,
	[SSNS_DENY_ADDRINUSE]	= SSNS_STAT_DENY_ADDRINUSE,
	[SSNS_DENY_NOSPC]	= SSNS_STAT_DENY_NOSPC,
};

static const char * const ssns_deny_text[SSNS_DENY_MAX + 1] = {
	[SSNS_DENY_NODEV]	= "context revoked or device not visible",
	[SSNS_DENY_NOPROFILE]	= "no profile",
	[SSNS_DENY_TENANT]	= "profile of another tenant",
	[SSNS_DENY_CGROUP]	= "rdma cgroup limit",
	[SSNS_DENY_ADDRINUSE]	= "address in use",
	[SSNS_DENY_NOSPC]	= "no free address",
};

static int ssns_deny(struct ssns_ctx *ctx, u16 vni, u8 tc, u32 addr,
		     int reason, int err)
{
	struct ssns_dev *dev = ctx->dev;

	ssns_dev_stat_inc(dev, ssns_deny_stat[reason]);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, ssns_deny_stat[reason]);
	pr_info_ratelimited("ssns: %s: denied endpoint vni %u tc %u addr %u to %s[%d] (tenant %s): %s\n",
			    dev->name, vni, tc, addr, current->comm,
			    task_tgid_nr(current),
			    ctx->tenant ? ctx->tenant->name : "-",
			    ssns_deny_text[reason]);
	ssns_notify_denied(ctx, vni, tc, addr, reason, -err);
	return err;
}

/* The endpoint table of (dev, vni), created on first use. */
static struct ssns_vni_eps *ssns_vni_eps_get(struct ssns_dev *dev, u16 vni)
{
	struct ssns_vni_eps *v, *old;

	v = xa_load(&dev->vnis, vni);
	if (v)
		return v;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return NULL;
	xa_init_flags(&v->eps, XA_FLAGS_ALLOC);
	old = xa_cmpxchg(&dev->vnis, vni, NULL, v, GFP_KERNEL);
	if (old) {
		kfree(v);
		return xa_is_err(old) ? NULL : old;
	}
	return v;
}

int ssns_ep_admit(struct ssns_ctx *ctx, struct ssns_ep *ep,
		  u16 vni, u8 tc, u32 addr)
{
	struct ssns_dev *dev = ctx->dev;
	struct ssns_profile *prof;
	struct ssns_vni_eps *v;
	void *cg = NULL;
	u32 id;
	int err;

	if (vni < SSNS_VNI_MIN || tc > SSNS_TC_MAX ||
	    (addr != SSNS_PID_ANY && addr > dev->max_addr))
		return -EINVAL;

	rcu_read_lock();
	/* 1 */
	if (ssns_ctx_revoked(ctx) || !ssns_visible(dev, ctx->net)) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_NODEV, -ENODEV);
	}
	/* 2 */
	prof = ssns_profile_lookup_rcu(dev, vni, tc);
	if (!prof) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_NOPROFILE,
				 -ENOENT);
	}
	/* 3 */
	if (prof->tenant != ctx->tenant ||
	    (!ctx->tenant && !net_eq(ctx->net, &init_net))) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_TENANT, -EACCES);
	}
	/* A profile being deleted (count 0) is as good as absent. */
	if (!atomic_inc_not_zero(&prof->users)) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_NOPROFILE,
				 -ENOENT);
	}
	rcu_read_unlock();

	/* 4 */
	err = ssns_cg_charge(dev, &cg, true);
	if (err) {
		atomic_dec(&prof->users);
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_CGROUP, -EAGAIN);
	}

	/* 5: reserve the address, fill the endpoint, then publish it. */
	v = ssns_vni_eps_get(dev, vni);
	if (!v) {
		err = -ENOMEM;
		goto err_uncharge;
	}
	if (addr == SSNS_PID_ANY) {
		err = xa_alloc(&v->eps, &id, NULL, XA_LIMIT(0, dev->max_addr),
			       GFP_KERNEL);
		if (err == -EBUSY) {
			ssns_cg_uncharge(dev, &cg, true);
			atomic_dec(&prof->users);
			return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_NOSPC,
					 -ENOSPC);
		}
	} else {
		id = addr;
		err = xa_insert(&v->eps, id, NULL, GFP_KERNEL);
		if (err == -EBUSY) {
			ssns_cg_uncharge(dev, &cg, true);
			atomic_dec(&prof->users);
			return ssns_deny(ctx, vni, tc, addr,
					 SSNS_DENY_ADDRINUSE, -EADDRINUSE);
		}
	}
	if (err)
		goto err_uncharge;

	ep->ctx = ctx;
	ep->vni = vni;
	ep->tc = tc;
	ep->addr = id;
	ep->owner_pid = task_tgid_nr(current);
	get_task_comm(ep->owner_comm, current);
	ep->cg = cg;
	ep->profile = prof;
	spin_lock(&ctx->ep_lock);
	list_add_tail(&ep->ctx_node, &ctx->eps);
	spin_unlock(&ctx->ep_lock);
	xa_store(&v->eps, id, ep, GFP_KERNEL);

	ssns_dev_stat_inc(dev, SSNS_STAT_EP_ALLOC);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_EP_ALLOC);
	return 0;

err_uncharge:
	ssns_cg_uncharge(dev, &cg, true);
	atomic_dec(&prof->users);
	return err;
}
EXPORT_SYMBOL_GPL(ssns_ep_admit);

void ssns_ep_release(struct ssns_ep *ep)
{
	struct ssns_ctx *ctx = ep->ctx;
	struct ssns_profile *prof;
	struct ssns_vni_eps *v;
	struct ssns_dev *dev;

	if (WARN_ON_ONCE(!ctx))
		return;
	dev = ctx->dev;
	v = xa_load(&dev->vnis, ep->vni);
	if (!WARN_ON_ONCE(!v))
		xa_erase(&v->eps, ep->addr);
	spin_lock(&ctx->ep_lock);
	list_del_init(&ep->ctx_node);
	spin_unlock(&ctx->ep_lock);
	ssns_cg_uncharge(dev, &ep->cg, true);

	/* A profile with endpoints is never freed (see profile deletion). */
	prof = ep->profile;
	ep->profile = NULL;
	atomic_dec(&prof->users);

	ssns_dev_stat_inc(dev, SSNS_STAT_EP_FREE);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_EP_FREE);
	ep->ctx = NULL;
}
EXPORT_SYMBOL_GPL(ssns_ep_release);

struct ssns_ep *ssns_ep_lookup_rcu(u32 dev_index, u16 vni, u32 addr)
{
	struct ssns_vni_eps *v;
	struct ssns_dev *dev;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "ssns_ep_lookup_rcu");
	dev = xa_load(&ssns_devs, dev_index);
	if (!dev)
		return NULL;
	v = xa_load(&dev->vnis, vni);
	if (!v)
		return NULL;
	return xa_load(&v->eps, addr);
}
EXPORT_SYMBOL_GPL(ssns_ep_lookup_rcu);

static void ssns_vni_eps_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ssns_vni_eps, rcu));
}

/* Free the endpoint tables of a device with no context left. */
void ssns_dev_free_eps(struct ssns_dev *dev)
{
	struct ssns_vni_eps *v;
	unsigned long vni;

	xa_for_each(&dev->vnis, vni, v) {
		WARN_ON_ONCE(!xa_empty(&v->eps));
		xa_destroy(&v->eps);
		call_rcu(&v->rcu, ssns_vni_eps_free_rcu);
	}
	xa_destroy(&dev->vnis);
}

/* May a reader with tenant @t (@all: host view) see endpoints of @ctx? */
static bool ssns_ep_readable(const struct ssns_ctx *ctx,
			     const struct ssns_tenant *t, bool all)
{
	return all || (t && ctx->tenant == t);
}

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
 * EP_GET dump: every endpoint the caller may see, in (device, VNI,
 * address) order. Position in cb->args[0..2].
 */
int ssns_nl_ep_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long di = cb->args[0], vi = cb->args[1], ai = cb->args[2];
	struct ssns_tenant *t;
	struct ssns_vni_eps *v;
	bool all;
	struct ssns_dev *dev;
	struct ssns_ep *ep;
	int err = 0;

	if (cb->args[3])
		return 0;
	mutex_lock(&ssns_cfg_lock);
	t = ssns_reader_tenant(net, &all);
	rcu_read_lock();
	for (dev = xa_find(&ssns_devs, &di, ULONG_MAX, XA_PRESENT); dev;
	     dev = xa_find_after(&ssns_devs, &di, ULONG_MAX, XA_PRESENT),
	     vi = 0, ai = 0) {
		for (v = xa_find(&dev->vnis, &vi, ULONG_MAX, XA_PRESENT); v;
		     v = xa_find_after(&dev->vnis, &vi, ULONG_MAX, XA_PRESENT),
		     ai = 0) {
			for (ep = xa_find(&v->eps, &ai, ULONG_MAX, XA_PRESENT);
			     ep;
			     ep = xa_find_after(&v->eps, &ai, ULONG_MAX,
						XA_PRESENT)) {
				struct ssns_ctx *ctx = READ_ONCE(ep->ctx);

				if (!ctx || !ssns_ep_readable(ctx, t, all))
					continue;
				err = ssns_ep_fill(skb, cb, dev, ep, ctx);
				if (err)
					goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	mutex_unlock(&ssns_cfg_lock);
	cb->args[0] = di;
	cb->args[1] = vi;
	cb->args[2] = ai;
	if (!err)
		cb->args[3] = 1;	/* done */
	else if (skb->len)
		return skb->len;
	return err ? err : skb->len;
}
