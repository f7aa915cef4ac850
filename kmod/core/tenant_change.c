// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: changes of tenants.
 *
 * A change (creating a tenant, adding or removing VNIs and members,
 * delegating it) is prepared first: every rule is checked, permissions
 * included (access.c), and every allocation made, so that its commit
 * cannot fail and a refused change leaves nothing behind. Then it is
 * committed (tables updated, contexts that lost their tenant revoked,
 * providers told, the event sent) or aborted. Deleting a tenant and the
 * end of a membership when its netns dies cannot fail.
 *
 * VNIs move between tenants and the free pool: a top-level tenant takes
 * them from the pool and gives them back; a child takes them from its
 * parent and gives them back to it, when it loses them or is deleted.
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
			       u32 *nout, gfp_t gfp)
{
	struct ssns_vni_range *r;
	u32 i, j, n = 0;

	/* A removal splits a range at most once per range removed. */
	r = kmalloc_array(na + nb + 1, sizeof(*r), gfp);
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

/* ---- VNI moves ---- */

/* The first VNI of @r (sorted) not in @t's ranges, or 0 if all are. */
static u32 ssns_first_not_in(const struct ssns_vni_range *r, u32 n,
			     const struct ssns_tenant *t)
{
	u32 i, v;

	for (i = 0; i < n; i++)
		for (v = r[i].first; v <= r[i].last; v++)
			if (!ssns_tenant_has_vni(t, v))
				return v;
	return 0;
}

/* Check that @r may move from @mv->src to @mv->dst. Under ssns_cfg_lock. */
static int ssns_move_check(const struct ssns_vni_move *mv,
			   const struct ssns_vni_range *r, u32 n,
			   struct netlink_ext_ack *extack)
{
	struct ssns_profile *p;
	struct ssns_tenant *o;
	unsigned long last;
	u16 first;
	u32 i, v;

	if (mv->src) {
		v = ssns_first_not_in(r, n, mv->src);
		if (v) {
			ssns_err(extack, NULL, "VNI %u is not in tenant %s", v,
				 mv->src->name);
			return -ENOENT;
		}
	}
	for (i = 0; i < n; i++) {
		if (mv->src) {
			p = ssns_tenant_vni_profile(mv->src, r[i].first,
						    r[i].last);
			if (p) {
				ssns_err(extack, NULL,
					 "VNI %u of tenant %s is used by the profile %s/%s",
					 p->vni, mv->src->name, p->dev->name,
					 ssns_tc_names[p->tc]);
				return -EBUSY;
			}
			continue;
		}
		/* From the pool: nobody's, and on no tenant-less profile. */
		for (last = r[i].first;
		     (o = ssns_vni_range_at(&last, &first)) &&
		     first <= r[i].last; last++) {
			ssns_err(extack, NULL, "VNI %u belongs to tenant %s",
				 max(first, r[i].first), o->name);
			return -EBUSY;
		}
		p = ssns_free_vni_profile(r[i].first, r[i].last);
		if (p) {
			ssns_err(extack, NULL,
				 "VNI %u is used by the tenant-less profile %s/%s",
				 p->vni, p->dev->name, ssns_tc_names[p->tc]);
			return -EBUSY;
		}
	}
	return 0;
}

/* Reserve the map slots of @n ranges @r. */
static int ssns_map_reserve(const struct ssns_vni_range *r, u32 n, gfp_t gfp)
{
	u32 i;
	int err;

	for (i = 0; i < n; i++) {
		err = xa_reserve(&ssns_tt.vni, r[i].last, gfp);
		if (err)
			return err;
	}
	return 0;
}

static void ssns_map_release(const struct ssns_vni_range *r, u32 n)
{
	u32 i;

	for (i = 0; r && i < n; i++)
		xa_release(&ssns_tt.vni, r[i].last);
}

/* Does one of @n ranges @r end at @last? */
static bool ssns_ranges_end_at(const struct ssns_vni_range *r, u32 n,
			       u16 last)
{
	u32 i;

	for (i = 0; r && i < n; i++)
		if (r[i].last == last)
			return true;
	return false;
}

static void ssns_move_abort(struct ssns_vni_move *mv)
{
	ssns_map_release(mv->src_new, mv->nr_src_new);
	ssns_map_release(mv->dst_new, mv->nr_dst_new);
	kfree(mv->src_new);
	kfree(mv->dst_new);
	mv->src_new = NULL;
	mv->dst_new = NULL;
	mv->active = false;
}

/*
 * Prepare moving @r (checked: ssns_move_check()) from @mv->src to
 * @mv->dst: both tenants' ranges after, and their map slots.
 */
static int ssns_move_prepare(struct ssns_vni_move *mv,
			     const struct ssns_vni_range *r, u32 n, gfp_t gfp)
{
	int err = 0;

	if (mv->src)
		err = ssns_ranges_combine(mv->src->ranges, mv->src->nr_ranges,
					  r, n, false, &mv->src_new,
					  &mv->nr_src_new, gfp);
	if (!err && mv->dst)
		err = ssns_ranges_combine(mv->dst->ranges, mv->dst->nr_ranges,
					  r, n, true, &mv->dst_new,
					  &mv->nr_dst_new, gfp);
	if (!err)
		err = ssns_map_reserve(mv->src_new, mv->nr_src_new, gfp);
	if (!err)
		err = ssns_map_reserve(mv->dst_new, mv->nr_dst_new, gfp);
	mv->active = true;
	if (err)
		ssns_move_abort(mv);
	return err;
}

/* Drop the map entries of @t's ranges that end in none of @a, @b. */
static void ssns_map_drop(struct ssns_tenant *t,
			  const struct ssns_vni_range *a, u32 na,
			  const struct ssns_vni_range *b, u32 nb)
{
	u32 i;

	for (i = 0; t && i < t->nr_ranges; i++)
		if (!ssns_ranges_end_at(a, na, t->ranges[i].last) &&
		    !ssns_ranges_end_at(b, nb, t->ranges[i].last))
			xa_erase(&ssns_tt.vni, t->ranges[i].last);
}

static void ssns_set_ranges(struct ssns_tenant *t, struct ssns_vni_range *r,
			    u32 n)
{
	u32 i;

	/* Into the reserved slots first: erasing may free nodes. */
	for (i = 0; i < n; i++)
		xa_store(&ssns_tt.vni, r[i].last, t, GFP_KERNEL);
}

static void ssns_move_commit(struct ssns_vni_move *mv)
{
	if (!mv->active)
		return;
	if (mv->src)
		ssns_set_ranges(mv->src, mv->src_new, mv->nr_src_new);
	if (mv->dst)
		ssns_set_ranges(mv->dst, mv->dst_new, mv->nr_dst_new);
	ssns_map_drop(mv->src, mv->src_new, mv->nr_src_new, mv->dst_new,
		      mv->nr_dst_new);
	ssns_map_drop(mv->dst, mv->src_new, mv->nr_src_new, mv->dst_new,
		      mv->nr_dst_new);
	if (mv->src) {
		kfree(mv->src->ranges);
		mv->src->ranges = mv->src_new;
		mv->src->nr_ranges = mv->nr_src_new;
	}
	if (mv->dst) {
		kfree(mv->dst->ranges);
		mv->dst->ranges = mv->dst_new;
		mv->dst->nr_ranges = mv->nr_dst_new;
	}
	mv->src_new = NULL;
	mv->dst_new = NULL;
	mv->active = false;
}

/* ---- members ---- */

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

static struct ssns_tenant_member *ssns_member_find(struct ssns_tenant *t,
						   u64 cookie, bool is_cg)
{
	struct ssns_tenant_member *m;

	list_for_each_entry(m, &t->members, node)
		if (m->cookie == cookie && !!m->cgrp == is_cg)
			return m;
	return NULL;
}

/* May the caller bind or unbind this member of @t? */
static int ssns_member_allowed(struct ssns_tenant_change *c,
			       struct ssns_member_spec *ms,
			       struct netlink_ext_ack *extack)
{
	struct ssns_tenant_member *m;
	int err;

	if (c->who->admin)
		return 0;
	if (ms->net)
		return ssns_may_bind_net(c->who, c->t, ms->net, extack);
	if (ms->cgrp)
		return ssns_may_bind_cg(c->who, c->t, ms->cgrp, extack);
	/* By cookie or id: judge the member it names. */
	m = ssns_member_find(c->t, ms->cookie, ms->is_cg);
	if (!m)
		return 0;	/* not a member: ENOENT comes next */
	err = m->cgrp ? ssns_may_bind_cg(c->who, c->t, m->cgrp, extack) :
			ssns_may_bind_net(c->who, c->t, m->net, extack);
	return err;
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
		err = ssns_member_allowed(c, ms, extack);
		if (err) {
			if (extack)
				extack->bad_attr = ms->where;
			return err;
		}
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

/* ---- permissions of a change ---- */

static int ssns_not_admin(struct netlink_ext_ack *extack, const char *what)
{
	ssns_err(extack, NULL,
		 "%s needs CAP_NET_ADMIN in the initial user namespace", what);
	return -EPERM;
}

static int ssns_not_manager(struct netlink_ext_ack *extack,
			    struct ssns_tenant *t)
{
	ssns_err(extack, NULL,
		 "not a node admin, nor a delegate of tenant %s or its ancestors",
		 t->name);
	return -EPERM;
}

/*
 * The VNIs of a tenant come from its parent (or the pool, for a top-level
 * one): moving them is for whoever manages where they come from.
 */
static int ssns_may_move_vnis(struct ssns_tenant_change *c,
			      struct netlink_ext_ack *extack)
{
	struct ssns_tenant *from = c->t->parent;

	if (c->who->admin)
		return 0;
	if (!from)
		return ssns_not_admin(extack,
				      "changing the VNIs of a top-level tenant");
	return ssns_manages(c->who, from) ? 0 : ssns_not_manager(extack, from);
}

/*
 * A tenant is delegated by a node admin, or, for a child, by a delegate of
 * its parent, and then only to its own user namespace or a descendant, and
 * to a cgroup subtree within its own: nobody widens the delegation it acts
 * through.
 */
static int ssns_may_delegate(struct ssns_tenant_change *c,
			     struct netlink_ext_ack *extack)
{
	struct ssns_tenant *by;

	if (c->who->admin)
		return 0;
	if (!c->t->parent)
		return ssns_not_admin(extack,
				      "delegating a top-level tenant");
	by = ssns_manager_of(c->who, c->t->parent);
	if (!by)
		return ssns_not_manager(extack, c->t->parent);
	if (c->delegate && !ssns_userns_within(c->delegate, by->delegate)) {
		ssns_err(extack, NULL,
			 "a delegate of %s delegates only to its user namespace or a descendant",
			 by->name);
		return -EPERM;
	}
	if (c->delegate_cg &&
	    (!by->delegate_cg || !ssns_cg_within(c->delegate_cg,
						 by->delegate_cg))) {
		ssns_err(extack, NULL,
			 "a delegate of %s delegates only cgroups under its own subtree",
			 by->name);
		return -EPERM;
	}
	return 0;
}

/* May the caller delete @t? Whoever manages where it came from. */
int ssns_may_delete(const struct ssns_caller *who, struct ssns_tenant *t,
		    struct netlink_ext_ack *extack)
{
	if (who->admin)
		return 0;
	if (!t->parent)
		return ssns_not_admin(extack, "deleting a top-level tenant");
	return ssns_manages(who, t->parent) ? 0 :
	       ssns_not_manager(extack, t->parent);
}

/* ---- changes ---- */

static struct ssns_tenant *ssns_tenant_alloc(const char *name)
{
	struct ssns_tenant *t = ssns_tenant_zalloc();

	if (!t)
		return NULL;
	strscpy(t->name, name, sizeof(t->name));
	INIT_LIST_HEAD(&t->members);
	INIT_LIST_HEAD(&t->profiles);
	INIT_LIST_HEAD(&t->ctxs);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->child_node);
	INIT_LIST_HEAD(&t->delegated_node);
	spin_lock_init(&t->ctx_lock);
	refcount_set(&t->ref, 1);
	return t;
}

static int ssns_prepare_new(struct ssns_tenant_change *c,
			    struct netlink_ext_ack *extack)
{
	int err;

	if (!ssns_tenant_name_ok(c->name)) {
		ssns_err(extack, NULL,
			 "bad tenant name \"%s\": use letters, digits, . _ -",
			 c->name);
		return -EINVAL;
	}
	if (c->parent ? !ssns_manages(c->who, c->parent) : !c->who->admin)
		return c->parent ? ssns_not_manager(extack, c->parent) :
		       ssns_not_admin(extack, "a top-level tenant");
	if (ssns_tenant_by_name(c->name)) {
		ssns_err(extack, NULL, "tenant %s exists", c->name);
		return -EEXIST;
	}
	c->t = ssns_tenant_alloc(c->name);
	if (!c->t)
		return -ENOMEM;
	/* Not a child of its parent's yet: permission checks see it so. */
	c->t->parent = c->parent;
	c->t->by_delegate = !c->who->admin;
	err = xa_alloc(&ssns_tt.ids, &c->id, NULL, xa_limit_31b, GFP_KERNEL);
	if (err) {
		ssns_tenant_put(c->t);
		c->t = NULL;
	}
	return err;
}

/* The VNIs the change moves: what is not where they go already. */
static int ssns_prepare_vnis(struct ssns_tenant_change *c,
			     struct netlink_ext_ack *extack)
{
	struct ssns_vni_move *mv = &c->mv;
	struct ssns_vni_range *r = c->vnis;
	u32 n = c->nr_vnis;
	int err;

	if (!n)
		return 0;
	if (c->kind == SSNS_CHANGE_DEL) {
		mv->src = c->t;
		mv->dst = c->t->parent;
	} else {
		mv->src = c->t->parent;
		mv->dst = c->t;
		/* Adding what the tenant has: nothing to move for those. */
		err = ssns_ranges_combine(r, n, c->t->ranges, c->t->nr_ranges,
					  false, &r, &n, GFP_KERNEL);
		if (err)
			return err;
		kfree(c->vnis);
		c->vnis = r;
		c->nr_vnis = n;
		if (!n)
			return 0;
	}
	err = ssns_may_move_vnis(c, extack);
	if (!err)
		err = ssns_move_check(mv, r, n, extack);
	if (!err)
		err = ssns_move_prepare(mv, r, n, GFP_KERNEL);
	return err;
}

int ssns_tenant_change_prepare(struct ssns_tenant_change *c,
			       struct netlink_ext_ack *extack)
{
	int err = 0;

	lockdep_assert_held(&ssns_cfg_lock);
	if (c->kind == SSNS_CHANGE_NEW)
		err = ssns_prepare_new(c, extack);
	if (err)
		return err;
	if (c->kind == SSNS_CHANGE_DELEGATE) {
		err = ssns_may_delegate(c, extack);
		goto out;
	}
	err = ssns_prepare_vnis(c, extack);
	if (err)
		goto out;
	if (c->nr_members && !c->who->admin && !ssns_manages(c->who, c->t))
		err = ssns_not_manager(extack, c->t);
	if (!err)
		err = ssns_prepare_members(c, extack);
out:
	if (err)
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
	ssns_move_abort(&c->mv);
	if (c->kind == SSNS_CHANGE_NEW && c->t) {
		xa_erase(&ssns_tt.ids, c->id);
		ssns_tenant_put(c->t);
		c->t = NULL;
	}
}

static void ssns_tenant_announce(struct ssns_tenant *t,
				 enum ssns_event_type type)
{
	struct ssns_event ev = { .type = type, .tenant = t };

	ssns_event(&ev);
}

void ssns_tenant_change_commit(struct ssns_tenant_change *c)
{
	struct ssns_tenant *t = c->t;

	lockdep_assert_held(&ssns_cfg_lock);
	if (c->kind == SSNS_CHANGE_NEW) {
		t->id = c->id;
		xa_store(&ssns_tt.ids, c->id, t, GFP_KERNEL);
		ssns_tenant_name_add(t);
		if (t->parent)
			list_add_tail(&t->child_node, &t->parent->children);
	}
	if (c->kind == SSNS_CHANGE_DELEGATE) {
		/* To another user namespace, or none: the old one ends. */
		if (t->delegate != c->delegate)
			ssns_delegation_end(t);
		ssns_delegate_set(t, c->delegate, c->delegate_cg);
		c->delegate = NULL;	/* the references moved */
		c->delegate_cg = NULL;
	}
	ssns_move_commit(&c->mv);
	ssns_commit_members(c);
	if (c->kind == SSNS_CHANGE_NEW) {
		ssns_tenant_announce(t, SSNS_EV_TENANT_NEW);
		pr_info("tenant %s created\n", t->name);
	} else {
		ssns_tenant_announce(t, SSNS_EV_TENANT_SET);
	}
	/* A parent whose VNIs changed hears of it too. */
	if (c->mv.src && c->mv.src != t)
		ssns_tenant_announce(c->mv.src, SSNS_EV_TENANT_SET);
	if (c->mv.dst && c->mv.dst != t)
		ssns_tenant_announce(c->mv.dst, SSNS_EV_TENANT_SET);
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
	if (c->delegate)
		put_user_ns(c->delegate);
	if (c->delegate_cg)
		ssns_cg_put(c->delegate_cg);
}

/*
 * Remove a tenant: its children first, then its members, contexts,
 * profiles; its VNIs go back to its parent, or to the pool.
 */
void ssns_tenant_delete(struct ssns_tenant *t)
{
	struct ssns_vni_move mv = { .src = t, .dst = t->parent };
	struct ssns_tenant_member *m, *tmp;
	struct ssns_tenant *child;

	lockdep_assert_held(&ssns_cfg_lock);
	while ((child = list_first_entry_or_null(&t->children,
						 struct ssns_tenant,
						 child_node)))
		ssns_tenant_delete(child);
	pr_info("tenant %s removed\n", t->name);
	/* Announced first, while its members still hear it. */
	ssns_tenant_announce(t, SSNS_EV_TENANT_DEL);
	t->dead = true;
	ssns_delegate_set(t, NULL, NULL);
	list_for_each_entry_safe(m, tmp, &t->members, node)
		ssns_member_remove(t, m);
	ssns_tenant_revoke_ctxs(t, NULL, NULL);
	ssns_profiles_del_tenant(t);
	ssns_bw_tenant_gone(t);
	if (t->parent && t->nr_ranges) {
		/* Small allocations: deletion cannot fail. */
		ssns_move_prepare(&mv, t->ranges, t->nr_ranges,
				  GFP_KERNEL | __GFP_NOFAIL);
		ssns_move_commit(&mv);
		ssns_tenant_announce(t->parent, SSNS_EV_TENANT_SET);
	} else {
		ssns_map_drop(t, NULL, 0, NULL, 0);
	}
	list_del_init(&t->child_node);
	ssns_tenant_name_del(t);
	xa_erase(&ssns_tt.ids, t->id);
	ssns_tenant_put(t);
}

/*
 * End @t's delegation: the children its delegates made are deleted (their
 * VNIs come back to @t), and the delegation is gone.
 */
void ssns_delegation_end(struct ssns_tenant *t)
{
	struct ssns_tenant *child, *tmp;

	lockdep_assert_held(&ssns_cfg_lock);
	if (!t->delegate)
		return;
	list_for_each_entry_safe(child, tmp, &t->children, child_node)
		if (child->by_delegate)
			ssns_tenant_delete(child);
	ssns_delegate_set(t, NULL, NULL);
	ssns_tenant_announce(t, SSNS_EV_TENANT_SET);
}

/* A dying netns stops being a member (its contexts are already revoked). */
void ssns_tenant_net_exit(struct net *net)
{
	struct ssns_tenant_member *m;
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	t = ssns_tenant_find_net(net);
	if (!t)
		return;
	m = ssns_member_find(t, net->net_cookie, false);
	if (!WARN_ON_ONCE(!m))
		ssns_member_remove(t, m);
	ssns_tenant_announce(t, SSNS_EV_TENANT_SET);
}

void ssns_tenants_exit(void)
{
	struct ssns_tenant *t;
	unsigned long id;

	mutex_lock(&ssns_cfg_lock);
	/* Top-level tenants: each takes its children along. */
	xa_for_each(&ssns_tt.ids, id, t)
		if (!t->parent)
			ssns_tenant_delete(t);
	mutex_unlock(&ssns_cfg_lock);
	WARN_ON(!xa_empty(&ssns_tt.ids));
	xa_destroy(&ssns_tt.ids);
	xa_destroy(&ssns_tt.net);
	xa_destroy(&ssns_tt.cg);
	xa_destroy(&ssns_tt.vni);
}
