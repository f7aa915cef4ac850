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
 * Without CONFIG_CGROUP_RDMA this file compiles to no-ops.
 */
#include <linux/module.h>
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
