// SPDX-License-Identifier: GPL-2.0
/*
 * cxi_standin: fake LNIs, holds on a service taken by the writing task as
 * HPE's cxi_lni_alloc() takes them (cass_lni.c): the service must exist
 * (-EINVAL), be enabled (-EKEYREVOKED) and admit the task by euid, egid,
 * network namespace (its ns.inum) or as open (-EPERM). Built against a
 * cxi.h with the admission hook of patches/hpe-cxi, it then asks the hook
 * (admit.c), as the patched driver does, and releases through it when the
 * LNI is freed.
 */
#include <linux/cred.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include "standin.h"
#include "admit.h"

#ifdef CXI_ADMISSION_HOOK
static int admit(struct standin_dev *sd, struct standin_lni *lni)
{
	struct cxi_admit_req req = {
		.type = CXI_ADMIT_LNI,
		.dev = &sd->cdev,
		.svc_id = lni->svc_id,
		.lni = lni->id,
		.task = current,
		.vf_num = -1,
	};

	return standin_admit(&req, &lni->admit_ops, &lni->admit_cookie);
}

static void admit_release(struct standin_dev *sd, struct standin_lni *lni)
{
	standin_admit_release(&sd->cdev, CXI_ADMIT_LNI, &lni->admit_ops,
			      lni->admit_cookie);
}
#else
static int admit(struct standin_dev *sd, struct standin_lni *lni)
{
	return 0;
}

static void admit_release(struct standin_dev *sd, struct standin_lni *lni)
{
}
#endif

/* ns.inum of the caller's network namespace, as HPE's CURRENT_NETNS_ID() */
static unsigned int current_netns(void)
{
	struct nsproxy *nsp = current->nsproxy;

	return nsp ? nsp->net_ns->ns.inum : 0;
}

/* Drop a hold taken by standin_lni_alloc(). Caller holds sd->lock. */
static void unhold(struct standin_dev *sd, unsigned int svc_id)
{
	struct standin_svc *svc = standin_svc_find(sd, svc_id);

	if (!WARN_ON_ONCE(!svc || !svc->lnis))
		svc->lnis--;
}

/*
 * Take an LNI on service @svc_id of @sd for the current task: its id on
 * success (>= 1), else a negative errno. The caller serializes this with
 * the removal of @sd.
 */
int standin_lni_alloc(struct standin_dev *sd, unsigned int svc_id)
{
	struct standin_lni *lni;
	struct standin_svc *svc;
	u32 id = 0;
	int rc;

	lni = kzalloc(sizeof(*lni), GFP_KERNEL);
	if (!lni)
		return -ENOMEM;
	lni->svc_id = svc_id;
	lni->pid = task_tgid_vnr(current);
	lni->netns = current_netns();

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (!svc)
		rc = -EINVAL;
	else if (!svc->desc.enable)
		rc = -EKEYREVOKED;
	else if (!standin_svc_admits(svc, __kuid_val(current_euid()),
				     __kgid_val(current_egid()), lni->netns))
		rc = -EPERM;
	else
		rc = xa_alloc(&sd->lnis, &id, NULL, XA_LIMIT(1, INT_MAX),
			      GFP_KERNEL);
	if (!rc) {
		svc->lnis++;
		lni->id = id;
	}
	mutex_unlock(&sd->lock);
	if (rc)
		goto free;

	/* The hook's say, without the device's lock, as in the driver. */
	rc = admit(sd, lni);

	mutex_lock(&sd->lock);
	if (rc) {
		xa_erase(&sd->lnis, id);
		unhold(sd, svc_id);
	} else {
		xa_store(&sd->lnis, id, lni, GFP_KERNEL);
	}
	mutex_unlock(&sd->lock);
	if (!rc)
		return id;
free:
	kfree(lni);
	return rc;
}

/* Free LNI @id of @sd: 0, or -ENOENT when there is none. */
int standin_lni_free(struct standin_dev *sd, unsigned int id)
{
	struct standin_lni *lni;

	mutex_lock(&sd->lock);
	lni = xa_erase(&sd->lnis, id);
	if (lni)
		unhold(sd, lni->svc_id);
	mutex_unlock(&sd->lock);
	if (!lni)
		return -ENOENT;

	admit_release(sd, lni);
	kfree(lni);
	return 0;
}

/* Free every LNI of a device going away. */
void standin_lni_free_all(struct standin_dev *sd)
{
	struct standin_lni *lni;
	unsigned long id;

	xa_for_each(&sd->lnis, id, lni)
		standin_lni_free(sd, id);
}

/* One line an LNI: DEV ID svc=SVC pid=PID netns=INUM */
void standin_lni_dump(struct standin_dev *sd, struct seq_file *m)
{
	struct standin_lni *lni;
	unsigned long id;

	mutex_lock(&sd->lock);
	xa_for_each(&sd->lnis, id, lni)
		seq_printf(m, "%s %lu svc=%u pid=%d netns=%u\n", sd->cdev.name,
			   id, lni->svc_id, lni->pid, lni->netns);
	mutex_unlock(&sd->lock);
}
