// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: communication profiles (placeholder).
 */
#include <linux/module.h>
#include "core.h"

const char * const ssns_tc_names[SSNS_TC_MAX + 1] = {
	[SSNS_TC_DEDICATED_ACCESS]	= "dedicated_access",
	[SSNS_TC_LOW_LATENCY]		= "low_latency",
	[SSNS_TC_BULK_DATA]		= "bulk_data",
	[SSNS_TC_BEST_EFFORT]		= "best_effort",
};

struct ssns_profile *ssns_profile_lookup_rcu(struct ssns_dev *dev, u16 vni,
					     u8 tc)
{
	return xa_load(&dev->profiles, ssns_profile_key(vni, tc));
}

bool ssns_vni_has_profiles(u16 vni, struct ssns_tenant *t,
			   struct ssns_profile **example)
{
	return false;
}

void ssns_profiles_del_dev(struct ssns_dev *dev)
{
}

void ssns_profiles_del_tenant(struct ssns_tenant *t)
{
}

int ssns_nl_profile_get(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int ssns_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int ssns_nl_profile_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int ssns_nl_profile_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
