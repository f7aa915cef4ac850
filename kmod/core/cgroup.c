// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: rdma cgroup accounting.
 *
 * Each device is an rdmacg device under its own name, so "cxi0
 * hca_handle=2 hca_object=64" in rdma.max limits a cgroup. A context
 * charges one hca_handle, an endpoint one hca_object, in the cgroup of the
 * task that opens or allocates. A charge is remembered where it was made
 * (ctx->cg, ep->cg) and cleared when uncharged, so it is undone once.
 * Every charge is undone before the device leaves the controller.
 * Without CONFIG_CGROUP_RDMA the accounting compiles to no-ops.
 *
 * This file also resolves cgroup v2 directories for tenant membership.
 */
#include <linux/module.h>
#include <linux/cgroup.h>
#include "core.h"

#ifdef CONFIG_CGROUP_RDMA

bool ssns_cg_active(void)
{
	return true;
}

void ssns_cg_dev_add(struct ssns_dev *dev)
{
	dev->rdmacg.name = dev->name;
	rdmacg_register_device(&dev->rdmacg);
	dev->rdmacg_on = true;
}

void ssns_cg_dev_del(struct ssns_dev *dev)
{
	if (!dev->rdmacg_on)
		return;
	dev->rdmacg_on = false;
	rdmacg_unregister_device(&dev->rdmacg);
}

int ssns_cg_charge(struct ssns_dev *dev, void **cg, bool object)
{
	struct rdma_cgroup *rcg;
	int err;

	*cg = NULL;
	if (!dev->rdmacg_on)
		return 0;
	err = rdmacg_try_charge(&rcg, &dev->rdmacg,
				object ? RDMACG_RESOURCE_HCA_OBJECT :
					 RDMACG_RESOURCE_HCA_HANDLE);
	if (err)
		return err;
	*cg = rcg;
	return 0;
}

void ssns_cg_uncharge(struct ssns_dev *dev, void **cg, bool object)
{
	struct rdma_cgroup *rcg = *cg;

	if (!rcg)
		return;
	*cg = NULL;
	rdmacg_uncharge(rcg, &dev->rdmacg,
			object ? RDMACG_RESOURCE_HCA_OBJECT :
				 RDMACG_RESOURCE_HCA_HANDLE);
}

#else /* !CONFIG_CGROUP_RDMA */

bool ssns_cg_active(void)
{
	return false;
}

void ssns_cg_dev_add(struct ssns_dev *dev)
{
}

void ssns_cg_dev_del(struct ssns_dev *dev)
{
}

int ssns_cg_charge(struct ssns_dev *dev, void **cg, bool object)
{
	*cg = NULL;
	return 0;
}

void ssns_cg_uncharge(struct ssns_dev *dev, void **cg, bool object)
{
	*cg = NULL;
}

#endif /* CONFIG_CGROUP_RDMA */

/*
 * Tenant membership of cgroup v2 directories. A member cgroup is held by
 * reference until it is unbound, its tenant removed or the module
 * unloaded; a removed directory stays a (dead) member until then, and its
 * id is never reused.
 */

/* The cgroup named by exactly one of CGROUP_PATH, CGROUP_FD; referenced. */
struct cgroup *ssns_cg_member_get(struct nlattr **tb,
				  const struct nlattr *where,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *path = tb[SSNS_ATTR_CGROUP_PATH];
	struct nlattr *fd = tb[SSNS_ATTR_CGROUP_FD];
	struct cgroup *cgrp;

	if (path && fd) {
		ssns_nl_err(extack, fd,
			    "give CGROUP_PATH (%s) or CGROUP_FD (%u), not both",
			    (char *)nla_data(path), nla_get_u32(fd));
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		cgrp = cgroup_get_from_fd(nla_get_u32(fd));
		if (IS_ERR(cgrp))
			ssns_nl_err(extack, fd,
				    "fd %u is not a cgroup v2 directory (%ld)",
				    nla_get_u32(fd), PTR_ERR(cgrp));
		return cgrp;
	}
	if (!path) {
		ssns_nl_err(extack, where, "missing CGROUP_PATH or CGROUP_FD");
		return ERR_PTR(-EINVAL);
	}
	cgrp = cgroup_get_from_path(nla_data(path));
	if (IS_ERR(cgrp)) {
		ssns_nl_err(extack, path,
			    "no cgroup v2 directory %s (relative to the cgroup2 root) (%ld)",
			    (char *)nla_data(path), PTR_ERR(cgrp));
		return cgrp;
	}
	return cgrp;
}

u64 ssns_cg_member_id(struct cgroup *cgrp)
{
	return cgroup_id(cgrp);
}

bool ssns_cg_member_is_root(struct cgroup *cgrp)
{
	return !cgroup_parent(cgrp);
}

void ssns_cg_member_put(struct cgroup *cgrp)
{
	cgroup_put(cgrp);
}

int ssns_cg_member_path(struct cgroup *cgrp, char *buf, size_t len)
{
	return cgroup_path(cgrp, buf, len);
}

/*
 * The tenant of the nearest ancestor (or self) of @cgrp that is a member,
 * or NULL. Sets *cgid to that cgroup's id. Caller holds rcu_read_lock()
 * or ssns_cfg_lock; the tenant is not referenced.
 */
struct ssns_tenant *ssns_cg_tenant_of(struct cgroup *cgrp, u64 *cgid)
{
	struct ssns_tenant *t = NULL;

	rcu_read_lock();
	for (; cgrp; cgrp = cgroup_parent(cgrp)) {
		t = ssns_tenant_of_cgid(cgroup_id(cgrp));
		if (t) {
			*cgid = cgroup_id(cgrp);
			break;
		}
	}
	rcu_read_unlock();
	return t;
}

/* The same for the cgroup v2 of the current task. */
struct ssns_tenant *ssns_cg_tenant_of_current(u64 *cgid)
{
	struct ssns_tenant *t;

	rcu_read_lock();
	t = ssns_cg_tenant_of(task_dfl_cgroup(current), cgid);
	rcu_read_unlock();
	return t;
}

/* The cgroup v2 of the current task, referenced (ssns_cg_member_put()). */
struct cgroup *ssns_cg_current_get(void)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}
