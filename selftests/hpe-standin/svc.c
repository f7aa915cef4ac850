// SPDX-License-Identifier: GPL-2.0
/*
 * cxi_standin: cxi-ss1's service calls, with the checks, errors and quirks
 * that HPE's cass_svc.c and cxi_rgroup.c have (as of the pinned commit):
 *
 * - ids are the lowest free from 1 per device; 1 is the default service,
 *   made with the device, disabled, VNIs 1 and 10, open to all;
 * - a descriptor is checked (at most CXI_SVC_MAX_VNIS valid VNIs, member
 *   types, resource maxima): -EINVAL;
 * - a service with restricted VNIs is enabled at once, one without is not;
 * - enable, disable and update are refused (-EBUSY) while LNIs hold the
 *   service, destroy too, and the default service cannot be destroyed;
 * - update rewrites the descriptor only: members, VNIs and traffic classes
 *   enforced stay those of the allocation;
 * - set_netns is refused with uid, gid or open members (-EEXIST), then
 *   while enabled (-EBUSY); a namespace already there is -EEXIST; several
 *   namespaces may be added, get_netns reports the lowest;
 * - an unknown service id is -EINVAL everywhere.
 *
 * Resources (limits, reservations) are not modelled: there is no hardware.
 */
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "standin.h"
#include "hpe_types.h"

static bool vni_valid(unsigned int vni)
{
	return vni && !(vni & ~0xffffU);
}

static int check_desc(struct standin_dev *sd, const struct cxi_svc_desc *d)
{
	const struct cxi_rsrc_limits *max = &sd->cdev.prop.rsrcs;
	int i;

	if (d->restricted_vnis) {
		if (d->num_vld_vnis > CXI_SVC_MAX_VNIS)
			return -EINVAL;
		for (i = 0; i < d->num_vld_vnis; i++)
			if (!vni_valid(d->vnis[i]))
				return -EINVAL;
	}
	if (d->restricted_members)
		for (i = 0; i < CXI_SVC_MAX_MEMBERS; i++)
			if ((unsigned int)d->members[i].type >= CXI_SVC_MEMBER_MAX)
				return -EINVAL;
	if (d->resource_limits)
		for (i = 0; i < CXI_RSRC_TYPE_MAX; i++)
			if (d->limits.type[i].max < d->limits.type[i].res ||
			    d->limits.type[i].max > max->type[i].max)
				return -EINVAL;
	return 0;
}

static int add_netns(struct standin_svc *svc, unsigned int netns)
{
	int rc;

	if (netns == (unsigned int)-1)
		return -EBADR;
	rc = xa_insert(&svc->netns, netns, xa_mk_value(1), GFP_KERNEL);
	return rc == -EBUSY ? -EEXIST : rc;
}

static int add_id(u32 *ids, unsigned int *n, u32 id)
{
	unsigned int i;

	if (id == (u32)-1)
		return -EBADR;
	for (i = 0; i < *n; i++)
		if (ids[i] == id)
			return -EEXIST;
	ids[(*n)++] = id;
	return 0;
}

/*
 * The access control entries of a new service. As HPE's, a network
 * namespace member takes whatever the uid/gid union last held: the
 * descriptor has no field for it (cxi_svc_set_netns() is the way).
 */
static int set_members(struct standin_svc *svc)
{
	const struct cxi_svc_desc *d = &svc->desc;
	union cxi_ac_data data = {};
	int i, rc = 0;

	if (!d->restricted_members) {
		svc->open = true;
		return 0;
	}
	for (i = 0; i < CXI_SVC_MAX_MEMBERS && !rc; i++) {
		switch (d->members[i].type) {
		case CXI_SVC_MEMBER_UID:
			data.uid = d->members[i].svc_member.uid;
			rc = add_id(svc->uids, &svc->nuids, data.uid);
			break;
		case CXI_SVC_MEMBER_GID:
			data.gid = d->members[i].svc_member.gid;
			rc = add_id(svc->gids, &svc->ngids, data.gid);
			break;
		case CXI_SVC_MEMBER_NET_NS:
			rc = add_netns(svc, data.netns);
			break;
		default:
			break;
		}
	}
	return rc;
}

bool standin_svc_admits(struct standin_svc *svc, uid_t uid, gid_t gid,
			unsigned int netns)
{
	unsigned int i;

	for (i = 0; i < svc->nuids; i++)
		if (svc->uids[i] == uid)
			return true;
	for (i = 0; i < svc->ngids; i++)
		if (svc->gids[i] == gid)
			return true;
	return xa_load(&svc->netns, netns) || svc->open;
}

/*
 * Enable or disable as HPE's svc_enable(): the profiles walked are those
 * the descriptor counts now, a missing one fails the enable (-EINVAL), and
 * a device has STANDIN_MAX_PROFILES slots for enabled ones (-ENOSPC).
 * Caller holds sd->lock.
 */
static int set_enable(struct standin_dev *sd, struct standin_svc *svc,
		      bool enable)
{
	bool *on = svc->on;
	int i, rc = 0;

	if (enable) {
		svc->desc.enable = 1;
		for (i = 0; i < svc->desc.num_vld_vnis; i++) {
			if (i >= svc->nvnis) {
				rc = -EINVAL;
				break;
			}
			if (on[i])
				continue;
			if (sd->profiles >= STANDIN_MAX_PROFILES) {
				rc = -ENOSPC;
				break;
			}
			on[i] = true;
			sd->profiles++;
		}
		if (!rc)
			return 0;
	}
	svc->desc.enable = 0;
	for (i = 0; i < svc->desc.num_vld_vnis && i < svc->nvnis; i++) {
		if (on[i])
			sd->profiles--;
		on[i] = false;
	}
	return rc;
}

struct standin_svc *standin_svc_find(struct standin_dev *sd,
				     unsigned int svc_id)
{
	return xa_load(&sd->svcs, svc_id);
}

static void svc_free(struct standin_dev *sd, struct standin_svc *svc)
{
	unsigned int i;

	/* All profiles, even those an update took out of num_vld_vnis */
	for (i = 0; i < svc->nvnis; i++)
		if (svc->on[i])
			sd->profiles--;
	xa_erase(&sd->svcs, svc->desc.svc_id);
	xa_destroy(&svc->netns);
	kfree(svc);
}

static int svc_alloc(struct standin_dev *sd, const struct cxi_svc_desc *desc,
		     const char *name)
{
	struct standin_svc *svc;
	u32 id;
	int i, rc;

	rc = check_desc(sd, desc);
	if (rc)
		return rc;

	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return -ENOMEM;
	svc->desc = *desc;
	strscpy(svc->name, name ?: "", sizeof(svc->name));
	xa_init(&svc->netns);

	mutex_lock(&sd->lock);
	rc = xa_alloc(&sd->svcs, &id, svc, XA_LIMIT(CXI_DEFAULT_SVC_ID, INT_MAX),
		      GFP_KERNEL);
	if (rc) {
		mutex_unlock(&sd->lock);
		xa_destroy(&svc->netns);
		kfree(svc);
		return rc;
	}
	svc->desc.svc_id = id;

	rc = set_members(svc);
	if (!rc && desc->restricted_vnis) {
		svc->nvnis = desc->num_vld_vnis;
		for (i = 0; i < svc->nvnis; i++)
			svc->vnis[i] = desc->vnis[i];
		for (i = 0; i < CXI_TC_MAX; i++)
			svc->tcs[i] = !desc->restricted_tcs || desc->tcs[i];
	}
	if (!rc) {
		if (id == CXI_DEFAULT_SVC_ID || !desc->restricted_vnis)
			svc->desc.enable = 0;
		else
			rc = set_enable(sd, svc, true);
	}
	if (rc)
		svc_free(sd, svc);
	mutex_unlock(&sd->lock);

	return rc ?: id;
}

int cxi_svc_alloc(struct cxi_dev *dev, const struct cxi_svc_desc *svc_desc,
		  struct cxi_svc_fail_info *fail_info, char *name)
{
	return svc_alloc(to_standin(dev), svc_desc, name);
}
EXPORT_SYMBOL(cxi_svc_alloc);

int cxi_svc_destroy(struct cxi_dev *dev, unsigned int svc_id)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	int rc = 0;

	if (svc_id == CXI_DEFAULT_SVC_ID)
		return -EINVAL;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (!svc)
		rc = -EINVAL;
	else if (svc->lnis)
		rc = -EBUSY;
	else
		svc_free(sd, svc);
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_destroy);

int cxi_svc_enable(struct cxi_dev *dev, unsigned int svc_id, bool enable)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	int rc;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (!svc)
		rc = -EINVAL;
	else if (svc->lnis)
		rc = -EBUSY;
	else
		rc = set_enable(sd, svc, enable);
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_enable);

int cxi_svc_update(struct cxi_dev *dev, const struct cxi_svc_desc *svc_desc)
{
	struct standin_dev *sd = to_standin(dev);
	struct cxi_svc_desc *d;
	struct standin_svc *svc;
	int rc;

	rc = check_desc(sd, svc_desc);
	if (rc)
		return rc;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_desc->svc_id);
	if (!svc) {
		rc = -EINVAL;
		goto unlock;
	}
	if (svc->lnis) {
		rc = -EBUSY;
		goto unlock;
	}
	d = &svc->desc;
	if (d->resource_limits != svc_desc->resource_limits) {
		rc = -EINVAL;
		goto unlock;
	}
	rc = set_enable(sd, svc, svc_desc->enable);
	if (rc)
		goto unlock;

	d->restricted_members = svc_desc->restricted_members;
	d->restricted_vnis = svc_desc->restricted_vnis;
	d->num_vld_vnis = svc_desc->num_vld_vnis;
	d->restricted_tcs = svc_desc->restricted_tcs;
	d->cntr_pool_id = svc_desc->cntr_pool_id;
	d->enable = svc_desc->enable;
	memcpy(d->tcs, svc_desc->tcs, sizeof(d->tcs));
	memcpy(d->vnis, svc_desc->vnis, sizeof(d->vnis));
	memcpy(d->members, svc_desc->members, sizeof(d->members));
unlock:
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_update);

int cxi_svc_get(struct cxi_dev *dev, unsigned int svc_id,
		struct cxi_svc_desc *svc_desc)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	int rc = 0;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (svc)
		*svc_desc = svc->desc;
	else
		rc = -EINVAL;
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_get);

int cxi_svc_list_get(struct cxi_dev *dev, int count,
		     struct cxi_svc_desc *svc_list)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	unsigned long id;
	int n = 0;

	mutex_lock(&sd->lock);
	xa_for_each(&sd->svcs, id, svc)
		n++;
	if (count >= n) {
		n = 0;
		xa_for_each(&sd->svcs, id, svc)
			svc_list[n++] = svc->desc;
	}
	mutex_unlock(&sd->lock);

	return n;
}
EXPORT_SYMBOL(cxi_svc_list_get);

int cxi_svc_set_netns(struct cxi_dev *dev, unsigned int svc_id,
		      unsigned int netns)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	int rc;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (!svc)
		rc = -EINVAL;
	else if (svc->nuids || svc->ngids || svc->open)
		rc = -EEXIST;
	else if (svc->desc.enable)
		rc = -EBUSY;
	else
		rc = add_netns(svc, netns);
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_set_netns);

int cxi_svc_get_netns(struct cxi_dev *dev, unsigned int svc_id,
		      unsigned int *netns)
{
	struct standin_dev *sd = to_standin(dev);
	struct standin_svc *svc;
	unsigned long inum = 0;
	int rc = -EINVAL;

	mutex_lock(&sd->lock);
	svc = standin_svc_find(sd, svc_id);
	if (svc && xa_find(&svc->netns, &inum, ULONG_MAX, XA_PRESENT)) {
		*netns = inum;
		rc = 0;
	}
	mutex_unlock(&sd->lock);

	return rc;
}
EXPORT_SYMBOL(cxi_svc_get_netns);

/* The default service of a new device, as HPE's cass_svc_init() makes it. */
int standin_svc_init(struct standin_dev *sd)
{
	struct cxi_svc_desc desc = {
		.resource_limits = 1,
		.restricted_vnis = 1,
		.num_vld_vnis = 2,
		.vnis = { 1, 10 },
		.tcs = {
			[CXI_TC_DEDICATED_ACCESS] = true,
			[CXI_TC_LOW_LATENCY] = true,
			[CXI_TC_BULK_DATA] = true,
			[CXI_TC_BEST_EFFORT] = true,
		},
	};
	int i, rc;

	for (i = 0; i < CXI_RSRC_TYPE_MAX; i++)
		desc.limits.type[i].max = sd->cdev.prop.rsrcs.type[i].max;
	rc = svc_alloc(sd, &desc, "default");
	if (rc < 0)
		return rc;
	return rc == CXI_DEFAULT_SVC_ID ? 0 : -EIO;
}

/* Destroy every service of a device going away, held or not (as HPE). */
void standin_svc_fini(struct standin_dev *sd)
{
	struct standin_svc *svc;
	unsigned long id;

	mutex_lock(&sd->lock);
	xa_for_each(&sd->svcs, id, svc)
		svc_free(sd, svc);
	mutex_unlock(&sd->lock);
}

static const char * const tc_names[CXI_TC_MAX] = {
	[CXI_TC_DEDICATED_ACCESS] = "dedicated_access",
	[CXI_TC_LOW_LATENCY] = "low_latency",
	[CXI_TC_BULK_DATA] = "bulk_data",
	[CXI_TC_BEST_EFFORT] = "best_effort",
	[CXI_TC_ETH] = "eth",
};

static void dump_vnis(struct seq_file *m, const char *key, const u16 *vnis,
		      unsigned int n)
{
	unsigned int i;

	seq_printf(m, " %s=", key);
	for (i = 0; i < n; i++)
		seq_printf(m, "%s%u", i ? "," : "", vnis[i]);
	if (!n)
		seq_puts(m, "-");
}

/*
 * One line a service:
 * DEV ID enabled=0|1 lnis=N vnis=V,..|- tcs=NAME,..|- members=open|uid:U,gid:G,..|-
 *   netns=INUM,..|- desc_vnis=V,..|- name=NAME
 * vnis, tcs, members and netns are what is enforced, desc_vnis what the
 * descriptor says (they differ after cxi_svc_update()).
 */
void standin_svc_dump(struct standin_dev *sd, struct seq_file *m)
{
	struct standin_svc *svc;
	unsigned long id, inum;
	unsigned int i, n;
	void *entry;

	mutex_lock(&sd->lock);
	xa_for_each(&sd->svcs, id, svc) {
		seq_printf(m, "%s %lu enabled=%u lnis=%u", sd->cdev.name, id,
			   svc->desc.enable, svc->lnis);
		dump_vnis(m, "vnis", svc->vnis, svc->nvnis);
		seq_puts(m, " tcs=");
		for (i = 0, n = 0; i < CXI_TC_MAX; i++)
			if (svc->nvnis && svc->tcs[i])
				seq_printf(m, "%s%s", n++ ? "," : "", tc_names[i]);
		if (!n)
			seq_puts(m, "-");
		seq_puts(m, " members=");
		n = 0;
		if (svc->open)
			seq_printf(m, "%sopen", n++ ? "," : "");
		for (i = 0; i < svc->nuids; i++)
			seq_printf(m, "%suid:%u", n++ ? "," : "", svc->uids[i]);
		for (i = 0; i < svc->ngids; i++)
			seq_printf(m, "%sgid:%u", n++ ? "," : "", svc->gids[i]);
		if (!n)
			seq_puts(m, "-");
		seq_puts(m, " netns=");
		n = 0;
		xa_for_each(&svc->netns, inum, entry)
			seq_printf(m, "%s%lu", n++ ? "," : "", inum);
		if (!n)
			seq_puts(m, "-");
		dump_vnis(m, "desc_vnis", svc->desc.vnis,
			  min_t(unsigned int, svc->desc.num_vld_vnis,
				CXI_SVC_MAX_VNIS));
		seq_printf(m, " name=%s\n", svc->name[0] ? svc->name : "-");
	}
	mutex_unlock(&sd->lock);
}
