// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: tenants (placeholder until the tenant model lands).
 */
#include <linux/module.h>
#include "core.h"

struct ssns_tenant *ssns_tenant_of_net(const struct net *net)
{
	return NULL;
}

void ssns_tenant_put(struct ssns_tenant *t)
{
}

void ssns_tenant_net_exit(struct net *net)
{
}

void ssns_tenant_exit(void)
{
}

void ssns_tenant_stat_inc(struct ssns_tenant *t, int stat)
{
	atomic64_inc(&t->stats[stat]);
}

bool ssns_tenant_readable(const struct ssns_tenant *t, struct net *net)
{
	return net_eq(net, &init_net);
}

int ssns_nl_tenant_get(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int ssns_nl_tenant_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int ssns_nl_tenant_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int ssns_nl_tenant_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int ssns_nl_tenant_set(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

struct ssns_tenant *ssns_tenant_find_net(const struct net *net)
{
	return NULL;
}

struct ssns_tenant *ssns_tenant_of_vni(u16 vni)
{
	return NULL;
}
