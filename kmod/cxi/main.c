// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_cxi: the ssns provider for HPE's cxi driver.
 *
 * A cxi client (cxi_register_client()): each cxi device HPE announces
 * becomes an ssns device of the same name, whose device node stays HPE's
 * /dev/cxiN. ssns's policy is mirrored into HPE's services (svc.c); with a
 * driver carrying the admission hook of patches/hpe-cxi, ssns also admits
 * every LNI, domain and communication profile itself (hook.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/device.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "ssns_cxi.h"

/* The devices; readers: the hook; writers: HPE's add/remove callbacks. */
DECLARE_RWSEM(scx_devs_lock);
static LIST_HEAD(scx_devs);

/* Parent of the ssns devices of cxi devices without a PCI device. */
static struct device *scx_root;

static const char *const scx_counter_names[] = {
	"svc_alloc",		/* services made */
	"svc_destroy",		/* services destroyed */
	"svc_busy",		/* retirements refused while held by LNIs */
	"svc_errors",		/* services that could not be made */
	"lni_admit",		/* LNIs the hook admitted */
	"lni_deny",		/* LNIs the hook refused */
};

static void scx_counters(struct ssns_dev *sdev, u64 *values)
{
	struct scx_dev *sd = ssns_dev_priv(sdev);

	values[0] = atomic64_read(&sd->svc_alloc);
	values[1] = atomic64_read(&sd->svc_destroy);
	values[2] = atomic64_read(&sd->svc_busy);
	values[3] = atomic64_read(&sd->svc_errors);
	values[4] = atomic64_read(&sd->lni_admit);
	values[5] = atomic64_read(&sd->lni_deny);
}

static void scx_policy(struct ssns_dev *sdev, const struct ssns_policy *change)
{
	struct scx_dev *sd = ssns_dev_priv(sdev);

	/* HPE has no notion of cgroups: nothing to mirror for them. */
	if ((change->type == SSNS_POLICY_MEMBER_ADD ||
	     change->type == SSNS_POLICY_MEMBER_DEL) && change->cgroup_id)
		return;
	scx_sync(sd, change);
}

static int scx_member_services(struct ssns_dev *sdev, u64 net_cookie,
			       u32 *ids, unsigned int max)
{
	return scx_svc_info(ssns_dev_priv(sdev), net_cookie, ids, max);
}

static const struct ssns_dev_ops scx_dev_ops = {
	.counters = scx_counters,
	.policy = scx_policy,
	.member_services = scx_member_services,
};

/* Caller holds scx_devs_lock. */
struct scx_dev *scx_find(const struct cxi_dev *cdev)
{
	struct scx_dev *sd;

	list_for_each_entry(sd, &scx_devs, node)
		if (sd->cdev == cdev)
			return sd;
	return NULL;
}

static void scx_free(struct scx_dev *sd)
{
	xa_destroy(&sd->vni_tcs);
	xa_destroy(&sd->lnis);
	mutex_destroy(&sd->lock);
	kfree(sd);
}

/* HPE's add callback: a new cxi device. */
static int scx_add(struct cxi_dev *cdev)
{
	struct ssns_dev_desc desc = {
		.name = cdev->name,
		.provider = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.parent = cdev->pdev ? &cdev->pdev->dev : scx_root,
		.ops = &scx_dev_ops,
		.counters = scx_counter_names,
		.nr_counters = ARRAY_SIZE(scx_counter_names),
	};
	struct scx_dev *sd;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->cdev = cdev;
	mutex_init(&sd->lock);
	INIT_LIST_HEAD(&sd->svcs);
	INIT_LIST_HEAD(&sd->reap);
	INIT_DELAYED_WORK(&sd->reap_work, scx_reap_work);
	xa_init(&sd->vni_tcs);
	xa_init(&sd->lnis);
	snprintf(sd->devnode, sizeof(sd->devnode), "/dev/%s", cdev->name);
	desc.devnode = sd->devnode;
	desc.priv = sd;

	if (!cdev->is_physfn) {
		/* A VF: HPE lets only the PF manage services. */
		pr_info("%s: a virtual function, not managed\n", cdev->name);
		scx_free(sd);
		return 0;
	}

	/*
	 * The device has no profile yet, so no service to make: the policy
	 * reaches it from the first profile on.
	 */
	sd->sdev = ssns_dev_register(&desc);
	if (IS_ERR(sd->sdev)) {
		int err = PTR_ERR(sd->sdev);

		pr_err("%s: cannot register with ssns: %d\n", cdev->name, err);
		scx_free(sd);
		return err;
	}
	down_write(&scx_devs_lock);
	list_add_tail(&sd->node, &scx_devs);
	up_write(&scx_devs_lock);
	pr_info("%s: registered with ssns (device node %s)\n", cdev->name,
		sd->devnode);
	return 0;
}

/* HPE's remove callback: the device goes, with its services and LNIs. */
static void scx_remove(struct cxi_dev *cdev)
{
	struct scx_dev *sd;

	down_write(&scx_devs_lock);
	sd = scx_find(cdev);
	if (sd)
		list_del(&sd->node);
	up_write(&scx_devs_lock);
	if (!sd)
		return;

	/* No ->policy() after this; contexts of the hook are revoked. */
	ssns_dev_unregister(sd->sdev);
	mutex_lock(&sd->lock);
	sd->gone = true;
	mutex_unlock(&sd->lock);
	cancel_delayed_work_sync(&sd->reap_work);
	scx_svc_fini(sd);
	scx_hook_dev_gone(sd);
	pr_info("%s: unregistered\n", cdev->name);
	scx_free(sd);
}

static struct cxi_client scx_client = {
	.add = scx_add,
	.remove = scx_remove,
};

static int __init scx_init(void)
{
	struct scx_dev *sd;
	unsigned int n = 0;
	int err;

	scx_root = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(scx_root))
		return PTR_ERR(scx_root);
	err = cxi_register_client(&scx_client);
	if (err) {
		root_device_unregister(scx_root);
		return err;
	}
	down_read(&scx_devs_lock);
	list_for_each_entry(sd, &scx_devs, node)
		n++;
	up_read(&scx_devs_lock);
	if (!n)
		pr_info("registered as a cxi client: no cxi device yet\n");
	else
		pr_info("registered as a cxi client: %u cxi device(s)\n", n);

	err = scx_hook_init();
	if (err) {
		cxi_unregister_client(&scx_client);
		root_device_unregister(scx_root);
	}
	return err;
}

static void __exit scx_exit(void)
{
	scx_hook_exit();
	cxi_unregister_client(&scx_client);
	root_device_unregister(scx_root);
}

module_init(scx_init);
module_exit(scx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns provider for HPE's cxi driver: services, admission");
MODULE_SOFTDEP("pre: ssns");
