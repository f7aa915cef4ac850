// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the char device /dev/cxiN and its contexts.
 *
 * The core owns the file operations. Opening checks that the caller's
 * netns sees the device and pins the caller's tenant; every later call
 * enters the provider with the context's in-flight rwsem held for reading,
 * so revocation (which takes it for writing) waits for calls in flight and
 * no call can start afterwards.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include "core.h"

static dev_t ssns_devt;
static struct class *ssns_class;

static void ssns_ctx_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ssns_ctx, rcu));
}

static void ssns_ctx_put(struct ssns_ctx *ctx)
{
	if (!refcount_dec_and_test(&ctx->ref))
		return;
	if (ctx->tenant)
		ssns_tenant_put(ctx->tenant);
	ssns_dev_put(ctx->dev);
	/* Endpoint dumps follow ep->ctx under RCU. */
	call_rcu(&ctx->rcu, ssns_ctx_free_rcu);
}

/* Release provider state once; called with ctx->inflight held for write. */
static void ssns_ctx_teardown(struct ssns_ctx *ctx)
{
	struct ssns_dev *dev = ctx->dev;
	struct ssns_ep *ep;

	if (test_bit(SSNS_CTX_RELEASED, &ctx->flags))
		return;
	dev->ops->release(ctx);

	/* A provider that forgot endpoints must not leave them published. */
	while ((ep = list_first_entry_or_null(&ctx->eps, struct ssns_ep,
					      ctx_node))) {
		WARN_ONCE(1, "ssns: %s: provider leaked an endpoint\n",
			  dev->name);
		ssns_ep_release(ep);
	}
	ssns_cg_uncharge(dev, &ctx->cg, false);
	/* Revokers skip released contexts: publish only when done. */
	smp_mb__before_atomic();
	set_bit(SSNS_CTX_RELEASED, &ctx->flags);
}

/*
 * Revoke a context: no call may start any more, calls in flight are woken
 * and waited for, then the provider frees the context's state (endpoints
 * included). The file stays open and fails every call with -ENODEV.
 */
void ssns_ctx_revoke(struct ssns_ctx *ctx)
{
	struct ssns_dev *dev = ctx->dev;
	bool first = !test_and_set_bit(SSNS_CTX_REVOKED, &ctx->flags);

	if (first) {
		/* Pairs with the barrier implied by down_read() in callers. */
		smp_mb__after_atomic();
		if (dev->ops->kick)
			dev->ops->kick(ctx);
		wake_up_all(&ctx->wq);
	}
	/* Even if a close got there first: wait until it is torn down. */
	down_write(&ctx->inflight);
	ssns_ctx_teardown(ctx);
	up_write(&ctx->inflight);
	if (!first)
		return;
	wake_up_all(&ctx->wq);
	ssns_dev_stat_inc(dev, SSNS_STAT_CTX_REVOKED);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_CTX_REVOKED);
}

/* Revoke the contexts of @dev for which @match returns true. */
void ssns_dev_revoke_ctxs(struct ssns_dev *dev, ssns_ctx_match_t match,
			  void *arg)
{
	struct ssns_ctx *ctx, *found;

	lockdep_assert_held(&ssns_cfg_lock);
	for (;;) {
		found = NULL;
		spin_lock(&dev->ctx_lock);
		list_for_each_entry(ctx, &dev->ctxs, dev_node) {
			if (test_bit(SSNS_CTX_RELEASED, &ctx->flags) ||
			    !match(ctx, arg))
				continue;
			refcount_inc(&ctx->ref);
			found = ctx;
			break;
		}
		spin_unlock(&dev->ctx_lock);
		if (!found)
			return;
		ssns_ctx_revoke(found);
		ssns_ctx_put(found);
	}
}

void ssns_revoke_all_ctxs(ssns_ctx_match_t match, void *arg)
{
	struct ssns_dev *dev;
	unsigned long i;

	lockdep_assert_held(&ssns_cfg_lock);
	xa_for_each(&ssns_devs, i, dev)
		ssns_dev_revoke_ctxs(dev, match, arg);
}

static int ssns_open(struct inode *inode, struct file *file)
{
	struct net *net = current->nsproxy->net_ns;
	struct ssns_ctx *ctx;
	struct ssns_dev *dev;
	int err;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_rwsem(&ctx->inflight);
	spin_lock_init(&ctx->ep_lock);
	INIT_LIST_HEAD(&ctx->eps);
	INIT_LIST_HEAD(&ctx->dev_node);
	init_waitqueue_head(&ctx->wq);
	refcount_set(&ctx->ref, 1);
	ctx->net = net;
	ctx->net_cookie = net->net_cookie;
	ctx->owner_pid = task_tgid_nr(current);

	mutex_lock(&ssns_cfg_lock);
	dev = xa_load(&ssns_devs, iminor(inode));
	if (!dev || dev->dead || !ssns_visible(dev, net)) {
		err = -ENODEV;
		goto err_unlock;
	}
	ctx->tenant = ssns_tenant_resolve(net, &ctx->via_cgid);
	err = ssns_cg_charge(dev, &ctx->cg, false);
	if (err)
		goto err_tenant;
	ctx->dev = dev;
	err = dev->ops->open(ctx);
	if (err)
		goto err_uncharge;
	refcount_inc(&dev->ref);
	spin_lock(&dev->ctx_lock);
	list_add_tail(&ctx->dev_node, &dev->ctxs);
	spin_unlock(&dev->ctx_lock);
	mutex_unlock(&ssns_cfg_lock);

	ssns_dev_stat_inc(dev, SSNS_STAT_CTX_OPEN);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_CTX_OPEN);
	file->private_data = ctx;
	return nonseekable_open(inode, file);

err_uncharge:
	ssns_cg_uncharge(dev, &ctx->cg, false);
err_tenant:
	if (ctx->tenant)
		ssns_tenant_put(ctx->tenant);
err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	kfree(ctx);
	return err;
}

static int ssns_release(struct inode *inode, struct file *file)
{
	struct ssns_ctx *ctx = file->private_data;
	struct ssns_dev *dev = ctx->dev;

	/* No call is in flight on a file being released. */
	set_bit(SSNS_CTX_REVOKED, &ctx->flags);
	down_write(&ctx->inflight);
	ssns_ctx_teardown(ctx);
	up_write(&ctx->inflight);

	spin_lock(&dev->ctx_lock);
	list_del_init(&ctx->dev_node);
	spin_unlock(&dev->ctx_lock);
	ssns_ctx_put(ctx);
	return 0;
}

static long ssns_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ssns_ctx *ctx = file->private_data;
	long ret;

	down_read(&ctx->inflight);
	if (ssns_ctx_revoked(ctx) || !ctx->dev->ops->ioctl)
		ret = ssns_ctx_revoked(ctx) ? -ENODEV : -ENOTTY;
	else
		ret = ctx->dev->ops->ioctl(ctx, cmd, arg);
	up_read(&ctx->inflight);
	return ret;
}

static __poll_t ssns_poll(struct file *file, poll_table *wait)
{
	struct ssns_ctx *ctx = file->private_data;
	__poll_t mask;

	poll_wait(file, &ctx->wq, wait);
	down_read(&ctx->inflight);
	if (ssns_ctx_revoked(ctx))
		mask = EPOLLERR | EPOLLHUP;
	else if (ctx->dev->ops->poll)
		mask = ctx->dev->ops->poll(ctx, file, wait);
	else
		mask = 0;
	up_read(&ctx->inflight);
	return mask;
}

static const struct file_operations ssns_fops = {
	.owner		= THIS_MODULE,
	.open		= ssns_open,
	.release	= ssns_release,
	.unlocked_ioctl	= ssns_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.poll		= ssns_poll,
	.llseek		= no_llseek,
};

struct ssns_dev *ssns_ctx_dev(const struct ssns_ctx *ctx)
{
	return ctx->dev;
}
EXPORT_SYMBOL_GPL(ssns_ctx_dev);

void *ssns_ctx_priv(const struct ssns_ctx *ctx)
{
	return ctx->priv;
}
EXPORT_SYMBOL_GPL(ssns_ctx_priv);

void ssns_ctx_set_priv(struct ssns_ctx *ctx, void *priv)
{
	ctx->priv = priv;
}
EXPORT_SYMBOL_GPL(ssns_ctx_set_priv);

bool ssns_ctx_revoked(const struct ssns_ctx *ctx)
{
	return test_bit(SSNS_CTX_REVOKED, &ctx->flags);
}
EXPORT_SYMBOL_GPL(ssns_ctx_revoked);

u64 ssns_ctx_net_cookie(const struct ssns_ctx *ctx)
{
	return ctx->net_cookie;
}
EXPORT_SYMBOL_GPL(ssns_ctx_net_cookie);

wait_queue_head_t *ssns_ctx_waitq(struct ssns_ctx *ctx)
{
	return &ctx->wq;
}
EXPORT_SYMBOL_GPL(ssns_ctx_waitq);

int ssns_chardev_add(struct ssns_dev *dev)
{
	dev_t devt = MKDEV(MAJOR(ssns_devt), dev->index);
	int err;

	dev->cdev = cdev_alloc();
	if (!dev->cdev)
		return -ENOMEM;
	dev->cdev->owner = THIS_MODULE;
	dev->cdev->ops = &ssns_fops;
	err = cdev_add(dev->cdev, devt, 1);
	if (err) {
		kobject_put(&dev->cdev->kobj);
		dev->cdev = NULL;
		return err;
	}
	dev->cdevice = device_create(ssns_class, NULL, devt, dev, "%s",
				     dev->name);
	if (IS_ERR(dev->cdevice)) {
		err = PTR_ERR(dev->cdevice);
		dev->cdevice = NULL;
		cdev_del(dev->cdev);
		dev->cdev = NULL;
		return err;
	}
	return 0;
}

void ssns_chardev_del(struct ssns_dev *dev)
{
	if (dev->cdevice)
		device_destroy(ssns_class, MKDEV(MAJOR(ssns_devt), dev->index));
	dev->cdevice = NULL;
	if (dev->cdev)
		cdev_del(dev->cdev);
	dev->cdev = NULL;
}

/* /dev/cxiN is open to all: isolation is the core's job, not the mode's. */
static char *ssns_devnode(struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0666;
	return NULL;
}

int ssns_chardev_init(void)
{
	int err;

	err = alloc_chrdev_region(&ssns_devt, 0, SSNS_MAX_DEVS, "cxi");
	if (err)
		return err;
	ssns_class = class_create(THIS_MODULE, "ssns");
	if (IS_ERR(ssns_class)) {
		unregister_chrdev_region(ssns_devt, SSNS_MAX_DEVS);
		return PTR_ERR(ssns_class);
	}
	ssns_class->devnode = ssns_devnode;
	return 0;
}

void ssns_chardev_exit(void)
{
	class_destroy(ssns_class);
	unregister_chrdev_region(ssns_devt, SSNS_MAX_DEVS);
}
