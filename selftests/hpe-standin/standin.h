/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxi_standin: a test-only stand-in for the client API of HPE's cxi-ss1
 * (see main.c). Internal definitions.
 */
#ifndef _CXI_STANDIN_H
#define _CXI_STANDIN_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/idr.h>
#include <linux/hpe/cxi/cxi.h>

/* RX profiles a Cassini can enable at once (its RMU VNI list). */
#define STANDIN_MAX_PROFILES	C_RMU_CFG_VNI_LIST_ENTRIES

/* A fake device: what a client sees is @cdev. */
struct standin_dev {
	struct cxi_dev cdev;
	struct list_head node;		/* on standin_devs */

	/* Services and LNIs of the device, as HPE's svc_lock */
	struct mutex lock;
	struct xarray svcs;		/* svc_id -> struct standin_svc */
	struct xarray lnis;		/* LNI id -> struct standin_lni */
	unsigned int profiles;		/* enabled VNI profiles */
};

/*
 * A service. @desc is what cxi_svc_get() and cxi_svc_list_get() report;
 * the rest is what HPE enforces, fixed when the service is allocated
 * (its rgroup's access control entries and its RX/TX profiles), plus the
 * network namespaces added by cxi_svc_set_netns(): cxi_svc_update()
 * rewrites @desc only, as HPE's does.
 */
struct standin_svc {
	struct cxi_svc_desc desc;
	char name[32];

	bool open;			/* CXI_AC_OPEN: anyone */
	unsigned int nuids, ngids;
	uid_t uids[CXI_SVC_MAX_MEMBERS];
	gid_t gids[CXI_SVC_MAX_MEMBERS];
	struct xarray netns;		/* ns.inum -> xa_mk_value(1) */

	unsigned int nvnis;		/* VNIs with a profile */
	u16 vnis[CXI_SVC_MAX_VNIS];
	bool on[CXI_SVC_MAX_VNIS];	/* which profiles are enabled */
	bool tcs[CXI_TC_MAX];		/* traffic classes of the profiles */

	unsigned int lnis;		/* LNIs holding the service */
};

/* A fake LNI: a hold on a service, taken by a task of some netns. */
struct standin_lni {
	unsigned int id;
	unsigned int svc_id;
	pid_t pid;
	unsigned int netns;
#ifdef CXI_ADMISSION_HOOK
	const struct cxi_admission_ops *admit_ops;
	void *admit_cookie;
#endif
};

static inline struct standin_dev *to_standin(struct cxi_dev *cdev)
{
	return container_of(cdev, struct standin_dev, cdev);
}

/* svc.c */
int standin_svc_init(struct standin_dev *sd);
void standin_svc_fini(struct standin_dev *sd);
struct standin_svc *standin_svc_find(struct standin_dev *sd,
				     unsigned int svc_id);
bool standin_svc_admits(struct standin_svc *svc, uid_t uid, gid_t gid,
			unsigned int netns);
void standin_svc_dump(struct standin_dev *sd, struct seq_file *m);

/* lni.c */
int standin_lni_alloc(struct standin_dev *sd, unsigned int svc_id);
int standin_lni_free(struct standin_dev *sd, unsigned int id);
void standin_lni_free_all(struct standin_dev *sd);
void standin_lni_dump(struct standin_dev *sd, struct seq_file *m);

#endif /* _CXI_STANDIN_H */
