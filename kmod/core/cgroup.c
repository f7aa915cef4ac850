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
 * This file also gives the model the cgroup v2 directories it binds to
 * tenants, so that no other file needs the cgroup internals.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
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

bool ssns_cg_dev_on(const struct ssns_dev *dev)
{
	return dev->rdmacg_on;
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

bool ssns_cg_dev_on(const struct ssns_dev *dev)
{
	return false;
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
 * cgroup v2 directories, for tenant membership. A member cgroup is held by
 * reference until it is unbound, its tenant removed or the module
 * unloaded; a removed directory stays a (dead) member until then, and its
 * id is never reused.
 */

/* The cgroup at @path (relative to the cgroup2 root), referenced. */
struct cgroup *ssns_cg_get_path(const char *path)
{
	return cgroup_get_from_path(path);
}

/* The cgroup open as @fd, referenced. */
struct cgroup *ssns_cg_get_fd(int fd)
{
	return cgroup_get_from_fd(fd);
}

/* The cgroup v2 of the current task, referenced. */
struct cgroup *ssns_cg_current_get(void)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}

/* The cgroup v2 of the current task; caller holds rcu_read_lock(). */
struct cgroup *ssns_cg_current(void)
{
	return task_dfl_cgroup(current);
}

struct cgroup *ssns_cg_parent(struct cgroup *cgrp)
{
	return cgroup_parent(cgrp);
}

u64 ssns_cg_id(struct cgroup *cgrp)
{
	return cgroup_id(cgrp);
}

bool ssns_cg_is_root(struct cgroup *cgrp)
{
	return !cgroup_parent(cgrp);
}

/* Is @cgrp @ancestor or below it? */
bool ssns_cg_within(struct cgroup *cgrp, struct cgroup *ancestor)
{
	return cgroup_is_descendant(cgrp, ancestor);
}

void ssns_cg_put(struct cgroup *cgrp)
{
	cgroup_put(cgrp);
}

int ssns_cg_path(struct cgroup *cgrp, char *buf, size_t len)
{
	return cgroup_path(cgrp, buf, len);
}
