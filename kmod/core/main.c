// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: multi-tenant isolation for cxi-style RDMA NICs.
 *
 * Module entry: the configuration lock and the order in which the parts
 * come up and go down. Providers (ssns_sim...) use this module's symbols,
 * so it cannot be unloaded while a provider, and thus a device, exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/init.h>
#include "nl.h"

/* Serializes configuration: see core.h. */
DEFINE_MUTEX(ssns_cfg_lock);

static int __init ssns_init(void)
{
	int err;

	/* Netns cookies are used as xarray indexes. */
	BUILD_BUG_ON(sizeof(unsigned long) < sizeof(u64));

	err = ssns_tenant_cache_init();
	if (err)
		return err;
	err = ssns_chardev_init();
	if (err)
		goto err_cache;
	err = ssns_dev_init();
	if (err)
		goto err_chardev;
	err = ssns_system_init();
	if (err)
		goto err_dev;
	err = ssns_netlink_init();
	if (err)
		goto err_system;
	pr_info("loaded, version %s, rdma cgroup accounting %s\n",
		SSNS_VERSION, ssns_cg_active() ? "on" : "off");
	return 0;

err_system:
	ssns_system_exit();
err_dev:
	ssns_dev_exit();
err_chardev:
	ssns_chardev_exit();
err_cache:
	ssns_tenant_cache_exit();
	return err;
}

static void __exit ssns_exit(void)
{
	ssns_netlink_exit();
	ssns_system_exit();
	ssns_tenants_exit();
	ssns_dev_exit();
	ssns_chardev_exit();
	/* Objects freed by call_rcu() must be gone before the code is. */
	rcu_barrier();
	ssns_tenant_cache_exit();
	pr_info("unloaded\n");
}

module_init(ssns_init);
module_exit(ssns_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns: tenant isolation for cxi-style RDMA NICs");
MODULE_VERSION(SSNS_VERSION);
