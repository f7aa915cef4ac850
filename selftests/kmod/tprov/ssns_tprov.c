// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_tprov: a test provider that has a device node of its own
 * (/dev/ssns_tprov, a misc device) and uses only the core's authority
 * calls, as an adapter for a real driver does. It proves the provider
 * boundary: contexts, authorize/commit/abort/release, revocation, policy
 * notifications and named counters, with no char-device helper.
 *
 * Not installed: selftests load it by path. devices=N registers tp0..
 * tpN-1 in init_net; debugfs ssns_tprov/policy lists the policy changes
 * each device was told of, one a line, oldest first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <ssns_provider.h>
#include "ssns_tprov.h"

static unsigned int devices = 2;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "devices to register (1..8, default 2)");

#define TP_MAX_DEVS	8
#define TP_LOG_LINES	512
#define TP_LOG_LEN	96

struct tp_dev {
	struct ssns_dev *core;
	struct mutex lock;		/* addrs */
	struct xarray addrs;		/* VNI -> value: bitmap of taken */
	atomic64_t allocs;
	atomic64_t frees;
};

struct tp_ep {
	struct ssns_ep ep;
	struct list_head node;
	struct rcu_head rcu;
};

struct tp_file {
	struct mutex lock;		/* ctx, eps, revoked */
	struct tp_dev *td;
	struct ssns_ctx *ctx;
	struct list_head eps;
	bool revoked;
};

static struct device *tp_parent;
static struct tp_dev tp_devs[TP_MAX_DEVS];
static unsigned int tp_nr_devs;
static struct dentry *tp_debugfs;

static DEFINE_MUTEX(tp_log_lock);
static char tp_log[TP_LOG_LINES][TP_LOG_LEN];
static unsigned int tp_log_next;

static __printf(1, 2) void tp_logf(const char *fmt, ...)
{
	va_list args;

	mutex_lock(&tp_log_lock);
	va_start(args, fmt);
	vscnprintf(tp_log[tp_log_next % TP_LOG_LINES], TP_LOG_LEN, fmt, args);
	va_end(args);
	tp_log_next++;
	mutex_unlock(&tp_log_lock);
}

static int tp_log_show(struct seq_file *m, void *unused)
{
	unsigned int i, first;

	mutex_lock(&tp_log_lock);
	first = tp_log_next > TP_LOG_LINES ? tp_log_next - TP_LOG_LINES : 0;
	for (i = first; i < tp_log_next; i++)
		seq_printf(m, "%s\n", tp_log[i % TP_LOG_LINES]);
	mutex_unlock(&tp_log_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tp_log);

/* ---- addresses (admission rule 5) ---- */

static int tp_addr_take(struct tp_dev *td, u16 vni, u32 *addr)
{
	unsigned long bits;
	u32 a;
	int err;

	mutex_lock(&td->lock);
	bits = xa_to_value(xa_load(&td->addrs, vni) ?: xa_mk_value(0));
	if (*addr == SSNS_PID_ANY) {
		a = find_first_zero_bit(&bits, TPROV_MAX_ADDR + 1);
		err = a > TPROV_MAX_ADDR ? -ENOSPC : 0;
	} else {
		a = *addr;
		err = a > TPROV_MAX_ADDR ? -EINVAL :
		      test_bit(a, &bits) ? -EADDRINUSE : 0;
	}
	if (!err) {
		__set_bit(a, &bits);
		err = xa_err(xa_store(&td->addrs, vni, xa_mk_value(bits),
				      GFP_KERNEL));
		if (!err)
			*addr = a;
	}
	mutex_unlock(&td->lock);
	return err;
}

static void tp_addr_put(struct tp_dev *td, u16 vni, u32 addr)
{
	unsigned long bits;

	mutex_lock(&td->lock);
	bits = xa_to_value(xa_load(&td->addrs, vni) ?: xa_mk_value(0));
	__clear_bit(addr, &bits);
	if (bits)
		xa_store(&td->addrs, vni, xa_mk_value(bits), GFP_KERNEL);
	else
		xa_erase(&td->addrs, vni);
	mutex_unlock(&td->lock);
}

static void tp_ep_release(struct tp_file *tf, struct tp_ep *e)
{
	list_del(&e->node);
	tp_addr_put(tf->td, e->ep.vni, e->ep.addr);
	ssns_ep_release(&e->ep);
	atomic64_inc(&tf->td->frees);
	kfree_rcu(e, rcu);
}

/* ---- the context's holder ---- */

static void tp_release_all(struct tp_file *tf)
{
	struct tp_ep *e, *tmp;

	list_for_each_entry_safe(e, tmp, &tf->eps, node)
		tp_ep_release(tf, e);
}

/* Called by the core (configuration lock held): stop, release. */
static void tp_revoke(struct ssns_ctx *ctx)
{
	struct tp_file *tf = ssns_ctx_holder(ctx);

	mutex_lock(&tf->lock);
	tf->revoked = true;
	tp_release_all(tf);
	mutex_unlock(&tf->lock);
}

static const struct ssns_ctx_ops tp_ctx_ops = {
	.revoke = tp_revoke,
};

static long tp_bind(struct tp_file *tf, void __user *uarg)
{
	struct ssns_ctx *ctx;
	struct tprov_bind b;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b.reserved)
		return -EINVAL;
	if (b.dev_index >= TP_MAX_DEVS)
		return -ENODEV;
	/* Not under tf->lock: creation takes the configuration lock. */
	ctx = NULL;
	for (unsigned int i = 0; i < tp_nr_devs; i++)
		if (ssns_dev_index(tp_devs[i].core) == b.dev_index)
			ctx = ssns_ctx_create(tp_devs[i].core, &tp_ctx_ops, tf);
	if (!ctx)
		return -ENODEV;
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mutex_lock(&tf->lock);
	if (tf->ctx) {
		mutex_unlock(&tf->lock);
		ssns_ctx_destroy(ctx);
		return -EBUSY;
	}
	tf->ctx = ctx;
	tf->td = ssns_dev_priv(ssns_ctx_dev(ctx));
	mutex_unlock(&tf->lock);
	return 0;
}

static long tp_ep_alloc(struct tp_file *tf, void __user *uarg)
{
	struct tprov_ep a;
	struct tp_ep *e;
	u32 addr;
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.reserved || a.vni > 0xffff || a.tc > 0xff)
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	mutex_lock(&tf->lock);
	err = -ENOTCONN;
	if (!tf->ctx)
		goto out_free;
	err = -ENODEV;
	if (tf->revoked)
		goto out_free;
	err = ssns_ep_authorize(tf->ctx, &e->ep, a.vni, a.tc, a.addr);
	if (err)
		goto out_free;
	addr = a.addr;
	err = tp_addr_take(tf->td, a.vni, &addr);
	if (err) {
		ssns_ep_abort(&e->ep, err, a.addr);
		goto out_free;
	}
	err = ssns_ep_commit(&e->ep, addr);
	if (err) {
		tp_addr_put(tf->td, a.vni, addr);
		ssns_ep_abort(&e->ep, err, a.addr);
		goto out_free;
	}
	list_add_tail(&e->node, &tf->eps);
	atomic64_inc(&tf->td->allocs);
	mutex_unlock(&tf->lock);
	a.addr = addr;
	return copy_to_user(uarg, &a, sizeof(a)) ? -EFAULT : 0;

out_free:
	mutex_unlock(&tf->lock);
	kfree(e);
	return err;
}

static long tp_ep_free(struct tp_file *tf, void __user *uarg)
{
	struct tprov_ep a;
	struct tp_ep *e;
	int err = -ENOENT;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	mutex_lock(&tf->lock);
	if (tf->revoked) {
		err = -ENODEV;
		goto out;
	}
	list_for_each_entry(e, &tf->eps, node) {
		if (e->ep.vni == a.vni && e->ep.addr == a.addr) {
			tp_ep_release(tf, e);
			err = 0;
			break;
		}
	}
out:
	mutex_unlock(&tf->lock);
	return err;
}

static long tp_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tp_file *tf = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	switch (cmd) {
	case TPROV_IOC_BIND:
		return tp_bind(tf, uarg);
	case TPROV_IOC_EP_ALLOC:
		return tp_ep_alloc(tf, uarg);
	case TPROV_IOC_EP_FREE:
		return tp_ep_free(tf, uarg);
	case TPROV_IOC_REVOKED:
		mutex_lock(&tf->lock);
		ret = !tf->ctx ? -ENOTCONN : tf->revoked;
		mutex_unlock(&tf->lock);
		return ret;
	default:
		return -ENOTTY;
	}
}

static int tp_open(struct inode *inode, struct file *file)
{
	struct tp_file *tf = kzalloc(sizeof(*tf), GFP_KERNEL);

	if (!tf)
		return -ENOMEM;
	mutex_init(&tf->lock);
	INIT_LIST_HEAD(&tf->eps);
	file->private_data = tf;
	return nonseekable_open(inode, file);
}

static int tp_release(struct inode *inode, struct file *file)
{
	struct tp_file *tf = file->private_data;

	mutex_lock(&tf->lock);
	tp_release_all(tf);
	mutex_unlock(&tf->lock);
	if (tf->ctx)
		ssns_ctx_destroy(tf->ctx);
	mutex_destroy(&tf->lock);
	kfree(tf);
	return 0;
}

static const struct file_operations tp_fops = {
	.owner		= THIS_MODULE,
	.open		= tp_open,
	.release	= tp_release,
	.unlocked_ioctl	= tp_ioctl,
	.llseek		= no_llseek,
};

static struct miscdevice tp_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ssns_tprov",
	.fops	= &tp_fops,
	.mode	= 0666,
};

/* ---- the device's callbacks ---- */

static const char *const tp_counter_names[] = { "allocs", "frees" };

static void tp_counters(struct ssns_dev *dev, u64 *values)
{
	struct tp_dev *td = ssns_dev_priv(dev);

	values[0] = atomic64_read(&td->allocs);
	values[1] = atomic64_read(&td->frees);
}

static void tp_policy(struct ssns_dev *dev, const struct ssns_policy *p)
{
	const char *name = ssns_dev_name(dev);
	const char *t = p->tenant ? ssns_tenant_name(p->tenant) : "-";

	switch (p->type) {
	case SSNS_POLICY_MODE:
		tp_logf("%s: mode %u", name, p->mode);
		break;
	case SSNS_POLICY_DEV_MOVE:
		tp_logf("%s: move %s from %llu", name,
			ssns_dev_name(p->dev), p->old_net->net_cookie);
		break;
	case SSNS_POLICY_MEMBER_ADD:
	case SSNS_POLICY_MEMBER_DEL:
		tp_logf("%s: member_%s %s %s %llu", name,
			p->type == SSNS_POLICY_MEMBER_ADD ? "add" : "del", t,
			p->cgroup_id ? "cgroup" : "netns",
			p->cgroup_id ?: p->net_cookie);
		break;
	case SSNS_POLICY_PROFILE_ADD:
	case SSNS_POLICY_PROFILE_DEL:
		tp_logf("%s: profile_%s %s vni %u tc %u tenant %s", name,
			p->type == SSNS_POLICY_PROFILE_ADD ? "add" : "del",
			ssns_dev_name(p->dev), p->vni, p->tc, t);
		break;
	case SSNS_POLICY_NETNS_EXIT:
		tp_logf("%s: netns_exit %llu", name, p->net_cookie);
		break;
	case SSNS_POLICY_BW:
		tp_logf("%s: bw %s dev %s", name, t,
			p->dev ? ssns_dev_name(p->dev) : "*");
		break;
	}
}

static const struct ssns_dev_ops tp_dev_ops = {
	.counters	= tp_counters,
	.policy		= tp_policy,
};

static void tp_unregister_all(void)
{
	while (tp_nr_devs) {
		struct tp_dev *td = &tp_devs[--tp_nr_devs];

		ssns_dev_unregister(td->core);
		WARN_ON(!xa_empty(&td->addrs));
		xa_destroy(&td->addrs);
	}
}

static int __init tp_init(void)
{
	struct ssns_dev_desc desc = {
		.name = "tp%d", .provider = "ssns_tprov", .owner = THIS_MODULE,
		.ops = &tp_dev_ops, .devnode = "/dev/ssns_tprov",
		.counters = tp_counter_names,
		.nr_counters = ARRAY_SIZE(tp_counter_names),
	};
	struct ssns_dev *core;
	int err;

	if (!devices || devices > TP_MAX_DEVS)
		return -EINVAL;
	tp_parent = root_device_register("ssns_tprov");
	if (IS_ERR(tp_parent))
		return PTR_ERR(tp_parent);
	desc.parent = tp_parent;
	tp_debugfs = debugfs_create_dir("ssns_tprov", NULL);
	debugfs_create_file("policy", 0400, tp_debugfs, NULL, &tp_log_fops);
	err = misc_register(&tp_misc);
	if (err)
		goto err_parent;
	for (; tp_nr_devs < devices; tp_nr_devs++) {
		struct tp_dev *td = &tp_devs[tp_nr_devs];

		mutex_init(&td->lock);
		xa_init(&td->addrs);
		desc.priv = td;
		core = ssns_dev_register(&desc);
		if (IS_ERR(core)) {
			err = PTR_ERR(core);
			goto err_devs;
		}
		td->core = core;
	}
	return 0;

err_devs:
	tp_unregister_all();
	misc_deregister(&tp_misc);
err_parent:
	debugfs_remove_recursive(tp_debugfs);
	root_device_unregister(tp_parent);
	return err;
}

static void __exit tp_exit(void)
{
	/* Revokes every context: no file calls into the core after this. */
	tp_unregister_all();
	misc_deregister(&tp_misc);
	debugfs_remove_recursive(tp_debugfs);
	root_device_unregister(tp_parent);
}

module_init(tp_init);
module_exit(tp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ssns_tprov: test provider with a device node of its own");
