// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: endpoint admission.
 *
 * ssns_ep_authorize() applies the rules of the design in order, each with
 * its own errno:
 *   1. context not revoked, device visible from the context's netns: ENODEV
 *   2. a profile (device, VNI, TC) exists: ENOENT
 *   3. the profile's tenant is the context's tenant; a context without a
 *      tenant may use only tenant-less profiles, only from init_net: EACCES
 *   4. the rdma cgroup allows one more hca_object: EAGAIN
 * Rule 5, a free address, is the provider's: it reports a refusal with
 * ssns_ep_abort(), which counts and announces it like the others. No
 * capability bypasses any rule. Every lookup is an xarray load under RCU;
 * the configuration lock is never taken here.
 *
 * A committed endpoint is on its context's list and in its device's
 * table, from which endpoint dumps read it under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/rcupdate.h>
#include "core.h"

enum {
	SSNS_EP_AUTHORIZED = 1,
	SSNS_EP_COMMITTED,
};

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
	struct ssns_denial d = {
		.ctx = ctx, .vni = vni, .tc = tc, .addr = addr,
		.reason = reason, .err = -err,
	};
	struct ssns_event ev = {
		.type = SSNS_EV_EP_DENIED, .dev = ctx->dev,
		.tenant = ctx->tenant, .denial = &d,
	};
	struct ssns_dev *dev = ctx->dev;

	ssns_dev_stat_inc(dev, ssns_deny_stat[reason]);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, ssns_deny_stat[reason]);
	pr_info_ratelimited("%s: denied endpoint vni %u tc %u addr %u to %s[%d] (tenant %s): %s\n",
			    dev->name, vni, tc, addr, current->comm,
			    task_tgid_nr(current),
			    ctx->tenant ? ctx->tenant->name : "-",
			    ssns_deny_text[reason]);
	ssns_event(&ev);
	return err;
}

int ssns_ep_authorize(struct ssns_ctx *ctx, struct ssns_ep *ep, u16 vni,
		      u8 tc, u32 addr)
{
	struct ssns_dev *dev = ctx->dev;
	struct ssns_profile *prof;
	int err;

	if (vni < SSNS_VNI_MIN || tc > SSNS_TC_MAX)
		return -EINVAL;

	rcu_read_lock();
	/* 1 */
	if (ssns_ctx_is_revoked(ctx) || !ssns_visible(dev, ctx->net)) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_NODEV,
				 -ENODEV);
	}
	/* 2 */
	prof = ssns_profile_lookup(dev, vni, tc);
	if (!prof) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr,
				 SSNS_DENY_NOPROFILE, -ENOENT);
	}
	/* 3 */
	if (prof->tenant != ctx->tenant ||
	    (!ctx->tenant && !net_eq(ctx->net, &init_net))) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_TENANT,
				 -EACCES);
	}
	/* A profile being deleted (count 0) is as good as absent. */
	if (!atomic_inc_not_zero(&prof->users)) {
		rcu_read_unlock();
		return ssns_deny(ctx, vni, tc, addr,
				 SSNS_DENY_NOPROFILE, -ENOENT);
	}
	rcu_read_unlock();

	/* 4 */
	err = ssns_cg_charge(dev, &ep->cg, true);
	if (err) {
		atomic_dec(&prof->users);
		return ssns_deny(ctx, vni, tc, addr, SSNS_DENY_CGROUP,
				 -EAGAIN);
	}

	ep->ctx = ctx;
	ep->vni = vni;
	ep->tc = tc;
	ep->addr = SSNS_PID_ANY;
	ep->owner_pid = task_tgid_nr(current);
	get_task_comm(ep->owner_comm, current);
	ep->profile = prof;
	INIT_LIST_HEAD(&ep->ctx_node);
	ep->state = SSNS_EP_AUTHORIZED;
	return 0;
}
EXPORT_SYMBOL_GPL(ssns_ep_authorize);

/* Drop what an authorization took. */
static void ssns_ep_unauthorize(struct ssns_ep *ep)
{
	ssns_cg_uncharge(ep->ctx->dev, &ep->cg, true);
	/* A profile with endpoints is never freed (see profile deletion). */
	atomic_dec(&ep->profile->users);
	ep->profile = NULL;
	ep->state = 0;
}

int ssns_ep_commit(struct ssns_ep *ep, u32 addr)
{
	struct ssns_ctx *ctx = ep->ctx;
	struct ssns_dev *dev = ctx->dev;
	u32 id;
	int err;

	if (WARN_ON_ONCE(ep->state != SSNS_EP_AUTHORIZED))
		return -EINVAL;
	ep->addr = addr;
	err = xa_alloc(&dev->eps, &id, NULL, xa_limit_32b, GFP_KERNEL);
	if (err)
		return err;
	ep->id = id;
	/* A revocation that set the bit before this releases the rest. */
	spin_lock(&ctx->ep_lock);
	if (ssns_ctx_is_revoked(ctx)) {
		spin_unlock(&ctx->ep_lock);
		xa_erase(&dev->eps, id);
		return -ENODEV;
	}
	list_add_tail(&ep->ctx_node, &ctx->eps);
	ep->state = SSNS_EP_COMMITTED;
	spin_unlock(&ctx->ep_lock);
	xa_store(&dev->eps, id, ep, GFP_KERNEL);

	ssns_dev_stat_inc(dev, SSNS_STAT_EP_ALLOC);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_EP_ALLOC);
	return 0;
}
EXPORT_SYMBOL_GPL(ssns_ep_commit);

void ssns_ep_abort(struct ssns_ep *ep, int err, u32 addr)
{
	struct ssns_ctx *ctx = ep->ctx;

	if (WARN_ON_ONCE(ep->state != SSNS_EP_AUTHORIZED))
		return;
	ssns_ep_unauthorize(ep);
	if (err == -EADDRINUSE)
		ssns_deny(ctx, ep->vni, ep->tc, addr, SSNS_DENY_ADDRINUSE, err);
	else if (err == -ENOSPC)
		ssns_deny(ctx, ep->vni, ep->tc, addr, SSNS_DENY_NOSPC, err);
	ep->ctx = NULL;
}
EXPORT_SYMBOL_GPL(ssns_ep_abort);

void ssns_ep_release(struct ssns_ep *ep)
{
	struct ssns_ctx *ctx = ep->ctx;
	struct ssns_dev *dev;

	if (WARN_ON_ONCE(!ctx || ep->state != SSNS_EP_COMMITTED))
		return;
	dev = ctx->dev;
	xa_erase(&dev->eps, ep->id);
	spin_lock(&ctx->ep_lock);
	list_del_init(&ep->ctx_node);
	spin_unlock(&ctx->ep_lock);
	ssns_ep_unauthorize(ep);

	ssns_dev_stat_inc(dev, SSNS_STAT_EP_FREE);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_EP_FREE);
	WRITE_ONCE(ep->ctx, NULL);
}
EXPORT_SYMBOL_GPL(ssns_ep_release);

/* Release the endpoints a holder left on its context. */
void ssns_ep_release_all(struct ssns_ctx *ctx)
{
	struct ssns_ep *ep;

	for (;;) {
		spin_lock(&ctx->ep_lock);
		ep = list_first_entry_or_null(&ctx->eps, struct ssns_ep,
					      ctx_node);
		spin_unlock(&ctx->ep_lock);
		if (!ep)
			return;
		ssns_ep_release(ep);
	}
}
