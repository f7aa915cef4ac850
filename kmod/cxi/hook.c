// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_cxi: full ssns admission through the admission hook of
 * patches/hpe-cxi (cxi_admission_register()), when the driver built
 * against has it (its cxi.h defines CXI_ADMISSION_HOOK).
 *
 * - An LNI is an ssns context of the calling task: visibility, its tenant
 *   pinned, one rdma cgroup hca_handle. A pod (a task with a tenant) may
 *   use only the services the adapter made for its own netns (by cookie,
 *   so a netns that inherited a dead one's ns.inum gets nothing); a
 *   retired service admits nobody. Tasks with no tenant keep using other
 *   services (the default one, the Ethernet driver's).
 * - A domain (a VNI and a PID bound for receiving) is an ssns endpoint:
 *   admission rules 1 to 4 on (VNI, a traffic class of the VNI's profiles
 *   on the device), counted, announced, charged as one hca_object.
 * - A communication profile (a VNI and a TC for sending) is checked by
 *   the same rules on its own (VNI, TC), and charges nothing.
 * A revoked context keeps its LNI (HPE has no way to take it back), but
 * every later domain or profile of it is refused (-ENODEV).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include "ssns_cxi.h"

#ifdef CXI_ADMISSION_HOOK

/* An admitted LNI: its context and its domains. */
struct scx_lni {
	struct ssns_ctx *ctx;
	struct cxi_dev *cdev;
	unsigned int id;
	struct mutex lock;		/* doms, revoked */
	struct list_head doms;
	bool revoked;
};

/* An admitted domain: an ssns endpoint. */
struct scx_dom {
	struct ssns_ep ep;
	struct list_head node;		/* on scx_lni.doms, while live */
	struct scx_lni *lni;
	bool live;
	struct rcu_head rcu;
};

static bool scx_hook_on;

/* The core revokes the context: release its endpoints. */
static void scx_lni_revoke(struct ssns_ctx *ctx)
{
	struct scx_lni *l = ssns_ctx_holder(ctx);
	struct scx_dom *d, *tmp;

	mutex_lock(&l->lock);
	l->revoked = true;
	list_for_each_entry_safe(d, tmp, &l->doms, node) {
		list_del_init(&d->node);
		d->live = false;
		ssns_ep_release(&d->ep);
	}
	mutex_unlock(&l->lock);
}

static const struct ssns_ctx_ops scx_lni_ops = {
	.revoke = scx_lni_revoke,
};

static int scx_admit_lni(struct scx_dev *sd, const struct cxi_admit_req *req,
			 void **cookie)
{
	struct ssns_ctx *ctx;
	struct scx_lni *l;
	bool ours;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	mutex_init(&l->lock);
	INIT_LIST_HEAD(&l->doms);
	l->cdev = req->dev;
	l->id = req->lni;

	ctx = ssns_ctx_create(sd->sdev, &scx_lni_ops, l);
	if (IS_ERR(ctx)) {
		err = PTR_ERR(ctx);
		goto free;
	}
	l->ctx = ctx;

	err = scx_svc_state(sd, req->svc_id, ssns_ctx_net_cookie(ctx), &ours);
	if (err < 0)
		goto destroy;
	/* A pod uses the services made for its netns, nothing else. */
	if (!ours && ssns_ctx_tenant(ctx)) {
		err = -EACCES;
		goto destroy;
	}
	err = xa_insert(&sd->lnis, l->id, l, GFP_KERNEL);
	if (err)
		goto destroy;
	*cookie = l;
	atomic64_inc(&sd->lni_admit);
	return 0;

destroy:
	ssns_ctx_destroy(ctx);
free:
	mutex_destroy(&l->lock);
	kfree(l);
	atomic64_inc(&sd->lni_deny);
	pr_info_ratelimited("%s: LNI on service %u refused to pid %d (%s): %d\n",
			    req->dev->name, req->svc_id,
			    task_tgid_nr(current), current->comm, err);
	return err;
}

/* The lowest traffic class of the profiles of @vni on the device. */
static u8 scx_vni_tc(struct scx_dev *sd, unsigned int vni)
{
	unsigned long tcs = xa_to_value(xa_load(&sd->vni_tcs, vni) ?:
					xa_mk_value(0));

	return tcs ? __ffs(tcs) : SSNS_TC_BEST_EFFORT;
}

static int scx_admit_dom(struct scx_dev *sd, const struct cxi_admit_req *req,
			 void **cookie)
{
	struct scx_lni *l = xa_load(&sd->lnis, req->lni);
	struct scx_dom *d;
	int err;

	if (!l)		/* an LNI older than the hook: not ours to judge */
		return 0;
	if (req->vni > 0xffff)
		return -EINVAL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&l->lock);
	err = ssns_ep_authorize(l->ctx, &d->ep, req->vni,
				scx_vni_tc(sd, req->vni), req->pid);
	if (!err) {
		err = ssns_ep_commit(&d->ep, req->pid);
		if (err)
			ssns_ep_abort(&d->ep, err, req->pid);
	}
	if (err) {
		mutex_unlock(&l->lock);
		kfree(d);
		return err;
	}
	d->lni = l;
	d->live = true;
	list_add_tail(&d->node, &l->doms);
	mutex_unlock(&l->lock);
	*cookie = d;
	return 0;
}

static int scx_admit_cp(struct scx_dev *sd, const struct cxi_admit_req *req)
{
	struct scx_lni *l = xa_load(&sd->lnis, req->lni);
	struct ssns_ep ep = {};
	int err;

	if (!l)
		return 0;
	/* Ethernet classes: not ssns's, and no pod's business. */
	if (req->tc > SSNS_TC_MAX || req->tc >= CXI_TC_ETH)
		return ssns_ctx_tenant(l->ctx) ? -EACCES : 0;
	mutex_lock(&l->lock);
	err = ssns_ep_authorize(l->ctx, &ep, req->vni, req->tc, SSNS_PID_ANY);
	if (!err)
		ssns_ep_abort(&ep, -ECANCELED, SSNS_PID_ANY);
	mutex_unlock(&l->lock);
	return err;
}

static int scx_admit(const struct cxi_admit_req *req, void **cookie)
{
	struct scx_dev *sd;
	int err = 0;

	/* A PF serving its VF: no task to judge (docs/hpe-cxi.md). */
	if (!req->task)
		return 0;
	if (WARN_ON_ONCE(req->task != current))
		return -EPERM;

	down_read(&scx_devs_lock);
	sd = scx_find(req->dev);
	if (sd) {
		switch (req->type) {
		case CXI_ADMIT_LNI:
			err = scx_admit_lni(sd, req, cookie);
			break;
		case CXI_ADMIT_DOMAIN:
			err = scx_admit_dom(sd, req, cookie);
			break;
		case CXI_ADMIT_CP:
			err = scx_admit_cp(sd, req);
			break;
		default:
			err = -EOPNOTSUPP;
			break;
		}
	}
	up_read(&scx_devs_lock);
	return err;
}

static void scx_release(struct cxi_dev *cdev, enum cxi_admit_type type,
			void *cookie)
{
	struct scx_dom *d;
	struct scx_lni *l;
	struct scx_dev *sd;

	if (!cookie)
		return;
	if (type == CXI_ADMIT_DOMAIN) {
		d = cookie;
		l = d->lni;
		mutex_lock(&l->lock);
		if (d->live) {
			list_del(&d->node);
			ssns_ep_release(&d->ep);
		}
		mutex_unlock(&l->lock);
		kfree_rcu(d, rcu);
		return;
	}
	if (type != CXI_ADMIT_LNI)
		return;
	l = cookie;
	down_read(&scx_devs_lock);
	sd = scx_find(cdev);
	if (sd)
		xa_cmpxchg(&sd->lnis, l->id, l, NULL, GFP_KERNEL);
	up_read(&scx_devs_lock);
	/* Releases the domains left, uncharges the handle. */
	ssns_ctx_destroy(l->ctx);
	mutex_destroy(&l->lock);
	kfree(l);
}

static const struct cxi_admission_ops scx_admission_ops = {
	.owner = THIS_MODULE,
	.admit = scx_admit,
	.release = scx_release,
};

int scx_hook_init(void)
{
	int err = cxi_admission_register(&scx_admission_ops);

	if (err) {
		pr_err("cannot register on the cxi admission hook: %d\n", err);
		return err;
	}
	scx_hook_on = true;
	pr_info("registered on the cxi admission hook: ssns admits every LNI, domain and communication profile\n");
	return 0;
}

void scx_hook_exit(void)
{
	if (scx_hook_on)
		cxi_admission_unregister(&scx_admission_ops);
	scx_hook_on = false;
}

/*
 * The device is gone and its contexts revoked; LNIs it had are released
 * later (or were): forget them here.
 */
void scx_hook_dev_gone(struct scx_dev *sd)
{
	xa_destroy(&sd->lnis);
}

bool scx_hook_registered(void)
{
	return scx_hook_on;
}

#else /* !CXI_ADMISSION_HOOK */

int scx_hook_init(void)
{
	pr_info("the cxi driver has no admission hook (patches/hpe-cxi): HPE's services alone admit LNIs; cgroup tenants, rdma cgroup charges and per-tenant denial counters need it\n");
	return 0;
}

void scx_hook_exit(void)
{
}

void scx_hook_dev_gone(struct scx_dev *sd)
{
}

bool scx_hook_registered(void)
{
	return false;
}

#endif /* CXI_ADMISSION_HOOK */
