/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxi_standin: the admission hook of patches/hpe-cxi (admit.c), when the
 * cxi.h built against has it.
 */
#ifndef _CXI_STANDIN_ADMIT_H
#define _CXI_STANDIN_ADMIT_H

#include <linux/hpe/cxi/cxi.h>

#ifdef CXI_ADMISSION_HOOK
int standin_admit(const struct cxi_admit_req *req,
		  const struct cxi_admission_ops **ops, void **cookie);
void standin_admit_release(struct cxi_dev *dev, enum cxi_admit_type type,
			   const struct cxi_admission_ops **ops, void *cookie);
#endif

#endif /* _CXI_STANDIN_ADMIT_H */
