// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: the ops the core's char-device helper calls for each context
 * (open file of /dev/cxiN), the control ioctls (INFO, EP_ALLOC, EP_FREE)
 * and the counters the device publishes.
 *
 * The helper calls every op with the file's in-flight lock held for
 * reading, so ->release() never runs concurrently with another op; ops may
 * run concurrently with each other on one context.
 */
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sim.h"

/*
 * Copy in a size-versioned argument: its first u32 is its size, at least
 * @minsize (else -EINVAL) and at most a page (else -E2BIG); bytes beyond
 * @ksize must be zero (else -E2BIG); bytes the caller did not pass are
 * zero in @karg.
 */
int sim_args_in(void *karg, size_t ksize, size_t minsize,
		const void __user *uarg, u32 *usize)
{
	u32 size;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < minsize)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	*usize = size;
	return copy_struct_from_user(karg, ksize, uarg, size);
}

/* Copy back the part of an argument the caller knows about. */
int sim_args_out(void __user *uarg, const void *karg, size_t ksize,
		 u32 usize)
{
	if (copy_to_user(uarg, karg, min_t(size_t, ksize, usize)))
		return -EFAULT;
	return 0;
}

static int sim_open(struct ssns_ctx *ctx)
{
	struct sim_dev *sd = ssns_dev_priv(ssns_ctx_dev(ctx));
	struct sim_ctx *sctx;
	int err;

	err = sim_fault(sd, SIM_FAULT_OPEN);
	if (err)
		return err;

	sctx = kzalloc(sizeof(*sctx), GFP_KERNEL_ACCOUNT);
	if (!sctx)
		return -ENOMEM;
	sctx->pool = sim_bufpool_new();
	if (!sctx->pool) {
		kfree(sctx);
		return -ENOMEM;
	}
	sctx->ctx = ctx;
	sctx->sd = sd;
	sctx->wq = ssns_cdev_waitq(ctx);
	xa_init_flags(&sctx->eps, XA_FLAGS_ALLOC1);
	sctx->net_cookie = ssns_ctx_net_cookie(ctx);
	ssns_ctx_set_priv(ctx, sctx);
	return 0;
}

static void sim_release(struct ssns_ctx *ctx)
{
	struct sim_ctx *sctx = ssns_ctx_priv(ctx);
	struct sim_ep *ep;
	unsigned long handle;

	if (!sctx)
		return;
	xa_for_each(&sctx->eps, handle, ep) {
		xa_erase(&sctx->eps, handle);
		sim_ep_kill(ep);
		sim_ep_put(ep);
	}
	xa_destroy(&sctx->eps);
	sim_bw_ctx_release(sctx);
	sim_bufpool_close(sctx->pool);
	ssns_ctx_set_priv(ctx, NULL);
	kfree(sctx);
}

static void sim_kick(struct ssns_ctx *ctx)
{
	struct sim_ctx *sctx = ssns_ctx_priv(ctx);

	if (sctx)
		wake_up_all(sctx->wq);
}

static __poll_t sim_poll(struct ssns_ctx *ctx, struct file *file,
			 poll_table *wait)
{
	struct sim_ctx *sctx = ssns_ctx_priv(ctx);
	__poll_t mask = EPOLLOUT | EPOLLWRNORM, in = 0;
	bool shaping = READ_ONCE(sctx->sd->shaping);
	unsigned long handle;
	struct sim_ep *ep;

	if (!sctx)
		return EPOLLERR | EPOLLHUP;
	/*
	 * The helper has already queued the caller on ssns_cdev_waitq(),
	 * the queue every delivery, endpoint release and revocation wakes.
	 */

	rcu_read_lock();
	xa_for_each(&sctx->eps, handle, ep) {
		if (sim_ep_has_msg(ep)) {
			in = EPOLLIN | EPOLLRDNORM;
			if (!shaping)
				break;
		}
		/* A message held back by the shaper: not writable yet. */
		if (shaping && sim_bw_ep_waiting(ep))
			mask = 0;
	}
	rcu_read_unlock();
	return mask | in;
}

static long sim_info(struct sim_ctx *sctx, void __user *uarg)
{
	struct ssns_sim_info a;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_INFO_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if (memchr_inv(a.reserved, 0, sizeof(a.reserved)))
		return -EINVAL;

	a.dev_index = sctx->sd->index;
	a.max_addr = sctx->sd->max_addr;
	a.rxq_depth = sctx->sd->rxq_depth;
	a.net_cookie = sctx->net_cookie;
	return sim_args_out(uarg, &a, sizeof(a), usize);
}

static long sim_ep_alloc(struct sim_ctx *sctx, void __user *uarg)
{
	struct ssns_sim_ep_alloc a;
	struct sim_ep *ep;
	u32 usize, handle;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_EP_ALLOC_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if (a.reserved)
		return -EINVAL;
	if (a.vni < SSNS_VNI_MIN || a.vni > SSNS_VNI_MAX || a.tc > SSNS_TC_MAX)
		return -EINVAL;
	if (a.addr != SSNS_PID_ANY && a.addr > sctx->sd->max_addr)
		return -EINVAL;
	err = sim_fault(sctx->sd, SIM_FAULT_EP_ALLOC);
	if (err)
		return err;

	ep = sim_ep_new(sctx);
	if (!ep)
		return -ENOMEM;
	/* The core decides visibility, profile, tenant and cgroup. */
	err = sim_ep_publish(ep, a.vni, a.tc, a.addr);
	if (err) {
		/* Never published: nobody else can see it. */
		sim_ep_put(ep);
		return err;
	}

	err = xa_alloc(&sctx->eps, &handle, ep, xa_limit_31b,
		       GFP_KERNEL_ACCOUNT);
	if (err) {
		sim_ep_kill(ep);
		sim_ep_put(ep);
		return err == -EBUSY ? -ENOSPC : err;
	}

	a.addr = ep->ep.addr;
	a.handle = handle;
	err = sim_args_out(uarg, &a, sizeof(a), usize);
	if (err && xa_cmpxchg(&sctx->eps, handle, ep, NULL, 0) == ep) {
		/* The caller cannot learn the handle: undo. */
		sim_ep_kill(ep);
		sim_ep_put(ep);
	}
	return err;
}

static long sim_ep_free(struct sim_ctx *sctx, void __user *uarg)
{
	struct ssns_sim_ep_free a;
	struct sim_ep *ep;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_EP_FREE_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;

	/*
	 * Handles start at 1: erasing index 0 of an XA_FLAGS_ALLOC1 array
	 * would mark it free, and the next EP_ALLOC would return handle 0.
	 */
	if (!a.handle)
		return -EBADF;
	ep = xa_erase(&sctx->eps, a.handle);
	if (!ep)
		return -EBADF;
	sim_ep_kill(ep);
	sim_ep_put(ep);
	return 0;
}

static long sim_ioctl(struct ssns_ctx *ctx, unsigned int cmd,
		      unsigned long arg)
{
	struct sim_ctx *sctx = ssns_ctx_priv(ctx);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SSNS_SIM_IOC_INFO:
		return sim_info(sctx, uarg);
	case SSNS_SIM_IOC_EP_ALLOC:
		return sim_ep_alloc(sctx, uarg);
	case SSNS_SIM_IOC_EP_FREE:
		return sim_ep_free(sctx, uarg);
	case SSNS_SIM_IOC_SEND:
		return sim_send(sctx, uarg);
	case SSNS_SIM_IOC_RECV:
		return sim_recv(sctx, uarg);
	case SSNS_SIM_IOC_WINDOW:
		return sim_window_set(sctx, uarg);
	case SSNS_SIM_IOC_WRITE:
		return sim_write(sctx, uarg);
	default:
		return -ENOTTY;
	}
}

const char *const sim_counter_names[] = {
	"tx_msgs", "rx_msgs", "drops", "tx_busy", "purged", "tx_shaped",
};

const unsigned int sim_nr_counters = ARRAY_SIZE(sim_counter_names);

static void sim_counters(struct ssns_dev *dev, u64 *values)
{
	struct sim_dev *sd = ssns_dev_priv(dev);

	values[0] = atomic64_read(&sd->tx_msgs);
	values[1] = atomic64_read(&sd->rx_msgs);
	values[2] = atomic64_read(&sd->drops);
	values[3] = atomic64_read(&sd->tx_busy);
	values[4] = atomic64_read(&sd->purged);
	values[5] = atomic64_read(&sd->tx_shaped);
}

static void sim_policy(struct ssns_dev *dev, const struct ssns_policy *p)
{
	/* The simulator has no access lists to mirror: only bandwidth. */
	if (p->type == SSNS_POLICY_BW)
		sim_bw_policy(ssns_dev_priv(dev));
}

const struct ssns_dev_ops sim_dev_ops = {
	.counters	= sim_counters,
	.policy		= sim_policy,
};

const struct ssns_cdev_ops sim_cdev_ops = {
	.open		= sim_open,
	.release	= sim_release,
	.kick		= sim_kick,
	.ioctl		= sim_ioctl,
	.poll		= sim_poll,
};
