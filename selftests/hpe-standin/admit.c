// SPDX-License-Identifier: GPL-2.0
/*
 * cxi_standin: cxi_admission_register() and cxi_admission_unregister(),
 * the hook of patches/hpe-cxi, with the patched driver's semantics: one
 * registered ops at a time (-EBUSY), admit called under SRCU and with a
 * reference on the owner module, kept while the admitted object lives.
 *
 * This file includes what the driver's cxi_admit.c sees and nothing else,
 * so that with modversions the two exports get the CRCs of cxi-ss1's (see
 * hpe_types.h).
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/device.h>
#include <linux/types.h>
#include <linux/hmm.h>
#include <linux/refcount.h>
#include <linux/version.h>
#include <linux/mmu_notifier.h>
#include "admit.h"

#ifdef CXI_ADMISSION_HOOK
static const struct cxi_admission_ops __rcu *admit_ops;
static DEFINE_MUTEX(admit_lock);
DEFINE_STATIC_SRCU(admit_srcu);

int cxi_admission_register(const struct cxi_admission_ops *ops)
{
	int rc = 0;

	if (!ops || !ops->admit)
		return -EINVAL;
	mutex_lock(&admit_lock);
	if (rcu_dereference_protected(admit_ops, lockdep_is_held(&admit_lock)))
		rc = -EBUSY;
	else
		rcu_assign_pointer(admit_ops, ops);
	mutex_unlock(&admit_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(cxi_admission_register);

void cxi_admission_unregister(const struct cxi_admission_ops *ops)
{
	mutex_lock(&admit_lock);
	if (rcu_dereference_protected(admit_ops,
				      lockdep_is_held(&admit_lock)) == ops)
		RCU_INIT_POINTER(admit_ops, NULL);
	mutex_unlock(&admit_lock);
	synchronize_srcu(&admit_srcu);
}
EXPORT_SYMBOL_GPL(cxi_admission_unregister);

/*
 * Ask the registered hook about @req. On success, *@ops and *@cookie say
 * what to release (*@ops NULL: no hook took part).
 */
int standin_admit(const struct cxi_admit_req *req,
		  const struct cxi_admission_ops **ops, void **cookie)
{
	const struct cxi_admission_ops *o;
	int idx, rc = 0;

	*ops = NULL;
	*cookie = NULL;
	might_sleep();
	idx = srcu_read_lock(&admit_srcu);
	o = srcu_dereference(admit_ops, &admit_srcu);
	if (o && try_module_get(o->owner)) {
		rc = o->admit(req, cookie);
		if (WARN_ON_ONCE(rc > 0))
			rc = -EINVAL;
		if (rc)
			module_put(o->owner);
		else
			*ops = o;
	}
	srcu_read_unlock(&admit_srcu, idx);
	return rc;
}

void standin_admit_release(struct cxi_dev *dev, enum cxi_admit_type type,
			   const struct cxi_admission_ops **ops, void *cookie)
{
	const struct cxi_admission_ops *o = *ops;

	if (!o)
		return;
	*ops = NULL;
	if (o->release)
		o->release(dev, type, cookie);
	module_put(o->owner);
}
#endif
