/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns: in-kernel API between the isolation core (ssns.ko) and NIC
 * providers (ssns_sim.ko today, an adapter for the cxi driver later).
 *
 * The core owns the device registry, the char device /dev/cxiN and its file
 * operations, contexts (one per open file), revocation and endpoint
 * admission. A provider never decides isolation: it asks the core to admit
 * an endpoint and implements its data path in the ops below.
 *
 * Every op is called with the context's in-flight lock held for reading,
 * so the context cannot be revoked while an op runs. Before a revocation
 * takes that lock for writing, the core sets the revoked flag and calls
 * ->kick() so that an op sleeping in the provider (a blocking receive)
 * wakes up and returns -ENODEV; a provider's sleeping waits must therefore
 * also wake on ssns_ctx_revoked().
 *
 * Module lifetime: the core calls no op of a device after
 * ssns_dev_unregister() returned (every context is revoked first), so a
 * provider may unregister its devices and unload while files are still
 * open; those files then fail with -ENODEV.
 */
#ifndef _SSNS_PROVIDER_H
#define _SSNS_PROVIDER_H

#include <linux/types.h>
#include <linux/poll.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <uapi/linux/ssns.h>

struct ssns_dev;
struct ssns_ctx;
struct ssns_tenant;
struct net;
struct module;
struct device;

/*
 * An endpoint, embedded in the provider's own endpoint structure.
 * The core fills it in on admission; the provider must not write it.
 */
struct ssns_ep {
	struct ssns_ctx *ctx;
	u16 vni;
	u8 tc;
	u32 addr;		/* endpoint address ("pid") on (device, VNI) */
	pid_t owner_pid;	/* tgid of the allocating task */
	char owner_comm[TASK_COMM_LEN];
	struct list_head ctx_node;	/* core: context's endpoint list */
	void *cg;		/* core: rdma cgroup charged, or NULL */
	void *profile;		/* core: the profile admitting it */
};

struct ssns_dev_ops {
	/* A new context was admitted by the core; set up provider state. */
	int (*open)(struct ssns_ctx *ctx);
	/*
	 * Release every endpoint of the context (each with
	 * ssns_ep_release()) and all provider state. Called exactly once per
	 * context, on last close or on revocation, with no op in flight.
	 */
	void (*release)(struct ssns_ctx *ctx);
	/* Wake up sleepers of the context: it is being revoked. Optional. */
	void (*kick)(struct ssns_ctx *ctx);
	long (*ioctl)(struct ssns_ctx *ctx, unsigned int cmd, unsigned long arg);
	__poll_t (*poll)(struct ssns_ctx *ctx, struct file *file,
			 poll_table *wait);
	/* Add provider counters (SSNS_STAT_TX_MSGS...) to a dump. Optional. */
	void (*stats)(struct ssns_dev *dev, u64 *stats /* [SSNS_STAT_MAX+1] */);
};

struct ssns_dev_params {
	const char *name;		/* "cxi%d" is allowed: core numbers it */
	const char *provider;		/* "ssns_sim" */
	const struct ssns_dev_ops *ops;
	struct module *owner;		/* provider module (see above) */
	struct device *parent;		/* optional, for the char device */
	struct net *net;		/* owner netns at creation (NULL: init_net) */
	u32 max_addr;			/* endpoint addresses 0..max_addr */
	void *priv;
};

/* Registry. Register returns ERR_PTR() on failure. */
struct ssns_dev *ssns_dev_register(const struct ssns_dev_params *params);
/* Revokes every open context (waiting for in-flight ops), then frees. */
void ssns_dev_unregister(struct ssns_dev *dev);

u32 ssns_dev_index(const struct ssns_dev *dev);
const char *ssns_dev_name(const struct ssns_dev *dev);
void *ssns_dev_priv(const struct ssns_dev *dev);

/* Contexts */
struct ssns_dev *ssns_ctx_dev(const struct ssns_ctx *ctx);
void *ssns_ctx_priv(const struct ssns_ctx *ctx);
void ssns_ctx_set_priv(struct ssns_ctx *ctx, void *priv);
bool ssns_ctx_revoked(const struct ssns_ctx *ctx);
/* net_cookie of the netns the context was opened in. */
u64 ssns_ctx_net_cookie(const struct ssns_ctx *ctx);
/*
 * Wait queue of the context, owned by the core and valid until the file is
 * released (after any revocation). A provider uses it for ->poll() and for
 * its blocking waits, so that no poll or epoll entry can outlive it; the
 * core wakes it (EPOLLERR | EPOLLHUP) when it revokes the context.
 */
wait_queue_head_t *ssns_ctx_waitq(struct ssns_ctx *ctx);

/*
 * Admit an endpoint on a context for (vni, tc, addr); addr may be
 * SSNS_PID_ANY. Applies the admission rules in order and returns 0 or the
 * rule's errno: -ENODEV, -ENOENT, -EACCES, -EAGAIN, -EADDRINUSE, -ENOSPC.
 * On success ep is filled in and published for ssns_ep_lookup().
 * May sleep: call it from process context, without spinlocks held.
 */
int ssns_ep_admit(struct ssns_ctx *ctx, struct ssns_ep *ep,
		  u16 vni, u8 tc, u32 addr);
/* Unpublish and uncharge; the caller frees ep after an RCU grace period. */
void ssns_ep_release(struct ssns_ep *ep);

/*
 * Find the endpoint at (device index, vni, addr). Caller holds
 * rcu_read_lock(); the result is valid until rcu_read_unlock().
 */
struct ssns_ep *ssns_ep_lookup_rcu(u32 dev_index, u16 vni, u32 addr);

#endif /* _SSNS_PROVIDER_H */
