// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: communication profiles.
 *
 * A profile (device, VNI, traffic class) is tagged with the tenant that
 * owns the VNI when it is created, or with no tenant for host use of an
 * unowned VNI. The tag never changes: a VNI cannot leave its tenant, nor
 * join one, while profiles use it. Each device keeps its profiles in an
 * xarray keyed by (VNI, TC), read under RCU by admission.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <net/sock.h>
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

/* Is @vni used by a profile tagged @t (NULL: tenant-less) on any device? */
bool ssns_vni_has_profiles(u16 vni, struct ssns_tenant *t,
			   struct ssns_profile **example)
{
	struct ssns_profile *p;
	struct ssns_dev *dev;
	unsigned long i;
	int tc;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_devs, i, dev) {
		for (tc = 0; tc <= SSNS_TC_MAX; tc++) {
			p = xa_load(&dev->profiles, ssns_profile_key(vni, tc));
			if (p && p->tenant == t) {
				*example = p;
				return true;
			}
		}
	}
	return false;
}

static void ssns_profile_free(struct ssns_profile *p)
{
	if (p->tenant) {
		p->tenant->nr_profiles--;
		ssns_tenant_put(p->tenant);
	}
	kfree_rcu(p, rcu);
}

static bool ssns_profile_readable(const struct ssns_profile *p,
				  struct net *net)
{
	bool all;
	struct ssns_tenant *t = ssns_reader_tenant(net, &all);

	return all || (t && p->tenant == t);
}

static int ssns_profile_fill(struct sk_buff *skb, struct ssns_profile *p,
			     u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr = ssns_nl_put_hdr(skb, portid, seq, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (ssns_nl_put_dev_ref(skb, p->dev) ||
	    nla_put_u32(skb, SSNS_ATTR_VNI, p->vni) ||
	    nla_put_u8(skb, SSNS_ATTR_TC, p->tc) ||
	    (p->tenant &&
	     nla_put_string(skb, SSNS_ATTR_TENANT_NAME, p->tenant->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static void ssns_profile_notify(struct ssns_profile *p, u8 cmd)
{
	struct sk_buff *msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return;
	if (ssns_profile_fill(msg, p, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	ssns_notify_tenant(msg, p->tenant);
}

/* Device removal: its contexts are gone, so are the endpoints. */
void ssns_profiles_del_dev(struct ssns_dev *dev)
{
	struct ssns_profile *p;
	unsigned long key;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&dev->profiles, key, p) {
		xa_erase(&dev->profiles, key);
		ssns_profile_free(p);
	}
}

/* Tenant removal: its contexts, hence endpoints, were revoked first. */
void ssns_profiles_del_tenant(struct ssns_tenant *t)
{
	struct ssns_profile *p;
	struct ssns_dev *dev;
	unsigned long i, key;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_devs, i, dev) {
		xa_for_each(&dev->profiles, key, p) {
			if (p->tenant != t)
				continue;
			WARN_ON_ONCE(atomic_read(&p->users) != 1);
			xa_erase(&dev->profiles, key);
			ssns_profile_notify(p, SSNS_CMD_PROFILE_DEL);
			ssns_profile_free(p);
		}
	}
}

/* The (device, VNI, TC) of a request. */
static int ssns_profile_req(struct genl_info *info, bool global,
			    struct ssns_dev **dev, u16 *vni, u8 *tc)
{
	struct nlattr **a = info->attrs;

	*dev = ssns_dev_find(genl_info_net(info), a[SSNS_ATTR_DEV_INDEX],
			     a[SSNS_ATTR_DEV_NAME], global, info->extack);
	if (IS_ERR(*dev))
		return PTR_ERR(*dev);
	if (!a[SSNS_ATTR_VNI] || !a[SSNS_ATTR_TC]) {
		ssns_nl_err(info->extack, NULL,
			    "a profile needs DEV_INDEX or DEV_NAME, VNI and TC");
		return -EINVAL;
	}
	*vni = nla_get_u32(a[SSNS_ATTR_VNI]);
	*tc = nla_get_u8(a[SSNS_ATTR_TC]);
	return 0;
}

int ssns_nl_profile_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_profile *p;
	struct ssns_dev *dev;
	u16 vni;
	u8 tc;
	int err;

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	/* The published reference; endpoints add theirs. */
	atomic_set(&p->users, 1);

	mutex_lock(&ssns_cfg_lock);
	err = ssns_profile_req(info, true, &dev, &vni, &tc);
	if (err)
		goto err_unlock;
	if (ssns_profile_lookup_rcu(dev, vni, tc)) {
		ssns_nl_err(info->extack, info->attrs[SSNS_ATTR_VNI],
			    "profile %s vni %u tc %s exists", dev->name, vni,
			    ssns_tc_names[tc]);
		err = -EEXIST;
		goto err_unlock;
	}
	p->dev = dev;
	p->vni = vni;
	p->tc = tc;
	p->tenant = ssns_tenant_of_vni(vni);
	err = xa_err(xa_store(&dev->profiles, ssns_profile_key(vni, tc), p,
			      GFP_KERNEL));
	if (err)
		goto err_unlock;
	if (p->tenant) {
		refcount_inc(&p->tenant->ref);
		p->tenant->nr_profiles++;
	}
	ssns_profile_notify(p, SSNS_CMD_PROFILE_NEW);
	mutex_unlock(&ssns_cfg_lock);
	return 0;

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	kfree(p);
	return err;
}

int ssns_nl_profile_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ssns_profile *p;
	struct ssns_dev *dev;
	unsigned long key;
	int users, err;
	u16 vni;
	u8 tc;

	if (!ssns_nl_node_admin(skb, info->extack))
		return -EPERM;
	mutex_lock(&ssns_cfg_lock);
	err = ssns_profile_req(info, true, &dev, &vni, &tc);
	if (err)
		goto out;
	key = ssns_profile_key(vni, tc);
	p = xa_load(&dev->profiles, key);
	if (!p) {
		ssns_nl_err(info->extack, info->attrs[SSNS_ATTR_VNI],
			    "no profile %s vni %u tc %s", dev->name, vni,
			    ssns_tc_names[tc]);
		err = -ENOENT;
		goto out;
	}
	/*
	 * Only the published reference left: take it, and admission (which
	 * needs a non-zero count) can no longer use the profile. No grace
	 * period to wait for under the configuration lock.
	 */
	users = atomic_cmpxchg(&p->users, 1, 0);
	if (users != 1) {
		ssns_nl_err(info->extack, info->attrs[SSNS_ATTR_VNI],
			    "profile %s vni %u tc %s is used by %d endpoints",
			    dev->name, vni, ssns_tc_names[tc], users - 1);
		err = -EBUSY;
		goto out;
	}
	xa_erase(&dev->profiles, key);
	ssns_profile_notify(p, SSNS_CMD_PROFILE_DEL);
	ssns_profile_free(p);
out:
	mutex_unlock(&ssns_cfg_lock);
	return err;
}

int ssns_nl_profile_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_profile *p = NULL;
	struct ssns_dev *dev;
	struct sk_buff *msg;
	u16 vni;
	u8 tc;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ssns_cfg_lock);
	err = ssns_profile_req(info, net_eq(net, &init_net), &dev, &vni, &tc);
	if (err)
		goto err_unlock;
	p = xa_load(&dev->profiles, ssns_profile_key(vni, tc));
	if (!p || !ssns_profile_readable(p, net)) {
		ssns_nl_err(info->extack, info->attrs[SSNS_ATTR_VNI],
			    "no profile %s vni %u tc %s", dev->name, vni,
			    ssns_tc_names[tc]);
		err = -ENOENT;
		goto err_unlock;
	}
	err = ssns_profile_fill(msg, p, info->snd_portid, info->snd_seq, 0,
				SSNS_CMD_PROFILE_GET);
	if (err)
		goto err_unlock;
	mutex_unlock(&ssns_cfg_lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	nlmsg_free(msg);
	return err;
}

/* Dump position: cb->args[0] device index, cb->args[1] profile key. */
int ssns_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long di, key;
	struct ssns_profile *p;
	struct ssns_dev *dev;
	int err = 0;

	if (cb->args[2])
		return 0;
	mutex_lock(&ssns_cfg_lock);
	xa_for_each_start(&ssns_devs, di, dev, cb->args[0]) {
		xa_for_each_start(&dev->profiles, key, p,
				  di == cb->args[0] ? cb->args[1] : 0) {
			if (!ssns_profile_readable(p, net))
				continue;
			err = ssns_profile_fill(skb, p,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq,
						NLM_F_MULTI,
						SSNS_CMD_PROFILE_GET);
			if (err) {
				cb->args[0] = di;
				cb->args[1] = key;
				goto out;
			}
		}
	}
	cb->args[2] = 1;
out:
	mutex_unlock(&ssns_cfg_lock);
	if (err && !skb->len)
		return err;
	return skb->len;
}
