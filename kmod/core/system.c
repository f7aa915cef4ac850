// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: changes of the whole system: the netns mode, the teardown of a
 * network namespace (its contexts are revoked, its devices return to
 * init_net and it stops being a tenant member), and the end of
 * delegations whose user namespace is gone (see access.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/workqueue.h>
#include "core.h"

/*
 * End the delegations whose user namespace only ssns still holds. Called
 * when a netns dies, before every tenant or profile change, and every
 * SSNS_REAP_PERIOD. Under ssns_cfg_lock.
 */
void ssns_system_reap(void)
{
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	while ((t = ssns_delegation_dead())) {
		pr_info("tenant %s: its delegated user namespace is gone, the delegation ends\n",
			t->name);
		ssns_delegation_end(t);
	}
}

#define SSNS_REAP_PERIOD	(5 * HZ)
static void ssns_reap_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ssns_reap_work, ssns_reap_work_fn);

static void ssns_reap_work_fn(struct work_struct *work)
{
	mutex_lock(&ssns_cfg_lock);
	ssns_system_reap();
	mutex_unlock(&ssns_cfg_lock);
	schedule_delayed_work(&ssns_reap_work, SSNS_REAP_PERIOD);
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
	struct ssns_policy p = { .type = SSNS_POLICY_MODE, .mode = mode };
	struct ssns_event ev = { .type = SSNS_EV_MODE };

	lockdep_assert_held(&ssns_cfg_lock);
	if (mode == ssns_netns_mode)
		return 0;
	WRITE_ONCE(ssns_netns_mode, mode);
	ssns_revoke_all_ctxs(ssns_ctx_lost_sight, NULL);
	ssns_policy_all(&p);
	ssns_event(&ev);
	pr_info("netns mode %s\n",
		mode == SSNS_NETNS_SHARED ? "shared" : "exclusive");
	return 1;
}

static bool ssns_ctx_in_net(struct ssns_ctx *ctx, void *arg)
{
	return net_eq(ctx->net, arg);
}

static void __net_exit ssns_net_exit(struct net *net)
{
	struct ssns_policy p = {
		.type = SSNS_POLICY_NETNS_EXIT, .net = net,
		.net_cookie = net->net_cookie,
	};
	struct ssns_dev *dev;
	unsigned long i;

	mutex_lock(&ssns_cfg_lock);
	ssns_revoke_all_ctxs(ssns_ctx_in_net, net);
	xa_for_each(&ssns_devs, i, dev) {
		if (!net_eq(dev->net, net))
			continue;
		pr_info("%s: netns %llu going away, back to init_net\n",
			dev->name, net->net_cookie);
		ssns_dev_move(dev, &init_net);
	}
	ssns_tenant_net_exit(net);
	ssns_policy_all(&p);
	ssns_system_reap();
	mutex_unlock(&ssns_cfg_lock);
}

static struct pernet_operations ssns_net_ops = {
	.exit = ssns_net_exit,
};

int ssns_system_init(void)
{
	int err = register_pernet_subsys(&ssns_net_ops);

	if (!err)
		schedule_delayed_work(&ssns_reap_work, SSNS_REAP_PERIOD);
	return err;
}

void ssns_system_exit(void)
{
	cancel_delayed_work_sync(&ssns_reap_work);
	unregister_pernet_subsys(&ssns_net_ops);
}
