// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: a simulated cxi-style NIC for ssns.
 *
 * Devices live on the "ssns_sim" bus and are created and removed at run
 * time, like netdevsim's:
 *
 *   echo "ID [NAME [RATE]]" > /sys/bus/ssns_sim/new_device
 *   echo "ID" > /sys/bus/ssns_sim/del_device
 *
 * ID is the bus device number (ssns_simID); NAME, by default "cxi%d", is
 * the name of the device in the core and of its char device /dev/NAME;
 * RATE, the rate of its link ("10gbit", iproute2's units; 0, the default:
 * as fast as the copy goes, no shaping of its own). A new device belongs
 * to the network namespace of the writer. The module parameter "devices"
 * creates devices 0..N-1 in init_net at load.
 *
 * Each device exposes, in /sys/bus/ssns_sim/devices/ssns_simID/, "cxi_name"
 * (its name in the core), "dev_index" (its fabric address) and
 * "link_rate" (bit/s; writable, in the same units as RATE).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include "sim.h"

static unsigned int devices;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "number of devices to create in init_net at load (0..64)");

#define SIM_DEVICES_MAX	64

static LIST_HEAD(sim_devs);
static DEFINE_MUTEX(sim_devs_lock);	/* sim_devs, sim_enabled */
static bool sim_enabled;

static struct sim_dev *sim_to_dev(struct device *dev)
{
	return container_of(dev, struct sim_dev, dev);
}

static ssize_t cxi_name_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct sim_dev *sd = sim_to_dev(dev);

	/* Pairs with smp_store_release() in sim_dev_new(). */
	if (!smp_load_acquire(&sd->core))
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", sd->name);
}
static DEVICE_ATTR_RO(cxi_name);

static ssize_t dev_index_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct sim_dev *sd = sim_to_dev(dev);

	/* Pairs with smp_store_release() in sim_dev_new(). */
	if (!smp_load_acquire(&sd->core))
		return -ENODEV;
	return sysfs_emit(buf, "%u\n", sd->index);
}
static DEVICE_ATTR_RO(dev_index);

static ssize_t link_rate_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", sim_bw_link(sim_to_dev(dev)));
}

static ssize_t link_rate_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	char tmp[32];
	u64 rate;
	int err;

	if (count >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	err = sim_parse_rate(strim(tmp), &rate);
	if (!err)
		err = sim_bw_set_link(sim_to_dev(dev), rate);
	return err ? err : count;
}
static DEVICE_ATTR_RW(link_rate);

static struct attribute *sim_dev_attrs[] = {
	&dev_attr_cxi_name.attr,
	&dev_attr_dev_index.attr,
	&dev_attr_link_rate.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sim_dev);

/* Caller holds sim_devs_lock. */
static struct sim_dev *sim_find(u32 id)
{
	struct sim_dev *sd;

	list_for_each_entry(sd, &sim_devs, node)
		if (sd->dev.id == id)
			return sd;
	return NULL;
}

static int sim_add(u32 id, const char *name, u64 link_rate, struct net *net)
{
	struct sim_dev *sd;

	lockdep_assert_held(&sim_devs_lock);
	if (!sim_enabled)
		return -ENODEV;
	if (sim_find(id))
		return -EEXIST;
	sd = sim_dev_new(id, name, link_rate, net);
	if (IS_ERR(sd))
		return PTR_ERR(sd);
	list_add_tail(&sd->node, &sim_devs);
	return 0;
}

/*
 * Parse "ID [NAME [RATE]]": ID a decimal up to INT_MAX, NAME without
 * blanks, RATE a rate (sim_parse_rate()).
 */
static int sim_parse(const char *buf, size_t count, u32 *id, char *name,
		     size_t name_size, u64 *rate, bool want_name)
{
	char tmp[64], *s, *tok, *r;
	unsigned int v;
	int err;

	if (count >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	s = strim(tmp);

	tok = strsep(&s, " \t");
	if (!tok || kstrtouint(tok, 10, &v) || v > INT_MAX)
		return -EINVAL;
	*id = v;

	s = s ? skip_spaces(s) : NULL;
	if (!want_name)
		return s && *s ? -EINVAL : 0;
	*rate = 0;
	if (!s || !*s) {
		strscpy(name, "cxi%d", name_size);
		return 0;
	}
	tok = strsep(&s, " \t");
	r = s ? skip_spaces(s) : NULL;
	if (r && *r) {
		if (strpbrk(r, " \t"))
			return -EINVAL;
		err = sim_parse_rate(r, rate);
		if (err)
			return err;
	}
	if (strpbrk(tok, "\n/"))
		return -EINVAL;
	if (strscpy(name, tok, name_size) < 0)
		return -ENAMETOOLONG;
	return 0;
}

static ssize_t new_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	char name[SSNS_NAME_MAX];
	u64 rate;
	u32 id;
	int err;

	err = sim_parse(buf, count, &id, name, sizeof(name), &rate, true);
	if (err)
		return err;

	mutex_lock(&sim_devs_lock);
	err = sim_add(id, name, rate, current->nsproxy->net_ns);
	mutex_unlock(&sim_devs_lock);
	return err ? err : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	struct sim_dev *sd;
	u32 id;
	int err;

	err = sim_parse(buf, count, &id, NULL, 0, NULL, false);
	if (err)
		return err;

	mutex_lock(&sim_devs_lock);
	sd = sim_enabled ? sim_find(id) : NULL;
	if (sd) {
		list_del(&sd->node);
		sim_dev_del(sd);
	}
	mutex_unlock(&sim_devs_lock);
	return sd ? count : -ENOENT;
}
static BUS_ATTR_WO(del_device);

static struct attribute *sim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sim_bus);

struct bus_type sim_bus = {
	.name		= SIM_DRV_NAME,
	.dev_name	= SIM_DRV_NAME,
	.bus_groups	= sim_bus_groups,
	.dev_groups	= sim_dev_groups,
};

static void sim_del_all(void)
{
	struct sim_dev *sd, *tmp;

	mutex_lock(&sim_devs_lock);
	sim_enabled = false;
	list_for_each_entry_safe(sd, tmp, &sim_devs, node) {
		list_del(&sd->node);
		sim_dev_del(sd);
	}
	mutex_unlock(&sim_devs_lock);
}

static int __init ssns_sim_init(void)
{
	unsigned int i;
	int err;

	if (devices > SIM_DEVICES_MAX) {
		pr_err("ssns_sim: devices=%u is above %u\n", devices,
		       SIM_DEVICES_MAX);
		return -EINVAL;
	}

	sim_debugfs_init();
	err = bus_register(&sim_bus);
	if (err)
		goto err_debugfs;

	mutex_lock(&sim_devs_lock);
	sim_enabled = true;
	for (i = 0; i < devices && !err; i++)
		err = sim_add(i, "cxi%d", 0, &init_net);
	mutex_unlock(&sim_devs_lock);
	if (err) {
		pr_err("ssns_sim: cannot create device %u: %d\n", i - 1, err);
		goto err_bus;
	}
	return 0;

err_bus:
	sim_del_all();
	bus_unregister(&sim_bus);
err_debugfs:
	sim_debugfs_exit();
	return err;
}

static void __exit ssns_sim_exit(void)
{
	sim_del_all();
	bus_unregister(&sim_bus);
	sim_debugfs_exit();
}

module_init(ssns_sim_init);
module_exit(ssns_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns_sim: simulated cxi-style NIC");
MODULE_VERSION("0.1.0");
