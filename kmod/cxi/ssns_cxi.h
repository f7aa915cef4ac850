/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns_cxi: the ssns provider for HPE's cxi driver (cxi-ss1). Internal
 * definitions; docs/hpe-cxi.md describes what it does.
 */
#ifndef _SSNS_CXI_H
#define _SSNS_CXI_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/hpe/cxi/cxi.h>
#include <ssns_provider.h>

struct net;

/*
 * A service the adapter made: restricted to one network namespace (by its
 * ns.inum, all HPE knows), to at most CXI_SVC_MAX_VNIS VNIs and to the
 * traffic classes the profiles of those VNIs have.
 */
struct scx_svc {
	struct list_head node;		/* on scx_dev.svcs or .reap */
	unsigned int id;		/* HPE's service id */
	u64 cookie;			/* the netns, as ssns knows it */
	unsigned int inum;		/* the netns, as HPE knows it */
	struct net *pin;		/* held while a retired one is busy */
	u8 tcs;				/* bit per enum ssns_tc */
	u8 nvnis;
	u16 vnis[CXI_SVC_MAX_VNIS];
	bool keep;			/* scratch of scx_sync() */
	unsigned long retired;		/* jiffies when retired */
};

/* A cxi device, as ssns device of the same name. */
struct scx_dev {
	struct list_head node;		/* on scx_devs */
	struct cxi_dev *cdev;
	struct ssns_dev *sdev;
	char devnode[40];

	struct mutex lock;		/* svcs, reap, vni_tcs writers */
	struct list_head svcs;		/* serving a member */
	struct list_head reap;		/* retired, held by LNIs */
	struct delayed_work reap_work;
	bool gone;
	/* VNI -> xa_mk_value(TC bits) of its profiles on the device */
	struct xarray vni_tcs;
	/* LNI id -> struct scx_lni, those the hook admitted (hook.c) */
	struct xarray lnis;

	atomic64_t svc_alloc;
	atomic64_t svc_destroy;
	atomic64_t svc_busy;
	atomic64_t svc_errors;
	atomic64_t lni_admit;
	atomic64_t lni_deny;
};

/* main.c */
extern struct rw_semaphore scx_devs_lock;
struct scx_dev *scx_find(const struct cxi_dev *cdev);

/* svc.c */
void scx_sync(struct scx_dev *sd, const struct ssns_policy *change);
void scx_svc_fini(struct scx_dev *sd);
void scx_reap_work(struct work_struct *work);
int scx_svc_info(struct scx_dev *sd, u64 cookie, u32 *ids,
		 unsigned int max);
/* What service @id is to the adapter: 1 serving @cookie, 0 not its, -1 retired */
int scx_svc_state(struct scx_dev *sd, unsigned int id, u64 cookie,
		  bool *ours);

/* hook.c */
int scx_hook_init(void);
void scx_hook_exit(void);
void scx_hook_dev_gone(struct scx_dev *sd);
bool scx_hook_registered(void);

#endif /* _SSNS_CXI_H */
