// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: tenants.
 *
 * A tenant owns a set of VNIs and has network namespaces as members. A VNI
 * and a netns each belong to at most one tenant; init_net to none. A netns
 * is known by its cookie, which is never reused during a boot (its nsfs
 * inode number is). Two xarrays give the admission and open paths O(1)
 * lookups under RCU: VNI -> tenant and netns cookie -> tenant. The tenant
 * list and the xarrays change under ssns_cfg_lock only.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <net/sock.h>
#include "core.h"

static LIST_HEAD(ssns_tenants);
static DEFINE_XARRAY(ssns_vni_tenant);	/* vni -> tenant */
static DEFINE_XARRAY(ssns_net_tenant);	/* net_cookie -> tenant */
static DEFINE_XARRAY(ssns_cg_tenant);	/* cgroup id -> tenant */

struct ssns_tenant *ssns_tenant_find_net(const struct net *net)
{
	return xa_load(&ssns_net_tenant, net->net_cookie);
}

struct ssns_tenant *ssns_tenant_of_cgid(u64 cgid)
{
	return xa_load(&ssns_cg_tenant, cgid);
}

/*
 * The tenant of the current task opening in @net, referenced, or NULL: the
 * tenant of its netns if any, else that of the nearest ancestor of its
 * cgroup v2 that is a member (*via_cgid is then that cgroup's id).
 */
struct ssns_tenant *ssns_tenant_resolve(const struct net *net, u64 *via_cgid)
{
	struct ssns_tenant *t;

	*via_cgid = 0;
	rcu_read_lock();
	t = xa_load(&ssns_net_tenant, net->net_cookie);
	if (!t)
		t = ssns_cg_tenant_of_current(via_cgid);
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

	t = xa_load(&ssns_net_tenant, net->net_cookie);
	if (!t)
		t = ssns_cg_tenant_of_current(&cgid);
	*all = !t && net_eq(net, &init_net);
	return t;
}

struct ssns_tenant *ssns_tenant_of_vni(u16 vni)
{
	return xa_load(&ssns_vni_tenant, vni);
}

static void ssns_tenant_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ssns_tenant, rcu));
}

void ssns_tenant_put(struct ssns_tenant *t)
{
	if (!refcount_dec_and_test(&t->ref))
		return;
	xa_destroy(&t->vnis);
	call_rcu(&t->rcu, ssns_tenant_free_rcu);
}

void ssns_tenant_stat_inc(struct ssns_tenant *t, int stat)
{
	atomic64_inc(&t->stats[stat]);
}

/* See ssns_reader_tenant(). */
bool ssns_tenant_readable(const struct ssns_tenant *t, struct net *net)
{
	bool all;

	return ssns_reader_tenant(net, &all) == t || all;
}

/*
 * @name is an NLA_NUL_STRING: NUL-terminated, but bytes may follow the
 * NUL. Compare the C string, the part a tenant keeps as its name.
 */
static struct ssns_tenant *ssns_tenant_by_name(const struct nlattr *name)
{
	struct ssns_tenant *t;

	list_for_each_entry(t, &ssns_tenants, node)
		if (!strcmp(nla_data(name), t->name))
			return t;
	return NULL;
}

/* Find the tenant named in the request; ENOENT if the caller can't see it. */
static struct ssns_tenant *ssns_tenant_req(struct genl_info *info)
{
	struct nlattr *name = info->attrs[SSNS_ATTR_TENANT_NAME];
	struct ssns_tenant *t;

	if (!name) {
		ssns_nl_err(info->extack, NULL, "missing TENANT_NAME");
		return ERR_PTR(-EINVAL);
	}
	t = ssns_tenant_by_name(name);
	if (!t || !ssns_tenant_readable(t, genl_info_net(info))) {
		ssns_nl_err(info->extack, name, "no tenant named %s",
			    (char *)nla_data(name));
		return ERR_PTR(-ENOENT);
	}
	return t;
}

/* ---- replies ---- */

static int ssns_tenant_nr_ranges(struct ssns_tenant *t)
{
	unsigned long vni, prev = 0;
	int n = 0;
	void *e;

	xa_for_each(&t->vnis, vni, e) {
		if (!n || vni != prev + 1)
			n++;
		prev = vni;
	}
	return n;
}

static int ssns_put_range(struct sk_buff *skb, u32 first, u32 last)
{
	struct nlattr *r = nla_nest_start(skb, SSNS_ATTR_VNI_RANGE);

	if (!r || nla_put_u32(skb, SSNS_ATTR_VNI_FIRST, first) ||
	    nla_put_u32(skb, SSNS_ATTR_VNI_LAST, last))
		return -EMSGSIZE;
	nla_nest_end(skb, r);
	return 0;
}

static int ssns_tenant_put_vnis(struct sk_buff *skb, struct ssns_tenant *t)
{
	unsigned long vni, first = 0, prev = 0;
	struct nlattr *nest;
	void *e;

	nest = nla_nest_start(skb, SSNS_ATTR_VNI_RANGES);
	if (!nest)
		return -EMSGSIZE;
	xa_for_each(&t->vnis, vni, e) {
		if (first && vni == prev + 1) {
			prev = vni;
			continue;
		}
		if (first && ssns_put_range(skb, first, prev))
			return -EMSGSIZE;
		first = vni;
		prev = vni;
	}
	if (first && ssns_put_range(skb, first, prev))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ssns_put_cg_member(struct sk_buff *skb,
			      struct ssns_tenant_member *m)
{
	char *path = kmalloc(SSNS_CGROUP_PATH_MAX, GFP_KERNEL);
	int err = -EMSGSIZE;

	if (!path)
		return -ENOMEM;
	if (nla_put_u64_64bit(skb, SSNS_ATTR_CGROUP_ID, m->cookie,
			      SSNS_ATTR_PAD))
		goto out;
	if (ssns_cg_member_path(m->cgrp, path, SSNS_CGROUP_PATH_MAX) >= 0 &&
	    nla_put_string(skb, SSNS_ATTR_CGROUP_PATH, path))
		goto out;
	err = 0;
out:
	kfree(path);
	return err;
}

static int ssns_tenant_put_members(struct sk_buff *skb, struct ssns_tenant *t,
				   struct net *caller)
{
	struct ssns_tenant_member *m;
	struct nlattr *nest, *mn;
	int id;

	nest = nla_nest_start(skb, SSNS_ATTR_MEMBERS);
	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry(m, &t->members, node) {
		mn = nla_nest_start(skb, SSNS_ATTR_MEMBER);
		if (!mn)
			return -EMSGSIZE;
		if (m->cgrp) {
			if (ssns_put_cg_member(skb, m))
				return -EMSGSIZE;
			nla_nest_end(skb, mn);
			continue;
		}
		if (nla_put_u64_64bit(skb, SSNS_ATTR_NETNS_COOKIE, m->cookie,
				      SSNS_ATTR_PAD))
			return -EMSGSIZE;
		if (caller) {
			id = peernet2id(caller, m->net);
			if (id >= 0 && nla_put_s32(skb, SSNS_ATTR_NETNS_ID, id))
				return -EMSGSIZE;
		}
		nla_nest_end(skb, mn);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int ssns_tenant_fill(struct sk_buff *skb, struct ssns_tenant *t,
			    struct net *caller, u32 portid, u32 seq, int flags,
			    u8 cmd)
{
	void *hdr = ssns_nl_put_hdr(skb, portid, seq, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, SSNS_ATTR_TENANT_NAME, t->name))
		goto cancel;
	if (cmd != SSNS_CMD_TENANT_DEL &&
	    (ssns_tenant_put_vnis(skb, t) ||
	     ssns_tenant_put_members(skb, t, caller) ||
	     ssns_nl_put_stats(skb, t->stats, NULL)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static size_t ssns_tenant_msg_size(struct ssns_tenant *t)
{
	struct ssns_tenant_member *m;
	size_t n = 0;

	list_for_each_entry(m, &t->members, node)
		n += m->cgrp ? SSNS_CGROUP_PATH_MAX + 32 : 32;
	return NLMSG_DEFAULT_SIZE + ssns_tenant_nr_ranges(t) * 24 + n;
}

static struct sk_buff *ssns_tenant_msg(struct ssns_tenant *t, u8 cmd,
				       struct net *caller, u32 portid, u32 seq)
{
	struct sk_buff *msg = nlmsg_new(ssns_tenant_msg_size(t), GFP_KERNEL);

	if (!msg)
		return NULL;
	if (ssns_tenant_fill(msg, t, caller, portid, seq, 0, cmd)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void ssns_tenant_notify(struct ssns_tenant *t, u8 cmd)
{
	struct sk_buff *msg = ssns_tenant_msg(t, cmd, NULL, 0, 0);

	if (msg)
		ssns_notify_tenant(msg, t);
}

int ssns_nl_tenant_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_tenant *t;
	struct sk_buff *msg;

	mutex_lock(&ssns_cfg_lock);
	t = ssns_tenant_req(info);
	if (IS_ERR(t)) {
		mutex_unlock(&ssns_cfg_lock);
		return PTR_ERR(t);
	}
	msg = ssns_tenant_msg(t, SSNS_CMD_TENANT_GET, genl_info_net(info),
			      info->snd_portid, info->snd_seq);
	mutex_unlock(&ssns_cfg_lock);
	if (!msg)
		return -ENOMEM;
	return genlmsg_reply(msg, info);
}

int ssns_nl_tenant_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct ssns_tenant *t;
	long i = 0;
	int err = 0;

	mutex_lock(&ssns_cfg_lock);
	list_for_each_entry(t, &ssns_tenants, node) {
		if (i++ < cb->args[0])
			continue;
		if (!ssns_tenant_readable(t, net))
			continue;
		err = ssns_tenant_fill(skb, t, net, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       SSNS_CMD_TENANT_GET);
		if (err) {
			i--;
			break;
		}
	}
	mutex_unlock(&ssns_cfg_lock);
	cb->args[0] = i;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ---- changes ---- */

struct ssns_tenant_change {
	unsigned long *vnis;		/* bitmap of VNIs named by the request */
	struct ssns_member_req {
		struct net *net;	/* referenced, or NULL (by cookie) */
		struct cgroup *cgrp;	/* referenced, or NULL */
		bool is_cg;		/* a cgroup member: cookie is its id */
		u64 cookie;
		const struct nlattr *attr;
		struct ssns_tenant_member *m;	/* preallocated (add) */
	} *members;
	int nr_members;
};

static void ssns_change_free(struct ssns_tenant_change *c)
{
	int i;

	for (i = 0; i < c->nr_members; i++) {
		if (c->members[i].net)
			put_net(c->members[i].net);
		if (c->members[i].cgrp)
			ssns_cg_member_put(c->members[i].cgrp);
		kfree(c->members[i].m);
	}
	kfree(c->members);
	bitmap_free(c->vnis);
}

static int ssns_parse_vnis(struct nlattr *ranges, struct ssns_tenant_change *c,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SSNS_ATTR_VNI_LAST + 1];
	struct nlattr *r;
	u32 first, last;
	int rem, err;

	c->vnis = bitmap_zalloc(SSNS_VNI_MAX + 1, GFP_KERNEL);
	if (!c->vnis)
		return -ENOMEM;
	if (!ranges)
		return 0;
	nla_for_each_nested(r, ranges, rem) {
		err = nla_parse_nested(tb, SSNS_ATTR_VNI_LAST, r,
				       ssns_range_policy, extack);
		if (err)
			return err;
		if (!tb[SSNS_ATTR_VNI_FIRST]) {
			ssns_nl_err(extack, r, "VNI range without VNI_FIRST");
			return -EINVAL;
		}
		first = nla_get_u32(tb[SSNS_ATTR_VNI_FIRST]);
		last = tb[SSNS_ATTR_VNI_LAST] ?
		       nla_get_u32(tb[SSNS_ATTR_VNI_LAST]) : first;
		if (last < first) {
			ssns_nl_err(extack, r, "VNI range %u-%u is reversed",
				    first, last);
			return -EINVAL;
		}
		bitmap_set(c->vnis, first, last - first + 1);
	}
	return 0;
}

static int ssns_parse_member(struct nlattr **tb, const struct nlattr *attr,
			     struct net *caller, bool add,
			     struct ssns_member_req *mr,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *cookie = tb[SSNS_ATTR_NETNS_COOKIE];
	struct nlattr *cgid = tb[SSNS_ATTR_CGROUP_ID];
	bool by_cg = tb[SSNS_ATTR_CGROUP_PATH] || tb[SSNS_ATTR_CGROUP_FD];
	bool by_net = tb[SSNS_ATTR_NETNS_FD] || tb[SSNS_ATTR_NETNS_PID];
	struct cgroup *cgrp;
	struct net *net;

	mr->attr = attr;
	if ((by_cg || cgid) && (by_net || cookie)) {
		ssns_nl_err(extack, attr,
			    "a member is a netns or a cgroup, not both");
		return -EINVAL;
	}
	if (cgid) {
		if (add || by_cg) {
			ssns_nl_err(extack, cgid,
				    "CGROUP_ID %llu only names a member to remove, alone",
				    nla_get_u64(cgid));
			return -EINVAL;
		}
		mr->is_cg = true;
		mr->cookie = nla_get_u64(cgid);
		return 0;
	}
	if (by_cg) {
		cgrp = ssns_cg_member_get(tb, attr, extack);
		if (IS_ERR(cgrp))
			return PTR_ERR(cgrp);
		mr->cgrp = cgrp;
		mr->is_cg = true;
		mr->cookie = ssns_cg_member_id(cgrp);
		if (ssns_cg_member_is_root(cgrp)) {
			ssns_nl_err(extack, attr,
				    "the root cgroup cannot be a tenant member");
			return -EINVAL;
		}
		goto prealloc;
	}
	if (cookie) {
		if (add || tb[SSNS_ATTR_NETNS_FD] || tb[SSNS_ATTR_NETNS_PID]) {
			ssns_nl_err(extack, cookie,
				    "NETNS_COOKIE %llu only names a member to remove, alone",
				    nla_get_u64(cookie));
			return -EINVAL;
		}
		mr->cookie = nla_get_u64(cookie);
		return 0;
	}
	net = ssns_nl_get_netns(tb, caller, attr, extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	mr->net = net;
	mr->cookie = net->net_cookie;
	if (net_eq(net, &init_net)) {
		ssns_nl_err(extack, attr,
			    "init_net (cookie %llu) cannot be a tenant member",
			    net->net_cookie);
		return -EINVAL;
	}
prealloc:
	if (add) {
		mr->m = kzalloc(sizeof(*mr->m), GFP_KERNEL);
		if (!mr->m)
			return -ENOMEM;
	}
	return 0;
}

static int ssns_parse_members(struct genl_info *info, bool add,
			      struct ssns_tenant_change *c)
{
	struct nlattr *members = info->attrs[SSNS_ATTR_MEMBERS];
	struct nlattr *tb[SSNS_ATTR_CGROUP_ID + 1];
	struct net *caller = genl_info_net(info);
	struct nlattr **top = info->attrs;
	bool single = top[SSNS_ATTR_NETNS_FD] || top[SSNS_ATTR_NETNS_PID] ||
		      top[SSNS_ATTR_NETNS_COOKIE] ||
		      top[SSNS_ATTR_CGROUP_PATH] || top[SSNS_ATTR_CGROUP_FD] ||
		      top[SSNS_ATTR_CGROUP_ID];
	struct nlattr *mn;
	int n = single, rem, err;

	if (members)
		nla_for_each_nested(mn, members, rem)
			n++;
	if (!n)
		return 0;
	c->members = kcalloc(n, sizeof(*c->members), GFP_KERNEL);
	if (!c->members)
		return -ENOMEM;
	if (single) {
		err = ssns_parse_member(top, NULL, caller, add,
					&c->members[c->nr_members++],
					info->extack);
		if (err)
			return err;
	}
	if (!members)
		return 0;
	nla_for_each_nested(mn, members, rem) {
		err = nla_parse_nested(tb, SSNS_ATTR_CGROUP_ID, mn,
				       ssns_member_policy, info->extack);
		if (err)
			return err;
		err = ssns_parse_member(tb, mn, caller, add,
					&c->members[c->nr_members++],
					info->extack);
		if (err)
			return err;
	}
	return 0;
}

static struct xarray *ssns_member_xa(bool is_cg)
{
	return is_cg ? &ssns_cg_tenant : &ssns_net_tenant;
}

static const char *ssns_member_kind(bool is_cg)
{
	return is_cg ? "cgroup" : "netns";
}

/* Check that every change of an ADD is allowed, before changing anything. */
static int ssns_check_add(struct ssns_tenant *t, struct ssns_tenant_change *c,
			  struct netlink_ext_ack *extack)
{
	struct ssns_profile *p;
	struct ssns_tenant *o;
	unsigned long vni;
	int i;

	for_each_set_bit(vni, c->vnis, SSNS_VNI_MAX + 1) {
		o = ssns_tenant_of_vni(vni);
		if (o && o != t) {
			ssns_nl_err(extack, NULL,
				    "VNI %lu belongs to tenant %s", vni,
				    o->name);
			return -EBUSY;
		}
		if (!o && ssns_vni_has_profiles(vni, NULL, &p)) {
			ssns_nl_err(extack, NULL,
				    "VNI %lu is used by the tenant-less profile %s/%s",
				    vni, p->dev->name, ssns_tc_names[p->tc]);
			return -EBUSY;
		}
	}
	for (i = 0; i < c->nr_members; i++) {
		o = xa_load(ssns_member_xa(c->members[i].is_cg),
			    c->members[i].cookie);
		if (o && o != t) {
			ssns_nl_err(extack, c->members[i].attr,
				    "%s %llu is a member of tenant %s",
				    ssns_member_kind(c->members[i].is_cg),
				    c->members[i].cookie, o->name);
			return -EBUSY;
		}
	}
	return 0;
}

static int ssns_check_del(struct ssns_tenant *t, struct ssns_tenant_change *c,
			  struct netlink_ext_ack *extack)
{
	struct ssns_profile *p;
	unsigned long vni;
	int i;

	for_each_set_bit(vni, c->vnis, SSNS_VNI_MAX + 1) {
		if (ssns_tenant_of_vni(vni) != t) {
			ssns_nl_err(extack, NULL, "VNI %lu is not in tenant %s",
				    vni, t->name);
			return -ENOENT;
		}
		if (ssns_vni_has_profiles(vni, t, &p)) {
			ssns_nl_err(extack, NULL,
				    "VNI %lu of tenant %s is used by the profile %s/%s",
				    vni, t->name, p->dev->name,
				    ssns_tc_names[p->tc]);
			return -EBUSY;
		}
	}
	for (i = 0; i < c->nr_members; i++) {
		if (xa_load(ssns_member_xa(c->members[i].is_cg),
			    c->members[i].cookie) != t) {
			ssns_nl_err(extack, c->members[i].attr,
				    "%s %llu is not a member of tenant %s",
				    ssns_member_kind(c->members[i].is_cg),
				    c->members[i].cookie, t->name);
			return -ENOENT;
		}
	}
	return 0;
}

static void ssns_del_vni(struct ssns_tenant *t, unsigned long vni)
{
	xa_erase(&ssns_vni_tenant, vni);
	xa_erase(&t->vnis, vni);
}

static void ssns_member_free(struct ssns_tenant_member *m);

static int ssns_apply_add(struct ssns_tenant *t, struct ssns_tenant_change *c)
{
	unsigned long vni, undo;
	int i, err;

	for_each_set_bit(vni, c->vnis, SSNS_VNI_MAX + 1) {
		if (ssns_tenant_of_vni(vni) == t) {
			clear_bit(vni, c->vnis);
			continue;
		}
		err = xa_err(xa_store(&t->vnis, vni, xa_mk_value(1),
				      GFP_KERNEL));
		if (!err)
			err = xa_err(xa_store(&ssns_vni_tenant, vni, t,
					      GFP_KERNEL));
		if (err) {
			for_each_set_bit(undo, c->vnis, vni + 1)
				ssns_del_vni(t, undo);
			return err;
		}
	}
	for (i = 0; i < c->nr_members; i++) {
		struct ssns_member_req *mr = &c->members[i];

		if (xa_load(ssns_member_xa(mr->is_cg), mr->cookie) == t)
			continue;
		err = xa_err(xa_store(ssns_member_xa(mr->is_cg), mr->cookie, t,
				      GFP_KERNEL));
		if (err) {
			/*
			 * Undo it all: the members this call linked (their
			 * preallocation is used up), then the VNIs. A member
			 * left behind would point to a tenant TENANT_NEW is
			 * about to free.
			 */
			while (--i >= 0) {
				struct ssns_tenant_member *m, *tmp;

				if (c->members[i].m)
					continue;
				list_for_each_entry_safe(m, tmp, &t->members,
							 node)
					if (m->cookie == c->members[i].cookie &&
					    !!m->cgrp == c->members[i].is_cg)
						ssns_member_free(m);
			}
			for_each_set_bit(undo, c->vnis, SSNS_VNI_MAX + 1)
				ssns_del_vni(t, undo);
			return err;
		}
		mr->m->cookie = mr->cookie;
		if (mr->is_cg) {
			mr->m->cgrp = mr->cgrp;	/* the reference moves */
			mr->cgrp = NULL;
		} else {
			mr->m->net = mr->net;
		}
		list_add_tail(&mr->m->node, &t->members);
		mr->m = NULL;
	}
	return 0;
}

struct ssns_member_match {
	struct ssns_tenant *t;
	u64 cookie;
	bool is_cg;
};

static bool ssns_ctx_member_match(struct ssns_ctx *ctx, void *arg)
{
	struct ssns_member_match *mm = arg;

	if (ctx->tenant != mm->t)
		return false;
	if (mm->is_cg)
		return ctx->via_cgid == mm->cookie;
	return !ctx->via_cgid && ctx->net_cookie == mm->cookie;
}

static void ssns_member_free(struct ssns_tenant_member *m)
{
	xa_erase(ssns_member_xa(!!m->cgrp), m->cookie);
	list_del(&m->node);
	if (m->cgrp)
		ssns_cg_member_put(m->cgrp);
	kfree(m);
}

/* Unlink a member; contexts it pinned to the tenant are revoked. */
static void ssns_member_remove(struct ssns_tenant *t, u64 cookie, bool is_cg)
{
	struct ssns_member_match mm = { .t = t, .cookie = cookie,
					.is_cg = is_cg };
	struct ssns_tenant_member *m, *tmp;

	list_for_each_entry_safe(m, tmp, &t->members, node)
		if (m->cookie == cookie && !!m->cgrp == is_cg)
			ssns_member_free(m);
	ssns_revoke_all_ctxs(ssns_ctx_member_match, &mm);
}

static void ssns_apply_del(struct ssns_tenant *t, struct ssns_tenant_change *c)
{
	unsigned long vni;
	int i;

	for_each_set_bit(vni, c->vnis, SSNS_VNI_MAX + 1)
		ssns_del_vni(t, vni);
	for (i = 0; i < c->nr_members; i++)
		ssns_member_remove(t, c->members[i].cookie,
				   c->members[i].is_cg);
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

int ssns_nl_tenant_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[SSNS_ATTR_TENANT_NAME];
	struct ssns_tenant_change c = {};
	struct ssns_tenant *t;
	int err;

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	if (!name) {
		ssns_nl_err(info->extack, NULL, "missing TENANT_NAME");
		return -EINVAL;
	}
	if (!ssns_tenant_name_ok(nla_data(name))) {
		ssns_nl_err(info->extack, name,
			    "bad tenant name \"%s\": use letters, digits, . _ -",
			    (char *)nla_data(name));
		return -EINVAL;
	}
	if (info->attrs[SSNS_ATTR_OP]) {
		ssns_nl_err(info->extack, info->attrs[SSNS_ATTR_OP],
			    "OP belongs to TENANT_SET");
		return -EINVAL;
	}
	err = ssns_parse_vnis(info->attrs[SSNS_ATTR_VNI_RANGES], &c,
			      info->extack);
	if (!err)
		err = ssns_parse_members(info, true, &c);
	if (err)
		goto out_free;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		err = -ENOMEM;
		goto out_free;
	}
	nla_strscpy(t->name, name, sizeof(t->name));
	xa_init(&t->vnis);
	INIT_LIST_HEAD(&t->members);
	refcount_set(&t->ref, 1);

	mutex_lock(&ssns_cfg_lock);
	if (ssns_tenant_by_name(name)) {
		ssns_nl_err(info->extack, name, "tenant %s exists", t->name);
		err = -EEXIST;
		goto out_unlock;
	}
	err = ssns_check_add(t, &c, info->extack);
	if (!err)
		err = ssns_apply_add(t, &c);
	if (err)
		goto out_unlock;
	list_add_tail(&t->node, &ssns_tenants);
	ssns_tenant_notify(t, SSNS_CMD_TENANT_NEW);
	mutex_unlock(&ssns_cfg_lock);
	pr_info("ssns: tenant %s created\n", t->name);
	ssns_change_free(&c);
	return 0;

out_unlock:
	mutex_unlock(&ssns_cfg_lock);
	ssns_tenant_put(t);
out_free:
	ssns_change_free(&c);
	return err;
}

int ssns_nl_tenant_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *op = info->attrs[SSNS_ATTR_OP];
	struct ssns_tenant_change c = {};
	struct ssns_tenant *t;
	bool add;
	int err;

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	if (!op) {
		ssns_nl_err(info->extack, NULL, "missing OP (0 add, 1 del)");
		return -EINVAL;
	}
	add = nla_get_u8(op) == SSNS_OP_ADD;
	err = ssns_parse_vnis(info->attrs[SSNS_ATTR_VNI_RANGES], &c,
			      info->extack);
	if (!err)
		err = ssns_parse_members(info, add, &c);
	if (err)
		goto out_free;
	if (bitmap_empty(c.vnis, SSNS_VNI_MAX + 1) && !c.nr_members) {
		ssns_nl_err(info->extack, NULL,
			    "nothing to change: give VNI_RANGES or members");
		err = -EINVAL;
		goto out_free;
	}
	mutex_lock(&ssns_cfg_lock);
	t = ssns_tenant_req(info);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out_unlock;
	}
	if (add) {
		err = ssns_check_add(t, &c, info->extack);
		if (!err)
			err = ssns_apply_add(t, &c);
		if (!err)
			ssns_tenant_notify(t, SSNS_CMD_TENANT_SET);
	} else {
		err = ssns_check_del(t, &c, info->extack);
		if (!err) {
			ssns_apply_del(t, &c);
			ssns_tenant_notify(t, SSNS_CMD_TENANT_SET);
		}
	}
out_unlock:
	mutex_unlock(&ssns_cfg_lock);
out_free:
	ssns_change_free(&c);
	return err;
}

static bool ssns_ctx_tenant_match(struct ssns_ctx *ctx, void *arg)
{
	return ctx->tenant == arg;
}

/* Remove a tenant: its VNIs, members and profiles go, its contexts too. */
static void ssns_tenant_remove(struct ssns_tenant *t)
{
	struct ssns_tenant_member *m, *tmp;
	unsigned long vni;
	void *e;

	lockdep_assert_held(&ssns_cfg_lock);
	ssns_tenant_notify(t, SSNS_CMD_TENANT_DEL);
	t->dead = true;
	list_for_each_entry_safe(m, tmp, &t->members, node)
		ssns_member_free(m);
	ssns_revoke_all_ctxs(ssns_ctx_tenant_match, t);
	ssns_profiles_del_tenant(t);
	xa_for_each(&t->vnis, vni, e)
		ssns_del_vni(t, vni);
	list_del(&t->node);
	ssns_tenant_put(t);
}

int ssns_nl_tenant_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_tenant *t;
	int err = 0;

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	mutex_lock(&ssns_cfg_lock);
	t = ssns_tenant_req(info);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
	} else {
		pr_info("ssns: tenant %s removed\n", t->name);
		ssns_tenant_remove(t);
	}
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

/* A dying netns stops being a member (its contexts are already revoked). */
void ssns_tenant_net_exit(struct net *net)
{
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	t = xa_load(&ssns_net_tenant, net->net_cookie);
	if (!t)
		return;
	ssns_member_remove(t, net->net_cookie, false);
	ssns_tenant_notify(t, SSNS_CMD_TENANT_SET);
}

void ssns_tenant_exit(void)
{
	struct ssns_tenant *t, *tmp;

	mutex_lock(&ssns_cfg_lock);
	list_for_each_entry_safe(t, tmp, &ssns_tenants, node)
		ssns_tenant_remove(t);
	mutex_unlock(&ssns_cfg_lock);
	xa_destroy(&ssns_vni_tenant);
	xa_destroy(&ssns_net_tenant);
	xa_destroy(&ssns_cg_tenant);
}
