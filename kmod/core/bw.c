// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the bandwidth policy of tenants.
 *
 * The core holds the policy, the providers enforce it (the simulator on
 * its data path; docs/bandwidth.md). Per tenant:
 * - a share (weight) and a ceiling for every device;
 * - per device, an override of either;
 * - per member (netns or cgroup), a ceiling of that member's traffic, on
 *   each device.
 * All of it hangs off t->bw, allocated on the first setting. Writers hold
 * ssns_cfg_lock; readers are providers, on any path, under RCU: the share
 * and ceiling are single words (READ_ONCE), a device override is an
 * immutable entry of an xarray replaced as a whole (freed after a grace
 * period), a member's ceiling a value entry of an xarray.
 *
 * ssns_dev_bw_limited() tells a provider whether any ceiling may apply on
 * a device, from two counts kept with every change: ceilings that apply
 * on every device (tenants' own, members') and, per device index,
 * devices' overrides with a ceiling. With none, and no link rate of its
 * own, a provider's data path need not shape at all.
 *
 * A member's ceiling goes when the member leaves its tenant, a device's
 * overrides when the device is unregistered (its index is reused), the
 * whole policy with its tenant.
 *
 * Providers are told of each change with SSNS_POLICY_BW; this file calls
 * their ->policy() itself, as it calls no other file of the model.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "core.h"

/* A device's override: immutable once published. */
struct ssns_bw_dev {
	u32 share;			/* 0: the tenant's */
	bool has_max;
	u64 max;			/* bit/s, 0: none on this device */
	struct rcu_head rcu;
};

struct ssns_bw_conf {
	u32 share;
	u64 max;			/* bit/s, 0: none */
	struct xarray devs;		/* device index -> struct ssns_bw_dev */
	struct xarray net;		/* netns cookie -> xa_mk_value(max) */
	struct xarray cg;		/* cgroup id -> xa_mk_value(max) */
	unsigned int nr_devs, nr_members;
	struct rcu_head rcu;
};

/* Ceilings on every device; device overrides with one, per index. */
static unsigned int ssns_bw_global;
static unsigned int ssns_bw_per_dev[SSNS_MAX_DEVS];

static struct ssns_bw_conf *ssns_bw_conf(const struct ssns_tenant *t)
{
	return rcu_dereference_protected(t->bw,
					 lockdep_is_held(&ssns_cfg_lock));
}

static bool ssns_bw_dev_limits(const struct ssns_bw_dev *d)
{
	return d && d->has_max && d->max;
}

static void ssns_bw_count(unsigned int *n, int delta)
{
	WRITE_ONCE(*n, *n + delta);
}

/* Tell the providers: of @dev, or every device's (@dev NULL). */
static void ssns_bw_notify(struct ssns_tenant *t, struct ssns_dev *dev,
			   const struct ssns_bw_change *c)
{
	struct ssns_policy p = { .type = SSNS_POLICY_BW, .dev = dev,
				 .tenant = t };
	struct ssns_dev *d;
	unsigned long i;

	if (c && c->member) {
		if (c->is_cg)
			p.cgroup_id = c->id;
		else
			p.net_cookie = c->id;
	}
	if (dev) {
		if (dev->ops && dev->ops->policy)
			dev->ops->policy(dev, &p);
		return;
	}
	xa_for_each(&ssns_devs, i, d)
		if (d->ops && d->ops->policy)
			d->ops->policy(d, &p);
}

static struct ssns_bw_conf *ssns_bw_conf_get(struct ssns_tenant *t)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);

	if (b)
		return b;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->share = SSNS_BW_SHARE_DEFAULT;
	xa_init(&b->devs);
	xa_init(&b->net);
	xa_init(&b->cg);
	rcu_assign_pointer(t->bw, b);
	return b;
}

static int ssns_bw_set_member(struct ssns_bw_conf *b,
			      const struct ssns_bw_change *c)
{
	struct xarray *xa = c->is_cg ? &b->cg : &b->net;
	void *old;

	if (c->clear || !c->max) {
		if (xa_erase(xa, c->id)) {
			b->nr_members--;
			ssns_bw_count(&ssns_bw_global, -1);
		}
		return 0;
	}
	old = xa_store(xa, c->id, xa_mk_value(c->max), GFP_KERNEL);
	if (xa_is_err(old))
		return xa_err(old);
	if (!old) {
		b->nr_members++;
		ssns_bw_count(&ssns_bw_global, 1);
	}
	return 0;
}

static int ssns_bw_set_dev(struct ssns_bw_conf *b,
			   const struct ssns_bw_change *c)
{
	u32 index = c->dev->index;
	struct ssns_bw_dev *old, *d;
	void *ret;

	old = xa_load(&b->devs, index);
	if (c->clear) {
		if (!old)
			return 0;
		xa_erase(&b->devs, index);
		b->nr_devs--;
		d = NULL;
	} else {
		d = kzalloc(sizeof(*d), GFP_KERNEL);
		if (!d)
			return -ENOMEM;
		if (old) {
			d->share = old->share;
			d->has_max = old->has_max;
			d->max = old->max;
		}
		if (c->has_share)
			d->share = c->share;
		if (c->has_max) {
			d->has_max = true;
			d->max = c->max;
		}
		ret = xa_store(&b->devs, index, d, GFP_KERNEL);
		if (xa_is_err(ret)) {
			kfree(d);
			return xa_err(ret);
		}
		if (!old)
			b->nr_devs++;
	}
	ssns_bw_count(&ssns_bw_per_dev[index],
		      ssns_bw_dev_limits(d) - ssns_bw_dev_limits(old));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static void ssns_bw_set_tenant(struct ssns_bw_conf *b,
			       const struct ssns_bw_change *c)
{
	u64 max = b->max;

	if (c->clear) {
		WRITE_ONCE(b->share, SSNS_BW_SHARE_DEFAULT);
		max = 0;
	}
	if (c->has_share)
		WRITE_ONCE(b->share, c->share);
	if (c->has_max)
		max = c->max;
	ssns_bw_count(&ssns_bw_global, !!max - !!b->max);
	WRITE_ONCE(b->max, max);
}

static const char *ssns_bw_kind(bool is_cg)
{
	return is_cg ? "cgroup" : "netns";
}

/*
 * Change one scope of @t's policy (see struct ssns_bw_change; the front
 * end checked the combination and the ranges), tell the providers, and
 * announce the tenant. Under ssns_cfg_lock.
 */
int ssns_bw_set(struct ssns_tenant *t, const struct ssns_bw_change *c,
		struct netlink_ext_ack *extack)
{
	struct ssns_event ev = { .type = SSNS_EV_TENANT_SET, .tenant = t };
	struct ssns_bw_conf *b;
	struct xarray *members;
	int err;

	lockdep_assert_held(&ssns_cfg_lock);
	if (c->member) {
		members = c->is_cg ? &ssns_tt.cg : &ssns_tt.net;
		if (xa_load(members, c->id) != t) {
			ssns_err(extack, c->where,
				 "%s %llu is not a member of tenant %s",
				 ssns_bw_kind(c->is_cg), c->id, t->name);
			return -ENOENT;
		}
	}
	b = ssns_bw_conf_get(t);
	if (!b)
		return -ENOMEM;
	if (c->member) {
		err = ssns_bw_set_member(b, c);
	} else if (c->dev) {
		err = ssns_bw_set_dev(b, c);
	} else {
		ssns_bw_set_tenant(b, c);
		err = 0;
	}
	if (err)
		return err;
	ssns_bw_notify(t, c->dev, c);
	ssns_event(&ev);
	return 0;
}

/* The tenant's own share and ceiling (for every device). */
void ssns_bw_tenant_get(const struct ssns_tenant *t, u32 *share, u64 *max)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);

	*share = b ? b->share : SSNS_BW_SHARE_DEFAULT;
	*max = b ? b->max : 0;
}

int ssns_bw_walk_devs(const struct ssns_tenant *t, ssns_bw_entry_fn_t fn,
		      void *arg)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);
	struct ssns_bw_entry e = {};
	struct ssns_bw_dev *d;
	unsigned long i;
	int ret;

	if (!b)
		return 0;
	xa_for_each(&b->devs, i, d) {
		e.dev_index = i;
		e.share = d->share;
		e.has_max = d->has_max;
		e.max = d->max;
		ret = fn(&e, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int ssns_bw_walk_xa(struct xarray *xa, bool is_cg,
			   ssns_bw_entry_fn_t fn, void *arg)
{
	struct ssns_bw_entry e = { .is_cg = is_cg, .has_max = true };
	unsigned long id;
	void *v;
	int ret;

	xa_for_each(xa, id, v) {
		e.id = id;
		e.max = xa_to_value(v);
		ret = fn(&e, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int ssns_bw_walk_members(const struct ssns_tenant *t, ssns_bw_entry_fn_t fn,
			 void *arg)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);

	if (!b)
		return 0;
	return ssns_bw_walk_xa(&b->net, false, fn, arg) ?:
	       ssns_bw_walk_xa(&b->cg, true, fn, arg);
}

/* Device overrides and member ceilings: for the size of a message. */
unsigned int ssns_bw_nr_entries(const struct ssns_tenant *t)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);

	return b ? b->nr_devs + b->nr_members : 0;
}

/* A member left @t: its ceiling goes. Under ssns_cfg_lock. */
void ssns_bw_member_gone(struct ssns_tenant *t, bool is_cg, u64 id)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);

	if (b && xa_erase(is_cg ? &b->cg : &b->net, id)) {
		b->nr_members--;
		ssns_bw_count(&ssns_bw_global, -1);
	}
}

static void ssns_bw_conf_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ssns_bw_conf, rcu));
}

/* @t is being deleted: its policy goes. Under ssns_cfg_lock. */
void ssns_bw_tenant_gone(struct ssns_tenant *t)
{
	struct ssns_bw_conf *b = ssns_bw_conf(t);
	struct ssns_bw_dev *d;
	unsigned long i;

	if (!b)
		return;
	RCU_INIT_POINTER(t->bw, NULL);
	xa_for_each(&b->devs, i, d) {
		ssns_bw_count(&ssns_bw_per_dev[i], -ssns_bw_dev_limits(d));
		kfree_rcu(d, rcu);
	}
	ssns_bw_count(&ssns_bw_global, -(int)b->nr_members - !!b->max);
	/* Readers under RCU may still walk them: nodes are freed by RCU. */
	xa_destroy(&b->devs);
	xa_destroy(&b->net);
	xa_destroy(&b->cg);
	call_rcu(&b->rcu, ssns_bw_conf_free_rcu);
}

/* @dev is being unregistered: every override of its index goes. */
void ssns_bw_dev_gone(struct ssns_dev *dev)
{
	struct ssns_tenant *t;
	struct ssns_bw_conf *b;
	struct ssns_bw_dev *d;
	unsigned long id;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_tt.ids, id, t) {
		b = ssns_bw_conf(t);
		if (!b)
			continue;
		d = xa_erase(&b->devs, dev->index);
		if (!d)
			continue;
		b->nr_devs--;
		kfree_rcu(d, rcu);
	}
	WRITE_ONCE(ssns_bw_per_dev[dev->index], 0);
}

/* ---- queries for providers (RCU, any context) ---- */

void ssns_tenant_bw(const struct ssns_tenant *t, const struct ssns_dev *dev,
		    u32 *share, u64 *max)
{
	struct ssns_bw_conf *b;
	const struct ssns_bw_dev *d;

	*share = SSNS_BW_SHARE_DEFAULT;
	*max = 0;
	if (!t)
		return;
	rcu_read_lock();
	b = rcu_dereference(t->bw);
	if (b) {
		*share = READ_ONCE(b->share);
		*max = READ_ONCE(b->max);
		d = dev ? xa_load(&b->devs, dev->index) : NULL;
		if (d && d->share)
			*share = d->share;
		if (d && d->has_max)
			*max = d->max;
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(ssns_tenant_bw);

u64 ssns_tenant_member_bw(const struct ssns_tenant *t, bool is_cgroup,
			  u64 id)
{
	struct ssns_bw_conf *b;
	u64 max = 0;
	void *v;

	if (!t || !id)
		return 0;
	rcu_read_lock();
	b = rcu_dereference(t->bw);
	if (b) {
		v = xa_load(is_cgroup ? &b->cg : &b->net, id);
		if (v)
			max = xa_to_value(v);
	}
	rcu_read_unlock();
	return max;
}
EXPORT_SYMBOL_GPL(ssns_tenant_member_bw);

void ssns_ctx_bw(const struct ssns_ctx *ctx, struct ssns_bw *bw)
{
	const struct ssns_tenant *t = ctx->tenant;

	memset(bw, 0, sizeof(*bw));
	ssns_tenant_bw(t, ctx->dev, &bw->share, &bw->tenant_max);
	if (!t)
		return;
	/* The member that gave the context its tenant. */
	bw->member_is_cgroup = ctx->via_cgid != 0;
	bw->member_id = ctx->via_cgid ?: ctx->net_cookie;
	bw->member_max = ssns_tenant_member_bw(t, bw->member_is_cgroup,
					       bw->member_id);
}
EXPORT_SYMBOL_GPL(ssns_ctx_bw);

bool ssns_dev_bw_limited(const struct ssns_dev *dev)
{
	return READ_ONCE(ssns_bw_global) ||
	       READ_ONCE(ssns_bw_per_dev[dev->index]);
}
EXPORT_SYMBOL_GPL(ssns_dev_bw_limited);

struct ssns_bw_walk {
	ssns_bw_member_fn_t fn;
	void *arg;
};

static int ssns_bw_walk_one(const struct ssns_bw_entry *e, void *arg)
{
	struct ssns_bw_walk *w = arg;

	return w->fn(e->is_cg, e->id, e->max, w->arg);
}

int ssns_tenant_walk_bw_members(const struct ssns_tenant *t,
				ssns_bw_member_fn_t fn, void *arg)
{
	struct ssns_bw_walk w = { .fn = fn, .arg = arg };

	lockdep_assert_held(&ssns_cfg_lock);
	return ssns_bw_walk_members(t, ssns_bw_walk_one, &w);
}
EXPORT_SYMBOL_GPL(ssns_tenant_walk_bw_members);

void ssns_ctx_bw_count(struct ssns_ctx *ctx, u64 throttled, u64 wait_ns)
{
	struct ssns_tenant *t = ctx->tenant;

	if (!t)
		return;
	if (throttled)
		atomic64_add(throttled, &t->bw_throttled);
	if (wait_ns)
		atomic64_add(wait_ns, &t->bw_wait_ns);
}
EXPORT_SYMBOL_GPL(ssns_ctx_bw_count);
