// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: network namespaces: the system mode, device visibility and netns
 * teardown.
 *
 *   visible(dev, net) = dev.net == net ||
 *                       (mode == shared && dev.net == init_net)
 *
 * When a netns dies, the contexts opened in it are revoked, its devices
 * return to init_net and it stops being a tenant member.
 */
#include <linux/module.h>
#include "core.h"

int ssns_netns_mode = SSNS_NETNS_SHARED;

bool ssns_visible(const struct ssns_dev *dev, const struct net *net)
{
	const struct net *owner = READ_ONCE(dev->net);

	if (net_eq(owner, net))
		return true;
	return READ_ONCE(ssns_netns_mode) == SSNS_NETNS_SHARED &&
	       net_eq(owner, &init_net);
}

static bool ssns_ctx_lost_sight(struct ssns_ctx *ctx, void *arg)
{
	return !ssns_visible(ctx->dev, ctx->net);
}

/*
 * Switch the system mode. Returns 1 if it changed, 0 if it already was
 * @mode. Going exclusive revokes contexts on init_net devices opened from
 * other namespaces.
 */
int ssns_set_mode(int mode)
{
	lockdep_assert_held(&ssns_cfg_lock);
	if (mode == ssns_netns_mode)
		return 0;
	WRITE_ONCE(ssns_netns_mode, mode);
	ssns_revoke_all_ctxs(ssns_ctx_lost_sight, NULL);
	ssns_notify_mode();
	pr_info("ssns: netns mode %s\n",
		mode == SSNS_NETNS_SHARED ? "shared" : "exclusive");
	return 1;
}

static bool ssns_ctx_in_net(struct ssns_ctx *ctx, void *arg)
{
	return net_eq(ctx->net, arg);
}

static void __net_exit ssns_net_exit(struct net *net)
{
	struct ssns_dev *dev;
	unsigned long i;

	mutex_lock(&ssns_cfg_lock);
	ssns_revoke_all_ctxs(ssns_ctx_in_net, net);
	xa_for_each(&ssns_devs, i, dev) {
		if (!net_eq(dev->net, net))
			continue;
		pr_info("ssns: %s: netns %llu going away, back to init_net\n",
			dev->name, net->net_cookie);
		ssns_dev_move(dev, &init_net);
	}
	ssns_tenant_net_exit(net);
	mutex_unlock(&ssns_cfg_lock);
}

static struct pernet_operations ssns_net_ops = {
	.exit = ssns_net_exit,
};

int ssns_netns_init(void)
{
	return register_pernet_subsys(&ssns_net_ops);
}

void ssns_netns_exit(void)
{
	unregister_pernet_subsys(&ssns_net_ops);
}
