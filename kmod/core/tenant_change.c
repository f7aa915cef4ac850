// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: changes of tenants.
 *
 * A change (creating a tenant, adding or removing VNIs and members) is
 * prepared first: every rule is checked and every allocation made, so that
 * its commit cannot fail and a refused change leaves nothing behind. Then
 * it is committed (tables updated, contexts that lost their tenant
 * revoked, providers told, the event sent) or aborted. Deleting a tenant,
 * and the end of a membership when its netns dies, allocate nothing.
 *
 * The VNI map (ssns_tt.vni) has each range of a tenant at the index of its
 * last VNI: a change reserves the slots of the tenant's new ranges when it
 * is prepared, stores into them when committed, then erases the old ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/sort.h>
#include "core.h"

static int ssns_range_cmp(const void *a, const void *b)
{
	const struct ssns_vni_range *x = a, *y = b;

	return (int)x->first - (int)y->first;
}

/* Sort @r and merge what overlaps or touches; returns the new count. */
static u32 ssns_ranges_normalize(struct ssns_vni_range *r, u32 n)
{
	u32 i, out = 0;

	if (!n)
		return 0;
	sort(r, n, sizeof(*r), ssns_range_cmp, NULL);
	for (i = 1; i < n; i++) {
		if ((u32)r[i].first <= (u32)r[out].last + 1) {
			r[out].last = max(r[out].last, r[i].last);
			continue;
		}
		r[++out] = r[i];
	}
	return out + 1;
}

/* The VNIs a change names: checked, sorted and merged into c->vnis. */
int ssns_change_set_vnis(struct ssns_tenant_change *c,
			 const struct ssns_vni_range *r, u32 n,
			 struct netlink_ext_ack *extack)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (r[i].first < SSNS_VNI_MIN || r[i].last > SSNS_VNI_MAX ||
		    r[i].last < r[i].first) {
			ssns_err(extack, NULL, "VNI range %u-%u is %s",
				 r[i].first, r[i].last,
				 r[i].last < r[i].first ? "reversed" :
				 "out of range");
			return -EINVAL;
		}
	}
	c->vnis = kmemdup(r, n * sizeof(*r), GFP_KERNEL);
	if (n && !c->vnis)
		return -ENOMEM;
	c->nr_vnis = ssns_ranges_normalize(c->vnis, n);
	return 0;
}

/* @a + @b (add) or @a - @b (del), both normalized, into a new array. */
static int ssns_ranges_combine(const struct ssns_vni_range *a, u32 na,
			       const struct ssns_vni_range *b, u32 nb,
			       bool add, struct ssns_vni_range **out,
			       u32 *nout)
{
	struct ssns_vni_range *r;
	u32 i, j, n = 0;

	/* A removal splits a range at most once per range removed. */
	r = kmalloc_array(na + nb + 1, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	if (add) {
		memcpy(r, a, na * sizeof(*r));
		memcpy(r + na, b, nb * sizeof(*r));
		n = ssns_ranges_normalize(r, na + nb);
	} else {
		for (i = 0, j = 0; i < na; i++) {
			u32 first = a[i].first, last = a[i].last;

			while (j < nb && b[j].last < first)
				j++;
			for (; j < nb && b[j].first <= last; j++) {
				if (b[j].first > first)
					r[n++] = (struct ssns_vni_range)
						 { first, b[j].first - 1 };
				first = b[j].last + 1;
				if (b[j].last >= last)
					break;
			}
			if (first <= last)
				r[n++] = (struct ssns_vni_range){ first, last };
		}
	}
	*out = r;
	*nout = n;
	return 0;
}

static bool ssns_tenant_name_ok(const char *name)
{
	if (!*name)
		return false;
	/* ASCII only: the kernel's isalnum() takes Latin-1 letters too. */
	for (; *name; name++)
		if (!isascii(*name) ||
		    (!isalnum(*name) && !strchr("._-", *name)))
			return false;
	return true;
}

static struct xarray *ssns_member_xa(bool is_cg)
{
	return is_cg ? &ssns_tt.cg : &ssns_tt.net;
}

static const char *ssns_member_kind(bool is_cg)
{
	return is_cg ? "cgroup" : "netns";
}

/* The VNIs of an addition: nobody else's, and on no tenant-less profile. */
static int ssns_check_add_vnis(struct ssns_tenant_change *c,
			       struct netlink_ext_ack *extack)
{
	struct ssns_profile *p;
	struct ssns_tenant *o;
	unsigned long last;
	u16 first;
	u32 i;

	for (i = 0; i < c->nr_vnis; i++) {
		const struct ssns_vni_range *r = &c->vnis[i];

		for (last = r->first;
		     (o = ssns_vni_range_at(&last, &first)) && first <= r->last;
		     last++) {
			if (o == c->t)
				continue;
			ssns_err(extack, NULL, "VNI %u belongs to tenant %s",
				 max(first, r->first), o->name);
			return -EBUSY;
		}
		p = ssns_free_vni_profile(r->first, r->last);
		if (p) {
			ssns_err(extack, NULL,
				 "VNI %u is used by the tenant-less profile %s/%s",
				 p->vni, p->dev->name, ssns_tc_names[p->tc]);
			return -EBUSY;
		}
	}
	return 0;
}

/* The VNIs of a removal: the tenant's, and on none of its profiles. */
static int ssns_check_del_vnis(struct ssns_tenant_change *c,
			       struct netlink_ext_ack *extack)
{
	struct ssns_tenant *t = c->t;
	struct ssns_profile *p;
	u32 i, v;

	for (i = 0; i < c->nr_vnis; i++) {
		const struct ssns_vni_range *r = &c->vnis[i];

		for (v = r->first; v <= r->last; v++) {
			if (!ssns_tenant_has_vni(t, v)) {
				ssns_err(extack, NULL,
					 "VNI %u is not in tenant %s", v,
					 t->name);
				return -ENOENT;
			}
		}
		p = ssns_tenant_vni_profile(t, r->first, r->last);
		if (p) {
			ssns_err(extack, NULL,
				 "VNI %u of tenant %s is used by the profile %s/%s",
				 p->vni, t->name, p->dev->name,
				 ssns_tc_names[p->tc]);
			return -EBUSY;
		}
	}
	return 0;
}

/* Is member @i of the change named by an earlier one? */
static bool ssns_member_dup(struct ssns_tenant_change *c, u32 i)
{
	u32 j;

	for (j = 0; j < i; j++)
		if (c->members[j].is_cg == c->members[i].is_cg &&
		    c->members[j].cookie == c->members[i].cookie)
			return true;
	return false;
}

static int ssns_prepare_members(struct ssns_tenant_change *c,
				struct netlink_ext_ack *extack)
{
	bool add = c->kind != SSNS_CHANGE_DEL;
	struct ssns_tenant *o;
	u32 i;
	int err;

	for (i = 0; i < c->nr_members; i++) {
		struct ssns_member_spec *ms = &c->members[i];

		if (ssns_member_dup(c, i))
			continue;
		o = xa_load(ssns_member_xa(ms->is_cg), ms->cookie);
		if (!add) {
			if (o == c->t)
				continue;
			ssns_err(extack, ms->where,
				 "%s %llu is not a member of tenant %s",
				 ssns_member_kind(ms->is_cg), ms->cookie,
				 c->t->name);
			return -ENOENT;
		}
		if (o == c->t)
			continue;
		if (o) {
			ssns_err(extack, ms->where,
				 "%s %llu is a member of tenant %s",
				 ssns_member_kind(ms->is_cg), ms->cookie,
				 o->name);
			return -EBUSY;
		}
		ms->m = kzalloc(sizeof(*ms->m), GFP_KERNEL);
		if (!ms->m)
			return -ENOMEM;
		err = xa_reserve(ssns_member_xa(ms->is_cg), ms->cookie,
				 GFP_KERNEL);
		if (err) {
			kfree(ms->m);
			ms->m = NULL;
			return err;
		}
	}
	return 0;
}

/* Slots in the VNI map for the tenant's ranges after the change. */
static int ssns_vni_map_reserve(struct ssns_tenant_change *c)
{
	u32 i;
	int err;

	for (i = 0; i < c->nr_ranges; i++) {
		err = xa_reserve(&ssns_tt.vni, c->ranges[i].last, GFP_KERNEL);
		if (err)
			return err;
	}
	return 0;
}

/* Does one of @n ranges @r end at @last? */
static bool ssns_ranges_end_at(const struct ssns_vni_range *r, u32 n,
			       u16 last)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (r[i].last == last)
			return true;
	return false;
}

static struct ssns_tenant *ssns_tenant_alloc(const char *name)
{
	struct ssns_tenant *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	strscpy(t->name, name, sizeof(t->name));
	INIT_LIST_HEAD(&t->members);
	INIT_LIST_HEAD(&t->profiles);
	INIT_LIST_HEAD(&t->ctxs);
	spin_lock_init(&t->ctx_lock);
	refcount_set(&t->ref, 1);
	return t;
}

int ssns_tenant_change_prepare(struct ssns_tenant_change *c,
			       struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&ssns_cfg_lock);
	if (c->kind == SSNS_CHANGE_NEW) {
		if (!ssns_tenant_name_ok(c->name)) {
			ssns_err(extack, NULL,
				 "bad tenant name \"%s\": use letters, digits, . _ -",
				 c->name);
			return -EINVAL;
		}
		if (ssns_tenant_by_name(c->name)) {
			ssns_err(extack, NULL, "tenant %s exists", c->name);
			return -EEXIST;
		}
		c->t = ssns_tenant_alloc(c->name);
		if (!c->t)
			return -ENOMEM;
		err = xa_alloc(&ssns_tt.ids, &c->id, NULL, xa_limit_31b,
			       GFP_KERNEL);
		if (err) {
			ssns_tenant_put(c->t);
			c->t = NULL;
			return err;
		}
	}
	err = c->kind == SSNS_CHANGE_DEL ? ssns_check_del_vnis(c, extack) :
					   ssns_check_add_vnis(c, extack);
	if (err)
		goto err_abort;
	if (c->nr_vnis) {
		err = ssns_ranges_combine(c->t->ranges, c->t->nr_ranges,
					  c->vnis, c->nr_vnis,
					  c->kind != SSNS_CHANGE_DEL,
					  &c->ranges, &c->nr_ranges);
		if (!err)
			err = ssns_vni_map_reserve(c);
		if (err)
			goto err_abort;
		c->vnis_change = true;
	}
	err = ssns_prepare_members(c, extack);
	if (err)
		goto err_abort;
	return 0;

err_abort:
	ssns_tenant_change_abort(c);
	return err;
}

void ssns_tenant_change_abort(struct ssns_tenant_change *c)
{
	u32 i;

	for (i = 0; i < c->nr_members; i++) {
		struct ssns_member_spec *ms = &c->members[i];

		if (!ms->m)
			continue;
		xa_release(ssns_member_xa(ms->is_cg), ms->cookie);
		kfree(ms->m);
		ms->m = NULL;
	}
	/* Slots reserved for new ranges, not those of the tenant's own. */
	for (i = 0; c->ranges && i < c->nr_ranges; i++)
		xa_release(&ssns_tt.vni, c->ranges[i].last);
	kfree(c->ranges);
	c->ranges = NULL;
	c->vnis_change = false;
	if (c->kind == SSNS_CHANGE_NEW && c->t) {
		xa_erase(&ssns_tt.ids, c->id);
		ssns_tenant_put(c->t);
		c->t = NULL;
	}
}

/* Drop the map entries of @t's ranges, but those ending in @keep. */
static void ssns_vni_map_drop(struct ssns_tenant *t,
			      const struct ssns_vni_range *keep, u32 nr_keep)
{
	u32 i;

	for (i = 0; i < t->nr_ranges; i++)
		if (!ssns_ranges_end_at(keep, nr_keep, t->ranges[i].last))
			xa_erase(&ssns_tt.vni, t->ranges[i].last);
}

static void ssns_member_policy(struct ssns_tenant *t,
			       struct ssns_tenant_member *m,
			       enum ssns_policy_type type)
{
	struct ssns_policy p = {
		.type = type, .tenant = t,
		.net = m->cgrp ? NULL : m->net,
		.net_cookie = m->cgrp ? 0 : m->cookie,
		.cgroup_id = m->cgrp ? m->cookie : 0,
	};

	ssns_policy_all(&p);
}

struct ssns_member_match {
	u64 cookie;
	bool is_cg;
};

static bool ssns_ctx_member_match(struct ssns_ctx *ctx, void *arg)
{
	struct ssns_member_match *mm = arg;

	if (mm->is_cg)
		return ctx->via_cgid == mm->cookie;
	return !ctx->via_cgid && ctx->net_cookie == mm->cookie;
}

/* Unlink a member; contexts it pinned to the tenant are revoked. */
static void ssns_member_remove(struct ssns_tenant *t,
			       struct ssns_tenant_member *m)
{
	struct ssns_member_match mm = {
		.cookie = m->cookie, .is_cg = !!m->cgrp,
	};

	xa_erase(ssns_member_xa(mm.is_cg), m->cookie);
	list_del(&m->node);
	ssns_bw_member_gone(t, mm.is_cg, m->cookie);
	ssns_tenant_revoke_ctxs(t, ssns_ctx_member_match, &mm);
	ssns_member_policy(t, m, SSNS_POLICY_MEMBER_DEL);
	if (m->cgrp)
		ssns_cg_put(m->cgrp);
	kfree(m);
}

static struct ssns_tenant_member *ssns_member_find(struct ssns_tenant *t,
						   u64 cookie, bool is_cg)
{
	struct ssns_tenant_member *m;

	list_for_each_entry(m, &t->members, node)
		if (m->cookie == cookie && !!m->cgrp == is_cg)
			return m;
	return NULL;
}

static void ssns_commit_members(struct ssns_tenant_change *c)
{
	struct ssns_tenant *t = c->t;
	struct ssns_tenant_member *m;
	u32 i;

	for (i = 0; i < c->nr_members; i++) {
		struct ssns_member_spec *ms = &c->members[i];

		if (c->kind == SSNS_CHANGE_DEL) {
			m = ssns_member_find(t, ms->cookie, ms->is_cg);
			if (m)
				ssns_member_remove(t, m);
			continue;
		}
		m = ms->m;
		if (!m)
			continue;	/* a member already, or named twice */
		ms->m = NULL;
		m->cookie = ms->cookie;
		if (ms->is_cg) {
			m->cgrp = ms->cgrp;	/* the reference moves */
			ms->cgrp = NULL;
		} else {
			m->net = ms->net;
		}
		xa_store(ssns_member_xa(ms->is_cg), ms->cookie, t, GFP_KERNEL);
		list_add_tail(&m->node, &t->members);
		ssns_member_policy(t, m, SSNS_POLICY_MEMBER_ADD);
	}
}

void ssns_tenant_change_commit(struct ssns_tenant_change *c)
{
	struct ssns_tenant *t = c->t;
	u32 i;
	struct ssns_event ev = {
		.type = c->kind == SSNS_CHANGE_NEW ? SSNS_EV_TENANT_NEW :
						     SSNS_EV_TENANT_SET,
		.tenant = t,
	};

	lockdep_assert_held(&ssns_cfg_lock);
	if (c->kind == SSNS_CHANGE_NEW) {
		t->id = c->id;
		xa_store(&ssns_tt.ids, c->id, t, GFP_KERNEL);
		ssns_tenant_name_add(t);
	}
	if (c->vnis_change) {
		/* Into the reserved slots first: erasing may free nodes. */
		for (i = 0; i < c->nr_ranges; i++)
			xa_store(&ssns_tt.vni, c->ranges[i].last, t,
				 GFP_KERNEL);
		ssns_vni_map_drop(t, c->ranges, c->nr_ranges);
		kfree(t->ranges);
		t->ranges = c->ranges;
		t->nr_ranges = c->nr_ranges;
		c->ranges = NULL;
	}
	ssns_commit_members(c);
	ssns_event(&ev);
	if (c->kind == SSNS_CHANGE_NEW)
		pr_info("tenant %s created\n", t->name);
}

/* What a change still holds once committed or aborted. */
void ssns_tenant_change_free(struct ssns_tenant_change *c)
{
	u32 i;

	for (i = 0; i < c->nr_members; i++) {
		if (c->members[i].net)
			put_net(c->members[i].net);
		if (c->members[i].cgrp)
			ssns_cg_put(c->members[i].cgrp);
		kfree(c->members[i].m);
	}
	kfree(c->members);
	kfree(c->vnis);
	kfree(c->ranges);
}

/* Remove a tenant: its members, contexts, profiles and VNIs go. */
void ssns_tenant_delete(struct ssns_tenant *t)
{
	struct ssns_event ev = { .type = SSNS_EV_TENANT_DEL, .tenant = t };
	struct ssns_tenant_member *m, *tmp;

	lockdep_assert_held(&ssns_cfg_lock);
	pr_info("tenant %s removed\n", t->name);
	/* Announced first, while its members still hear it. */
	ssns_event(&ev);
	t->dead = true;
	list_for_each_entry_safe(m, tmp, &t->members, node)
		ssns_member_remove(t, m);
	ssns_tenant_revoke_ctxs(t, NULL, NULL);
	ssns_profiles_del_tenant(t);
	ssns_bw_tenant_gone(t);
	ssns_vni_map_drop(t, NULL, 0);
	ssns_tenant_name_del(t);
	xa_erase(&ssns_tt.ids, t->id);
	ssns_tenant_put(t);
}

/* A dying netns stops being a member (its contexts are already revoked). */
void ssns_tenant_net_exit(struct net *net)
{
	struct ssns_event ev = { .type = SSNS_EV_TENANT_SET };
	struct ssns_tenant_member *m;
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	t = ssns_tenant_find_net(net);
	if (!t)
		return;
	m = ssns_member_find(t, net->net_cookie, false);
	if (!WARN_ON_ONCE(!m))
		ssns_member_remove(t, m);
	ev.tenant = t;
	ssns_event(&ev);
}

void ssns_tenants_exit(void)
{
	struct ssns_tenant *t;
	unsigned long id;

	mutex_lock(&ssns_cfg_lock);
	xa_for_each(&ssns_tt.ids, id, t)
		ssns_tenant_delete(t);
	mutex_unlock(&ssns_cfg_lock);
	xa_destroy(&ssns_tt.ids);
	xa_destroy(&ssns_tt.net);
	xa_destroy(&ssns_tt.cg);
	xa_destroy(&ssns_tt.vni);
}
