// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: bandwidth. Each device has an egress link of a given rate
 * (link_rate, bit/s; 0, the default: as fast as the copy goes) and
 * enforces the bandwidth policy the core holds (ssns_ctx_bw()): a share
 * per tenant, ceilings per tenant and per member (pod).
 *
 * The scheduler. A send or write asks the device's shaper for its length
 * in bytes. The link, each tenant's ceiling and each member's ceiling are
 * pacers: each has the time it is free again (an earliest departure
 * time), pushed forward by len / rate at every grant. A message may go
 * when each pacer that applies is free within SIM_BW_AHEAD_NS of now; an
 * idle pacer keeps at most SIM_BW_IDLE_NS of credit (a late timer, or a
 * virtual CPU that did not run for a while, does not cost the link its
 * rate). So a burst is at most SIM_BW_AHEAD_NS + SIM_BW_IDLE_NS at the
 * rate, and over a window W a rate is exceeded by at most that over W.
 *
 * Tenants share the link by start-time fair queueing: each tenant (class)
 * has the virtual finish time of its last grant, which a grant of len
 * bytes pushes by len / share; among the waiting requests that the
 * pacers allow, the class with the smallest start time (its finish time,
 * or the system's virtual time if it fell behind) goes first. Backlogged
 * tenants thus get the link in proportion to their shares, and an idle
 * tenant's share goes to the busy ones (work-conserving): the link waits
 * only when every waiting request is held by a ceiling.
 *
 * Traffic classes: dedicated_access and low_latency messages of a tenant
 * within its share (its start time at most SIM_BW_PRIO_CREDIT ahead of
 * the system's) do not wait for the link at all: they are interleaved
 * with the bulk transfers, as a fabric interleaves packets of its traffic
 * classes, and charged to the link and to the tenant's share afterwards.
 * They still obey the ceilings. Beyond its share a tenant's priority
 * messages queue like bulk_data ones (first within the tenant).
 *
 * Nothing is dropped. A request the shaper cannot grant at once is queued
 * on its class (one per endpoint: its request slot) and the sender is
 * told -EAGAIN, or sleeps with SSNS_SIM_SEND_WAIT; the grant (an hrtimer
 * at the next time a pacer frees up, or any later send) wakes the file's
 * wait queue with EPOLLOUT, and the next send of the endpoint takes it. A
 * waiting sender wakes up on revocation (-ENODEV), the end of its
 * endpoint (-EBADF) and signals (-EINTR); the end of an endpoint takes
 * its request off the queue. A granted message that the receive queue
 * refuses keeps its grant for the retry.
 *
 * The fast path: a device with no link rate on which no ceiling may apply
 * (ssns_dev_bw_limited()) has shaping off, and its data path reads that
 * one flag and nothing else.
 *
 * Locking: sh->lock (a spinlock, taken with bottom halves off: the timer
 * is a soft hrtimer) guards the shaper, its classes and every request
 * slot of the device's endpoints; it nests inside the core's
 * configuration lock (policy changes) and takes only wait queue locks.
 * Classes hold no reference on their tenant: the contexts using a class
 * do, and a class goes with the last of them.
 */
#include <linux/ctype.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "sim.h"

/*
 * How far ahead of time a pacer may be charged, and how much of its idle
 * time it may still use: together, the burst a pacer allows (30 ms at its
 * rate). They are of the order of a host's scheduling delays, which a
 * simulator in a virtual machine sees often.
 */
#define SIM_BW_AHEAD_NS		(5 * NSEC_PER_MSEC)
#define SIM_BW_IDLE_NS		(25 * NSEC_PER_MSEC)
/* Virtual time: bytes << SIM_BW_VSHIFT / share. */
#define SIM_BW_VSHIFT		16
/* How far ahead of its share a tenant's priority messages still jump. */
#define SIM_BW_PRIO_CREDIT	((u64)SZ_64K << SIM_BW_VSHIFT)

/* A tenant using the device (or the tenant-less traffic). */
struct sim_bw_class {
	struct list_head node;		/* sh->classes */
	const struct ssns_tenant *tenant;	/* NULL: tenant-less */
	unsigned int users;		/* contexts bound to it */
	u32 share;
	u64 max;			/* bit/s, 0: none */
	u64 ceil_next;			/* ns: when its ceiling frees up */
	u64 vfinish;			/* virtual finish of its last grant */
	struct list_head prio, bulk;	/* waiting requests, in order */
	unsigned int nr_queued;
};

/* A member of a tenant (a pod's netns or cgroup) using the device. */
struct sim_bw_member {
	struct list_head node;		/* sh->members */
	const struct ssns_tenant *tenant;
	bool is_cg;
	u64 id;
	unsigned int users;
	u64 max;			/* bit/s, 0: none */
	u64 ceil_next;
};

static u64 sim_bw_cost(u32 len, u64 rate)
{
	return div64_u64((u64)len * BITS_PER_BYTE * NSEC_PER_SEC, rate);
}

/* When a pacer free at @next may be charged again. */
static u64 sim_bw_from(u64 next)
{
	return next > SIM_BW_AHEAD_NS ? next - SIM_BW_AHEAD_NS : 0;
}

static void sim_bw_pace(u64 *next, u64 rate, u32 len, u64 now)
{
	u64 from = now > SIM_BW_IDLE_NS ? now - SIM_BW_IDLE_NS : 0;

	if (rate)
		*next = max(*next, from) + sim_bw_cost(len, rate);
}

/* Virtual times wrap: compare them as the kernel compares jiffies. */
static bool sim_bw_vbefore(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static u64 sim_bw_start(const struct sim_shaper *sh,
			const struct sim_bw_class *c)
{
	return sim_bw_vbefore(c->vfinish, sh->vtime) ? sh->vtime : c->vfinish;
}

static bool sim_bw_tc_prio(u8 tc)
{
	return tc == SSNS_TC_DEDICATED_ACCESS || tc == SSNS_TC_LOW_LATENCY;
}

static struct sim_ep *sim_bw_req_ep(struct sim_bw_req *r)
{
	return container_of(r, struct sim_ep, bw);
}

static void sim_bw_unqueue(struct sim_shaper *sh, struct sim_bw_req *r)
{
	list_del_init(&r->node);
	r->class->nr_queued--;
	sh->nr_queued--;
}

/* The request may go: charge it and wake its sender. */
static void sim_bw_grant(struct sim_shaper *sh, struct sim_bw_req *r,
			 u64 now)
{
	struct sim_bw_class *c = r->class;
	struct sim_bw_member *m = r->member;
	u64 start = sim_bw_start(sh, c);

	sim_bw_pace(&sh->link_next, sh->link_rate, r->len, now);
	sim_bw_pace(&c->ceil_next, c->max, r->len, now);
	if (m)
		sim_bw_pace(&m->ceil_next, m->max, r->len, now);
	c->vfinish = start + div_u64((u64)r->len << SIM_BW_VSHIFT, c->share);
	sh->vtime = start;
	sim_bw_unqueue(sh, r);
	WRITE_ONCE(r->state, SIM_BW_GRANTED);
	/* Queued only while not dead: its context and wait queue live. */
	wake_up_poll(sim_bw_req_ep(r)->sctx->wq, EPOLLOUT | EPOLLWRNORM);
}

/*
 * The first request of @c that may go at @now (priority ones first,
 * passing the link when @prio_ok), or NULL with *@when lowered to the
 * earliest time one of them may.
 */
static struct sim_bw_req *sim_bw_pick(struct sim_shaper *sh,
				      struct sim_bw_class *c, bool prio_ok,
				      u64 now, u64 *when)
{
	struct list_head *lists[] = { &c->prio, &c->bulk };
	u64 base = c->max ? sim_bw_from(c->ceil_next) : 0;
	struct sim_bw_req *r;
	unsigned int i;
	u64 t;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry(r, lists[i], node) {
			t = base;
			if (r->member && r->member->max)
				t = max(t, sim_bw_from(r->member->ceil_next));
			if (sh->link_rate && !(r->prio && prio_ok))
				t = max(t, sim_bw_from(sh->link_next));
			if (t <= now)
				return r;
			*when = min(*when, t);
		}
	}
	return NULL;
}

/* Grant what may go now, in fair order; arm the timer for the rest. */
static void sim_bw_dispatch(struct sim_shaper *sh, u64 now)
{
	struct sim_bw_req *r, *best;
	struct sim_bw_class *c;
	u64 when = U64_MAX, start, best_start = 0;
	bool prio_ok, jump, best_jump = false;

	lockdep_assert_held(&sh->lock);
	while (sh->nr_queued) {
		best = NULL;
		list_for_each_entry(c, &sh->classes, node) {
			if (!c->nr_queued)
				continue;
			start = sim_bw_start(sh, c);
			prio_ok = !sim_bw_vbefore(sh->vtime + SIM_BW_PRIO_CREDIT,
						  start);
			r = sim_bw_pick(sh, c, prio_ok, now, &when);
			if (!r)
				continue;
			jump = r->prio && prio_ok;
			if (!best || (jump && !best_jump) ||
			    (jump == best_jump &&
			     sim_bw_vbefore(start, best_start))) {
				best = r;
				best_start = start;
				best_jump = jump;
			}
		}
		if (!best)
			break;
		sim_bw_grant(sh, best, now);
	}
	if (sh->nr_queued && when != U64_MAX)
		hrtimer_start(&sh->timer, ns_to_ktime(when),
			      HRTIMER_MODE_ABS_SOFT);
}

static enum hrtimer_restart sim_bw_timer(struct hrtimer *timer)
{
	struct sim_shaper *sh = container_of(timer, struct sim_shaper, timer);

	spin_lock(&sh->lock);
	sim_bw_dispatch(sh, ktime_get_ns());
	spin_unlock(&sh->lock);
	return HRTIMER_NORESTART;
}

/* Shaping went off: every waiting request may go. */
static void sim_bw_release_all(struct sim_shaper *sh)
{
	struct sim_bw_req *r, *tmp;
	struct sim_bw_class *c;
	u64 now = ktime_get_ns();

	list_for_each_entry(c, &sh->classes, node) {
		list_for_each_entry_safe(r, tmp, &c->prio, node)
			sim_bw_grant(sh, r, now);
		list_for_each_entry_safe(r, tmp, &c->bulk, node)
			sim_bw_grant(sh, r, now);
	}
}

/* Whether to shape, and with what: after a change. Caller holds sh->lock. */
static void sim_bw_update(struct sim_dev *sd)
{
	struct sim_shaper *sh = &sd->bw;
	bool on = sh->link_rate || (sd->core && ssns_dev_bw_limited(sd->core));

	sh->on = on;
	WRITE_ONCE(sd->shaping, on);
	if (on)
		sim_bw_dispatch(sh, ktime_get_ns());
	else
		sim_bw_release_all(sh);
}

void sim_bw_init(struct sim_dev *sd, u64 link_rate)
{
	struct sim_shaper *sh = &sd->bw;

	spin_lock_init(&sh->lock);
	hrtimer_init(&sh->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	sh->timer.function = sim_bw_timer;
	INIT_LIST_HEAD(&sh->classes);
	INIT_LIST_HEAD(&sh->members);
	sh->link_rate = link_rate;
}

/* The device has no context left. */
void sim_bw_fini(struct sim_dev *sd)
{
	struct sim_shaper *sh = &sd->bw;

	hrtimer_cancel(&sh->timer);
	WARN_ON_ONCE(!list_empty(&sh->classes) || !list_empty(&sh->members));
}

/*
 * The policy may have changed (SSNS_POLICY_BW), or the device just
 * registered: read every class's share and ceilings again. A ceiling that
 * changed forgets the debt of the old rate.
 */
void sim_bw_policy(struct sim_dev *sd)
{
	struct sim_shaper *sh = &sd->bw;
	struct sim_bw_member *m;
	struct sim_bw_class *c;
	u64 now = ktime_get_ns(), max;
	u32 share;

	spin_lock_bh(&sh->lock);
	list_for_each_entry(c, &sh->classes, node) {
		ssns_tenant_bw(c->tenant, sd->core, &share, &max);
		c->share = share;
		if (max != c->max) {
			c->max = max;
			c->ceil_next = min(c->ceil_next, now);
		}
	}
	list_for_each_entry(m, &sh->members, node) {
		max = ssns_tenant_member_bw(m->tenant, m->is_cg, m->id);
		if (max != m->max) {
			m->max = max;
			m->ceil_next = min(m->ceil_next, now);
		}
	}
	sim_bw_update(sd);
	spin_unlock_bh(&sh->lock);
}

int sim_bw_set_link(struct sim_dev *sd, u64 rate)
{
	struct sim_shaper *sh = &sd->bw;

	if (rate && (rate < SSNS_BW_RATE_MIN || rate > SSNS_BW_RATE_MAX))
		return -ERANGE;
	spin_lock_bh(&sh->lock);
	sh->link_rate = rate;
	sh->link_next = min(sh->link_next, ktime_get_ns());
	sim_bw_update(sd);
	spin_unlock_bh(&sh->lock);
	return 0;
}

u64 sim_bw_link(struct sim_dev *sd)
{
	return READ_ONCE(sd->bw.link_rate);
}

static struct sim_bw_class *sim_bw_find_class(struct sim_shaper *sh,
					      const struct ssns_tenant *t)
{
	struct sim_bw_class *c;

	list_for_each_entry(c, &sh->classes, node)
		if (c->tenant == t)
			return c;
	return NULL;
}

static struct sim_bw_member *sim_bw_find_member(struct sim_shaper *sh,
						bool is_cg, u64 id)
{
	struct sim_bw_member *m;

	list_for_each_entry(m, &sh->members, node)
		if (m->is_cg == is_cg && m->id == id)
			return m;
	return NULL;
}

/*
 * Bind a context to its classes the first time it sends through the
 * shaper. Its tenant and member never change, so this is done once.
 */
static int sim_bw_bind(struct sim_ctx *sctx)
{
	struct sim_shaper *sh = &sctx->sd->bw;
	const struct ssns_tenant *t = ssns_ctx_tenant(sctx->ctx);
	struct sim_bw_member *m, *mnew = NULL;
	struct sim_bw_class *c, *cnew;
	struct ssns_bw bw;

	ssns_ctx_bw(sctx->ctx, &bw);
	cnew = kzalloc(sizeof(*cnew), GFP_KERNEL);
	if (t)
		mnew = kzalloc(sizeof(*mnew), GFP_KERNEL);
	if (!cnew || (t && !mnew)) {
		kfree(cnew);
		kfree(mnew);
		return -ENOMEM;
	}
	spin_lock_bh(&sh->lock);
	if (sctx->bw_bound)
		goto out;
	c = sim_bw_find_class(sh, t);
	if (!c) {
		c = cnew;
		cnew = NULL;
		c->tenant = t;
		c->share = bw.share;
		c->max = bw.tenant_max;
		c->vfinish = sh->vtime;
		INIT_LIST_HEAD(&c->prio);
		INIT_LIST_HEAD(&c->bulk);
		list_add_tail(&c->node, &sh->classes);
	}
	c->users++;
	sctx->bw_class = c;
	if (t) {
		m = sim_bw_find_member(sh, bw.member_is_cgroup, bw.member_id);
		if (!m) {
			m = mnew;
			mnew = NULL;
			m->tenant = t;
			m->is_cg = bw.member_is_cgroup;
			m->id = bw.member_id;
			m->max = bw.member_max;
			list_add_tail(&m->node, &sh->members);
		}
		m->users++;
		sctx->bw_member = m;
	}
	WRITE_ONCE(sctx->bw_bound, true);
out:
	spin_unlock_bh(&sh->lock);
	kfree(cnew);
	kfree(mnew);
	return 0;
}

/* The context goes: so do the classes nobody else uses. */
void sim_bw_ctx_release(struct sim_ctx *sctx)
{
	struct sim_shaper *sh = &sctx->sd->bw;
	struct sim_bw_member *m = sctx->bw_member;
	struct sim_bw_class *c = sctx->bw_class;

	if (!sctx->bw_bound)
		return;
	spin_lock_bh(&sh->lock);
	/* Its endpoints are gone, and their requests with them. */
	if (!--c->users) {
		WARN_ON_ONCE(c->nr_queued);
		list_del(&c->node);
		kfree(c);
	}
	if (m && !--m->users) {
		list_del(&m->node);
		kfree(m);
	}
	spin_unlock_bh(&sh->lock);
	sctx->bw_class = NULL;
	sctx->bw_member = NULL;
	sctx->bw_bound = false;
}

/* An endpoint is killed (dead already): its request leaves the queue. */
void sim_bw_ep_kill(struct sim_ep *ep)
{
	struct sim_shaper *sh = &ep->sctx->sd->bw;

	/*
	 * Requests are queued under the lock, and only while the endpoint is
	 * not dead: after this, none is.
	 */
	spin_lock_bh(&sh->lock);
	if (ep->bw.state == SIM_BW_QUEUED)
		sim_bw_unqueue(sh, &ep->bw);
	ep->bw.state = SIM_BW_IDLE;
	spin_unlock_bh(&sh->lock);
}

/* Take a grant: the message goes. Caller holds sh->lock. */
static u64 sim_bw_take(struct sim_bw_req *r, u64 now)
{
	u64 waited = r->waited ? now - r->queued_ns : 0;

	WRITE_ONCE(r->state, SIM_BW_IDLE);
	r->waited = false;
	return waited;
}

static bool sim_bw_woken(struct sim_ctx *sctx, struct sim_ep *ep)
{
	return READ_ONCE(ep->bw.state) != SIM_BW_QUEUED ||
	       READ_ONCE(ep->dead) || ssns_ctx_revoked(sctx->ctx);
}

/*
 * May @len bytes leave endpoint @ep now? 0: yes (a grant is taken);
 * -EAGAIN: its request waits (the file reports EPOLLOUT once it may go);
 * with @wait, sleeps until it may go instead, or -ENODEV (revoked),
 * -EBADF (endpoint freed), -EINTR (signal). -ENOMEM when the context's
 * classes cannot be made.
 */
int sim_bw_gate(struct sim_ctx *sctx, struct sim_ep *ep, u32 len, bool wait)
{
	struct sim_shaper *sh = &sctx->sd->bw;
	struct sim_bw_req *r = &ep->bw;
	bool throttled = false;
	u64 now, waited = 0;
	int err = 0;

	if (!READ_ONCE(sctx->bw_bound)) {
		err = sim_bw_bind(sctx);
		if (err)
			return err;
	}
	/* A revoked context sends nothing more, granted or not. */
	if (ssns_ctx_revoked(sctx->ctx))
		return -ENODEV;
	spin_lock_bh(&sh->lock);
	now = ktime_get_ns();
	if (!sh->on) {
		/* Turned off: whatever waited was granted. */
		r->state = SIM_BW_IDLE;
		goto unlock;
	}
	if (r->state == SIM_BW_GRANTED) {
		waited = sim_bw_take(r, now);
		goto unlock;
	}
	if (r->state == SIM_BW_IDLE) {
		/* The end of the endpoint takes requests off after this. */
		if (READ_ONCE(ep->dead)) {
			err = -EBADF;
			goto unlock;
		}
		r->class = sctx->bw_class;
		r->member = sctx->bw_member;
		r->len = len;
		r->prio = sim_bw_tc_prio(ep->ep.tc);
		r->waited = false;
		r->queued_ns = now;
		r->state = SIM_BW_QUEUED;
		list_add_tail(&r->node, r->prio ? &r->class->prio :
						  &r->class->bulk);
		r->class->nr_queued++;
		sh->nr_queued++;
		sim_bw_dispatch(sh, now);
		if (r->state == SIM_BW_GRANTED) {
			sim_bw_take(r, now);
			goto unlock;
		}
		r->waited = true;
		throttled = true;
	}
	err = -EAGAIN;
unlock:
	spin_unlock_bh(&sh->lock);
	if (throttled) {
		atomic64_inc(&sctx->sd->tx_shaped);
		ssns_ctx_bw_count(sctx->ctx, 1, 0);
	}
	if (err != -EAGAIN || !wait)
		goto out;

	if (wait_event_interruptible(*sctx->wq, sim_bw_woken(sctx, ep)))
		err = -EINTR;
	spin_lock_bh(&sh->lock);
	now = ktime_get_ns();
	if (r->state == SIM_BW_GRANTED && !ssns_ctx_revoked(sctx->ctx)) {
		waited = sim_bw_take(r, now);
		err = 0;
	} else {
		if (r->state == SIM_BW_QUEUED)
			sim_bw_unqueue(sh, r);
		r->state = SIM_BW_IDLE;
		if (ssns_ctx_revoked(sctx->ctx))
			err = -ENODEV;
		else if (READ_ONCE(ep->dead))
			err = -EBADF;
		else
			err = -EINTR;
	}
	spin_unlock_bh(&sh->lock);
out:
	if (waited)
		ssns_ctx_bw_count(sctx->ctx, 0, waited);
	return err;
}

/*
 * The message that took a grant was refused (a full receive queue): keep
 * the grant for the retry, as the link time was charged for it.
 */
void sim_bw_refund(struct sim_ctx *sctx, struct sim_ep *ep)
{
	struct sim_shaper *sh = &sctx->sd->bw;

	spin_lock_bh(&sh->lock);
	if (sh->on && ep->bw.state == SIM_BW_IDLE && !READ_ONCE(ep->dead))
		WRITE_ONCE(ep->bw.state, SIM_BW_GRANTED);
	spin_unlock_bh(&sh->lock);
}

/*
 * A rate as iproute2 writes it: a number (a decimal fraction allowed)
 * and a unit, bit/s by default: bit, kbit, mbit, gbit, tbit (powers of
 * 1000), kibit... tibit (of 1024), and bytes per second: bps, kbps...
 * tbps, kibps... tibps (case does not matter). "0" is no rate. -EINVAL
 * for anything else, -ERANGE above U64_MAX bit/s.
 */
int sim_parse_rate(const char *s, u64 *rate)
{
	static const struct { const char *unit; u64 scale; } units[] = {
		{ "", 1 }, { "bit", 1 },
		{ "kbit", 1000ULL }, { "mbit", 1000000ULL },
		{ "gbit", 1000000000ULL }, { "tbit", 1000000000000ULL },
		{ "kibit", 1ULL << 10 }, { "mibit", 1ULL << 20 },
		{ "gibit", 1ULL << 30 }, { "tibit", 1ULL << 40 },
		{ "bps", 8 }, { "kbps", 8000ULL }, { "mbps", 8000000ULL },
		{ "gbps", 8000000000ULL }, { "tbps", 8000000000000ULL },
		{ "kibps", 8ULL << 10 }, { "mibps", 8ULL << 20 },
		{ "gibps", 8ULL << 30 }, { "tibps", 8ULL << 40 },
	};
	u64 whole = 0, frac = 0, div = 1, v;
	const char *p = s;
	unsigned int i;

	if (!isdigit(*p))
		return -EINVAL;
	for (; isdigit(*p); p++) {
		if (check_mul_overflow(whole, 10ULL, &whole) ||
		    check_add_overflow(whole, (u64)(*p - '0'), &whole))
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (!isdigit(*p))
			return -EINVAL;
		for (; isdigit(*p); p++) {
			/* Nine digits are more than any rate needs. */
			if (div < 1000000000ULL) {
				frac = frac * 10 + (*p - '0');
				div *= 10;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcasecmp(p, units[i].unit))
			continue;
		if (check_mul_overflow(whole, units[i].scale, &v) ||
		    check_add_overflow(v, mul_u64_u64_div_u64(frac,
							      units[i].scale,
							      div), &v))
			return -ERANGE;
		*rate = v;
		return 0;
	}
	return -EINVAL;
}
