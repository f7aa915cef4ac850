// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: device registry.
 *
 * Devices live in the xarray ssns_devs, indexed by their index (which is
 * also the minor of /dev/cxiN). Readers on the admission path look devices
 * up under RCU; changes happen under ssns_cfg_lock.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include "core.h"

DEFINE_XARRAY_ALLOC(ssns_devs);

static bool ssns_dev_name_used(const char *name)
{
	struct ssns_dev *d;
	unsigned long i;

	xa_for_each(&ssns_devs, i, d)
		if (!strcmp(d->name, name))
			return true;
	return false;
}

/* Pick the name of a new device; "%d" in the template gets a free number. */
static int ssns_dev_pick_name(struct ssns_dev *dev, const char *tmpl)
{
	const char *pct = strchr(tmpl, '%');
	int n;

	/* The name is also that of /dev/NAME and of the rdma cgroup device. */
	if (!*tmpl || strchr(tmpl, '/') || strchr(tmpl, ' '))
		return -EINVAL;
	if (!pct) {
		if (strscpy(dev->name, tmpl, sizeof(dev->name)) < 0)
			return -ENAMETOOLONG;
		return ssns_dev_name_used(dev->name) ? -EEXIST : 0;
	}
	if (strcmp(pct, "%d"))
		return -EINVAL;
	for (n = 0; n < SSNS_MAX_DEVS; n++) {
		if (snprintf(dev->name, sizeof(dev->name), "%.*s%d",
			     (int)(pct - tmpl), tmpl, n) >= sizeof(dev->name))
			return -ENAMETOOLONG;
		if (!ssns_dev_name_used(dev->name))
			return 0;
	}
	return -ENFILE;
}

static void ssns_dev_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ssns_dev, rcu));
}

void ssns_dev_put(struct ssns_dev *dev)
{
	if (!refcount_dec_and_test(&dev->ref))
		return;
	ssns_dev_free_eps(dev);
	xa_destroy(&dev->profiles);
	call_rcu(&dev->rcu, ssns_dev_free_rcu);
}

void ssns_dev_stat_inc(struct ssns_dev *dev, int stat)
{
	atomic64_inc(&dev->stats[stat]);
}

struct ssns_dev *ssns_dev_register(const struct ssns_dev_params *params)
{
	struct ssns_dev *dev;
	struct net *net;
	u32 index;
	int err;

	if (!params || !params->name || !params->ops || !params->ops->open ||
	    !params->ops->release)
		return ERR_PTR(-EINVAL);

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	strscpy(dev->provider, params->provider ? params->provider : "?",
		sizeof(dev->provider));
	dev->ops = params->ops;
	dev->owner = params->owner;
	dev->priv = params->priv;
	dev->max_addr = params->max_addr;
	spin_lock_init(&dev->ctx_lock);
	INIT_LIST_HEAD(&dev->ctxs);
	xa_init(&dev->vnis);
	xa_init(&dev->profiles);
	refcount_set(&dev->ref, 1);

	mutex_lock(&ssns_cfg_lock);
	err = ssns_dev_pick_name(dev, params->name);
	if (err)
		goto err_unlock;

	/* A netns already on its way out cannot receive a device. */
	net = params->net ? maybe_get_net(params->net) : get_net(&init_net);
	if (!net)
		net = get_net(&init_net);
	dev->net = net;

	err = xa_alloc(&ssns_devs, &index, NULL,
		       XA_LIMIT(0, SSNS_MAX_DEVS - 1), GFP_KERNEL);
	if (err) {
		put_net(net);
		err = err == -EBUSY ? -ENFILE : err;
		goto err_unlock;
	}
	dev->index = index;

	err = ssns_chardev_add(dev);
	if (err) {
		xa_erase(&ssns_devs, index);
		put_net(net);
		goto err_unlock;
	}
	ssns_cg_dev_add(dev);
	xa_store(&ssns_devs, index, dev, GFP_KERNEL);
	ssns_notify_dev(dev, SSNS_CMD_DEV_NEW, NULL);
	mutex_unlock(&ssns_cfg_lock);
	/* The device holds no reference on its netns (pernet exit moves it). */
	put_net(net);
	pr_info("ssns: %s registered by %s (index %u)\n", dev->name,
		dev->provider, dev->index);
	return dev;

err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	kfree(dev);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(ssns_dev_register);

static bool ssns_ctx_match_any(struct ssns_ctx *ctx, void *arg)
{
	return true;
}

void ssns_dev_unregister(struct ssns_dev *dev)
{
	if (!dev)
		return;
	mutex_lock(&ssns_cfg_lock);
	dev->dead = true;
	xa_erase(&ssns_devs, dev->index);
	ssns_notify_dev(dev, SSNS_CMD_DEV_DEL, NULL);
	ssns_dev_revoke_ctxs(dev, ssns_ctx_match_any, NULL);
	ssns_profiles_del_dev(dev);
	ssns_chardev_del(dev);
	ssns_cg_dev_del(dev);
	mutex_unlock(&ssns_cfg_lock);
	pr_info("ssns: %s unregistered\n", dev->name);
	/* Lookups that found the device under RCU are done after this. */
	synchronize_rcu();
	ssns_dev_put(dev);
}
EXPORT_SYMBOL_GPL(ssns_dev_unregister);

u32 ssns_dev_index(const struct ssns_dev *dev)
{
	return dev->index;
}
EXPORT_SYMBOL_GPL(ssns_dev_index);

const char *ssns_dev_name(const struct ssns_dev *dev)
{
	return dev->name;
}
EXPORT_SYMBOL_GPL(ssns_dev_name);

void *ssns_dev_priv(const struct ssns_dev *dev)
{
	return dev->priv;
}
EXPORT_SYMBOL_GPL(ssns_dev_priv);

/*
 * Find a device named by a DEV_INDEX or DEV_NAME attribute. Unless @global
 * (node-wide administration), only devices visible from @net are found, so
 * a caller cannot tell a hidden device from a missing one. Called under
 * ssns_cfg_lock.
 */
struct ssns_dev *ssns_dev_find(struct net *net, const struct nlattr *index,
			       const struct nlattr *name, bool global,
			       struct netlink_ext_ack *extack)
{
	struct ssns_dev *dev = NULL;
	unsigned long i;

	lockdep_assert_held(&ssns_cfg_lock);
	if (index) {
		dev = xa_load(&ssns_devs, nla_get_u32(index));
		if (dev && name && strcmp(nla_data(name), dev->name)) {
			ssns_nl_err(extack, name,
				    "device index %u is not named %s",
				    nla_get_u32(index), (char *)nla_data(name));
			return ERR_PTR(-EINVAL);
		}
	} else if (name) {
		/* NLA_NUL_STRING: a C string, whatever follows its NUL. */
		xa_for_each(&ssns_devs, i, dev)
			if (!strcmp(nla_data(name), dev->name))
				break;
	} else {
		ssns_nl_err(extack, NULL,
			    "missing device: give DEV_INDEX or DEV_NAME");
		return ERR_PTR(-EINVAL);
	}
	if (!dev || (!global && !ssns_visible(dev, net))) {
		if (index)
			ssns_nl_err(extack, index, "no device with index %u",
				    nla_get_u32(index));
		else
			ssns_nl_err(extack, name, "no device named %s",
				    (char *)nla_data(name));
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

static bool ssns_ctx_lost_dev(struct ssns_ctx *ctx, void *arg)
{
	return !ssns_visible(ctx->dev, ctx->net);
}

/* Move a device to @target; revokes contexts that can no longer see it. */
int ssns_dev_move(struct ssns_dev *dev, struct net *target)
{
	struct net *old = dev->net;

	lockdep_assert_held(&ssns_cfg_lock);
	if (net_eq(old, target))
		return 0;
	WRITE_ONCE(dev->net, target);
	ssns_dev_revoke_ctxs(dev, ssns_ctx_lost_dev, NULL);
	ssns_notify_dev(dev, SSNS_CMD_DEV_SET, old);
	return 0;
}
