// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: contexts, what one opener of a device holds, and their revocation.
 *
 * Creating a context checks that the creator's netns sees the device and
 * pins its tenant; the context charges one hca_handle in the creator's
 * rdma cgroup. The core revokes contexts (device moved or removed, mode
 * switch, netns teardown, tenant or membership gone) through the holder's
 * ->revoke(), which stops the holder's calls and releases its endpoints;
 * the core then releases what the holder left (a holder bug, warned
 * about) and uncharges. ctx->lock keeps revocation and destruction apart,
 * so ->revoke() never runs once the holder started destroying.
 *
 * A context is on its device's list and on its tenant's, so that a move,
 * or a tenant change, revokes what it must without looking at the others.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "core.h"

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
	put_device(&ctx->dev->dev);
	mutex_destroy(&ctx->lock);
	/* Endpoint dumps follow ep->ctx under RCU. */
	call_rcu(&ctx->rcu, ssns_ctx_free_rcu);
}

/* Release what is left and uncharge, once. Caller holds ctx->lock. */
static void ssns_ctx_teardown(struct ssns_ctx *ctx)
{
	if (test_and_set_bit(SSNS_CTX_DONE, &ctx->flags))
		return;
	ssns_ep_release_all(ctx);
	ssns_cg_uncharge(ctx->dev, &ctx->cg, false);
}

/*
 * Revoke a context: no authority call succeeds any more, the holder stops
 * its calls and releases its endpoints. Under ssns_cfg_lock.
 */
static void ssns_ctx_revoke(struct ssns_ctx *ctx)
{
	lockdep_assert_held(&ssns_cfg_lock);
	mutex_lock(&ctx->lock);
	if (test_bit(SSNS_CTX_DONE, &ctx->flags)) {
		mutex_unlock(&ctx->lock);
		return;
	}
	spin_lock(&ctx->ep_lock);
	set_bit(SSNS_CTX_REVOKED, &ctx->flags);
	spin_unlock(&ctx->ep_lock);
	ctx->ops->revoke(ctx);
	if (!list_empty(&ctx->eps))
		WARN_ONCE(1, "%s: context holder left endpoints at revocation\n",
			  ctx->dev->name);
	ssns_ctx_teardown(ctx);
	mutex_unlock(&ctx->lock);

	ssns_dev_stat_inc(ctx->dev, SSNS_STAT_CTX_REVOKED);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_CTX_REVOKED);
}

/* Take a reference on the first context of @list that @match takes. */
static struct ssns_ctx *ssns_ctx_find(struct list_head *list, spinlock_t *lock,
				      bool by_tenant, ssns_ctx_match_t match,
				      void *arg)
{
	struct ssns_ctx *ctx, *found = NULL;

	spin_lock(lock);
	if (by_tenant) {
		list_for_each_entry(ctx, list, tenant_node)
			if (!test_bit(SSNS_CTX_DONE, &ctx->flags) &&
			    (!match || match(ctx, arg))) {
				found = ctx;
				break;
			}
	} else {
		list_for_each_entry(ctx, list, dev_node)
			if (!test_bit(SSNS_CTX_DONE, &ctx->flags) &&
			    (!match || match(ctx, arg))) {
				found = ctx;
				break;
			}
	}
	if (found)
		refcount_inc(&found->ref);
	spin_unlock(lock);
	return found;
}

/* Revoke the contexts of @dev that @match takes (NULL: all). */
void ssns_dev_revoke_ctxs(struct ssns_dev *dev, ssns_ctx_match_t match,
			  void *arg)
{
	struct ssns_ctx *ctx;

	lockdep_assert_held(&ssns_cfg_lock);
	while ((ctx = ssns_ctx_find(&dev->ctxs, &dev->ctx_lock, false, match,
				    arg))) {
		ssns_ctx_revoke(ctx);
		ssns_ctx_put(ctx);
	}
}

/* Revoke the contexts pinned to @t that @match takes (NULL: all). */
void ssns_tenant_revoke_ctxs(struct ssns_tenant *t, ssns_ctx_match_t match,
			     void *arg)
{
	struct ssns_ctx *ctx;

	lockdep_assert_held(&ssns_cfg_lock);
	while ((ctx = ssns_ctx_find(&t->ctxs, &t->ctx_lock, true, match,
				    arg))) {
		ssns_ctx_revoke(ctx);
		ssns_ctx_put(ctx);
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

/*
 * Create a context, not counted as opened yet (ssns_ctx_count_open()): the
 * char-device helper counts it once the provider's open() succeeded, so a
 * failed open leaves no trace.
 */
struct ssns_ctx *ssns_ctx_new(struct ssns_dev *dev,
			      const struct ssns_ctx_ops *ops, void *holder)
{
	struct net *net = current->nsproxy->net_ns;
	struct ssns_ctx *ctx;
	int err;

	if (WARN_ON_ONCE(!ops || !ops->revoke))
		return ERR_PTR(-EINVAL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	mutex_init(&ctx->lock);
	spin_lock_init(&ctx->ep_lock);
	INIT_LIST_HEAD(&ctx->eps);
	INIT_LIST_HEAD(&ctx->dev_node);
	INIT_LIST_HEAD(&ctx->tenant_node);
	refcount_set(&ctx->ref, 1);
	ctx->ops = ops;
	ctx->holder = holder;
	ctx->net = net;
	ctx->net_cookie = net->net_cookie;
	ctx->owner_pid = task_tgid_nr(current);
	ctx->dev = dev;

	mutex_lock(&ssns_cfg_lock);
	if (dev->dead || !ssns_visible(dev, net)) {
		err = -ENODEV;
		goto err_unlock;
	}
	ctx->tenant = ssns_tenant_resolve(net, &ctx->via_cgid);
	err = ssns_cg_charge(dev, &ctx->cg, false);
	if (err)
		goto err_tenant;
	get_device(&dev->dev);
	spin_lock(&dev->ctx_lock);
	list_add_tail(&ctx->dev_node, &dev->ctxs);
	spin_unlock(&dev->ctx_lock);
	if (ctx->tenant) {
		spin_lock(&ctx->tenant->ctx_lock);
		list_add_tail(&ctx->tenant_node, &ctx->tenant->ctxs);
		spin_unlock(&ctx->tenant->ctx_lock);
	}
	mutex_unlock(&ssns_cfg_lock);
	return ctx;

err_tenant:
	if (ctx->tenant)
		ssns_tenant_put(ctx->tenant);
err_unlock:
	mutex_unlock(&ssns_cfg_lock);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return ERR_PTR(err);
}

void ssns_ctx_count_open(struct ssns_ctx *ctx)
{
	ssns_dev_stat_inc(ctx->dev, SSNS_STAT_CTX_OPEN);
	if (ctx->tenant)
		ssns_tenant_stat_inc(ctx->tenant, SSNS_STAT_CTX_OPEN);
}

struct ssns_ctx *ssns_ctx_create(struct ssns_dev *dev,
				 const struct ssns_ctx_ops *ops, void *holder)
{
	struct ssns_ctx *ctx = ssns_ctx_new(dev, ops, holder);

	if (!IS_ERR(ctx))
		ssns_ctx_count_open(ctx);
	return ctx;
}
EXPORT_SYMBOL_GPL(ssns_ctx_create);

void ssns_ctx_destroy(struct ssns_ctx *ctx)
{
	struct ssns_dev *dev = ctx->dev;

	mutex_lock(&ctx->lock);
	spin_lock(&ctx->ep_lock);
	set_bit(SSNS_CTX_REVOKED, &ctx->flags);
	spin_unlock(&ctx->ep_lock);
	ssns_ctx_teardown(ctx);
	mutex_unlock(&ctx->lock);

	spin_lock(&dev->ctx_lock);
	list_del_init(&ctx->dev_node);
	spin_unlock(&dev->ctx_lock);
	if (ctx->tenant) {
		spin_lock(&ctx->tenant->ctx_lock);
		list_del_init(&ctx->tenant_node);
		spin_unlock(&ctx->tenant->ctx_lock);
	}
	ssns_ctx_put(ctx);
}
EXPORT_SYMBOL_GPL(ssns_ctx_destroy);

struct ssns_dev *ssns_ctx_dev(const struct ssns_ctx *ctx)
{
	return ctx->dev;
}
EXPORT_SYMBOL_GPL(ssns_ctx_dev);

void *ssns_ctx_holder(const struct ssns_ctx *ctx)
{
	return ctx->holder;
}
EXPORT_SYMBOL_GPL(ssns_ctx_holder);

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
	return ssns_ctx_is_revoked(ctx);
}
EXPORT_SYMBOL_GPL(ssns_ctx_revoked);

u64 ssns_ctx_net_cookie(const struct ssns_ctx *ctx)
{
	return ctx->net_cookie;
}
EXPORT_SYMBOL_GPL(ssns_ctx_net_cookie);

const struct ssns_tenant *ssns_ctx_tenant(const struct ssns_ctx *ctx)
{
	return ctx->tenant;
}
EXPORT_SYMBOL_GPL(ssns_ctx_tenant);
