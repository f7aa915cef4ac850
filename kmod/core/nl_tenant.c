// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of tenants: TENANT_GET, TENANT_NEW, TENANT_DEL,
 * TENANT_SET. Requests are parsed into a struct ssns_tenant_change (the
 * netns and cgroups they name resolved here), which the model prepares and
 * commits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <net/sock.h>
#include "nl.h"

/*
 * Find the tenant a request names in @type (TENANT_NAME, TENANT_PARENT);
 * ENOENT if the caller cannot see it.
 */
static struct ssns_tenant *ssns_tenant_req(struct genl_info *info,
					   const struct ssns_caller *who,
					   int type)
{
	struct nlattr *name = info->attrs[type];
	struct ssns_tenant *t;

	if (!name) {
		ssns_err(info->extack, NULL, "missing TENANT_NAME");
		return ERR_PTR(-EINVAL);
	}
	/* NLA_NUL_STRING: the C string is the name, whatever follows. */
	t = ssns_tenant_by_name(nla_data(name));
	if (!t || !ssns_reader_sees(who, t)) {
		ssns_err(info->extack, name, "no tenant named %s",
			 (char *)nla_data(name));
		return ERR_PTR(-ENOENT);
	}
	return t;
}

/* ---- replies ---- */

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
	struct nlattr *nest;
	u32 i;

	nest = nla_nest_start(skb, SSNS_ATTR_VNI_RANGES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < t->nr_ranges; i++)
		if (ssns_put_range(skb, t->ranges[i].first,
				   t->ranges[i].last))
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
	if (ssns_cg_path(m->cgrp, path, SSNS_CGROUP_PATH_MAX) >= 0 &&
	    nla_put_string(skb, SSNS_ATTR_CGROUP_PATH, path))
		goto out;
	err = 0;
out:
	kfree(path);
	return err;
}

/*
 * The services of the providers that serve netns member @cookie (HPE's
 * service ids), per device: MEMBER_SERVICES { DEV_SERVICES { DEV_NAME,
 * SERVICE_ID... }... }, or nothing when no provider has any.
 */
static int ssns_tenant_put_services(struct sk_buff *skb, u64 cookie)
{
	struct nlattr *nest = NULL, *dn;
	struct ssns_dev *dev;
	unsigned long i;
	u32 *ids;
	int n, k, err = -EMSGSIZE;

	lockdep_assert_held(&ssns_cfg_lock);
	ids = kmalloc_array(SSNS_MEMBER_SERVICES_MAX, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	xa_for_each(&ssns_devs, i, dev) {
		if (!dev || dev->dead || !dev->ops || !dev->ops->member_services)
			continue;
		n = dev->ops->member_services(dev, cookie, ids,
					      SSNS_MEMBER_SERVICES_MAX);
		if (n <= 0)
			continue;
		n = min(n, SSNS_MEMBER_SERVICES_MAX);
		if (!nest) {
			nest = nla_nest_start(skb, SSNS_ATTR_MEMBER_SERVICES);
			if (!nest)
				goto out;
		}
		dn = nla_nest_start(skb, SSNS_ATTR_DEV_SERVICES);
		if (!dn || nla_put_string(skb, SSNS_ATTR_DEV_NAME, dev->name))
			goto out;
		for (k = 0; k < n; k++)
			if (nla_put_u32(skb, SSNS_ATTR_SERVICE_ID, ids[k]))
				goto out;
		nla_nest_end(skb, dn);
	}
	if (nest)
		nla_nest_end(skb, nest);
	err = 0;
out:
	kfree(ids);
	return err;
}

static int ssns_tenant_put_members(struct sk_buff *skb, struct ssns_tenant *t,
				   struct net *caller)
{
	struct ssns_tenant_member *m;
	struct nlattr *nest, *mn;
	int id, err;

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
		err = ssns_tenant_put_services(skb, m->cookie);
		if (err)
			return err;
		nla_nest_end(skb, mn);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The delegation: the user namespace (by inode number) and the subtree. */
static int ssns_tenant_put_delegate(struct sk_buff *skb, struct ssns_tenant *t)
{
	struct nlattr *nest;
	char *path;
	int err = -EMSGSIZE;

	if (!t->delegate)
		return 0;
	nest = nla_nest_start(skb, SSNS_ATTR_DELEGATE);
	if (!nest || nla_put_u32(skb, SSNS_ATTR_USERNS_INUM,
				 t->delegate->ns.inum))
		return -EMSGSIZE;
	if (t->delegate_cg) {
		path = kmalloc(SSNS_CGROUP_PATH_MAX, GFP_KERNEL);
		if (!path)
			return -ENOMEM;
		if (nla_put_u64_64bit(skb, SSNS_ATTR_CGROUP_ID,
				      ssns_cg_id(t->delegate_cg),
				      SSNS_ATTR_PAD) ||
		    (ssns_cg_path(t->delegate_cg, path,
				  SSNS_CGROUP_PATH_MAX) >= 0 &&
		     nla_put_string(skb, SSNS_ATTR_CGROUP_PATH, path)))
			goto out;
	}
	nla_nest_end(skb, nest);
	err = 0;
out:
	if (t->delegate_cg)
		kfree(path);
	return err;
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
	    ((t->parent && nla_put_string(skb, SSNS_ATTR_TENANT_PARENT,
					  t->parent->name)) ||
	     ssns_tenant_put_vnis(skb, t) ||
	     ssns_tenant_put_members(skb, t, caller) ||
	     ssns_tenant_put_delegate(skb, t) ||
	     ssns_nl_put_stats(skb, t->stats) ||
	     ssns_nl_put_tenant_bw(skb, t)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The largest tenant message, with providers' services. */
#define SSNS_TENANT_MSG_MAX	(64 * 1024)

static size_t ssns_tenant_msg_size(struct ssns_tenant *t)
{
	struct ssns_tenant_member *m;
	size_t n = 0;

	list_for_each_entry(m, &t->members, node)
		n += m->cgrp ? SSNS_CGROUP_PATH_MAX + 32 : 32;
	return NLMSG_DEFAULT_SIZE + t->nr_ranges * 24 + n +
	       ssns_nl_tenant_bw_size(t);
}

struct sk_buff *ssns_tenant_msg(struct ssns_tenant *t, u8 cmd,
				struct net *caller, u32 portid, u32 seq)
{
	size_t size = ssns_tenant_msg_size(t);
	struct sk_buff *msg;
	int err;

	/* Providers' services (MEMBER_SERVICES) may need more: grow. */
	for (;;) {
		msg = nlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return NULL;
		err = ssns_tenant_fill(msg, t, caller, portid, seq, 0, cmd);
		if (!err)
			return msg;
		nlmsg_free(msg);
		if (err != -EMSGSIZE || size >= SSNS_TENANT_MSG_MAX)
			return NULL;
		size = min_t(size_t, 2 * size, SSNS_TENANT_MSG_MAX);
	}
}

int ssns_nl_tenant_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_caller who;
	struct ssns_tenant *t;
	struct sk_buff *msg;

	ssns_nl_caller(skb, genl_info_net(info), &who);
	mutex_lock(&ssns_cfg_lock);
	t = ssns_tenant_req(info, &who, SSNS_ATTR_TENANT_NAME);
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

/* Dump position: cb->args[0], the next tenant id. */
int ssns_nl_tenant_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long id = cb->args[0];
	struct ssns_caller who;
	struct ssns_view view;
	struct ssns_tenant *t;
	int err = 0;

	ssns_nl_caller(cb->skb, net, &who);
	mutex_lock(&ssns_cfg_lock);
	err = ssns_view_init(&view, &who);
	if (err) {
		mutex_unlock(&ssns_cfg_lock);
		return err;
	}
	for (; (t = ssns_tenant_next(&id)); id++) {
		if (!ssns_view_sees(&view, t))
			continue;
		err = ssns_tenant_fill(skb, t, net, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       SSNS_CMD_TENANT_GET);
		if (err)
			break;
	}
	ssns_view_free(&view);
	mutex_unlock(&ssns_cfg_lock);
	cb->args[0] = id;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ---- requests ---- */

static int ssns_parse_vnis(struct nlattr *ranges, struct ssns_tenant_change *c,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SSNS_ATTR_VNI_LAST + 1];
	struct ssns_vni_range *r;
	struct nlattr *a;
	int rem, err, n = 0;
	u32 first, last;

	if (!ranges)
		return 0;
	nla_for_each_nested(a, ranges, rem)
		n++;
	r = kcalloc(n, sizeof(*r), GFP_KERNEL);
	if (n && !r)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, ranges, rem) {
		err = nla_parse_nested(tb, SSNS_ATTR_VNI_LAST, a,
				       ssns_range_policy, extack);
		if (err)
			goto out;
		err = -EINVAL;
		if (!tb[SSNS_ATTR_VNI_FIRST]) {
			ssns_err(extack, a, "VNI range without VNI_FIRST");
			goto out;
		}
		first = nla_get_u32(tb[SSNS_ATTR_VNI_FIRST]);
		last = tb[SSNS_ATTR_VNI_LAST] ?
		       nla_get_u32(tb[SSNS_ATTR_VNI_LAST]) : first;
		if (last < first) {
			ssns_err(extack, a, "VNI range %u-%u is reversed",
				 first, last);
			goto out;
		}
		r[n++] = (struct ssns_vni_range){ first, last };
	}
	err = ssns_change_set_vnis(c, r, n, extack);
out:
	kfree(r);
	return err;
}

static int ssns_parse_member(struct nlattr **tb, const struct nlattr *attr,
			     bool add, struct ssns_member_spec *ms,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *cookie = tb[SSNS_ATTR_NETNS_COOKIE];
	struct nlattr *cgid = tb[SSNS_ATTR_CGROUP_ID];
	struct nlattr *path = tb[SSNS_ATTR_CGROUP_PATH];
	struct nlattr *cgfd = tb[SSNS_ATTR_CGROUP_FD];
	bool by_net = tb[SSNS_ATTR_NETNS_FD] || tb[SSNS_ATTR_NETNS_PID];
	bool by_cg = path || cgfd;
	struct cgroup *cgrp;
	struct net *net;

	ms->where = attr;
	if ((by_cg || cgid) && (by_net || cookie)) {
		ssns_err(extack, attr,
			 "a member is a netns or a cgroup, not both");
		return -EINVAL;
	}
	if (cgid) {
		if (add || by_cg) {
			ssns_err(extack, cgid,
				 "CGROUP_ID %llu only names a member to remove, alone",
				 nla_get_u64(cgid));
			return -EINVAL;
		}
		ms->is_cg = true;
		ms->cookie = nla_get_u64(cgid);
		return 0;
	}
	if (by_cg) {
		if (path && cgfd) {
			ssns_err(extack, cgfd,
				 "give CGROUP_PATH (%.*s%s) or CGROUP_FD (%u), not both",
				 SSNS_ERR_QUOTE, (char *)nla_data(path),
				 strlen(nla_data(path)) > SSNS_ERR_QUOTE ?
				 "...(cut)" : "", nla_get_u32(cgfd));
			return -EINVAL;
		}
		if (cgfd) {
			cgrp = ssns_cg_get_fd(nla_get_u32(cgfd));
			if (IS_ERR(cgrp)) {
				ssns_err(extack, cgfd,
					 "fd %u is not a cgroup v2 directory (%ld)",
					 nla_get_u32(cgfd), PTR_ERR(cgrp));
				return PTR_ERR(cgrp);
			}
		} else {
			cgrp = ssns_cg_get_path(nla_data(path));
			if (IS_ERR(cgrp)) {
				ssns_err(extack, path,
					 "no cgroup v2 directory %.*s%s (relative to the cgroup2 root) (%ld)",
					 SSNS_ERR_QUOTE, (char *)nla_data(path),
					 strlen(nla_data(path)) > SSNS_ERR_QUOTE ?
					 "...(cut)" : "", PTR_ERR(cgrp));
				return PTR_ERR(cgrp);
			}
		}
		ms->cgrp = cgrp;
		ms->is_cg = true;
		ms->cookie = ssns_cg_id(cgrp);
		if (ssns_cg_is_root(cgrp)) {
			ssns_err(extack, attr,
				 "the root cgroup cannot be a tenant member");
			return -EINVAL;
		}
		return 0;
	}
	if (cookie) {
		if (add || by_net) {
			ssns_err(extack, cookie,
				 "NETNS_COOKIE %llu only names a member to remove, alone",
				 nla_get_u64(cookie));
			return -EINVAL;
		}
		ms->cookie = nla_get_u64(cookie);
		return 0;
	}
	net = ssns_nl_get_netns(tb, attr, extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	ms->net = net;
	ms->cookie = net->net_cookie;
	if (net_eq(net, &init_net)) {
		ssns_err(extack, attr,
			 "init_net (cookie %llu) cannot be a tenant member",
			 net->net_cookie);
		return -EINVAL;
	}
	return 0;
}

static int ssns_parse_members(struct genl_info *info, bool add,
			      struct ssns_tenant_change *c)
{
	struct nlattr *members = info->attrs[SSNS_ATTR_MEMBERS];
	struct nlattr *tb[SSNS_ATTR_CGROUP_ID + 1];
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
		err = ssns_parse_member(top, NULL, add,
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
		err = ssns_parse_member(tb, mn, add,
					&c->members[c->nr_members++],
					info->extack);
		if (err)
			return err;
	}
	return 0;
}

/* Prepare and commit a parsed change. Takes ssns_cfg_lock. */
static int ssns_tenant_apply(struct ssns_tenant_change *c,
			     struct genl_info *info)
{
	int err;

	mutex_lock(&ssns_cfg_lock);
	ssns_system_reap();
	if (c->kind != SSNS_CHANGE_NEW) {
		c->t = ssns_tenant_req(info, c->who, SSNS_ATTR_TENANT_NAME);
		if (IS_ERR(c->t)) {
			err = PTR_ERR(c->t);
			c->t = NULL;
			goto out;
		}
	} else if (info->attrs[SSNS_ATTR_TENANT_PARENT]) {
		c->parent = ssns_tenant_req(info, c->who,
					    SSNS_ATTR_TENANT_PARENT);
		if (IS_ERR(c->parent)) {
			err = PTR_ERR(c->parent);
			c->parent = NULL;
			goto out;
		}
	}
	err = ssns_tenant_change_prepare(c, info->extack);
	if (!err)
		ssns_tenant_change_commit(c);
	else if (err == -EEXIST || err == -EINVAL)
		/* The name was refused. */
		info->extack->bad_attr = info->extack->bad_attr ?:
					 info->attrs[SSNS_ATTR_TENANT_NAME];
out:
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

int ssns_nl_tenant_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[SSNS_ATTR_TENANT_NAME];
	struct ssns_tenant_change c = { .kind = SSNS_CHANGE_NEW };
	struct ssns_caller who;
	int err;

	ssns_nl_caller(skb, genl_info_net(info), &who);
	c.who = &who;
	if (!name) {
		ssns_err(info->extack, NULL, "missing TENANT_NAME");
		return -EINVAL;
	}
	if (info->attrs[SSNS_ATTR_OP]) {
		ssns_err(info->extack, info->attrs[SSNS_ATTR_OP],
			 "OP belongs to TENANT_SET");
		return -EINVAL;
	}
	c.name = nla_data(name);
	err = ssns_parse_vnis(info->attrs[SSNS_ATTR_VNI_RANGES], &c,
			      info->extack);
	if (!err)
		err = ssns_parse_members(info, true, &c);
	if (!err)
		err = ssns_tenant_apply(&c, info);
	ssns_tenant_change_free(&c);
	return err;
}

/*
 * A delegation: USERNS_FD or USERNS_PID, and DELEGATE_CGROUP (a path
 * relative to the cgroup2 root) for the subtree; or DELEGATE_NONE.
 */
static int ssns_parse_delegate(struct genl_info *info,
			       struct ssns_tenant_change *c)
{
	struct nlattr *fd = info->attrs[SSNS_ATTR_USERNS_FD];
	struct nlattr *pid = info->attrs[SSNS_ATTR_USERNS_PID];
	struct nlattr *cg = info->attrs[SSNS_ATTR_DELEGATE_CGROUP];
	struct nlattr *none = info->attrs[SSNS_ATTR_DELEGATE_NONE];
	struct user_namespace *ns;
	struct cgroup *cgrp;

	c->kind = SSNS_CHANGE_DELEGATE;
	if (info->attrs[SSNS_ATTR_OP] || info->attrs[SSNS_ATTR_VNI_RANGES] ||
	    info->attrs[SSNS_ATTR_MEMBERS] || info->attrs[SSNS_ATTR_NETNS_FD] ||
	    info->attrs[SSNS_ATTR_NETNS_PID] ||
	    info->attrs[SSNS_ATTR_CGROUP_PATH] ||
	    info->attrs[SSNS_ATTR_CGROUP_FD]) {
		ssns_err(info->extack, NULL,
			 "a delegation is changed alone, without OP, VNIs or members");
		return -EINVAL;
	}
	if (none) {
		if (fd || pid || cg) {
			ssns_err(info->extack, none,
				 "DELEGATE_NONE takes nothing else");
			return -EINVAL;
		}
		return 0;
	}
	if (!!fd == !!pid) {
		ssns_err(info->extack, fd ?: pid,
			 "give USERNS_FD or USERNS_PID, one of them");
		return -EINVAL;
	}
	if (fd) {
		ns = ssns_userns_get_fd(nla_get_u32(fd));
		if (IS_ERR(ns)) {
			ssns_err(info->extack, fd,
				 "fd %u is not a user namespace (%ld)",
				 nla_get_u32(fd), PTR_ERR(ns));
			return PTR_ERR(ns);
		}
	} else {
		ns = ssns_userns_get_pid(nla_get_u32(pid));
		if (IS_ERR(ns)) {
			ssns_err(info->extack, pid, "no process with pid %u",
				 nla_get_u32(pid));
			return PTR_ERR(ns);
		}
	}
	c->delegate = ns;
	if (!cg)
		return 0;
	cgrp = ssns_cg_get_path(nla_data(cg));
	if (IS_ERR(cgrp)) {
		ssns_err(info->extack, cg,
			 "no cgroup v2 directory %.*s%s (relative to the cgroup2 root) (%ld)",
			 SSNS_ERR_QUOTE, (char *)nla_data(cg),
			 strlen(nla_data(cg)) > SSNS_ERR_QUOTE ? "...(cut)" : "",
			 PTR_ERR(cgrp));
		return PTR_ERR(cgrp);
	}
	c->delegate_cg = cgrp;
	return 0;
}

int ssns_nl_tenant_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *op = info->attrs[SSNS_ATTR_OP];
	struct ssns_tenant_change c = {};
	struct ssns_caller who;
	bool add;
	int err;

	if (info->attrs[SSNS_ATTR_BW])
		return ssns_nl_tenant_bw_set(skb, info);
	ssns_nl_caller(skb, genl_info_net(info), &who);
	c.who = &who;
	if (info->attrs[SSNS_ATTR_USERNS_FD] ||
	    info->attrs[SSNS_ATTR_USERNS_PID] ||
	    info->attrs[SSNS_ATTR_DELEGATE_NONE] ||
	    info->attrs[SSNS_ATTR_DELEGATE_CGROUP]) {
		err = ssns_parse_delegate(info, &c);
		goto apply;
	}
	if (!op) {
		ssns_err(info->extack, NULL, "missing OP (0 add, 1 del)");
		return -EINVAL;
	}
	add = nla_get_u8(op) == SSNS_OP_ADD;
	c.kind = add ? SSNS_CHANGE_ADD : SSNS_CHANGE_DEL;
	err = ssns_parse_vnis(info->attrs[SSNS_ATTR_VNI_RANGES], &c,
			      info->extack);
	if (!err)
		err = ssns_parse_members(info, add, &c);
	if (!err && !c.nr_vnis && !c.nr_members) {
		ssns_err(info->extack, NULL,
			 "nothing to change: give VNI_RANGES or members");
		err = -EINVAL;
	}
apply:
	if (!err)
		err = ssns_tenant_apply(&c, info);
	ssns_tenant_change_free(&c);
	return err;
}

int ssns_nl_tenant_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_caller who;
	struct ssns_tenant *t;
	int err;

	ssns_nl_caller(skb, genl_info_net(info), &who);
	mutex_lock(&ssns_cfg_lock);
	ssns_system_reap();
	t = ssns_tenant_req(info, &who, SSNS_ATTR_TENANT_NAME);
	err = PTR_ERR_OR_ZERO(t);
	if (!err)
		err = ssns_may_delete(&who, t, info->extack);
	if (!err)
		ssns_tenant_delete(t);
	mutex_unlock(&ssns_cfg_lock);
	return err;
}
