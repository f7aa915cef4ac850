// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the generic netlink family "ssns": its policies and the helpers of
 * the front-end files. It calls no front-end file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "nl.h"

/* Operations are added at registration (nl_family.c). */
struct genl_family ssns_genl_family;

/* Set once the family is gone (module unload): no more notifications. */
bool ssns_nl_down;

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

const struct nla_policy ssns_policy[SSNS_ATTR_MAX + 1] = {
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
	[SSNS_ATTR_TENANT_PARENT]	= { .type = NLA_NUL_STRING,
					    .len = SSNS_NAME_MAX - 1 },
	[SSNS_ATTR_USERNS_FD]		= { .type = NLA_U32 },
	[SSNS_ATTR_USERNS_PID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SSNS_ATTR_DELEGATE_NONE]	= { .type = NLA_FLAG },
	[SSNS_ATTR_DELEGATE_CGROUP]	= { .type = NLA_NUL_STRING,
					    .len = SSNS_CGROUP_PATH_MAX - 1 },
	[SSNS_ATTR_BW]			= NLA_POLICY_NESTED(ssns_bw_policy),
};

void *ssns_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &ssns_genl_family, flags, cmd);
}

/* The core's counters of a device or a tenant. */
int ssns_nl_put_stats(struct sk_buff *skb, const atomic64_t *stats)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, SSNS_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SSNS_STAT_CTX_OPEN; i < SSNS_NR_STATS; i++) {
		if (nla_put_u64_64bit(skb, i, atomic64_read(&stats[i]),
				      SSNS_STAT_PAD)) {
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
struct net *ssns_nl_get_netns(struct nlattr **tb,
			      const struct nlattr *where,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *fd = tb[SSNS_ATTR_NETNS_FD];
	struct nlattr *pid = tb[SSNS_ATTR_NETNS_PID];
	struct net *net;

	if (fd && pid) {
		ssns_err(extack, pid,
			 "give NETNS_FD (%u) or NETNS_PID (%u), not both",
			 nla_get_u32(fd), nla_get_u32(pid));
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		net = get_net_ns_by_fd(nla_get_u32(fd));
		if (IS_ERR(net))
			ssns_err(extack, fd,
				 "fd %u is not a network namespace (%ld)",
				 nla_get_u32(fd), PTR_ERR(net));
		return net;
	}
	if (pid) {
		net = get_net_ns_by_pid(nla_get_u32(pid));
		if (IS_ERR(net))
			ssns_err(extack, pid, "no process with pid %u",
				 nla_get_u32(pid));
		return net;
	}
	ssns_err(extack, where, "missing NETNS_FD or NETNS_PID");
	return ERR_PTR(-EINVAL);
}

/*
 * Who sent @skb, from @net: a node admin, or someone the model judges by
 * the opener of its socket and by the task (see access.c).
 */
void ssns_nl_caller(struct sk_buff *skb, struct net *net,
		    struct ssns_caller *who)
{
	struct sock *sk = NETLINK_CB(skb).sk;

	who->admin = netlink_capable(skb, CAP_NET_ADMIN);
	who->task_too = true;
	who->file = sk && sk->sk_socket ? sk->sk_socket->file : NULL;
	who->net = net;
}

/*
 * The device a request names by DEV_INDEX and/or DEV_NAME (see
 * ssns_dev_lookup()), with the offending attribute marked. Under
 * ssns_cfg_lock.
 */
struct ssns_dev *ssns_nl_dev(struct genl_info *info, bool global)
{
	struct nlattr *ia = info->attrs[SSNS_ATTR_DEV_INDEX];
	struct nlattr *na = info->attrs[SSNS_ATTR_DEV_NAME];
	struct ssns_dev *dev;
	u32 index;

	if (ia)
		index = nla_get_u32(ia);
	/* NLA_NUL_STRING: a C string, whatever follows its NUL. */
	dev = ssns_dev_lookup(genl_info_net(info), ia ? &index : NULL,
			      na ? nla_data(na) : NULL, global, info->extack);
	if (IS_ERR(dev) && info->extack)
		info->extack->bad_attr = PTR_ERR(dev) == -EINVAL && ia && na ?
					 na : (ia ?: na);
	return dev;
}
