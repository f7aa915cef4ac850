// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: multi-tenant isolation for cxi-style RDMA NICs.
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init ssns_init(void)
{
	pr_info("ssns: loaded\n");
	return 0;
}

static void __exit ssns_exit(void)
{
	pr_info("ssns: unloaded\n");
}

module_init(ssns_init);
module_exit(ssns_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns: tenant isolation for cxi-style RDMA NICs");
MODULE_VERSION("0.1.0");
