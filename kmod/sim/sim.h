/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns_sim: internal definitions of the simulated cxi-style NIC.
 *
 * Objects and their lifetime:
 *
 * sim_dev  one simulated NIC: a device on the ssns_sim bus, registered with
 *          the core, whose char-device helper runs /dev/cxiN for it.
 *          Created and removed under sim_devs_lock; freed by the driver
 *          core when its last reference goes, after ssns_dev_unregister()
 *          revoked every open context. Its endpoint addresses, per VNI,
 *          are in its vnis table, which the fabric routes by.
 *
 * sim_ctx  provider state of one context (open file): its endpoints by
 *          handle. Allocated by ->open(), freed by ->release(), which the
 *          core calls with no op in flight.
 *
 * sim_ep   one endpoint. Authorized by the core, given an address in its
 *          device's vnis table (admission rule 5), committed to the core,
 *          then published there for the fabric: senders find it under RCU
 *          with sim_fabric_ep_rcu(). Its
 *          lock guards the receive queue and the dead flag: once dead (set
 *          under the lock before ssns_ep_release()), nothing is ever queued
 *          again. A refcount (one held by the context's handle table, one
 *          per op using the endpoint) decides when the queue is purged; the
 *          memory is freed after an RCU grace period.
 *
 * sim_shaper  the egress link of a device and the bandwidth policy it
 *          enforces (bw.c): only when the device has a link rate or a
 *          ceiling may apply on it (sim_dev.shaping); the data path looks
 *          at nothing else otherwise. Classes (one per tenant using the
 *          device, one per member) are made when a context first sends
 *          through the shaper and go with the last context using them;
 *          each endpoint has one request slot (sim_bw_req), queued on its
 *          class while it waits.
 *
 * sim_window  the receive window of an endpoint: user pages pinned by
 *          SSNS_SIM_IOC_WINDOW, which writers of the same VNI copy into
 *          directly. Reached through the endpoint under its lock; a
 *          refcount (one for the endpoint, one per write in progress)
 *          decides when the pages are unpinned, so that a window removed
 *          during a write stays pinned until the write is done. A window
 *          removed with SSNS_SIM_WINDOW_KEEP is parked on the endpoint
 *          (no writer reaches it) under an MMU interval notifier, to be
 *          taken back by a set of the same range that nothing unmapped.
 */
#ifndef _SSNS_SIM_H
#define _SSNS_SIM_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <ssns_provider.h>
#include <uapi/linux/ssns_sim.h>

#define SIM_DRV_NAME		"ssns_sim"

/* Operations that can be made to fail through debugfs. */
enum sim_fault {
	SIM_FAULT_OPEN,
	SIM_FAULT_EP_ALLOC,
	SIM_FAULT_SEND,
	SIM_FAULT_RECV,

	SIM_FAULT_NUM,
};

/* A device's egress link and its scheduler (bw.c). */
struct sim_shaper {
	spinlock_t lock;		/* all below, classes, requests (_bh) */
	struct hrtimer timer;		/* the next grant (soft, absolute) */
	bool on;			/* link rate, or a ceiling may apply */
	u64 link_rate;			/* bit/s, 0: as fast as the copy goes */
	u64 link_next;			/* ns: when the link is free again */
	u64 vtime;			/* virtual time of the fair queueing */
	struct list_head classes;	/* struct sim_bw_class */
	struct list_head members;	/* struct sim_bw_member */
	unsigned int nr_queued;		/* requests waiting */
};

struct sim_dev {
	struct device dev;		/* on the ssns_sim bus */
	struct list_head node;		/* sim_devs, under sim_devs_lock */
	struct ssns_dev *core;		/* handle of the core, once registered */
	u32 index;			/* fabric address: the core's index */
	u32 max_addr;			/* endpoint addresses 0..max_addr */
	u32 rxq_depth;			/* messages an endpoint can queue */
	char req_name[SSNS_NAME_MAX];	/* name asked for ("cxi%d") */
	char name[SSNS_NAME_MAX];	/* name given by the core ("cxi0") */
	struct dentry *ddir;		/* debugfs: ssns_sim/<name>/ */

	atomic_t fail[SIM_FAULT_NUM];	/* next calls to fail, per op */
	u32 fail_errno;			/* positive errno they fail with */

	/* VNI -> struct sim_vni: the endpoint addresses of that VNI. */
	struct xarray vnis;

	/* Counters, published to the core in sim_counter_names' order. */
	atomic64_t tx_msgs;		/* accepted for sending */
	atomic64_t rx_msgs;		/* delivered to an endpoint here */
	atomic64_t drops;		/* from or to here, not delivered */
	atomic64_t tx_busy;		/* refused: receive queue full */
	atomic64_t purged;		/* delivered here, freed unreceived */
	atomic64_t tx_shaped;		/* had to wait for shaping */

	/* Read by every send and write: nothing else when false. */
	bool shaping;
	struct sim_shaper bw;
};

/* The endpoints of one VNI of a device, by address. */
struct sim_vni {
	struct xarray eps;		/* XA_FLAGS_ALLOC: addr -> sim_ep */
	struct rcu_head rcu;
};

/*
 * Large message buffers a sending context reuses (fabric.c): allocating
 * one per message costs a third pass over it where the kernel zeroes what
 * it allocates (init_on_alloc). They stay charged to the context's cgroup,
 * hold only what its own sends copied, and go when it is closed and its
 * last message freed.
 */
#define SIM_SPARE_BUFS		2
#define SIM_SPARE_MIN		(64 * 1024)

struct sim_bufpool {
	struct kref ref;		/* the context's, and one per message */
	spinlock_t lock;
	bool closed;			/* the context went: no more spares */
	unsigned int count;
	void *buf[SIM_SPARE_BUFS];
	u32 size[SIM_SPARE_BUFS];
};

struct sim_ctx {
	struct ssns_ctx *ctx;
	struct sim_bufpool *pool;	/* its large message buffers */
	struct sim_dev *sd;
	wait_queue_head_t *wq;		/* the core's, lives as long as the file */
	struct xarray eps;		/* handle -> struct sim_ep */
	u64 net_cookie;			/* netns the context was opened in */
	/* Its shaping classes, once it sent through the shaper (bw.c). */
	bool bw_bound;
	struct sim_bw_class *bw_class;
	struct sim_bw_member *bw_member;
};

enum sim_bw_state {
	SIM_BW_IDLE,			/* no message waiting */
	SIM_BW_QUEUED,			/* waiting for the shaper */
	SIM_BW_GRANTED,			/* may go: the next send takes it */
};

/* The one shaped message of an endpoint the shaper knows of (bw.c). */
struct sim_bw_req {
	struct list_head node;		/* its class's prio or bulk list */
	struct sim_bw_class *class;
	struct sim_bw_member *member;
	u32 len;
	u8 state;			/* enum sim_bw_state */
	bool prio;			/* dedicated_access, low_latency */
	bool waited;
	u64 queued_ns;
};

struct sim_msg {
	struct list_head node;
	u32 src_dev;
	u32 src_addr;
	u32 len;
	u32 flags;			/* SSNS_SIM_MSG_* */
	u64 offset;			/* of a write, in the window */
	void *data;			/* kvmalloc()ed, NULL when len is 0 */
	struct sim_bufpool *pool;	/* data goes back there, if set */
	u32 cap;			/* the size of data */
};

struct sim_window {
	refcount_t ref;
	struct page **pages;
	unsigned long npages;
	unsigned int first_off;		/* of the window in pages[0] */
	u64 addr;			/* the user range pinned */
	u64 len;
	struct mm_struct *mm;		/* pinned_vm charged to it */
	bool watched;			/* mni inserted: it may be parked */
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
	struct mmu_interval_notifier mni;	/* changes of the range */
	unsigned long seq;		/* mni's sequence when pinned */
	spinlock_t seq_lock;		/* mni's sequence */
#endif
};

struct sim_ep {
	struct ssns_ep ep;		/* filled in by the core */
	struct sim_ctx *sctx;		/* valid while !dead */
	refcount_t ref;
	spinlock_t lock;		/* rxq, rxq_len, rxq_resv, win, parked, dead */
	struct list_head rxq;
	u32 rxq_len;
	u32 rxq_resv;			/* places held by writes in progress */
	struct sim_window *win;		/* receive window, or NULL */
	struct sim_window *parked;	/* kept pinned for reuse, or NULL */
	struct sim_bw_req bw;		/* under the device's shaper lock */
	bool dead;
	struct mutex rx_mutex;		/* one receiver dequeues at a time */
	struct rcu_head rcu;
};

/* dev.c */
extern struct bus_type sim_bus;
struct sim_dev *sim_dev_new(u32 id, const char *name, u64 link_rate,
			    struct net *net);
void sim_dev_del(struct sim_dev *sd);
int sim_debugfs_init(void);
void sim_debugfs_exit(void);
int sim_fault(struct sim_dev *sd, enum sim_fault op);
struct sim_dev *sim_fabric_dev_rcu(u32 index);

/* ctx.c */
extern const struct ssns_dev_ops sim_dev_ops;
extern const struct ssns_cdev_ops sim_cdev_ops;
extern const char *const sim_counter_names[];
extern const unsigned int sim_nr_counters;

/* fabric.c */
struct sim_bufpool *sim_bufpool_new(void);
void sim_bufpool_close(struct sim_bufpool *pool);
struct sim_ep *sim_ep_new(struct sim_ctx *sctx);
int sim_ep_publish(struct sim_ep *ep, u16 vni, u8 tc, u32 addr);
void sim_dev_free_vnis(struct sim_dev *sd);
void sim_ep_kill(struct sim_ep *ep);
void sim_ep_put(struct sim_ep *ep);
struct sim_ep *sim_ep_get(struct sim_ctx *sctx, u32 handle);
bool sim_ep_has_msg(struct sim_ep *ep);
long sim_send(struct sim_ctx *sctx, void __user *uarg);
long sim_recv(struct sim_ctx *sctx, void __user *uarg);
long sim_write(struct sim_ctx *sctx, void __user *uarg);

/* bw.c */
void sim_bw_init(struct sim_dev *sd, u64 link_rate);
void sim_bw_fini(struct sim_dev *sd);
void sim_bw_policy(struct sim_dev *sd);
int sim_bw_set_link(struct sim_dev *sd, u64 rate);
u64 sim_bw_link(struct sim_dev *sd);
int sim_bw_gate(struct sim_ctx *sctx, struct sim_ep *ep, u32 len, bool wait);
void sim_bw_refund(struct sim_ctx *sctx, struct sim_ep *ep);
void sim_bw_ep_kill(struct sim_ep *ep);
void sim_bw_ctx_release(struct sim_ctx *sctx);
int sim_parse_rate(const char *s, u64 *rate);

static inline bool sim_bw_ep_waiting(const struct sim_ep *ep)
{
	return READ_ONCE(ep->bw.state) == SIM_BW_QUEUED;
}

/* window.c */
long sim_window_set(struct sim_ctx *sctx, void __user *uarg);
void sim_window_put(struct sim_window *win);
int sim_window_copy_in(struct sim_window *win, u64 offset,
		       const void __user *buf, u32 len);

/* ioctl argument helpers (ctx.c) */
int sim_args_in(void *karg, size_t ksize, size_t minsize,
		const void __user *uarg, u32 *usize);
int sim_args_out(void __user *uarg, const void *karg, size_t ksize,
		 u32 usize);

#endif /* _SSNS_SIM_H */
