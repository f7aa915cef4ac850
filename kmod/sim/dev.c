// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: life of one simulated NIC, its debugfs knobs and counters.
 *
 * debugfs, per device, under /sys/kernel/debug/ssns_sim/<name>/:
 *
 *   fail_open       number of next opens of /dev/<name> to fail
 *   fail_ep_alloc   number of next SSNS_SIM_IOC_EP_ALLOC calls to fail
 *   fail_send       number of next SSNS_SIM_IOC_SEND and _WRITE calls to fail
 *   fail_recv       number of next SSNS_SIM_IOC_RECV calls to fail
 *   fail_errno      positive errno those calls fail with (default EIO;
 *                   0 or a value above MAX_ERRNO also means EIO)
 *   stats           tx_msgs, rx_msgs, drops, tx_busy, purged and tx_shaped
 *                   counters (read only)
 *
 * Each fail_* count goes down by one per failed call; a failing call has no
 * other effect (nothing allocated, nothing sent, nothing consumed).
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "sim.h"

static unsigned int max_addr = 255;
module_param(max_addr, uint, 0444);
MODULE_PARM_DESC(max_addr, "highest endpoint address of new devices (0..65535, default 255)");

static unsigned int rxq_depth = 64;
module_param(rxq_depth, uint, 0444);
MODULE_PARM_DESC(rxq_depth, "messages an endpoint can queue (1..4096, default 64)");

static DEFINE_IDA(sim_ids);
static struct dentry *sim_debugfs_root;

/* The fabric: core device index -> sim_dev, for every registered device. */
static DEFINE_XARRAY(sim_fabric);

/*
 * The device at fabric address @index, or NULL. Caller holds
 * rcu_read_lock(); the result is valid until rcu_read_unlock().
 */
struct sim_dev *sim_fabric_dev_rcu(u32 index)
{
	return xa_load(&sim_fabric, index);
}

int sim_fault(struct sim_dev *sd, enum sim_fault op)
{
	u32 err;

	if (atomic_dec_if_positive(&sd->fail[op]) < 0)
		return 0;
	err = READ_ONCE(sd->fail_errno);
	if (!err || err > MAX_ERRNO)
		err = EIO;
	return -(int)err;
}

static int sim_stats_show(struct seq_file *m, void *unused)
{
	struct sim_dev *sd = m->private;

	seq_printf(m, "tx_msgs %lld\n", atomic64_read(&sd->tx_msgs));
	seq_printf(m, "rx_msgs %lld\n", atomic64_read(&sd->rx_msgs));
	seq_printf(m, "drops %lld\n", atomic64_read(&sd->drops));
	seq_printf(m, "tx_busy %lld\n", atomic64_read(&sd->tx_busy));
	seq_printf(m, "purged %lld\n", atomic64_read(&sd->purged));
	seq_printf(m, "tx_shaped %lld\n", atomic64_read(&sd->tx_shaped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_stats);

static void sim_dev_debugfs_add(struct sim_dev *sd)
{
	struct dentry *d;

	if (!sim_debugfs_root)
		return;
	d = debugfs_create_dir(sd->name, sim_debugfs_root);
	if (IS_ERR(d))
		return;
	sd->ddir = d;
	debugfs_create_atomic_t("fail_open", 0600, d,
				&sd->fail[SIM_FAULT_OPEN]);
	debugfs_create_atomic_t("fail_ep_alloc", 0600, d,
				&sd->fail[SIM_FAULT_EP_ALLOC]);
	debugfs_create_atomic_t("fail_send", 0600, d,
				&sd->fail[SIM_FAULT_SEND]);
	debugfs_create_atomic_t("fail_recv", 0600, d,
				&sd->fail[SIM_FAULT_RECV]);
	debugfs_create_u32("fail_errno", 0600, d, &sd->fail_errno);
	debugfs_create_file("stats", 0400, d, sd, &sim_stats_fops);
}

static void sim_dev_release(struct device *dev)
{
	struct sim_dev *sd = container_of(dev, struct sim_dev, dev);

	/* Every context was revoked: no endpoint is left. */
	sim_dev_free_vnis(sd);
	sim_bw_fini(sd);
	kfree(sd);
}

/*
 * Create device @id on the bus and register it with the core in @net.
 * @name may hold one "%d" for the core to number; @link_rate is its
 * link's rate in bit/s (0: as fast as the copy goes). Caller holds
 * sim_devs_lock.
 */
struct sim_dev *sim_dev_new(u32 id, const char *name, u64 link_rate,
			    struct net *net)
{
	struct ssns_dev_desc desc = {};
	struct ssns_dev *core;
	struct sim_dev *sd;
	int err;

	if (!max_addr || max_addr > 0xffff || !rxq_depth || rxq_depth > 4096)
		return ERR_PTR(-EINVAL);
	if (strnlen(name, SSNS_NAME_MAX) >= SSNS_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if (link_rate && (link_rate < SSNS_BW_RATE_MIN ||
			  link_rate > SSNS_BW_RATE_MAX))
		return ERR_PTR(-ERANGE);

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);

	err = ida_alloc_range(&sim_ids, id, id, GFP_KERNEL);
	if (err < 0) {
		kfree(sd);
		return ERR_PTR(err == -ENOSPC ? -EEXIST : err);
	}

	strscpy(sd->req_name, name, sizeof(sd->req_name));
	sd->max_addr = max_addr;
	sd->rxq_depth = rxq_depth;
	sd->fail_errno = EIO;
	xa_init(&sd->vnis);
	sim_bw_init(sd, link_rate);
	INIT_LIST_HEAD(&sd->node);
	sd->dev.id = id;
	sd->dev.bus = &sim_bus;
	sd->dev.release = sim_dev_release;
	device_initialize(&sd->dev);
	/*
	 * Named here rather than by the bus's dev_name: device_add() turns a
	 * name it could not allocate into EINVAL, this keeps it ENOMEM.
	 */
	err = dev_set_name(&sd->dev, "%s%u", SIM_DRV_NAME, id);
	if (!err)
		err = device_add(&sd->dev);
	if (err) {
		put_device(&sd->dev);
		ida_free(&sim_ids, id);
		return ERR_PTR(err);
	}

	desc.name = sd->req_name;
	desc.provider = SIM_DRV_NAME;
	desc.owner = THIS_MODULE;
	desc.parent = &sd->dev;
	desc.net = net;
	desc.ops = &sim_dev_ops;
	desc.cdev_ops = &sim_cdev_ops;
	desc.counters = sim_counter_names;
	desc.nr_counters = sim_nr_counters;
	desc.priv = sd;
	core = ssns_dev_register(&desc);
	if (IS_ERR(core)) {
		device_unregister(&sd->dev);
		ida_free(&sim_ids, id);
		return ERR_CAST(core);
	}
	sd->index = ssns_dev_index(core);
	strscpy(sd->name, ssns_dev_name(core), sizeof(sd->name));
	/* Paired with the acquire of the sysfs show functions. */
	smp_store_release(&sd->core, core);
	/* Shaping on when it has a link rate, or ceilings apply already. */
	sim_bw_policy(sd);

	err = xa_insert(&sim_fabric, sd->index, sd, GFP_KERNEL);
	if (err) {
		ssns_dev_unregister(core);
		device_unregister(&sd->dev);
		ida_free(&sim_ids, id);
		return ERR_PTR(err);
	}
	sim_dev_debugfs_add(sd);
	return sd;
}

/* Remove a device: revokes its open files (they fail with ENODEV). */
void sim_dev_del(struct sim_dev *sd)
{
	u32 id = sd->dev.id;

	/* No new message can reach the device... */
	xa_erase(&sim_fabric, sd->index);
	/* ...nor can a sender still hold it from sim_fabric_dev_rcu()... */
	synchronize_rcu();
	/* ...and every context is revoked, its endpoints released. */
	ssns_dev_unregister(sd->core);
	debugfs_remove_recursive(sd->ddir);
	sd->ddir = NULL;
	device_unregister(&sd->dev);
	ida_free(&sim_ids, id);
}

int sim_debugfs_init(void)
{
	struct dentry *d = debugfs_create_dir(SIM_DRV_NAME, NULL);

	/* debugfs is optional: knobs are simply missing without it. */
	sim_debugfs_root = IS_ERR(d) ? NULL : d;
	return 0;
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim_debugfs_root);
	sim_debugfs_root = NULL;
	WARN_ON(!xa_empty(&sim_fabric));
	ida_destroy(&sim_ids);
}
