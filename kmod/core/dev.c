// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the device registry.
 *
 * A device is a struct device of class "ssns", a child of its provider's
 * device, named as the NIC. Its index is also the minor of its char device
 * when the provider asked for one. Devices live in the xarray ssns_devs,
 * changed under ssns_cfg_lock; the memory goes with the last reference
 * (contexts hold one), after an RCU grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include "core.h"

DEFINE_XARRAY_ALLOC(ssns_devs);

static struct class ssns_class = {
	.name		= "ssns",
	.owner		= THIS_MODULE,
	.devnode	= ssns_devnode,
};

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
	if (!*tmpl || strpbrk(tmpl, "/ \t\n"))
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

static void ssns_dev_release(struct device *d)
{
	struct ssns_dev *dev = container_of(d, struct ssns_dev, dev);

	WARN_ON_ONCE(!xa_empty(&dev->eps));
	xa_destroy(&dev->eps);
	xa_destroy(&dev->profiles);
	kfree_rcu(dev, rcu);
}

/* What a provider must give; the counter list is shown to users. */
static int ssns_dev_desc_check(const struct ssns_dev_desc *desc)
{
	const struct ssns_cdev_ops *c = desc->cdev_ops;
	unsigned int i;

	if (!desc->name || !desc->provider || !desc->parent)
		return -EINVAL;
	if (c && (!c->open || !c->release))
		return -EINVAL;
	if (desc->nr_counters > SSNS_COUNTERS_MAX ||
	    (desc->nr_counters &&
	     (!desc->counters || !desc->ops || !desc->ops->counters)))
		return -EINVAL;
	for (i = 0; i < desc->nr_counters; i++)
		if (!desc->counters[i] || !*desc->counters[i] ||
		    strlen(desc->counters[i]) >= SSNS_NAME_MAX)
			return -EINVAL;
	if (desc->devnode && (c || strlen(desc->devnode) >=
			      sizeof(((struct ssns_dev *)0)->devnode)))
		return -EINVAL;
	return 0;
}

struct ssns_dev *ssns_dev_register(const struct ssns_dev_desc *desc)
{
	struct ssns_event ev = { .type = SSNS_EV_DEV_NEW };
	struct ssns_dev *dev;
	struct net *net;
	u32 index;
	int err;

	if (!desc || ssns_dev_desc_check(desc))
		return ERR_PTR(-EINVAL);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	strscpy(dev->provider, desc->provider, sizeof(dev->provider));
	dev->ops = desc->ops;
	dev->cdev_ops = desc->cdev_ops;
	dev->owner = desc->owner;
	dev->priv = desc->priv;
	dev->counters = desc->counters;
	dev->nr_counters = desc->nr_counters;
	spin_lock_init(&dev->ctx_lock);
	INIT_LIST_HEAD(&dev->ctxs);
	xa_init(&dev->profiles);
	xa_init_flags(&dev->eps, XA_FLAGS_ALLOC);
	device_initialize(&dev->dev);
	dev->dev.class = &ssns_class;
	dev->dev.parent = desc->parent;
	dev->dev.release = ssns_dev_release;

	mutex_lock(&ssns_cfg_lock);
	err = ssns_dev_pick_name(dev, desc->name);
	if (err)
		goto err_unlock;
	err = xa_alloc(&ssns_devs, &index, NULL,
		       XA_LIMIT(0, SSNS_MAX_DEVS - 1), GFP_KERNEL);
	if (err) {
		err = err == -EBUSY ? -ENFILE : err;
		goto err_unlock;
	}
	dev->index = index;
	err = dev_set_name(&dev->dev, "%s", dev->name);
	if (err)
		goto err_index;
	if (dev->cdev_ops) {
		snprintf(dev->devnode, sizeof(dev->devnode), "/dev/%s",
			 dev->name);
		dev->dev.devt = ssns_chardev_devt(index);
		cdev_init(&dev->cdev, &ssns_cdev_fops);
		dev->cdev.owner = THIS_MODULE;
		err = cdev_device_add(&dev->cdev, &dev->dev);
	} else {
		if (desc->devnode)
			strscpy(dev->devnode, desc->devnode,
				sizeof(dev->devnode));
		err = device_add(&dev->dev);
	}
	if (err)
		goto err_index;

	/*
	 * The device holds no reference on its netns: pernet exit moves it.
	 * A netns already on its way out cannot receive one.
	 */
	net = desc->net ? maybe_get_net(desc->net) : NULL;
	dev->net = net ?: &init_net;
	if (net)
		put_net(net);
	ssns_cg_dev_add(dev);
	xa_store(&ssns_devs, index, dev, GFP_KERNEL);
	ev.dev = dev;
	ssns_event(&ev);
	mutex_unlock(&ssns_cfg_lock);
	pr_info("%s registered by %s (index %u)\n", dev->name, dev->provider,
		dev->index);
	return dev;

err_index:
	xa_erase(&ssns_devs, index);
err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	put_device(&dev->dev);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(ssns_dev_register);

void ssns_dev_unregister(struct ssns_dev *dev)
{
	struct ssns_event ev = { .type = SSNS_EV_DEV_DEL, .dev = dev };

	if (!dev)
		return;
	mutex_lock(&ssns_cfg_lock);
	dev->dead = true;
	xa_erase(&ssns_devs, dev->index);
	ssns_event(&ev);
	ssns_dev_revoke_ctxs(dev, NULL, NULL);
	ssns_profiles_del_dev(dev);
	ssns_bw_dev_gone(dev);
	if (dev->cdev_ops)
		cdev_device_del(&dev->cdev, &dev->dev);
	else
		device_del(&dev->dev);
	ssns_cg_dev_del(dev);
	mutex_unlock(&ssns_cfg_lock);
	pr_info("%s unregistered\n", dev->name);
	put_device(&dev->dev);
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

struct device *ssns_dev_device(struct ssns_dev *dev)
{
	return &dev->dev;
}
EXPORT_SYMBOL_GPL(ssns_dev_device);

/*
 * Find a device by @index or @name (both: they must agree). Unless
 * @global (node-wide administration), only devices visible from @net are
 * found, so a caller cannot tell a hidden device from a missing one.
 * Called under ssns_cfg_lock.
 */
struct ssns_dev *ssns_dev_lookup(struct net *net, const u32 *index,
				 const char *name, bool global,
				 struct netlink_ext_ack *extack)
{
	struct ssns_dev *dev = NULL;
	unsigned long i;

	lockdep_assert_held(&ssns_cfg_lock);
	if (index) {
		dev = xa_load(&ssns_devs, *index);
		if (dev && name && strcmp(name, dev->name)) {
			ssns_err(extack, NULL, "device index %u is not named %s",
				 *index, name);
			return ERR_PTR(-EINVAL);
		}
	} else if (name) {
		xa_for_each(&ssns_devs, i, dev)
			if (!strcmp(name, dev->name))
				break;
	} else {
		ssns_err(extack, NULL,
			 "missing device: give DEV_INDEX or DEV_NAME");
		return ERR_PTR(-EINVAL);
	}
	if (!dev || (!global && !ssns_visible(dev, net))) {
		if (index)
			ssns_err(extack, NULL, "no device with index %u",
				 *index);
		else
			ssns_err(extack, NULL, "no device named %s", name);
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
	struct ssns_event ev = { .type = SSNS_EV_DEV_MOVE, .dev = dev };
	struct ssns_policy p = { .type = SSNS_POLICY_DEV_MOVE, .dev = dev };
	struct net *old = dev->net;

	lockdep_assert_held(&ssns_cfg_lock);
	if (net_eq(old, target))
		return 0;
	WRITE_ONCE(dev->net, target);
	ssns_dev_revoke_ctxs(dev, ssns_ctx_lost_dev, NULL);
	p.old_net = old;
	if (dev->ops && dev->ops->policy)
		dev->ops->policy(dev, &p);
	ev.old_net = old;
	ssns_event(&ev);
	return 0;
}

/* Tell every device's provider of a change that concerns them all. */
void ssns_policy_all(const struct ssns_policy *p)
{
	struct ssns_dev *dev;
	unsigned long i;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_devs, i, dev)
		if (dev->ops && dev->ops->policy)
			dev->ops->policy(dev, p);
}

int ssns_dev_init(void)
{
	return class_register(&ssns_class);
}

void ssns_dev_exit(void)
{
	class_unregister(&ssns_class);
}
