// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: communication profiles.
 *
 * A profile (device, VNI, traffic class) is tagged with the tenant that
 * owns the VNI when it is created, or with no tenant for host use of an
 * unowned VNI. The tag never changes: a VNI cannot leave its tenant, nor
 * join one, while profiles use it. Each device keeps its profiles in an
 * xarray keyed by (VNI, TC), read under RCU by admission; each tenant
 * lists its own, and the VNIs of tenant-less profiles are counted in
 * ssns_free_vnis, so that a tenant change checks its VNIs without looking
 * at every device.
 *
 * A profile's users count holds the published reference plus one per
 * endpoint: admission takes one only while it is non-zero, deletion takes
 * the last with a 1 -> 0 exchange (EBUSY otherwise), so deletion never
 * waits for a grace period under the configuration lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include "core.h"

const char * const ssns_tc_names[SSNS_TC_MAX + 1] = {
	[SSNS_TC_DEDICATED_ACCESS]	= "dedicated_access",
	[SSNS_TC_LOW_LATENCY]		= "low_latency",
	[SSNS_TC_BULK_DATA]		= "bulk_data",
	[SSNS_TC_BEST_EFFORT]		= "best_effort",
};

/* VNI -> number of tenant-less profiles on it (value entries). */
static DEFINE_XARRAY(ssns_free_vnis);

struct ssns_profile *ssns_profile_lookup(struct ssns_dev *dev, u16 vni,
					 u8 tc)
{
	return xa_load(&dev->profiles, ssns_profile_key(vni, tc));
}

static void ssns_free_vni_count(u16 vni, int delta)
{
	unsigned long n = xa_to_value(xa_load(&ssns_free_vnis, vni) ?:
				      xa_mk_value(0));

	n += delta;
	/* Storing into a present entry, or erasing, allocates nothing. */
	if (n)
		xa_store(&ssns_free_vnis, vni, xa_mk_value(n), GFP_KERNEL);
	else
		xa_erase(&ssns_free_vnis, vni);
}

/* A tenant-less profile on a VNI in [@first, @last], or NULL. */
struct ssns_profile *ssns_free_vni_profile(u16 first, u16 last)
{
	unsigned long vni = first;
	struct ssns_profile *p;
	struct ssns_dev *dev;
	unsigned long i;
	int tc;

	lockdep_assert_held(&ssns_cfg_lock);
	if (!xa_find(&ssns_free_vnis, &vni, last, XA_PRESENT))
		return NULL;
	xa_for_each(&ssns_devs, i, dev) {
		for (tc = 0; tc <= SSNS_TC_MAX; tc++) {
			p = ssns_profile_lookup(dev, vni, tc);
			if (p && !p->tenant)
				return p;
		}
	}
	WARN_ONCE(1, "tenant-less profile count of VNI %lu is stale\n", vni);
	return NULL;
}

/* A profile of @t on a VNI in [@first, @last], or NULL. */
struct ssns_profile *ssns_tenant_vni_profile(struct ssns_tenant *t,
					     u16 first, u16 last)
{
	struct ssns_profile *p;

	lockdep_assert_held(&ssns_cfg_lock);
	list_for_each_entry(p, &t->profiles, tenant_node)
		if (p->vni >= first && p->vni <= last)
			return p;
	return NULL;
}

static void ssns_profile_policy(struct ssns_profile *p,
				enum ssns_policy_type type)
{
	struct ssns_policy c = {
		.type = type, .dev = p->dev, .tenant = p->tenant,
		.vni = p->vni, .tc = p->tc,
	};

	if (p->dev->ops && p->dev->ops->policy && !p->dev->dead)
		p->dev->ops->policy(p->dev, &c);
}

static void ssns_profile_announce(struct ssns_profile *p,
				  enum ssns_event_type type)
{
	struct ssns_event ev = {
		.type = type, .dev = p->dev, .tenant = p->tenant, .profile = p,
	};

	ssns_event(&ev);
}

/* Unlink a profile nobody can use any more (users 0) and free it. */
static void ssns_profile_free(struct ssns_profile *p)
{
	if (p->tenant) {
		list_del(&p->tenant_node);
		ssns_tenant_put(p->tenant);
	} else {
		ssns_free_vni_count(p->vni, -1);
	}
	kfree_rcu(p, rcu);
}

struct ssns_profile *ssns_profile_new(struct ssns_dev *dev, u16 vni, u8 tc,
				      struct netlink_ext_ack *extack)
{
	unsigned long key = ssns_profile_key(vni, tc);
	struct ssns_profile *p;
	int err;

	lockdep_assert_held(&ssns_cfg_lock);
	if (ssns_profile_lookup(dev, vni, tc)) {
		ssns_err(extack, NULL, "profile %s vni %u tc %s exists",
			 dev->name, vni, ssns_tc_names[tc]);
		return ERR_PTR(-EEXIST);
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	/* The published reference; endpoints add theirs. */
	atomic_set(&p->users, 1);
	p->dev = dev;
	p->vni = vni;
	p->tc = tc;
	p->tenant = ssns_tenant_of_vni(vni);
	INIT_LIST_HEAD(&p->tenant_node);
	/* Reserve both slots first: nothing to undo after them. */
	err = xa_reserve(&dev->profiles, key, GFP_KERNEL);
	if (!err && !p->tenant) {
		err = xa_reserve(&ssns_free_vnis, vni, GFP_KERNEL);
		if (err)
			xa_release(&dev->profiles, key);
	}
	if (err) {
		kfree(p);
		return ERR_PTR(err);
	}
	if (p->tenant) {
		refcount_inc(&p->tenant->ref);
		list_add_tail(&p->tenant_node, &p->tenant->profiles);
	} else {
		ssns_free_vni_count(vni, 1);
	}
	xa_store(&dev->profiles, key, p, GFP_KERNEL);
	ssns_profile_policy(p, SSNS_POLICY_PROFILE_ADD);
	ssns_profile_announce(p, SSNS_EV_PROFILE_NEW);
	return p;
}

int ssns_profile_del(struct ssns_dev *dev, u16 vni, u8 tc,
		     struct netlink_ext_ack *extack)
{
	unsigned long key = ssns_profile_key(vni, tc);
	struct ssns_profile *p;
	int users;

	lockdep_assert_held(&ssns_cfg_lock);
	p = xa_load(&dev->profiles, key);
	if (!p) {
		ssns_err(extack, NULL, "no profile %s vni %u tc %s", dev->name,
			 vni, ssns_tc_names[tc]);
		return -ENOENT;
	}
	users = atomic_cmpxchg(&p->users, 1, 0);
	if (users != 1) {
		ssns_err(extack, NULL,
			 "profile %s vni %u tc %s is used by %d endpoints",
			 dev->name, vni, ssns_tc_names[tc], users - 1);
		return -EBUSY;
	}
	xa_erase(&dev->profiles, key);
	ssns_profile_policy(p, SSNS_POLICY_PROFILE_DEL);
	ssns_profile_announce(p, SSNS_EV_PROFILE_DEL);
	ssns_profile_free(p);
	return 0;
}

/* Device removal: its contexts, hence endpoints, are gone. No event. */
void ssns_profiles_del_dev(struct ssns_dev *dev)
{
	struct ssns_profile *p;
	unsigned long key;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&dev->profiles, key, p) {
		xa_erase(&dev->profiles, key);
		ssns_profile_free(p);
	}
}

/* Tenant removal: its contexts, hence endpoints, were revoked first. */
void ssns_profiles_del_tenant(struct ssns_tenant *t)
{
	struct ssns_profile *p, *tmp;

	lockdep_assert_held(&ssns_cfg_lock);
	list_for_each_entry_safe(p, tmp, &t->profiles, tenant_node) {
		WARN_ON_ONCE(atomic_read(&p->users) != 1);
		xa_erase(&p->dev->profiles, ssns_profile_key(p->vni, p->tc));
		ssns_profile_policy(p, SSNS_POLICY_PROFILE_DEL);
		ssns_profile_announce(p, SSNS_EV_PROFILE_DEL);
		ssns_profile_free(p);
	}
}

int ssns_dev_walk_profiles(struct ssns_dev *dev, const struct ssns_tenant *t,
			   ssns_profile_fn_t fn, void *arg)
{
	struct ssns_profile *p;
	unsigned long key;
	int ret;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&dev->profiles, key, p) {
		if (p->tenant != t)
			continue;
		ret = fn(p->vni, p->tc, arg);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ssns_dev_walk_profiles);
