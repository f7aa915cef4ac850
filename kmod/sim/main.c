// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: a simulated cxi-style NIC for ssns.
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init ssns_sim_init(void)
{
	pr_info("ssns_sim: loaded\n");
	return 0;
}

static void __exit ssns_sim_exit(void)
{
	pr_info("ssns_sim: unloaded\n");
}

module_init(ssns_sim_init);
module_exit(ssns_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns_sim: simulated cxi-style NIC");
MODULE_VERSION("0.1.0");
