// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: endpoints and the fabric joining every ssns_sim device.
 *
 * A message carries the VNI of its source endpoint and goes to (device
 * index, address). The fabric looks the destination up by (device, VNI,
 * address) in the destination device's tables, so it reaches only an
 * endpoint of the same VNI, like a Slingshot switch enforcing VNIs. The
 * core is not consulted per message: it decided when the endpoints were
 * allocated. Anything else (no such device,
 * no endpoint with that VNI at that address, endpoint being freed) is
 * dropped and counted; the send itself succeeds, as a sender cannot tell
 * a drop from a delivery on a real fabric. A full receive queue refuses
 * the message with -EAGAIN: nothing is lost silently.
 *
 * Counters, per device: tx_msgs (messages that left the device: delivered
 * or dropped), rx_msgs (delivered to an endpoint of the device), tx_busy
 * (sends refused with -EAGAIN), purged (delivered to an endpoint of the
 * device that was freed, or revoked, before they were received: rx_msgs =
 * received + queued + purged) and drops: messages sent from the device,
 * or addressed to it, that the fabric did not deliver. A drop between two
 * devices counts on both (the sender sees its losses, the target sees
 * who knocked); on one device it counts once.
 *
 * Shaping (bw.c): on a device with a link rate, or on which a bandwidth
 * ceiling may apply, every send and write first asks the device's shaper
 * (sim_bw_gate()), which lets it go, holds it back (-EAGAIN) or makes the
 * sender wait (SSNS_SIM_SEND_WAIT). Elsewhere the data path reads one
 * flag of the device and nothing else.
 *
 * A send holds a place in the target's receive queue (rxq_resv) and a
 * reference on it before it copies the sender's buffer, so that a full
 * queue refuses the message before the copy rather than after it.
 *
 * A write (SSNS_SIM_IOC_WRITE) finds its target the same way, holds a
 * place in the target's receive queue (rxq_resv) and a reference on its
 * window, copies the writer's buffer into the window with no lock held,
 * and then queues a completion in the place it held. It counts as a
 * message in tx_msgs, rx_msgs and drops like a send.
 */
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sim.h"

struct sim_ep *sim_ep_new(struct sim_ctx *sctx)
{
	struct sim_ep *ep = kzalloc(sizeof(*ep), GFP_KERNEL_ACCOUNT);

	if (!ep)
		return NULL;
	ep->sctx = sctx;
	refcount_set(&ep->ref, 1);
	spin_lock_init(&ep->lock);
	INIT_LIST_HEAD(&ep->rxq);
	INIT_LIST_HEAD(&ep->bw.node);
	mutex_init(&ep->rx_mutex);
	return ep;
}

/* ------------------------------------------------------ message buffers */

struct sim_bufpool *sim_bufpool_new(void)
{
	struct sim_bufpool *pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);

	if (!pool)
		return NULL;
	kref_init(&pool->ref);
	spin_lock_init(&pool->lock);
	return pool;
}

static void sim_bufpool_release(struct kref *ref)
{
	kfree(container_of(ref, struct sim_bufpool, ref));
}

/* The context is closed: free its spares; messages in flight free theirs. */
void sim_bufpool_close(struct sim_bufpool *pool)
{
	void *buf[SIM_SPARE_BUFS];
	unsigned int i, n;

	spin_lock(&pool->lock);
	pool->closed = true;
	n = pool->count;
	memcpy(buf, pool->buf, n * sizeof(buf[0]));
	pool->count = 0;
	spin_unlock(&pool->lock);
	for (i = 0; i < n; i++)
		kvfree(buf[i]);
	kref_put(&pool->ref, sim_bufpool_release);
}

/*
 * The buffer of a message of @len bytes that @sctx sends: a spare of its
 * pool when one is large enough, else a new one. Not zeroed: the send
 * copies @len bytes into it, and nobody reads more of it.
 */
static int sim_msg_buf(struct sim_ctx *sctx, struct sim_msg *msg, u32 len)
{
	struct sim_bufpool *pool = sctx->pool;
	unsigned int i;

	if (len >= SIM_SPARE_MIN) {
		spin_lock(&pool->lock);
		for (i = 0; i < pool->count; i++) {
			if (pool->size[i] < len)
				continue;
			msg->data = pool->buf[i];
			msg->cap = pool->size[i];
			pool->count--;
			pool->buf[i] = pool->buf[pool->count];
			pool->size[i] = pool->size[pool->count];
			break;
		}
		spin_unlock(&pool->lock);
	}
	if (!msg->data) {
		msg->data = kvmalloc(len, GFP_KERNEL_ACCOUNT);
		if (!msg->data)
			return -ENOMEM;
		msg->cap = len;
	}
	if (len >= SIM_SPARE_MIN) {
		kref_get(&pool->ref);
		msg->pool = pool;
	}
	return 0;
}

static void sim_msg_free(struct sim_msg *msg)
{
	struct sim_bufpool *pool = msg->pool;
	void *data = msg->data;

	if (pool) {
		spin_lock(&pool->lock);
		if (!pool->closed && pool->count < SIM_SPARE_BUFS) {
			pool->buf[pool->count] = data;
			pool->size[pool->count] = msg->cap;
			pool->count++;
			data = NULL;
		}
		spin_unlock(&pool->lock);
		kref_put(&pool->ref, sim_bufpool_release);
	}
	kvfree(data);
	kfree(msg);
}

/* The endpoint table of (@sd, @vni), made on first use. */
static struct sim_vni *sim_vni_get(struct sim_dev *sd, u16 vni)
{
	struct sim_vni *v, *old;

	v = xa_load(&sd->vnis, vni);
	if (v)
		return v;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return NULL;
	xa_init_flags(&v->eps, XA_FLAGS_ALLOC);
	old = xa_cmpxchg(&sd->vnis, vni, NULL, v, GFP_KERNEL);
	if (old) {
		kfree(v);
		return xa_is_err(old) ? NULL : old;
	}
	return v;
}

/*
 * Admit an endpoint: the core's rules 1 to 4, then rule 5 here (the
 * address @addr, or any free one, on (device, @vni)), then the commit,
 * then the fabric can reach it. Returns 0 or the errno of the rule that
 * refused it; the core counts and announces every refusal.
 */
int sim_ep_publish(struct sim_ep *ep, u16 vni, u8 tc, u32 addr)
{
	struct sim_dev *sd = ep->sctx->sd;
	struct sim_vni *v;
	u32 id;
	int err;

	err = ssns_ep_authorize(ep->sctx->ctx, &ep->ep, vni, tc, addr);
	if (err)
		return err;
	v = sim_vni_get(sd, vni);
	if (!v) {
		err = -ENOMEM;
		goto err_abort;
	}
	/* Hold the address (a NULL entry) until the core has committed. */
	if (addr == SSNS_PID_ANY) {
		err = xa_alloc(&v->eps, &id, NULL, XA_LIMIT(0, sd->max_addr),
			       GFP_KERNEL);
		if (err == -EBUSY)
			err = -ENOSPC;
	} else {
		id = addr;
		err = xa_insert(&v->eps, id, NULL, GFP_KERNEL);
		if (err == -EBUSY)
			err = -EADDRINUSE;
	}
	if (err)
		goto err_abort;
	err = ssns_ep_commit(&ep->ep, id);
	if (err) {
		xa_erase(&v->eps, id);
		goto err_abort;
	}
	xa_store(&v->eps, id, ep, GFP_KERNEL);
	return 0;

err_abort:
	ssns_ep_abort(&ep->ep, err, addr);
	return err;
}

/*
 * Stop an admitted endpoint: nothing can be queued on it any more, the
 * fabric cannot reach it, the core releases it, and its receivers wake
 * up. Called once, by the context that owns it, after removing it from
 * the handle table.
 */
void sim_ep_kill(struct sim_ep *ep)
{
	struct sim_dev *sd = ep->sctx->sd;
	struct sim_window *win, *parked;
	struct sim_vni *v;

	spin_lock(&ep->lock);
	ep->dead = true;
	/* Nothing is queued or taken from now on: what is left is purged. */
	atomic64_add(ep->rxq_len, &sd->purged);
	win = ep->win;
	WRITE_ONCE(ep->win, NULL);
	parked = ep->parked;
	ep->parked = NULL;
	spin_unlock(&ep->lock);
	sim_bw_ep_kill(ep);
	v = xa_load(&sd->vnis, ep->ep.vni);
	if (!WARN_ON_ONCE(!v))
		xa_erase(&v->eps, ep->ep.addr);
	ssns_ep_release(&ep->ep);
	wake_up_all(ep->sctx->wq);
	/* Unpinned now, or when the last write into it is done. */
	sim_window_put(win);
	sim_window_put(parked);
}

/* Free the endpoint tables of a device with no context left. */
void sim_dev_free_vnis(struct sim_dev *sd)
{
	struct sim_vni *v;
	unsigned long vni;

	xa_for_each(&sd->vnis, vni, v) {
		WARN_ON_ONCE(!xa_empty(&v->eps));
		xa_destroy(&v->eps);
		kfree_rcu(v, rcu);
	}
	xa_destroy(&sd->vnis);
}

void sim_ep_put(struct sim_ep *ep)
{
	struct sim_msg *msg, *tmp;

	if (!refcount_dec_and_test(&ep->ref))
		return;
	/* Dead or never published: no sender can reach the queue. */
	list_for_each_entry_safe(msg, tmp, &ep->rxq, node) {
		list_del(&msg->node);
		sim_msg_free(msg);
	}
	mutex_destroy(&ep->rx_mutex);
	/* Senders may still hold it from sim_fabric_ep_rcu(). */
	kfree_rcu(ep, rcu);
}

/* Take a reference on the endpoint behind @handle, or NULL. */
struct sim_ep *sim_ep_get(struct sim_ctx *sctx, u32 handle)
{
	struct sim_ep *ep;

	rcu_read_lock();
	ep = xa_load(&sctx->eps, handle);
	if (ep && !refcount_inc_not_zero(&ep->ref))
		ep = NULL;
	rcu_read_unlock();
	return ep;
}

bool sim_ep_has_msg(struct sim_ep *ep)
{
	return READ_ONCE(ep->rxq_len) != 0;
}

/*
 * The endpoint at (@dst_dev, @dst_addr) on @vni, or NULL; *@dsdp is set to
 * the device when there is one. Only ssns_sim devices are on this fabric.
 * Caller holds rcu_read_lock().
 */
static struct sim_ep *sim_fabric_ep_rcu(u32 dst_dev, u16 vni, u32 dst_addr,
					struct sim_dev **dsdp)
{
	struct sim_vni *v;

	*dsdp = sim_fabric_dev_rcu(dst_dev);
	if (!*dsdp)
		return NULL;
	v = xa_load(&(*dsdp)->vnis, vni);
	return v ? xa_load(&v->eps, dst_addr) : NULL;
}

/* A message from @src not delivered to device @dsd (NULL: none, or gone). */
static void sim_count_drop(struct sim_dev *src, struct sim_dev *dsd)
{
	atomic64_inc(&src->drops);
	if (dsd && dsd != src)
		atomic64_inc(&dsd->drops);
}

/* No place left in @dst's receive queue; caller holds dst->lock. */
static bool sim_rxq_full(const struct sim_ep *dst, const struct sim_dev *dsd)
{
	return dst->rxq_len + dst->rxq_resv >= dsd->rxq_depth;
}

/*
 * Queue @msg on @dst, an endpoint of @dsd, and wake its receivers. Caller
 * holds dst->lock and saw it not dead: its context and the core's wait
 * queue are alive.
 */
static void sim_enqueue_locked(struct sim_ep *dst, struct sim_dev *dsd,
			       struct sim_msg *msg)
{
	list_add_tail(&msg->node, &dst->rxq);
	WRITE_ONCE(dst->rxq_len, dst->rxq_len + 1);
	atomic64_inc(&dsd->rx_msgs);
	wake_up_poll(dst->sctx->wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * Queue @msg from device @src for (@dst_dev, @vni, @dst_addr). Returns 0
 * when queued (the message now belongs to the receiver), -EAGAIN when the
 * receive queue is full and -ENOENT when the fabric drops it (counted).
 */
static int sim_deliver(struct sim_dev *src, u16 vni, u32 dst_dev,
		       u32 dst_addr, struct sim_msg *msg)
{
	struct sim_dev *dsd;
	struct sim_ep *dst;
	int ret = -ENOENT;

	rcu_read_lock();
	dst = sim_fabric_ep_rcu(dst_dev, vni, dst_addr, &dsd);
	if (!dst)
		goto out;

	spin_lock(&dst->lock);
	if (dst->dead) {
		ret = -ENOENT;
	} else if (sim_rxq_full(dst, dsd)) {
		ret = -EAGAIN;
	} else {
		sim_enqueue_locked(dst, dsd, msg);
		ret = 0;
	}
	spin_unlock(&dst->lock);
out:
	if (ret == -ENOENT)
		sim_count_drop(src, dsd);
	rcu_read_unlock();
	return ret;
}

/*
 * The target of a send: the endpoint at (@dst_dev, @dst_addr) on @vni, with
 * a place held in its receive queue and a reference on it, or -ENOENT (no
 * such endpoint: the caller delivers as for a drop) or -EAGAIN (queue
 * full). Holding the place first means that a message the queue refuses is
 * refused before it is copied: a sender that outruns its receiver retries
 * without copying the message again and again.
 */
static int sim_send_target(u16 vni, u32 dst_dev, u32 dst_addr,
			   struct sim_ep **dstp)
{
	struct sim_dev *dsd;
	struct sim_ep *dst;
	int ret = -ENOENT;

	rcu_read_lock();
	dst = sim_fabric_ep_rcu(dst_dev, vni, dst_addr, &dsd);
	if (!dst)
		goto out;

	spin_lock(&dst->lock);
	if (dst->dead) {
		ret = -ENOENT;
	} else if (sim_rxq_full(dst, dsd)) {
		ret = -EAGAIN;
	} else {
		/* Not dead: the context's reference keeps it above zero. */
		refcount_inc(&dst->ref);
		dst->rxq_resv++;
		*dstp = dst;
		ret = 0;
	}
	spin_unlock(&dst->lock);
out:
	rcu_read_unlock();
	return ret;
}

long sim_send(struct sim_ctx *sctx, void __user *uarg)
{
	struct sim_dev *sd = sctx->sd;
	struct sim_ep *src, *dst = NULL;
	struct ssns_sim_send a;
	struct sim_msg *msg;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_SEND_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if (a.flags & ~SSNS_SIM_SEND_WAIT)
		return -EINVAL;
	if (a.len > SSNS_SIM_MSG_MAX)
		return -EMSGSIZE;
	err = sim_fault(sd, SIM_FAULT_SEND);
	if (err)
		return err;

	src = sim_ep_get(sctx, a.handle);
	if (!src)
		return -EBADF;
	if (READ_ONCE(sd->shaping)) {
		err = sim_bw_gate(sctx, src, a.len, a.flags & SSNS_SIM_SEND_WAIT);
		if (err)
			goto out;
	}

	err = -ENOMEM;
	msg = kzalloc(sizeof(*msg), GFP_KERNEL_ACCOUNT);
	if (!msg)
		goto out;
	msg->len = a.len;
	msg->src_dev = sd->index;
	msg->src_addr = src->ep.addr;
	if (READ_ONCE(src->dead)) {
		err = -EBADF;
		goto out_free;
	}

	err = sim_send_target(src->ep.vni, a.dst_dev, a.dst_addr, &dst);
	if (err == -EAGAIN) {
		atomic64_inc(&sd->tx_busy);
		if (READ_ONCE(sd->shaping))
			sim_bw_refund(sctx, src);
		goto out_free;
	}
	if (a.len) {
		err = sim_msg_buf(sctx, msg, a.len);
		if (err)
			goto out_unreserve;
		err = -EFAULT;
		if (copy_from_user(msg->data, u64_to_user_ptr(a.buf), a.len))
			goto out_unreserve;
	}
	err = 0;

	if (!dst) {
		/* No target when we looked: dropped unless it came since. */
		err = sim_deliver(sd, src->ep.vni, a.dst_dev, a.dst_addr, msg);
		if (err == -EAGAIN) {
			atomic64_inc(&sd->tx_busy);
			if (READ_ONCE(sd->shaping))
				sim_bw_refund(sctx, src);
			goto out_free;
		}
		atomic64_inc(&sd->tx_msgs);
		if (!err)
			msg = NULL;
		/* Dropped: the sender is not told. */
		err = 0;
		goto out_free;
	}
	atomic64_inc(&sd->tx_msgs);
out_unreserve:
	if (dst) {
		spin_lock(&dst->lock);
		dst->rxq_resv--;
		if (!err && !dst->dead) {
			sim_enqueue_locked(dst, dst->sctx->sd, msg);
			msg = NULL;
		} else if (!err) {
			/* Freed while we copied: a drop. */
			sim_count_drop(sd, NULL);
		}
		spin_unlock(&dst->lock);
		sim_ep_put(dst);
	}
out_free:
	if (msg)
		sim_msg_free(msg);
out:
	sim_ep_put(src);
	return err;
}

/*
 * Take the first message of @ep into the caller's buffer. Caller holds
 * ep->rx_mutex, so the head of the queue cannot go away under it. Returns
 * -EAGAIN when the queue is empty.
 */
static int sim_recv_one(struct sim_ctx *sctx, struct sim_ep *ep,
			struct ssns_sim_recv *a, void __user *uarg, u32 usize)
{
	struct sim_msg *msg;
	bool dead, more;

	if (ssns_ctx_revoked(sctx->ctx))
		return -ENODEV;
	spin_lock(&ep->lock);
	dead = ep->dead;
	msg = list_first_entry_or_null(&ep->rxq, struct sim_msg, node);
	more = msg && !list_is_last(&msg->node, &ep->rxq);
	spin_unlock(&ep->lock);
	if (dead)
		return -EBADF;
	if (!msg)
		return -EAGAIN;

	a->msg_len = msg->len;
	a->src_dev = msg->src_dev;
	a->src_addr = msg->src_addr;
	a->msg_flags = msg->flags | (more ? SSNS_SIM_MSG_MORE : 0);
	a->offset = msg->offset;
	if (msg->flags & SSNS_SIM_MSG_WRITE) {
		/* A completion: the data is in the window already. */
	} else if (msg->len > a->len) {
		/* Not consumed: tell the caller the size it needs. */
		return sim_args_out(uarg, a, sizeof(*a), usize) ?: -EMSGSIZE;
	} else if (msg->len && copy_to_user(u64_to_user_ptr(a->buf),
					    msg->data, msg->len)) {
		return -EFAULT;
	}
	if (sim_args_out(uarg, a, sizeof(*a), usize))
		return -EFAULT;

	spin_lock(&ep->lock);
	list_del(&msg->node);
	WRITE_ONCE(ep->rxq_len, ep->rxq_len - 1);
	/* Killed while we copied: counted as purged, but it was received. */
	if (ep->dead)
		atomic64_dec(&sctx->sd->purged);
	spin_unlock(&ep->lock);
	sim_msg_free(msg);
	return 0;
}

static bool sim_recv_ready(struct sim_ctx *sctx, struct sim_ep *ep)
{
	return sim_ep_has_msg(ep) || READ_ONCE(ep->dead) ||
	       ssns_ctx_revoked(sctx->ctx);
}

long sim_recv(struct sim_ctx *sctx, void __user *uarg)
{
	struct ssns_sim_recv a;
	struct sim_ep *ep;
	long timeout, left;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_RECV_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if ((a.flags & ~SSNS_SIM_RECV_NONBLOCK) || a.reserved)
		return -EINVAL;
	err = sim_fault(sctx->sd, SIM_FAULT_RECV);
	if (err)
		return err;

	ep = sim_ep_get(sctx, a.handle);
	if (!ep)
		return -EBADF;

	timeout = a.timeout_ms ? msecs_to_jiffies(a.timeout_ms) :
				 MAX_SCHEDULE_TIMEOUT;
	for (;;) {
		if (mutex_lock_interruptible(&ep->rx_mutex)) {
			err = -EINTR;
			break;
		}
		err = sim_recv_one(sctx, ep, &a, uarg, usize);
		mutex_unlock(&ep->rx_mutex);
		if (err != -EAGAIN || (a.flags & SSNS_SIM_RECV_NONBLOCK))
			break;

		left = wait_event_interruptible_timeout(*sctx->wq,
							sim_recv_ready(sctx, ep),
							timeout);
		if (left < 0) {
			err = -EINTR;
			break;
		}
		if (!left) {
			err = -ETIMEDOUT;
			break;
		}
		if (timeout != MAX_SCHEDULE_TIMEOUT)
			timeout = left;
	}
	sim_ep_put(ep);
	return err;
}

/*
 * The target of a write: the endpoint at (@dst_dev, @dst_addr) on @vni,
 * with a place held in its receive queue and references on it and on its
 * window, or an error: -ENOENT (dropped, counted), -EAGAIN (queue full),
 * -EREMOTEIO (no window, or [@offset, @offset + @len) not in it; counted
 * as a drop too).
 */
static int sim_write_target(struct sim_dev *src, u16 vni, u32 dst_dev,
			    u32 dst_addr, u64 offset, u32 len,
			    struct sim_ep **dstp, struct sim_window **winp)
{
	struct sim_window *win;
	struct sim_dev *dsd;
	struct sim_ep *dst;
	int ret = -ENOENT;

	rcu_read_lock();
	dst = sim_fabric_ep_rcu(dst_dev, vni, dst_addr, &dsd);
	if (!dst)
		goto out;

	spin_lock(&dst->lock);
	win = dst->win;
	if (dst->dead) {
		ret = -ENOENT;
	} else if (!win || offset > win->len || len > win->len - offset) {
		ret = -EREMOTEIO;
	} else if (sim_rxq_full(dst, dsd)) {
		ret = -EAGAIN;
	} else {
		/* Not dead: the context's reference keeps it above zero. */
		refcount_inc(&dst->ref);
		refcount_inc(&win->ref);
		dst->rxq_resv++;
		*dstp = dst;
		*winp = win;
		ret = 0;
	}
	spin_unlock(&dst->lock);
out:
	if (ret == -ENOENT || ret == -EREMOTEIO)
		sim_count_drop(src, dsd);
	rcu_read_unlock();
	return ret;
}

long sim_write(struct sim_ctx *sctx, void __user *uarg)
{
	struct sim_dev *sd = sctx->sd;
	struct sim_window *win = NULL;
	struct sim_ep *src, *dst = NULL;
	struct ssns_sim_write a;
	struct sim_msg *msg;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_WRITE_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if (a.flags & ~SSNS_SIM_SEND_WAIT)
		return -EINVAL;
	if (a.len > SSNS_SIM_MSG_MAX)
		return -EMSGSIZE;
	if (!access_ok(u64_to_user_ptr(a.buf), a.len))
		return -EFAULT;
	err = sim_fault(sd, SIM_FAULT_SEND);
	if (err)
		return err;

	src = sim_ep_get(sctx, a.handle);
	if (!src)
		return -EBADF;
	if (READ_ONCE(sd->shaping)) {
		err = sim_bw_gate(sctx, src, a.len, a.flags & SSNS_SIM_SEND_WAIT);
		if (err)
			goto out;
	}
	/* The completion, allocated before anything is written. */
	err = -ENOMEM;
	msg = kzalloc(sizeof(*msg), GFP_KERNEL_ACCOUNT);
	if (!msg)
		goto out;
	msg->len = a.len;
	msg->flags = SSNS_SIM_MSG_WRITE;
	msg->offset = a.offset;
	msg->src_dev = sd->index;
	msg->src_addr = src->ep.addr;
	if (READ_ONCE(src->dead)) {
		err = -EBADF;
		goto out_free;
	}

	err = sim_write_target(sd, src->ep.vni, a.dst_dev, a.dst_addr,
			       a.offset, a.len, &dst, &win);
	if (err == -EAGAIN) {
		atomic64_inc(&sd->tx_busy);
		if (READ_ONCE(sd->shaping))
			sim_bw_refund(sctx, src);
		goto out_free;
	}
	if (err == -ENOENT) {
		/* Dropped: the writer is not told, as for a send. */
		atomic64_inc(&sd->tx_msgs);
		err = 0;
		goto out_free;
	}
	if (err)
		goto out_free;

	err = sim_window_copy_in(win, a.offset, u64_to_user_ptr(a.buf),
				 a.len);
	/* Left the device, unless its source faulted (nothing queued). */
	if (!err)
		atomic64_inc(&sd->tx_msgs);

	spin_lock(&dst->lock);
	dst->rxq_resv--;
	if (!err && !dst->dead) {
		sim_enqueue_locked(dst, dst->sctx->sd, msg);
		msg = NULL;
	} else if (!err) {
		/* Freed while we wrote: a drop (its device may be gone). */
		sim_count_drop(sd, NULL);
	}
	spin_unlock(&dst->lock);
	sim_window_put(win);
	sim_ep_put(dst);
out_free:
	if (msg)
		sim_msg_free(msg);
out:
	sim_ep_put(src);
	return err;
}
