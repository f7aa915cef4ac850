// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: tenants and the tables that find them.
 *
 * A tenant owns VNI ranges and has members: network namespaces, known by
 * their cookie (never reused during a boot, unlike their nsfs inode
 * number), and cgroup v2 directories. A VNI and a member each belong to at
 * most one tenant; init_net to none.
 *
 * The tables (struct ssns_tenant_tables), changed under ssns_cfg_lock only
 * and only by tenant_change.c:
 * - ids: tenant id -> tenant, the order of dumps;
 * - net, cg: netns cookie or cgroup id -> tenant, read under RCU when a
 *   context is created or an event delivered;
 * - vni: the VNI ranges of every tenant, each at the index of its last VNI,
 *   read under ssns_cfg_lock (admission never needs it: a profile carries
 *   its tenant); the range holding a VNI is the first entry at or after
 *   it, if it starts at or before it;
 * - a hash of names.
 * A tenant costs its structure, one small array of ranges, and an entry in
 * each table it is in, whatever the width of its ranges.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include "core.h"

struct ssns_tenant_tables ssns_tt = {
	.ids = XARRAY_INIT(ssns_tt.ids, XA_FLAGS_ALLOC1),
	.net = XARRAY_INIT(ssns_tt.net, 0),
	.cg = XARRAY_INIT(ssns_tt.cg, 0),
	.vni = XARRAY_INIT(ssns_tt.vni, 0),
};

static DEFINE_HASHTABLE(ssns_tenant_names, 10);

static u32 ssns_name_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

/* The tenant named @name (a C string), or NULL. Under ssns_cfg_lock. */
struct ssns_tenant *ssns_tenant_by_name(const char *name)
{
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	hash_for_each_possible(ssns_tenant_names, t, name_node,
			       ssns_name_hash(name))
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

void ssns_tenant_name_add(struct ssns_tenant *t)
{
	hash_add(ssns_tenant_names, &t->name_node, ssns_name_hash(t->name));
}

void ssns_tenant_name_del(struct ssns_tenant *t)
{
	hash_del(&t->name_node);
}

struct ssns_tenant *ssns_tenant_find_net(const struct net *net)
{
	return xa_load(&ssns_tt.net, net->net_cookie);
}

struct ssns_tenant *ssns_tenant_of_cgid(u64 cgid)
{
	return xa_load(&ssns_tt.cg, cgid);
}

/*
 * The tenant of the nearest ancestor (or self) of @cgrp that is a member,
 * or NULL; *@cgid is then that cgroup's id. Caller holds rcu_read_lock()
 * or ssns_cfg_lock; the tenant is not referenced.
 */
struct ssns_tenant *ssns_tenant_of_cgroup(struct cgroup *cgrp, u64 *cgid)
{
	struct ssns_tenant *t;

	for (; cgrp; cgrp = ssns_cg_parent(cgrp)) {
		t = ssns_tenant_of_cgid(ssns_cg_id(cgrp));
		if (t) {
			*cgid = ssns_cg_id(cgrp);
			return t;
		}
	}
	return NULL;
}

/*
 * The tenant of the current task in @net, referenced, or NULL: the tenant
 * of its netns if any, else that of the nearest member ancestor of its
 * cgroup v2 (*via_cgid is then that cgroup's id).
 */
struct ssns_tenant *ssns_tenant_resolve(const struct net *net, u64 *via_cgid)
{
	struct ssns_tenant *t;

	*via_cgid = 0;
	rcu_read_lock();
	t = ssns_tenant_find_net(net);
	if (!t)
		t = ssns_tenant_of_cgroup(ssns_cg_current(), via_cgid);
	if (t && !refcount_inc_not_zero(&t->ref))
		t = NULL;
	rcu_read_unlock();
	return t;
}

/*
 * What a reader (the current task, in @net) may see: a reader with a
 * tenant sees that tenant's objects only; one without a tenant sees
 * everything from init_net (*all) and nothing from elsewhere. Under
 * ssns_cfg_lock; the tenant is not referenced.
 */
struct ssns_tenant *ssns_reader_tenant(const struct net *net, bool *all)
{
	struct ssns_tenant *t;
	u64 cgid;

	t = ssns_tenant_find_net(net);
	if (!t) {
		rcu_read_lock();
		t = ssns_tenant_of_cgroup(ssns_cg_current(), &cgid);
		rcu_read_unlock();
	}
	*all = !t && net_eq(net, &init_net);
	return t;
}

/*
 * The first range of the VNI map that ends at or after *@last: its tenant,
 * with *@last and *@first set to its bounds; NULL when there is none.
 */
struct ssns_tenant *ssns_vni_range_at(unsigned long *last, u16 *first)
{
	struct ssns_tenant *t;
	u32 lo = 0, hi;

	lockdep_assert_held(&ssns_cfg_lock);
	t = xa_find(&ssns_tt.vni, last, SSNS_VNI_MAX, XA_PRESENT);
	if (!t)
		return NULL;
	/* The tenant's range that ends there. */
	hi = t->nr_ranges;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->ranges[mid].last < *last)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = t->ranges[lo].first;
	return t;
}

struct ssns_tenant *ssns_tenant_of_vni(u16 vni)
{
	unsigned long last = vni;
	struct ssns_tenant *t;
	u16 first;

	t = ssns_vni_range_at(&last, &first);
	return t && first <= vni ? t : NULL;
}

bool ssns_tenant_has_vni(const struct ssns_tenant *t, u16 vni)
{
	u32 lo = 0, hi = t->nr_ranges;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (vni < t->ranges[mid].first)
			hi = mid;
		else if (vni > t->ranges[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * Tenants come from a cache of their own: a struct ssns_tenant would take
 * a 512-byte kmalloc slot for about two thirds of it.
 */
static struct kmem_cache *ssns_tenant_cache;

int ssns_tenant_cache_init(void)
{
	ssns_tenant_cache = KMEM_CACHE(ssns_tenant, 0);
	return ssns_tenant_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): no tenant is left, nor a callback to free one. */
void ssns_tenant_cache_exit(void)
{
	kmem_cache_destroy(ssns_tenant_cache);
}

struct ssns_tenant *ssns_tenant_zalloc(void)
{
	return kmem_cache_zalloc(ssns_tenant_cache, GFP_KERNEL);
}

static void ssns_tenant_free_rcu(struct rcu_head *head)
{
	struct ssns_tenant *t = container_of(head, struct ssns_tenant, rcu);

	kfree(t->ranges);
	kmem_cache_free(ssns_tenant_cache, t);
}

void ssns_tenant_put(struct ssns_tenant *t)
{
	if (refcount_dec_and_test(&t->ref))
		call_rcu(&t->rcu, ssns_tenant_free_rcu);
}

/* The tenant with the lowest id >= *@id, or NULL; for dumps. */
struct ssns_tenant *ssns_tenant_next(unsigned long *id)
{
	lockdep_assert_held(&ssns_cfg_lock);
	return xa_find(&ssns_tt.ids, id, ULONG_MAX, XA_PRESENT);
}

/* ---- queries for providers ---- */

const char *ssns_tenant_name(const struct ssns_tenant *t)
{
	return t->name;
}
EXPORT_SYMBOL_GPL(ssns_tenant_name);

int ssns_tenant_walk_netns(const struct ssns_tenant *t, ssns_netns_fn_t fn,
			   void *arg)
{
	struct ssns_tenant_member *m;
	int ret;

	lockdep_assert_held(&ssns_cfg_lock);
	list_for_each_entry(m, &t->members, node) {
		if (m->cgrp)
			continue;
		ret = fn(m->net, m->cookie, arg);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ssns_tenant_walk_netns);

int ssns_walk_tenants(ssns_tenant_fn_t fn, void *arg)
{
	struct ssns_tenant *t;
	unsigned long id;
	int ret;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_tt.ids, id, t) {
		ret = fn(t, arg);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ssns_walk_tenants);
