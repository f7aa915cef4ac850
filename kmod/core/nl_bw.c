// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: netlink front end of bandwidth: TENANT_SET with a BW nest changes
 * one scope of a tenant's policy (the tenant's own, a device's override,
 * a member's ceiling; see the uapi header), and TENANT_GET replies and
 * tenant events carry the policy and its counters in a BW nest.
 *
 * Bandwidth is the node admin's: a tenant's share and ceilings decide
 * what it takes from the others, so CAP_NET_ADMIN in the initial user
 * namespace is checked here, whatever else TENANT_SET allows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/sock.h>
#include "nl.h"

const struct nla_policy ssns_bw_policy[SSNS_ATTR_BW_CLEAR + 1] = {
	[SSNS_ATTR_DEV_INDEX]		= { .type = NLA_U32 },
	[SSNS_ATTR_DEV_NAME]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_NAME_MAX - 1 },
	[SSNS_ATTR_NETNS_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_NETNS_PID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SSNS_ATTR_NETNS_COOKIE]	= { .type = NLA_U64 },
	[SSNS_ATTR_CGROUP_PATH]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_CGROUP_PATH_MAX - 1 },
	[SSNS_ATTR_CGROUP_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_CGROUP_ID]		= { .type = NLA_U64 },
	/*
	 * Ranges are checked by the command, whose message names the value
	 * (a validation function would break the policy dump of an ack).
	 */
	[SSNS_ATTR_BW_SHARE]		= { .type = NLA_U32 },
	[SSNS_ATTR_BW_MAX]		= { .type = NLA_U64 },
	[SSNS_ATTR_BW_CLEAR]		= { .type = NLA_FLAG },
};

/* The other things TENANT_SET changes go in requests of their own. */
static const int ssns_bw_alone[] = {
	SSNS_ATTR_OP, SSNS_ATTR_VNI_RANGES, SSNS_ATTR_MEMBERS,
	SSNS_ATTR_NETNS_FD, SSNS_ATTR_NETNS_PID, SSNS_ATTR_NETNS_COOKIE,
	SSNS_ATTR_CGROUP_PATH, SSNS_ATTR_CGROUP_FD, SSNS_ATTR_CGROUP_ID,
	SSNS_ATTR_USERNS_FD, SSNS_ATTR_USERNS_PID, SSNS_ATTR_DELEGATE_NONE,
	SSNS_ATTR_DELEGATE_CGROUP,
};

/* The member a BW nest names, if any: its kind and id in @c. */
static int ssns_bw_parse_member(struct nlattr **tb, const struct nlattr *bw,
				struct ssns_bw_change *c,
				struct netlink_ext_ack *extack)
{
	static const int kinds[] = {
		SSNS_ATTR_NETNS_FD, SSNS_ATTR_NETNS_PID,
		SSNS_ATTR_NETNS_COOKIE, SSNS_ATTR_CGROUP_PATH,
		SSNS_ATTR_CGROUP_FD, SSNS_ATTR_CGROUP_ID,
	};
	const struct nlattr *where = NULL;
	struct cgroup *cgrp;
	struct net *net;
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (tb[kinds[i]]) {
			where = tb[kinds[i]];
			n++;
		}
	}
	if (!n)
		return 0;
	if (n > 1) {
		ssns_err(extack, where, "a ceiling is for one member: give one netns or cgroup");
		return -EINVAL;
	}
	c->member = true;
	c->where = where;
	if (tb[SSNS_ATTR_NETNS_COOKIE]) {
		c->id = nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]);
	} else if (tb[SSNS_ATTR_CGROUP_ID]) {
		c->is_cg = true;
		c->id = nla_get_u64(tb[SSNS_ATTR_CGROUP_ID]);
	} else if (tb[SSNS_ATTR_CGROUP_FD]) {
		cgrp = ssns_cg_get_fd(nla_get_u32(tb[SSNS_ATTR_CGROUP_FD]));
		if (IS_ERR(cgrp)) {
			ssns_err(extack, where,
				 "fd %u is not a cgroup v2 directory (%ld)",
				 nla_get_u32(tb[SSNS_ATTR_CGROUP_FD]),
				 PTR_ERR(cgrp));
			return PTR_ERR(cgrp);
		}
		c->is_cg = true;
		c->id = ssns_cg_id(cgrp);
		ssns_cg_put(cgrp);
	} else if (tb[SSNS_ATTR_CGROUP_PATH]) {
		cgrp = ssns_cg_get_path(nla_data(tb[SSNS_ATTR_CGROUP_PATH]));
		if (IS_ERR(cgrp)) {
			ssns_err(extack, where,
				 "no cgroup v2 directory %.*s%s (%ld)",
				 SSNS_ERR_QUOTE,
				 (char *)nla_data(tb[SSNS_ATTR_CGROUP_PATH]),
				 nla_len(tb[SSNS_ATTR_CGROUP_PATH]) >
				 SSNS_ERR_QUOTE + 1 ? "...(cut)" : "",
				 PTR_ERR(cgrp));
			return PTR_ERR(cgrp);
		}
		c->is_cg = true;
		c->id = ssns_cg_id(cgrp);
		ssns_cg_put(cgrp);
	} else {
		net = ssns_nl_get_netns(tb, bw, extack);
		if (IS_ERR(net))
			return PTR_ERR(net);
		/* The cookie names it for as long as it lives, and after. */
		c->id = net->net_cookie;
		put_net(net);
	}
	return 0;
}

static int ssns_bw_parse(struct genl_info *info, struct nlattr **tb,
			 struct ssns_bw_change *c)
{
	struct nlattr *bw = info->attrs[SSNS_ATTR_BW];
	struct netlink_ext_ack *extack = info->extack;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(ssns_bw_alone); i++) {
		if (info->attrs[ssns_bw_alone[i]]) {
			ssns_err(extack, info->attrs[ssns_bw_alone[i]],
				 "BW goes alone: change VNIs and members in requests of their own");
			return -EINVAL;
		}
	}
	err = nla_parse_nested(tb, SSNS_ATTR_BW_CLEAR, bw, ssns_bw_policy,
			       extack);
	if (err)
		return err;
	if (tb[SSNS_ATTR_BW_SHARE]) {
		c->has_share = true;
		c->share = nla_get_u32(tb[SSNS_ATTR_BW_SHARE]);
		if (c->share < 1 || c->share > SSNS_BW_SHARE_MAX) {
			ssns_err(extack, tb[SSNS_ATTR_BW_SHARE],
				 "bw share %u is out of range 1..%u", c->share,
				 SSNS_BW_SHARE_MAX);
			return -EINVAL;
		}
	}
	if (tb[SSNS_ATTR_BW_MAX]) {
		c->has_max = true;
		c->max = nla_get_u64(tb[SSNS_ATTR_BW_MAX]);
		if (c->max && (c->max < SSNS_BW_RATE_MIN ||
			       c->max > SSNS_BW_RATE_MAX)) {
			ssns_err(extack, tb[SSNS_ATTR_BW_MAX],
				 "bw max %llu bit/s is out of range %llu..%llu (0: none)",
				 c->max, SSNS_BW_RATE_MIN, SSNS_BW_RATE_MAX);
			return -EINVAL;
		}
	}
	c->clear = nla_get_flag(tb[SSNS_ATTR_BW_CLEAR]);
	if (c->clear && (c->has_share || c->has_max)) {
		ssns_err(extack, tb[SSNS_ATTR_BW_CLEAR],
			 "BW_CLEAR goes without BW_SHARE and BW_MAX");
		return -EINVAL;
	}
	if (!c->clear && !c->has_share && !c->has_max) {
		ssns_err(extack, bw, "nothing to set: give BW_SHARE, BW_MAX or BW_CLEAR");
		return -EINVAL;
	}
	err = ssns_bw_parse_member(tb, bw, c, extack);
	if (err)
		return err;
	if (c->member && c->has_share) {
		ssns_err(extack, tb[SSNS_ATTR_BW_SHARE],
			 "a member has a ceiling, not a share (share %u)",
			 c->share);
		return -EINVAL;
	}
	if (c->member &&
	    (tb[SSNS_ATTR_DEV_INDEX] || tb[SSNS_ATTR_DEV_NAME])) {
		ssns_err(extack, c->where,
			 "a member's ceiling applies on each device: give no device");
		return -EINVAL;
	}
	return 0;
}

/* TENANT_SET with BW: see the uapi header. */
int ssns_nl_tenant_bw_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SSNS_ATTR_BW_CLEAR + 1];
	struct nlattr *name = info->attrs[SSNS_ATTR_TENANT_NAME];
	struct net *net = genl_info_net(info);
	struct ssns_bw_change c = {};
	struct ssns_caller who;
	struct ssns_tenant *t;
	u32 index;
	int err;

	if (!netlink_capable(skb, CAP_NET_ADMIN)) {
		ssns_err(info->extack, info->attrs[SSNS_ATTR_BW],
			 "bandwidth needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (!name) {
		ssns_err(info->extack, NULL, "missing TENANT_NAME");
		return -EINVAL;
	}
	err = ssns_bw_parse(info, tb, &c);
	if (err)
		return err;

	mutex_lock(&ssns_cfg_lock);
	/* NLA_NUL_STRING: the C string is the name, whatever follows. */
	t = ssns_tenant_by_name(nla_data(name));
	ssns_nl_caller(skb, net, &who);
	if (!t || !ssns_reader_sees(&who, t)) {
		ssns_err(info->extack, name, "no tenant named %s",
			 (char *)nla_data(name));
		err = -ENOENT;
		goto out;
	}
	if (tb[SSNS_ATTR_DEV_INDEX] || tb[SSNS_ATTR_DEV_NAME]) {
		if (tb[SSNS_ATTR_DEV_INDEX])
			index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
		c.dev = ssns_dev_lookup(net, tb[SSNS_ATTR_DEV_INDEX] ?
					&index : NULL,
					tb[SSNS_ATTR_DEV_NAME] ?
					nla_data(tb[SSNS_ATTR_DEV_NAME]) : NULL,
					false, info->extack);
		if (IS_ERR(c.dev)) {
			err = PTR_ERR(c.dev);
			if (info->extack)
				info->extack->bad_attr =
					tb[SSNS_ATTR_DEV_NAME] ?:
					tb[SSNS_ATTR_DEV_INDEX];
			goto out;
		}
	}
	err = ssns_bw_set(t, &c, info->extack);
out:
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

/* ---- replies and events ---- */

static int ssns_bw_put_dev(const struct ssns_bw_entry *e, void *arg)
{
	struct ssns_dev *dev = xa_load(&ssns_devs, e->dev_index);
	struct sk_buff *skb = arg;
	struct nlattr *nest;

	if (!dev)
		return 0;
	nest = nla_nest_start(skb, SSNS_ATTR_BW_DEV);
	if (!nest || ssns_nl_put_dev_ref(skb, dev) ||
	    (e->share && nla_put_u32(skb, SSNS_ATTR_BW_SHARE, e->share)) ||
	    (e->has_max && nla_put_u64_64bit(skb, SSNS_ATTR_BW_MAX, e->max,
					     SSNS_ATTR_PAD)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ssns_bw_put_member(const struct ssns_bw_entry *e, void *arg)
{
	struct sk_buff *skb = arg;
	struct nlattr *nest;

	nest = nla_nest_start(skb, SSNS_ATTR_BW_MEMBER);
	if (!nest ||
	    nla_put_u64_64bit(skb, e->is_cg ? SSNS_ATTR_CGROUP_ID :
			      SSNS_ATTR_NETNS_COOKIE, e->id, SSNS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_BW_MAX, e->max, SSNS_ATTR_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The BW nest of a tenant. Under ssns_cfg_lock. */
int ssns_nl_put_tenant_bw(struct sk_buff *skb, struct ssns_tenant *t)
{
	struct nlattr *nest;
	u32 share;
	u64 max;

	ssns_bw_tenant_get(t, &share, &max);
	nest = nla_nest_start(skb, SSNS_ATTR_BW);
	if (!nest ||
	    nla_put_u32(skb, SSNS_ATTR_BW_SHARE, share) ||
	    (max && nla_put_u64_64bit(skb, SSNS_ATTR_BW_MAX, max,
				      SSNS_ATTR_PAD)) ||
	    ssns_bw_walk_devs(t, ssns_bw_put_dev, skb) ||
	    ssns_bw_walk_members(t, ssns_bw_put_member, skb) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_BW_THROTTLED,
			      atomic64_read(&t->bw_throttled), SSNS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_BW_WAIT_US,
			      div_u64(atomic64_read(&t->bw_wait_ns),
				      NSEC_PER_USEC), SSNS_ATTR_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Room for it. */
size_t ssns_nl_tenant_bw_size(struct ssns_tenant *t)
{
	size_t entry = nla_total_size(0) + nla_total_size(4) +
		       nla_total_size(SSNS_NAME_MAX) + nla_total_size(4) +
		       2 * nla_total_size_64bit(8);

	return nla_total_size(0) + nla_total_size(4) +
	       3 * nla_total_size_64bit(8) + ssns_bw_nr_entries(t) * entry;
}
