// SPDX-License-Identifier: GPL-2.0
/*
 * cxi_standin: a test-only stand-in for the client API of HPE's cxi-ss1,
 * for testing ssns's adapter without Cassini hardware (HPE's own tests use
 * an emulator that is not public). Never installed.
 *
 * It exports what an adapter calls, with cxi-ss1's names and the
 * signatures of HPE's own header <linux/hpe/cxi/cxi.h> (it is compiled
 * against it): cxi_register_client(), cxi_unregister_client() and the
 * cxi_svc_*() calls of svc.c, behaving as HPE's sources do; and, built
 * against the header of patches/hpe-cxi, cxi_admission_register() and
 * cxi_admission_unregister() (lni.c). Having the same symbols, it cannot be
 * loaded together with cxi-ss1.
 *
 * Test controls, in /sys/kernel/debug/cxi_standin/:
 *   new_device   write "ID": announce device cxiID (cxi_num ID) to the
 *                registered clients (their add callback); it comes with
 *                HPE's default service (id 1, disabled)
 *   del_device   write "ID": remove it (clients' remove callbacks, newest
 *                client first), then free its LNIs and services
 *   lni_alloc    write "DEV SVC": take an LNI on service SVC of device DEV
 *                as the writing task (its euid, egid, network namespace),
 *                failing the write with the errno cxi_lni_alloc() would
 *                return (and the admission hook's, if one is registered)
 *   lni_free     write "DEV LNI": free it
 *   devices      read: "NAME ID" a device
 *   services     read: the services of all devices (format in svc.c)
 *   lnis         read: "DEV LNI svc=SVC pid=PID netns=INUM" an LNI
 */
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "standin.h"

#define STANDIN_MAX_ID	1023

/* Devices and clients, as HPE's dev_list_mutex: held across callbacks. */
static LIST_HEAD(standin_devs);
static LIST_HEAD(standin_clients);
static DEFINE_MUTEX(standin_devs_lock);

/*
 * Serializes the test controls, so that a device does not go away under
 * an LNI being taken; not held by the client API.
 */
static DEFINE_MUTEX(standin_ctl_lock);

static struct dentry *standin_dir;

int cxi_register_client(struct cxi_client *client)
{
	struct standin_dev *sd;

	mutex_lock(&standin_devs_lock);
	list_add_tail(&client->list, &standin_clients);
	list_for_each_entry(sd, &standin_devs, node)
		if (client->add)
			client->add(&sd->cdev);
	mutex_unlock(&standin_devs_lock);
	return 0;
}
EXPORT_SYMBOL(cxi_register_client);

void cxi_unregister_client(struct cxi_client *client)
{
	struct standin_dev *sd;

	mutex_lock(&standin_devs_lock);
	list_for_each_entry_reverse(sd, &standin_devs, node)
		if (client->remove)
			client->remove(&sd->cdev);
	list_del(&client->list);
	mutex_unlock(&standin_devs_lock);
}
EXPORT_SYMBOL(cxi_unregister_client);

/* Caller holds standin_ctl_lock. */
static struct standin_dev *find_dev(const char *name, unsigned int id,
				    bool by_name)
{
	struct standin_dev *sd;

	list_for_each_entry(sd, &standin_devs, node)
		if (by_name ? !strcmp(sd->cdev.name, name) :
			      sd->cdev.cxi_num == id)
			return sd;
	return NULL;
}

/* What a Cassini 1 reports, as far as the service calls look at it. */
static void set_props(struct cxi_properties_info *prop)
{
	struct cxi_rsrc_limits *max = &prop->rsrcs;

	prop->pid_bits = C_DFA_PID_BITS_MAX;
	prop->pid_count = 1 << C_DFA_PID_BITS_MAX;
	prop->pid_granule = 1 << C_DFA_PID_BITS_MAX;
	max->ptes.max = C_NUM_PTLTES;
	max->txqs.max = C_NUM_TRANSMIT_CQS;
	max->tgqs.max = C_NUM_TARGET_CQS;
	max->eqs.max = C_NUM_EQS - 1;
	max->cts.max = C_NUM_CTS - 1;
	max->les.max = C_LPE_STS_LIST_ENTRIES_ENTRIES / C_PE_COUNT;
	max->tles.max = C_NUM_TLES;
	max->acs.max = C_NUM_ACS - 2;
}

static void dev_free(struct standin_dev *sd)
{
	standin_lni_free_all(sd);
	standin_svc_fini(sd);
	xa_destroy(&sd->lnis);
	xa_destroy(&sd->svcs);
	mutex_destroy(&sd->lock);
	kfree(sd);
}

/* Caller holds standin_ctl_lock. */
static int dev_new(unsigned int id)
{
	struct cxi_client *client;
	struct standin_dev *sd;
	int rc;

	if (id > STANDIN_MAX_ID)
		return -EINVAL;
	if (find_dev(NULL, id, false))
		return -EEXIST;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	snprintf(sd->cdev.name, sizeof(sd->cdev.name), "cxi%u", id);
	sd->cdev.cxi_num = id;
	sd->cdev.is_physfn = true;
	sd->cdev.prop.nid = id;
	set_props(&sd->cdev.prop);
	mutex_init(&sd->lock);
	xa_init_flags(&sd->svcs, XA_FLAGS_ALLOC);
	xa_init_flags(&sd->lnis, XA_FLAGS_ALLOC);
	rc = standin_svc_init(sd);
	if (rc) {
		dev_free(sd);
		return rc;
	}

	mutex_lock(&standin_devs_lock);
	list_add_tail(&sd->node, &standin_devs);
	list_for_each_entry(client, &standin_clients, list)
		if (client->add)
			client->add(&sd->cdev);
	mutex_unlock(&standin_devs_lock);
	return 0;
}

/* Caller holds standin_ctl_lock. */
static void dev_del(struct standin_dev *sd)
{
	struct cxi_client *client;

	mutex_lock(&standin_devs_lock);
	list_del(&sd->node);
	list_for_each_entry_reverse(client, &standin_clients, list)
		if (client->remove)
			client->remove(&sd->cdev);
	mutex_unlock(&standin_devs_lock);
	dev_free(sd);
}

/* Copy a short command written to a control file, without the newline. */
static ssize_t get_cmd(const char __user *ubuf, size_t len, char *buf,
		       size_t size)
{
	if (!len || len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	return 0;
}

static ssize_t new_device_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	unsigned int id;
	char buf[16];
	ssize_t rc;

	rc = get_cmd(ubuf, len, buf, sizeof(buf));
	if (!rc)
		rc = kstrtouint(buf, 10, &id);
	if (rc)
		return rc;
	mutex_lock(&standin_ctl_lock);
	rc = dev_new(id);
	mutex_unlock(&standin_ctl_lock);
	return rc ?: len;
}

static ssize_t del_device_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct standin_dev *sd;
	unsigned int id;
	char buf[16];
	ssize_t rc;

	rc = get_cmd(ubuf, len, buf, sizeof(buf));
	if (!rc)
		rc = kstrtouint(buf, 10, &id);
	if (rc)
		return rc;
	mutex_lock(&standin_ctl_lock);
	sd = find_dev(NULL, id, false);
	if (sd)
		dev_del(sd);
	mutex_unlock(&standin_ctl_lock);
	return sd ? len : -ENODEV;
}

/* "DEV N": the device named DEV and the number N. */
static ssize_t lni_cmd(const char __user *ubuf, size_t len, bool alloc)
{
	struct standin_dev *sd;
	char buf[48], *arg;
	unsigned int n;
	ssize_t rc;

	rc = get_cmd(ubuf, len, buf, sizeof(buf));
	if (rc)
		return rc;
	arg = strchr(buf, ' ');
	if (!arg)
		return -EINVAL;
	*arg++ = '\0';
	rc = kstrtouint(skip_spaces(arg), 10, &n);
	if (rc)
		return rc;

	mutex_lock(&standin_ctl_lock);
	sd = find_dev(buf, 0, true);
	if (!sd)
		rc = -ENODEV;
	else if (alloc)
		rc = standin_lni_alloc(sd, n);
	else
		rc = standin_lni_free(sd, n);
	mutex_unlock(&standin_ctl_lock);
	return rc < 0 ? rc : len;
}

static ssize_t lni_alloc_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	return lni_cmd(ubuf, len, true);
}

static ssize_t lni_free_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return lni_cmd(ubuf, len, false);
}

static int devices_show(struct seq_file *m, void *v)
{
	struct standin_dev *sd;

	mutex_lock(&standin_ctl_lock);
	list_for_each_entry(sd, &standin_devs, node)
		seq_printf(m, "%s %u\n", sd->cdev.name, sd->cdev.cxi_num);
	mutex_unlock(&standin_ctl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

static int services_show(struct seq_file *m, void *v)
{
	struct standin_dev *sd;

	mutex_lock(&standin_ctl_lock);
	list_for_each_entry(sd, &standin_devs, node)
		standin_svc_dump(sd, m);
	mutex_unlock(&standin_ctl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(services);

static int lnis_show(struct seq_file *m, void *v)
{
	struct standin_dev *sd;

	mutex_lock(&standin_ctl_lock);
	list_for_each_entry(sd, &standin_devs, node)
		standin_lni_dump(sd, m);
	mutex_unlock(&standin_ctl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lnis);

#define WO_FOPS(name)						\
static const struct file_operations name##_fops = {		\
	.owner = THIS_MODULE,					\
	.open = simple_open,					\
	.write = name##_write,					\
	.llseek = noop_llseek,					\
}

WO_FOPS(new_device);
WO_FOPS(del_device);
WO_FOPS(lni_alloc);
WO_FOPS(lni_free);

static int __init standin_init(void)
{
	standin_dir = debugfs_create_dir("cxi_standin", NULL);
	debugfs_create_file("new_device", 0200, standin_dir, NULL,
			    &new_device_fops);
	debugfs_create_file("del_device", 0200, standin_dir, NULL,
			    &del_device_fops);
	debugfs_create_file("lni_alloc", 0200, standin_dir, NULL,
			    &lni_alloc_fops);
	debugfs_create_file("lni_free", 0200, standin_dir, NULL,
			    &lni_free_fops);
	debugfs_create_file("devices", 0444, standin_dir, NULL, &devices_fops);
	debugfs_create_file("services", 0444, standin_dir, NULL,
			    &services_fops);
	debugfs_create_file("lnis", 0444, standin_dir, NULL, &lnis_fops);
	return 0;
}

static void __exit standin_exit(void)
{
	struct standin_dev *sd, *tmp;

	debugfs_remove_recursive(standin_dir);
	mutex_lock(&standin_ctl_lock);
	list_for_each_entry_safe_reverse(sd, tmp, &standin_devs, node)
		dev_del(sd);
	mutex_unlock(&standin_ctl_lock);
}

module_init(standin_init);
module_exit(standin_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only stand-in for the client API of HPE's cxi-ss1");
