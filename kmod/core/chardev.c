// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the char-device helper: /dev/NAME for providers that want the core
 * to run it (struct ssns_cdev_ops). A provider with a device node of its
 * own never comes here.
 *
 * Each open file holds one context. Every provider op runs with the
 * file's in-flight rwsem held for reading; revocation (the context's
 * ->revoke()) sets the context's revoked bit, kicks the provider, wakes
 * pollers and takes the rwsem for writing, so it waits for calls in flight
 * and no call starts afterwards; the provider's ->release() then frees its
 * state. The file stays open and fails every call with -ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include "core.h"

static dev_t ssns_devt;

/* The helper's state of one open file. */
struct ssns_cfile {
	struct ssns_ctx *ctx;
	struct rw_semaphore inflight;
	bool released;			/* ->release() was called */
	wait_queue_head_t wq;		/* poll; outlives revocation */
};

/* Release provider state once; called with cf->inflight held for write. */
static void ssns_cfile_teardown(struct ssns_cfile *cf)
{
	if (cf->released)
		return;
	cf->released = true;
	cf->ctx->dev->cdev_ops->release(cf->ctx);
}

static void ssns_cfile_revoke(struct ssns_ctx *ctx)
{
	const struct ssns_cdev_ops *ops = ctx->dev->cdev_ops;
	struct ssns_cfile *cf = ctx->holder;

	/*
	 * The core set the revoked bit; sleepers check it when woken. The
	 * provider state is alive while the rwsem is held for reading; when
	 * it cannot be taken so, the file is being closed, with no call
	 * left to wake.
	 */
	smp_mb__after_atomic();
	if (ops->kick && down_read_trylock(&cf->inflight)) {
		if (!cf->released)
			ops->kick(ctx);
		up_read(&cf->inflight);
	}
	wake_up_all(&cf->wq);
	down_write(&cf->inflight);
	ssns_cfile_teardown(cf);
	up_write(&cf->inflight);
	wake_up_all(&cf->wq);
}

static const struct ssns_ctx_ops ssns_cfile_ctx_ops = {
	.revoke = ssns_cfile_revoke,
};

static int ssns_cdev_open(struct inode *inode, struct file *file)
{
	struct ssns_dev *dev = container_of(inode->i_cdev, struct ssns_dev,
					    cdev);
	struct ssns_cfile *cf;
	struct ssns_ctx *ctx;
	int err;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	init_rwsem(&cf->inflight);
	init_waitqueue_head(&cf->wq);
	/*
	 * Until the provider's ->open() succeeded there is no provider state:
	 * a revocation that comes first releases nothing. The context is made
	 * before the rwsem is taken, as revocation takes them in that order.
	 */
	cf->released = true;
	ctx = ssns_ctx_new(dev, &ssns_cfile_ctx_ops, cf);
	if (IS_ERR(ctx)) {
		kfree(cf);
		return PTR_ERR(ctx);
	}
	cf->ctx = ctx;
	down_write(&cf->inflight);
	if (ssns_ctx_is_revoked(ctx)) {
		err = -ENODEV;
	} else {
		err = dev->cdev_ops->open(ctx);
		if (!err) {
			cf->released = false;
			ssns_ctx_count_open(ctx);
		}
	}
	up_write(&cf->inflight);
	if (err) {
		ssns_ctx_destroy(ctx);
		kfree(cf);
		return err;
	}
	file->private_data = cf;
	return nonseekable_open(inode, file);
}

static int ssns_cdev_release(struct inode *inode, struct file *file)
{
	struct ssns_cfile *cf = file->private_data;

	/* No call is in flight on a file being released. */
	down_write(&cf->inflight);
	ssns_cfile_teardown(cf);
	up_write(&cf->inflight);
	ssns_ctx_destroy(cf->ctx);
	kfree(cf);
	return 0;
}

static long ssns_cdev_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct ssns_cfile *cf = file->private_data;
	const struct ssns_cdev_ops *ops = cf->ctx->dev->cdev_ops;
	long ret;

	down_read(&cf->inflight);
	if (ssns_ctx_is_revoked(cf->ctx) || cf->released)
		ret = -ENODEV;
	else if (!ops->ioctl)
		ret = -ENOTTY;
	else
		ret = ops->ioctl(cf->ctx, cmd, arg);
	up_read(&cf->inflight);
	return ret;
}

static __poll_t ssns_cdev_poll(struct file *file, poll_table *wait)
{
	struct ssns_cfile *cf = file->private_data;
	const struct ssns_cdev_ops *ops = cf->ctx->dev->cdev_ops;
	__poll_t mask;

	poll_wait(file, &cf->wq, wait);
	down_read(&cf->inflight);
	if (ssns_ctx_is_revoked(cf->ctx) || cf->released)
		mask = EPOLLERR | EPOLLHUP;
	else if (ops->poll)
		mask = ops->poll(cf->ctx, file, wait);
	else
		mask = 0;
	up_read(&cf->inflight);
	return mask;
}

const struct file_operations ssns_cdev_fops = {
	.owner		= THIS_MODULE,
	.open		= ssns_cdev_open,
	.release	= ssns_cdev_release,
	.unlocked_ioctl	= ssns_cdev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.poll		= ssns_cdev_poll,
	.llseek		= no_llseek,
};

wait_queue_head_t *ssns_cdev_waitq(struct ssns_ctx *ctx)
{
	struct ssns_cfile *cf = ctx->holder;

	return &cf->wq;
}
EXPORT_SYMBOL_GPL(ssns_cdev_waitq);

dev_t ssns_chardev_devt(u32 index)
{
	return MKDEV(MAJOR(ssns_devt), index);
}

/* /dev/NAME is open to all: isolation is the core's job, not the mode's. */
char *ssns_devnode(SSNS_DEVNODE_DEV dev, umode_t *mode)
{
	if (mode)
		*mode = 0666;
	return NULL;
}

int ssns_chardev_init(void)
{
	return alloc_chrdev_region(&ssns_devt, 0, SSNS_MAX_DEVS, "cxi");
}

void ssns_chardev_exit(void)
{
	unregister_chrdev_region(ssns_devt, SSNS_MAX_DEVS);
}
