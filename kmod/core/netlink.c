// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the generic netlink family "ssns": policies, system and device
 * commands, notifications on the "monitor" group.
 *
 * Events are built here and in the object files, and handed to
 * ssns_notify() (monitor.c) with their scope: who may hear them.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <net/netlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "core.h"

/*
 * extack messages naming the offending value. Linux 6.1 has no formatted
 * extack messages, and the text is read by the netlink core after the
 * handler returned (outside genl_mutex), so each message lives in a slot
 * of a ring that is reused only after SSNS_ERR_SLOTS later messages. The
 * last byte of a slot is never written, so a slot is always terminated.
 */
/* Set once the family is gone (module unload): no more notifications. */
bool ssns_nl_down;

#define SSNS_ERR_SLOTS	64
#define SSNS_ERR_LEN	160
static char ssns_err_ring[SSNS_ERR_SLOTS][SSNS_ERR_LEN + 1];
static atomic_t ssns_err_next = ATOMIC_INIT(0);

void ssns_nl_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		 const char *fmt, ...)
{
	unsigned int slot;
	va_list args;
	char *buf;
	int n;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&ssns_err_next) % SSNS_ERR_SLOTS;
	buf = ssns_err_ring[slot];
	n = scnprintf(buf, SSNS_ERR_LEN, "ssns: ");
	va_start(args, fmt);
	vscnprintf(buf + n, SSNS_ERR_LEN - n, fmt, args);
	va_end(args);
	extack->_msg = buf;
	extack->bad_attr = attr;
}

/* Node-wide changes need CAP_NET_ADMIN in the initial user namespace. */
bool ssns_nl_node_admin(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return true;
	ssns_nl_err(extack, NULL,
		    "CAP_NET_ADMIN in the initial user namespace required");
	return false;
}

/* Not const: the 6.1 policy macros take a non-const pointer. */
static struct netlink_range_validation ssns_vni_range = {
	.min = SSNS_VNI_MIN,
	.max = SSNS_VNI_MAX,
};

const struct nla_policy ssns_range_policy[SSNS_ATTR_VNI_LAST + 1] = {
	[SSNS_ATTR_VNI_FIRST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ssns_vni_range),
	[SSNS_ATTR_VNI_LAST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ssns_vni_range),
};

static const struct nla_policy ssns_ranges_policy[SSNS_ATTR_VNI_RANGE + 1] = {
	[SSNS_ATTR_VNI_RANGE]	= NLA_POLICY_NESTED(ssns_range_policy),
};

const struct nla_policy
ssns_member_policy[SSNS_ATTR_CGROUP_ID + 1] = {
	[SSNS_ATTR_NETNS_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_NETNS_PID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SSNS_ATTR_NETNS_COOKIE]	= { .type = NLA_U64 },
	[SSNS_ATTR_CGROUP_PATH]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_CGROUP_PATH_MAX - 1 },
	[SSNS_ATTR_CGROUP_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_CGROUP_ID]		= { .type = NLA_U64 },
};

static const struct nla_policy ssns_members_policy[SSNS_ATTR_MEMBER + 1] = {
	[SSNS_ATTR_MEMBER]	= NLA_POLICY_NESTED(ssns_member_policy),
};

static const struct nla_policy ssns_policy[SSNS_ATTR_MAX + 1] = {
	[SSNS_ATTR_SYS_NETNS_MODE]	= NLA_POLICY_MAX(NLA_U8,
							 SSNS_NETNS_EXCLUSIVE),
	[SSNS_ATTR_DEV_INDEX]		= { .type = NLA_U32 },
	[SSNS_ATTR_DEV_NAME]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_NAME_MAX - 1 },
	[SSNS_ATTR_NETNS_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_NETNS_PID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SSNS_ATTR_NETNS_COOKIE]	= { .type = NLA_U64 },
	[SSNS_ATTR_TENANT_NAME]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_NAME_MAX - 1 },
	[SSNS_ATTR_VNI_RANGES]		= NLA_POLICY_NESTED(ssns_ranges_policy),
	[SSNS_ATTR_MEMBERS]		= NLA_POLICY_NESTED(ssns_members_policy),
	[SSNS_ATTR_CGROUP_PATH]		= { .type = NLA_NUL_STRING,
					    .len = SSNS_CGROUP_PATH_MAX - 1 },
	[SSNS_ATTR_CGROUP_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_CGROUP_ID]		= { .type = NLA_U64 },
	[SSNS_ATTR_OP]			= NLA_POLICY_MAX(NLA_U8, SSNS_OP_DEL),
	[SSNS_ATTR_VNI]			= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ssns_vni_range),
	[SSNS_ATTR_TC]			= NLA_POLICY_MAX(NLA_U8, SSNS_TC_MAX),
};

void *ssns_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &ssns_genl_family, flags, cmd);
}

int ssns_nl_put_stats(struct sk_buff *skb, const atomic64_t *stats,
		      const u64 *extra)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, SSNS_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SSNS_STAT_CTX_OPEN; i <= SSNS_STAT_MAX; i++) {
		u64 v = atomic64_read(&stats[i]) + (extra ? extra[i] : 0);

		if (nla_put_u64_64bit(skb, i, v, SSNS_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int ssns_nl_put_dev_ref(struct sk_buff *skb, const struct ssns_dev *dev)
{
	if (nla_put_u32(skb, SSNS_ATTR_DEV_INDEX, dev->index) ||
	    nla_put_string(skb, SSNS_ATTR_DEV_NAME, dev->name))
		return -EMSGSIZE;
	return 0;
}

/* The netns named by exactly one of NETNS_FD, NETNS_PID; referenced. */
struct net *ssns_nl_get_netns(struct nlattr **tb, struct net *caller,
			      const struct nlattr *where,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *fd = tb[SSNS_ATTR_NETNS_FD];
	struct nlattr *pid = tb[SSNS_ATTR_NETNS_PID];
	struct net *net;

	if (fd && pid) {
		ssns_nl_err(extack, pid,
			    "give NETNS_FD (%u) or NETNS_PID (%u), not both",
			    nla_get_u32(fd), nla_get_u32(pid));
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		net = get_net_ns_by_fd(nla_get_u32(fd));
		if (IS_ERR(net))
			ssns_nl_err(extack, fd,
				    "fd %u is not a network namespace (%ld)",
				    nla_get_u32(fd), PTR_ERR(net));
		return net;
	}
	if (pid) {
		net = get_net_ns_by_pid(nla_get_u32(pid));
		if (IS_ERR(net))
			ssns_nl_err(extack, pid, "no process with pid %u",
				    nla_get_u32(pid));
		return net;
	}
	ssns_nl_err(extack, where, "missing NETNS_FD or NETNS_PID");
	return ERR_PTR(-EINVAL);
}

/* ---- system ---- */

static int ssns_sys_fill(struct sk_buff *skb, u32 portid, u32 seq, u8 cmd)
{
	void *hdr = ssns_nl_put_hdr(skb, portid, seq, 0, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SSNS_ATTR_SYS_NETNS_MODE,
		       READ_ONCE(ssns_netns_mode)) ||
	    nla_put_u8(skb, SSNS_ATTR_SYS_CGROUP_ACCT, ssns_cg_active()) ||
	    nla_put_string(skb, SSNS_ATTR_SYS_VERSION, SSNS_VERSION)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int ssns_nl_sys_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = ssns_sys_fill(msg, info->snd_portid, info->snd_seq,
			    SSNS_CMD_SYS_GET);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int ssns_nl_sys_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *mode = info->attrs[SSNS_ATTR_SYS_NETNS_MODE];

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	if (!mode) {
		ssns_nl_err(info->extack, NULL,
			    "missing SYS_NETNS_MODE (0 shared, 1 exclusive)");
		return -EINVAL;
	}
	mutex_lock(&ssns_cfg_lock);
	ssns_set_mode(nla_get_u8(mode));
	mutex_unlock(&ssns_cfg_lock);
	return 0;
}

void ssns_notify_mode(void)
{
	struct ssns_ev_who who = { .scope = SSNS_EV_ALL };
	struct sk_buff *msg;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (ssns_sys_fill(msg, 0, 0, SSNS_CMD_SYS_SET)) {
		nlmsg_free(msg);
		return;
	}
	ssns_notify(msg, &who);
}

/* ---- devices ---- */

static int ssns_dev_fill(struct sk_buff *skb, struct ssns_dev *dev,
			 struct net *caller, u32 portid, u32 seq, int flags,
			 u8 cmd)
{
	u64 extra[SSNS_NR_STATS] = {};
	struct net *owner = READ_ONCE(dev->net);
	char path[SSNS_NAME_MAX + 8];
	bool acct = false;
	void *hdr;
	int id;

	hdr = ssns_nl_put_hdr(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
#ifdef CONFIG_CGROUP_RDMA
	acct = dev->rdmacg_on;
#endif
	if (ssns_nl_put_dev_ref(skb, dev) ||
	    nla_put_string(skb, SSNS_ATTR_DEV_PROVIDER, dev->provider) ||
	    nla_put_u64_64bit(skb, SSNS_ATTR_NETNS_COOKIE, owner->net_cookie,
			      SSNS_ATTR_PAD) ||
	    nla_put_u8(skb, SSNS_ATTR_SYS_CGROUP_ACCT, acct))
		goto cancel;
	if (cmd == SSNS_CMD_DEV_DEL)
		goto done;
	snprintf(path, sizeof(path), "/dev/%s", dev->name);
	if (nla_put_string(skb, SSNS_ATTR_DEV_CHARDEV, path))
		goto cancel;
	if (caller && !net_eq(caller, owner)) {
		id = peernet2id(caller, owner);
		if (id >= 0 && nla_put_s32(skb, SSNS_ATTR_NETNS_ID, id))
			goto cancel;
	}
	if (caller) {
		if (!dev->dead && dev->ops->stats)
			dev->ops->stats(dev, extra);
		if (ssns_nl_put_stats(skb, dev->stats, extra))
			goto cancel;
	}
done:
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int ssns_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_dev *dev;
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ssns_cfg_lock);
	dev = ssns_dev_find(net, info->attrs[SSNS_ATTR_DEV_INDEX],
			    info->attrs[SSNS_ATTR_DEV_NAME], false, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_unlock;
	}
	err = ssns_dev_fill(msg, dev, net, info->snd_portid, info->snd_seq, 0,
			    SSNS_CMD_DEV_GET);
	if (err)
		goto err_unlock;
	mutex_unlock(&ssns_cfg_lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	nlmsg_free(msg);
	return err;
}

static int ssns_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long i = cb->args[0];
	struct ssns_dev *dev;
	int err = 0;

	mutex_lock(&ssns_cfg_lock);
	xa_for_each_start(&ssns_devs, i, dev, cb->args[0]) {
		if (!ssns_visible(dev, net))
			continue;
		err = ssns_dev_fill(skb, dev, net, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    SSNS_CMD_DEV_GET);
		if (err)
			break;
	}
	mutex_unlock(&ssns_cfg_lock);
	if (err && !skb->len)
		return err;
	cb->args[0] = err ? i : i + 1;
	return skb->len;
}

static int ssns_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_dev *dev;
	struct net *target;
	int err;

	if (!info->attrs[SSNS_ATTR_NETNS_FD] &&
	    !info->attrs[SSNS_ATTR_NETNS_PID]) {
		ssns_nl_err(info->extack, NULL,
			    "nothing to set: give NETNS_FD or NETNS_PID");
		return -EINVAL;
	}
	target = ssns_nl_get_netns(info->attrs, net, NULL, info->extack);
	if (IS_ERR(target))
		return PTR_ERR(target);

	mutex_lock(&ssns_cfg_lock);
	dev = ssns_dev_find(net, info->attrs[SSNS_ATTR_DEV_INDEX],
			    info->attrs[SSNS_ATTR_DEV_NAME], false, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	if (!netlink_ns_capable(skb, dev->net->user_ns, CAP_NET_ADMIN)) {
		ssns_nl_err(info->extack, NULL,
			    "moving %s needs CAP_NET_ADMIN over the user namespace of its netns (cookie %llu)",
			    dev->name, dev->net->net_cookie);
		err = -EPERM;
		goto out;
	}
	if (!netlink_ns_capable(skb, target->user_ns, CAP_NET_ADMIN)) {
		ssns_nl_err(info->extack, NULL,
			    "moving %s needs CAP_NET_ADMIN over the user namespace of the target netns (cookie %llu)",
			    dev->name, target->net_cookie);
		err = -EPERM;
		goto out;
	}
	err = ssns_dev_move(dev, target);
	if (!err)
		pr_info("ssns: %s moved to netns %llu\n", dev->name,
			target->net_cookie);
out:
	mutex_unlock(&ssns_cfg_lock);
	put_net(target);
	return err;
}

/* ---- notifications ---- */

void ssns_notify_dev(struct ssns_dev *dev, u8 cmd, struct net *old_net)
{
	struct ssns_ev_who who = {
		.scope = SSNS_EV_DEV, .dev = dev, .old_net = old_net,
	};
	struct sk_buff *msg;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (ssns_dev_fill(msg, dev, NULL, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	ssns_notify(msg, &who);
}

/* An event of tenant @t (NULL: of no tenant), consumed. */
void ssns_notify_tenant(struct sk_buff *skb, const struct ssns_tenant *t)
{
	struct ssns_ev_who who = { .scope = SSNS_EV_TENANT, .tenant = t };

	ssns_notify(skb, &who);
}

void ssns_notify_denied(struct ssns_ctx *ctx, u16 vni, u8 tc, u32 addr,
			int reason, int err)
{
	struct ssns_dev *dev = ctx->dev;
	char comm[TASK_COMM_LEN];
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = ssns_nl_put_hdr(msg, 0, 0, 0, SSNS_CMD_EP_DENIED);
	if (!hdr)
		goto free;
	get_task_comm(comm, current);
	if (ssns_nl_put_dev_ref(msg, dev) ||
	    nla_put_u32(msg, SSNS_ATTR_VNI, vni) ||
	    nla_put_u8(msg, SSNS_ATTR_TC, tc) ||
	    nla_put_u32(msg, SSNS_ATTR_EP_ADDR, addr) ||
	    nla_put_u32(msg, SSNS_ATTR_OWNER_PID, task_tgid_nr(current)) ||
	    nla_put_string(msg, SSNS_ATTR_OWNER_COMM, comm) ||
	    nla_put_u32(msg, SSNS_ATTR_REASON, reason) ||
	    nla_put_u32(msg, SSNS_ATTR_ERRNO, err) ||
	    nla_put_u64_64bit(msg, SSNS_ATTR_NETNS_COOKIE, ctx->net_cookie,
			      SSNS_ATTR_PAD) ||
	    (ctx->tenant &&
	     nla_put_string(msg, SSNS_ATTR_TENANT_NAME, ctx->tenant->name)))
		goto free;
	genlmsg_end(msg, hdr);
	ssns_notify_tenant(msg, ctx->tenant);
	return;
free:
	nlmsg_free(msg);
}

/* ---- family ---- */

static const struct genl_small_ops ssns_ops[] = {
	{ .cmd = SSNS_CMD_SYS_GET, .doit = ssns_nl_sys_get },
	{ .cmd = SSNS_CMD_SYS_SET, .doit = ssns_nl_sys_set },
	{ .cmd = SSNS_CMD_DEV_GET, .doit = ssns_nl_dev_get,
	  .dumpit = ssns_nl_dev_dump },
	{ .cmd = SSNS_CMD_DEV_SET, .doit = ssns_nl_dev_set },
	{ .cmd = SSNS_CMD_TENANT_GET, .doit = ssns_nl_tenant_get,
	  .dumpit = ssns_nl_tenant_dump },
	{ .cmd = SSNS_CMD_TENANT_NEW, .doit = ssns_nl_tenant_new },
	{ .cmd = SSNS_CMD_TENANT_DEL, .doit = ssns_nl_tenant_del },
	{ .cmd = SSNS_CMD_TENANT_SET, .doit = ssns_nl_tenant_set },
	{ .cmd = SSNS_CMD_PROFILE_GET, .doit = ssns_nl_profile_get,
	  .dumpit = ssns_nl_profile_dump },
	{ .cmd = SSNS_CMD_PROFILE_NEW, .doit = ssns_nl_profile_new },
	{ .cmd = SSNS_CMD_PROFILE_DEL, .doit = ssns_nl_profile_del },
	{ .cmd = SSNS_CMD_EP_GET, .dumpit = ssns_nl_ep_dump },
	{ .cmd = SSNS_CMD_MONITOR, .doit = ssns_nl_monitor },
};

/*
 * Node admins only: see monitor.c. A kernel without the flag gets no
 * group messages at all (subscribers still get theirs).
 */
static const struct genl_multicast_group ssns_mcgrps[] = {
#ifdef GENL_MCAST_CAP_NET_ADMIN
	{ .name = SSNS_GENL_MCGRP_MONITOR, .flags = GENL_MCAST_CAP_NET_ADMIN },
#else
	{ .name = SSNS_GENL_MCGRP_MONITOR },
#endif
};

struct genl_family ssns_genl_family __ro_after_init = {
	.name		= SSNS_GENL_NAME,
	.version	= SSNS_GENL_VERSION,
	.maxattr	= SSNS_ATTR_MAX,
	.policy		= ssns_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= ssns_ops,
	.n_small_ops	= ARRAY_SIZE(ssns_ops),
	.mcgrps		= ssns_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ssns_mcgrps),
};

int ssns_netlink_init(void)
{
	return genl_register_family(&ssns_genl_family);
}

void ssns_netlink_exit(void)
{
	genl_unregister_family(&ssns_genl_family);
	WRITE_ONCE(ssns_nl_down, true);
}
