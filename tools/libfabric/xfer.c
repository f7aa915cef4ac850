// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * The data path: sends, receives, tag matching, progress and the
 * rendezvous onto the simulated NIC's one-copy write path.
 *
 * Eager: a message of at most eager_max bytes is one SSNS_SIM_IOC_SEND of
 * header + payload. The receiver matches it against its posted receives
 * (or keeps it as unexpected) and copies the payload out.
 *
 * Rendezvous: a larger message is announced by an RTS (header only). When
 * a receive matches it, the receiver makes (a piece of, at most 64 MiB) the
 * receive buffer its endpoint's window (SSNS_SIM_IOC_WINDOW pins it) and
 * grants that segment with a CTS; the sender writes the segment straight
 * into it (SSNS_SIM_IOC_WRITE, at most 1 MiB a call: one copy, no kernel
 * buffer), and completes as soon as its last write returned (the data is
 * then in the receiver's memory). The receiver counts the write
 * completions the kernel queues in order with messages; when the segment
 * is full it removes the window and grants the next segment, or completes
 * the receive. The ABI gives one window per endpoint, so an endpoint holds
 * one granted segment at a time; other matched rendezvous receives wait
 * their turn (win_wait) while eager traffic flows. A buffer the kernel
 * will not pin (RLIMIT_MEMLOCK, memory that is not writable) is granted
 * with SFI_F_NOWIN and the sender moves it in DATA messages instead.
 *
 * A full receive queue at the peer refuses a send with EAGAIN: a user
 * operation returns -FI_EAGAIN (nothing was queued), a control message
 * (CTS) waits in ctrlq and a write in a moving source, both retried by
 * progress. Every ENODEV (revocation) fails what is pending with error
 * completions and reports the endpoint on its EQ.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include <linux/ssns_sim.h>

#include "ssnsfi.h"

#define HDR	sizeof(struct sfi_hdr)

static uint32_t new_id(struct sfi_ep *ep)
{
	if (!++ep->next_id)
		++ep->next_id;
	return ep->next_id;
}

/* ---------------------------------------------------------- kernel calls */

static int k_send(struct sfi_ep *ep, const struct sfi_addr *dst,
		  const void *buf, size_t len)
{
	struct ssns_sim_send s = {
		.size = sizeof(s), .handle = ep->handle, .dst_dev = dst->dev,
		.dst_addr = dst->ep, .buf = (uintptr_t)buf, .len = len,
	};

	while (ioctl(ep->fd, SSNS_SIM_IOC_SEND, &s))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int k_write(struct sfi_ep *ep, const struct sfi_addr *dst,
		   const void *buf, size_t len, uint64_t off)
{
	struct ssns_sim_write w = {
		.size = sizeof(w), .handle = ep->handle, .dst_dev = dst->dev,
		.dst_addr = dst->ep, .buf = (uintptr_t)buf, .len = len,
		.offset = off,
	};

	while (ioctl(ep->fd, SSNS_SIM_IOC_WRITE, &w))
		if (errno != EINTR)
			return -errno;
	return 0;
}

/*
 * Set or remove the window. With the domain's window_keep the kernel parks
 * a removed window and takes it back when the same buffer comes again,
 * unless its mapping changed meanwhile: a buffer used over and over is
 * pinned once. A kernel without SSNS_SIM_WINDOW_KEEP refuses the flag
 * (EINVAL on a set or removal that is otherwise valid): then without.
 */
static int k_window(struct sfi_ep *ep, void *addr, size_t len)
{
	struct ssns_sim_window w = {
		.size = sizeof(w), .handle = ep->handle,
		.addr = (uintptr_t)addr, .len = len,
		.flags = ep->dom->win_keep ? SSNS_SIM_WINDOW_KEEP : 0,
	};
	int ret = ioctl(ep->fd, SSNS_SIM_IOC_WINDOW, &w);

	if (ret < 0 && errno == EINVAL && w.flags) {
		ep->dom->win_keep = false;
		SFI_INFO(FI_LOG_EP_DATA,
			 "%s: the kernel keeps no window (no SSNS_SIM_WINDOW_KEEP): each large receive pins its buffer\n",
			 ep->dom->sel.dev);
		w.flags = 0;
		ret = ioctl(ep->fd, SSNS_SIM_IOC_WINDOW, &w);
	}
	if (ret < 0)
		return -errno;
	if (len)
		ep->win_sets++;
	if (ret == 1)
		ep->win_reused++;
	return 0;
}

/* ---------------------------------------------------------------- iovecs */

static void iov_scatter(const struct iovec *iov, size_t cnt, uint64_t off,
			const unsigned char *src, size_t len)
{
	size_t i, n;

	for (i = 0; i < cnt && len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - off;
		if (n > len)
			n = len;
		memcpy((char *)iov[i].iov_base + off, src, n);
		src += n;
		len -= n;
		off = 0;
	}
}

static void iov_gather(unsigned char *dst, const struct iovec *iov,
		       size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		memcpy(dst, iov[i].iov_base, iov[i].iov_len);
		dst += iov[i].iov_len;
	}
}

/* The address at message offset off, and how many bytes follow it there. */
static char *iov_at(const struct iovec *iov, size_t cnt, uint64_t off,
		    size_t *avail)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		if (off < iov[i].iov_len) {
			*avail = iov[i].iov_len - off;
			return (char *)iov[i].iov_base + off;
		}
		off -= iov[i].iov_len;
	}
	*avail = 0;
	return NULL;
}

static int iov_total(const struct iovec *iov, size_t cnt, size_t *total)
{
	size_t i, t = 0;

	if (cnt > SFI_IOV_LIMIT || (cnt && !iov))
		return -FI_EINVAL;
	for (i = 0; i < cnt; i++) {
		if (iov[i].iov_len && !iov[i].iov_base)
			return -FI_EINVAL;
		if (t + iov[i].iov_len < t)
			return -FI_EMSGSIZE;
		t += iov[i].iov_len;
	}
	*total = t;
	return 0;
}

static bool ensure_buf(unsigned char **buf, size_t *cur, size_t want)
{
	unsigned char *n;

	if (*cur >= want)
		return true;
	n = realloc(*buf, want);
	if (!n)
		return false;
	*buf = n;
	*cur = want;
	return true;
}

/* ----------------------------------------------------------- completions */

static uint64_t rx_cq_flags(bool tagged, uint16_t hflags)
{
	return FI_RECV | (tagged ? FI_TAGGED : FI_MSG) |
	       ((hflags & SFI_F_DATA) ? FI_REMOTE_CQ_DATA : 0);
}

static void tx_done(struct sfi_ep *ep, void *ctx, uint64_t cq_flags,
		    bool want)
{
	struct sfi_cqe e = {
		.op_context = ctx, .flags = cq_flags, .src = FI_ADDR_NOTAVAIL,
	};

	if (want && ep->tx_cq)
		sfi_cq_add(ep->tx_cq, &e);
}

static void tx_fail(struct sfi_ep *ep, void *ctx, uint64_t cq_flags, int err,
		    int prov_errno, const char *msg)
{
	struct sfi_cqe e = {
		.op_context = ctx, .flags = cq_flags, .src = FI_ADDR_NOTAVAIL,
	};

	if (ep->tx_cq)
		sfi_cq_add_err(ep->tx_cq, &e, err, prov_errno, 0, msg);
}

/*
 * A receive that got len bytes of a message of msg_len: a completion, or a
 * truncation error when the buffer was too small.
 */
static void rx_done(struct sfi_ep *ep, const struct sfi_rx *rx, size_t len,
		    uint64_t msg_len, uint64_t tag, uint64_t data,
		    uint16_t hflags, fi_addr_t src)
{
	struct sfi_cqe e = {
		.op_context = rx->context,
		.flags = rx_cq_flags(rx->tagged, hflags),
		.len = len,
		.buf = rx->iov_count ? rx->iov[0].iov_base : NULL,
		.data = (hflags & SFI_F_DATA) ? data : 0,
		.tag = rx->tagged ? tag : 0,
		.src = src,
	};

	ep->last_rx_len = msg_len;
	if (!ep->rx_cq)
		return;
	if (msg_len > rx->total)
		sfi_cq_add_err(ep->rx_cq, &e, FI_ETRUNC, 0, msg_len - rx->total,
			       "message longer than the receive buffer");
	else if (rx->completion)
		sfi_cq_add(ep->rx_cq, &e);
}

static void rx_fail(struct sfi_ep *ep, const struct sfi_rx *rx, int err,
		    int prov_errno, const char *msg)
{
	struct sfi_cqe e = {
		.op_context = rx->context,
		.flags = rx_cq_flags(rx->tagged, 0),
		.tag = rx->tag,
		.src = FI_ADDR_NOTAVAIL,
	};

	if (ep->rx_cq)
		sfi_cq_add_err(ep->rx_cq, &e, err, prov_errno, 0, msg);
}

/* ------------------------------------------------------------ revocation */

static int revoked_msg(const struct sfi_ep *ep, char *buf, size_t len)
{
	return snprintf(buf, len,
			"%s: endpoint %u on VNI %u revoked: the device left this network namespace or the tenant was deleted",
			ep->dom->sel.dev, ep->self.ep, ep->vni);
}

static void free_lists(struct sfi_ep *ep, bool fail)
{
	struct sfi_list *pos, *tmp;
	char msg[SFI_ERRMSG_LEN];
	int l;

	revoked_msg(ep, msg, sizeof(msg));
	for (l = 0; l < 2; l++) {
		sfi_list_for_each_safe(pos, tmp, &ep->posted[l]) {
			struct sfi_rx *rx = sfi_container_of(pos, struct sfi_rx,
							     node);

			sfi_list_del(pos);
			if (fail)
				rx_fail(ep, rx, FI_ENODEV, ENODEV, msg);
			free(rx);
		}
		sfi_list_for_each_safe(pos, tmp, &ep->unexp[l]) {
			sfi_list_del(pos);
			free(sfi_container_of(pos, struct sfi_unexp, node));
		}
	}
	sfi_list_for_each_safe(pos, tmp, &ep->claimed) {
		sfi_list_del(pos);
		free(sfi_container_of(pos, struct sfi_unexp, node));
	}
	sfi_list_for_each_safe(pos, tmp, &ep->sinks) {
		struct sfi_sink *s = sfi_container_of(pos, struct sfi_sink,
						      node);

		sfi_list_del(pos);
		if (s->waiting)
			sfi_list_del(&s->wnode);
		if (fail && s->kind == SFI_SINK_RECV)
			rx_fail(ep, &s->rx, FI_ENODEV, ENODEV, msg);
		if (fail && s->kind == SFI_SINK_READ)
			tx_fail(ep, s->rx.context, FI_RMA | FI_READ, FI_ENODEV,
				ENODEV, msg);
		free(s);
	}
	sfi_list_for_each_safe(pos, tmp, &ep->sources) {
		struct sfi_source *s = sfi_container_of(pos, struct sfi_source,
							node);

		sfi_list_del(pos);
		if (fail && !s->target)
			tx_fail(ep, s->context, s->cq_flags, FI_ENODEV, ENODEV,
				msg);
		free(s);
	}
	sfi_list_for_each_safe(pos, tmp, &ep->rma_wait) {
		struct sfi_rmaop *o = sfi_container_of(pos, struct sfi_rmaop,
						       node);

		sfi_list_del(pos);
		if (fail)
			tx_fail(ep, o->context, FI_RMA | FI_WRITE, FI_ENODEV,
				ENODEV, msg);
		free(o);
	}
	sfi_list_for_each_safe(pos, tmp, &ep->ctrlq) {
		sfi_list_del(pos);
		free(sfi_container_of(pos, struct sfi_ctrl, node));
	}
	/* Revoked or closing: the kernel frees the window with the endpoint. */
	ep->win_owner = NULL;
	ep->win_rx = NULL;
	ep->win_set = false;
}

/* Caller holds the domain lock. */
void sfi_ep_revoke(struct sfi_ep *ep, int err)
{
	char msg[SFI_ERRMSG_LEN];
	struct sfi_cq *cqs[2] = { ep->tx_cq, ep->rx_cq };
	int i;

	if (ep->dead)
		return;
	ep->dead = true;
	revoked_msg(ep, msg, sizeof(msg));
	SFI_WARN(FI_LOG_EP_DATA, "%s (%s)\n", msg, sfi_errno_name(err));
	/* Its fd now polls EPOLLERR|EPOLLHUP for ever: stop watching it. */
	for (i = 0; i < 2; i++) {
		if (!cqs[i] || (i && cqs[1] == cqs[0]))
			continue;
		epoll_ctl(cqs[i]->epfd, EPOLL_CTL_DEL, ep->fd, NULL);
	}
	free_lists(ep, true);
	if (ep->eq)
		sfi_eq_report(ep->eq, ep, FI_ENODEV, err, msg);
}

void sfi_ep_free_state(struct sfi_ep *ep)
{
	free_lists(ep, false);
}

/* An error of a kernel call that no operation owns: revocation or a log. */
static void k_error(struct sfi_ep *ep, int err, const char *what)
{
	if (err == ENODEV || err == EBADF)
		sfi_ep_revoke(ep, err);
	else
		SFI_WARN_SPARSE(FI_LOG_EP_DATA, "%s: %s: %s\n",
				ep->dom->sel.dev, what, strerror(err));
}

/* -------------------------------------------------------- control queue */

/*
 * Send a control message (a header, or a header and a small payload) now,
 * or keep it, in order, for progress to send when the peer's queue has room.
 */
static void ctrl_send_buf(struct sfi_ep *ep, const struct sfi_addr *dst,
			  const void *msg, size_t len)
{
	struct sfi_ctrl *c;
	int ret = -EAGAIN;

	if (sfi_list_empty(&ep->ctrlq))
		ret = k_send(ep, dst, msg, len);
	if (!ret)
		return;
	if (ret != -EAGAIN) {
		k_error(ep, -ret, "control message");
		return;
	}
	c = malloc(sizeof(*c) + len);
	if (!c) {
		SFI_WARN(FI_LOG_EP_DATA, "lost a control message: no memory\n");
		return;
	}
	c->dst = *dst;
	c->len = len;
	memcpy(c->msg, msg, len);
	sfi_list_add_tail(&ep->ctrlq, &c->node);
}

static void ctrl_send(struct sfi_ep *ep, const struct sfi_addr *dst,
		      const struct sfi_hdr *hdr)
{
	ctrl_send_buf(ep, dst, hdr, HDR);
}

static void ctrl_flush(struct sfi_ep *ep)
{
	struct sfi_list *pos, *tmp;
	int ret;

	sfi_list_for_each_safe(pos, tmp, &ep->ctrlq) {
		struct sfi_ctrl *c = sfi_container_of(pos, struct sfi_ctrl,
						      node);

		ret = k_send(ep, &c->dst, c->msg, c->len);
		if (ret == -EAGAIN)
			return;
		sfi_list_del(pos);
		free(c);
		if (ret) {
			k_error(ep, -ret, "control message");
			return;
		}
	}
}

static void send_cts(struct sfi_ep *ep, const struct sfi_sink *s,
		     uint64_t off, uint64_t len, uint16_t flags)
{
	struct sfi_hdr h = {
		.op = SFI_OP_CTS, .version = SFI_PROTO_VERSION,
		.flags = flags, .id = s->source_id, .id2 = s->id,
		.off = off, .len = len,
	};

	ctrl_send(ep, &s->peer, &h);
}

/* ------------------------------------------------------------ rendezvous */

static void sink_finish(struct sfi_ep *ep, struct sfi_sink *s)
{
	struct sfi_cqe e = { .src = s->src };

	sfi_list_del(&s->node);
	switch (s->kind) {
	case SFI_SINK_RECV:
		rx_done(ep, &s->rx, s->granted, s->msg_len, s->tag, s->data,
			s->hflags, s->src);
		break;
	case SFI_SINK_READ:
		tx_done(ep, s->rx.context, FI_RMA | FI_READ, s->rx.completion);
		break;
	case SFI_SINK_RMA:
		/* A large write landed: the target hears of it with data only. */
		if ((s->hflags & SFI_F_DATA) && ep->rx_cq) {
			e.flags = FI_RMA | FI_REMOTE_WRITE | FI_REMOTE_CQ_DATA;
			e.len = s->granted;
			e.data = s->data;
			sfi_cq_add(ep->rx_cq, &e);
		}
		break;
	}
	free(s);
}

/* Grant the rest of s by DATA messages (no window). */
static void sink_nowin(struct sfi_ep *ep, struct sfi_sink *s)
{
	s->nowin = true;
	s->seg_len = s->granted - s->seg_off;
	s->seg_got = 0;
	send_cts(ep, s, s->seg_off, s->seg_len, SFI_F_LAST | SFI_F_NOWIN);
}

/* ---------------------------------------------------------------- window */

/* Remove the window from the kernel. */
static void win_drop(struct sfi_ep *ep)
{
	int ret;

	if (!ep->win_set)
		return;
	ret = k_window(ep, NULL, 0);
	ep->win_set = false;
	if (ret == -ENODEV || ret == -EBADF)
		sfi_ep_revoke(ep, -ret);
	else if (ret && ret != -ENOENT)
		k_error(ep, -ret, "window removal");
}

/* Nobody uses the window any more: it goes at the next progress call. */
static void win_release(struct sfi_ep *ep)
{
	ep->win_stale_at = ep->nprogress;
}

/* Set the window on [p, p + len), replacing a stale one. */
static int win_set_to(struct sfi_ep *ep, void *p, size_t len)
{
	int ret;

	win_drop(ep);
	if (ep->dead)
		return -ENODEV;
	ret = k_window(ep, p, len);
	if (ret == -ENODEV || ret == -EBADF) {
		sfi_ep_revoke(ep, -ret);
		return ret;
	}
	if (ret) {
		ep->win_failed = true;
		if (!ep->warned_window) {
			ep->warned_window = true;
			SFI_INFO(FI_LOG_EP_DATA,
				 "%s: no receive window (%s%s): large messages move by send, two copies\n",
				 ep->dom->sel.dev, sfi_errno_name(-ret),
				 ret == -ENOMEM ? ": RLIMIT_MEMLOCK?" : "");
		}
		return ret;
	}
	ep->win_set = true;
	ep->win_addr = p;
	ep->win_len = len;
	ep->win_stale_at = UINT64_MAX;
	return 0;
}

/* A posted receive no longer needs the window set ahead for it. */
static void win_unprepare(struct sfi_ep *ep, struct sfi_rx *rx)
{
	if (!rx->prewin)
		return;
	rx->prewin = false;
	ep->win_rx = NULL;
	win_release(ep);
}

/*
 * A receive is posted while the window is free, and the last message was
 * a rendezvous: expect another of that size and set the window now, before
 * the sender's RTS comes, so that the grant leaves at once. (After a small
 * message nothing is set: pinning a large buffer for an eager message would
 * cost more than it saves.)
 */
static void win_prepare(struct sfi_ep *ep, struct sfi_rx *rx)
{
	size_t len;

	if (!ep->dom->use_window || ep->win_failed || ep->win_owner ||
	    ep->win_rx || !sfi_list_empty(&ep->win_wait) ||
	    ep->last_rx_len <= ep->dom->eager_max ||
	    rx->total <= ep->dom->eager_max || !rx->iov_count ||
	    !rx->iov[0].iov_len)
		return;
	len = rx->iov[0].iov_len;
	if (len > ep->last_rx_len)
		len = ep->last_rx_len;
	if (len > SSNS_SIM_WINDOW_MAX)
		len = SSNS_SIM_WINDOW_MAX;
	if (win_set_to(ep, rx->iov[0].iov_base, len))
		return;
	rx->prewin = true;
	ep->win_rx = rx;
}

/* Expose the next segment of s as the window and grant it. */
static void sink_segment(struct sfi_ep *ep, struct sfi_sink *s)
{
	uint64_t left = s->granted - s->seg_off;
	size_t avail;
	char *p = iov_at(s->rx.iov, s->rx.iov_count, s->seg_off, &avail);

	if (avail > left)
		avail = left;
	if (avail > SSNS_SIM_WINDOW_MAX)
		avail = SSNS_SIM_WINDOW_MAX;
	if (s->prewin) {
		/* Set when the receive was posted: its first piece. */
		s->prewin = false;
		if (!ep->win_set || ep->win_addr != p || ep->win_len < avail)
			win_drop(ep);
	}
	if (ep->dead)
		return;
	/* A stale window is never reused: the memory may have changed. */
	if ((ep->win_set && ep->win_addr == p && ep->win_len >= avail &&
	     ep->win_stale_at == UINT64_MAX) || !win_set_to(ep, p, avail)) {
		ep->win_owner = s;
		s->seg_len = avail;
		s->seg_got = 0;
		send_cts(ep, s, s->seg_off, avail,
			 s->seg_off + avail == s->granted ? SFI_F_LAST : 0);
		return;
	}
	if (!ep->dead)
		sink_nowin(ep, s);
}

/* Give the window to the next waiting sink while it is free. */
static void window_kick(struct sfi_ep *ep)
{
	while (!ep->dead && !ep->win_owner && !sfi_list_empty(&ep->win_wait)) {
		struct sfi_sink *s = sfi_container_of(ep->win_wait.next,
						      struct sfi_sink, wnode);

		/* A receive still waiting for its message yields it. */
		if (ep->win_rx)
			win_unprepare(ep, ep->win_rx);
		sfi_list_del(&s->wnode);
		s->waiting = false;
		sink_segment(ep, s);
	}
}

static void sink_go(struct sfi_ep *ep, struct sfi_sink *s);

/* A receive matched an RTS: the receiving side of a rendezvous. */
static void start_sink(struct sfi_ep *ep, struct sfi_rx *rx,
		       const struct sfi_hdr *h, const struct sfi_addr *from)
{
	struct sfi_sink *s = calloc(1, sizeof(*s));

	if (!s) {
		rx_fail(ep, rx, FI_ENOMEM, ENOMEM, "no memory for a rendezvous");
		free(rx);
		return;
	}
	s->id = new_id(ep);
	s->source_id = h->id;
	s->peer = *from;
	s->src = sfi_av_reverse(ep->av, from->dev, from->ep);
	s->rx = *rx;
	s->prewin = rx->prewin;
	if (rx->prewin)
		ep->win_rx = NULL;	/* the sink has it now */
	s->rx.prewin = false;
	free(rx);
	s->msg_len = h->len;
	s->granted = h->len < s->rx.total ? h->len : s->rx.total;
	s->tag = h->tag;
	s->data = h->data;
	s->hflags = h->flags;
	sfi_list_add_tail(&ep->sinks, &s->node);
	sink_go(ep, s);
}

/* Grant s: nothing, by sends, in the window set ahead, or in turn. */
static void sink_go(struct sfi_ep *ep, struct sfi_sink *s)
{
	if (!s->granted) {
		/* Nothing fits (or nothing wanted): release the sender. */
		if (s->prewin)
			win_release(ep);
		send_cts(ep, s, 0, 0, SFI_F_LAST);
		sink_finish(ep, s);
		return;
	}
	if (!ep->dom->use_window) {
		sink_nowin(ep, s);
		return;
	}
	if (s->prewin) {
		/* Nobody waits: a window set ahead is only set when so. */
		sink_segment(ep, s);
		return;
	}
	s->waiting = true;
	sfi_list_add_tail(&ep->win_wait, &s->wnode);
	window_kick(ep);
}

static void source_fail(struct sfi_ep *ep, struct sfi_source *s, int err,
			const char *what)
{
	char msg[SFI_ERRMSG_LEN];

	snprintf(msg, sizeof(msg), "%s: %s: %s", ep->dom->sel.dev, what,
		 strerror(err));
	sfi_list_del(&s->node);
	if (s->target)
		SFI_WARN_SPARSE(FI_LOG_EP_DATA, "read data: %s\n", msg);
	else
		tx_fail(ep, s->context, s->cq_flags, sfi_fi_errno(err), err,
			msg);
	free(s);
}

/* Move what a grant allows, until the peer's queue pushes back. */
static void source_move(struct sfi_ep *ep, struct sfi_source *s)
{
	while (s->done < s->seg_len) {
		uint64_t off = s->seg_off + s->done;
		size_t n, max = s->nowin ? SSNS_SIM_MSG_MAX - HDR :
					   SSNS_SIM_MSG_MAX;
		char *p = iov_at(s->iov, s->iov_count, off, &n);
		int ret;

		if (n > s->seg_len - s->done)
			n = s->seg_len - s->done;
		if (n > max)
			n = max;
		if (s->nowin) {
			struct sfi_hdr *h = (struct sfi_hdr *)ep->txbuf;

			if (!ensure_buf(&ep->txbuf, &ep->txbuf_len, HDR + n)) {
				source_fail(ep, s, ENOMEM, "send buffer");
				return;
			}
			h = (struct sfi_hdr *)ep->txbuf;
			memset(h, 0, HDR);
			h->op = SFI_OP_DATA;
			h->version = SFI_PROTO_VERSION;
			h->id = s->sink_id;
			h->off = off;
			h->len = n;
			memcpy(ep->txbuf + HDR, p, n);
			ret = k_send(ep, &s->dst, ep->txbuf, HDR + n);
		} else {
			ret = k_write(ep, &s->dst, p, n, s->done);
		}
		if (ret == -EAGAIN)
			return;
		if (ret == -ENODEV || ret == -EBADF) {
			sfi_ep_revoke(ep, -ret);
			return;
		}
		if (ret) {
			source_fail(ep, s, -ret, s->nowin ? "send" : "write");
			return;
		}
		s->done += n;
	}
	if (s->last) {
		sfi_list_del(&s->node);
		tx_done(ep, s->context, s->cq_flags, s->completion);
		free(s);
	} else {
		s->state = SFI_SRC_WAIT;
	}
}

static struct sfi_source *find_source(struct sfi_ep *ep, uint32_t id)
{
	struct sfi_list *pos, *tmp;

	sfi_list_for_each_safe(pos, tmp, &ep->sources) {
		struct sfi_source *s = sfi_container_of(pos, struct sfi_source,
							node);

		if (s->id == id)
			return s;
	}
	return NULL;
}

static struct sfi_sink *find_sink(struct sfi_ep *ep, uint32_t id)
{
	struct sfi_list *pos, *tmp;

	sfi_list_for_each_safe(pos, tmp, &ep->sinks) {
		struct sfi_sink *s = sfi_container_of(pos, struct sfi_sink,
						      node);

		if (s->id == id)
			return s;
	}
	return NULL;
}

static bool same_addr(const struct sfi_addr *a, const struct sfi_addr *b)
{
	return a->dev == b->dev && a->ep == b->ep;
}

static void on_cts(struct sfi_ep *ep, const struct sfi_hdr *h,
		   const struct sfi_addr *from)
{
	struct sfi_source *s = find_source(ep, h->id);

	if (!s || s->state != SFI_SRC_WAIT || !same_addr(&s->dst, from) ||
	    h->off > s->total || h->len > s->total - h->off) {
		SFI_WARN_SPARSE(FI_LOG_EP_DATA,
				"%s: dropping a grant from %u:%u that fits no send\n",
				ep->dom->sel.dev, from->dev, from->ep);
		return;
	}
	s->sink_id = h->id2;
	s->seg_off = h->off;
	s->seg_len = h->len;
	s->done = 0;
	s->last = h->flags & SFI_F_LAST;
	s->nowin = h->flags & SFI_F_NOWIN;
	s->state = SFI_SRC_MOVE;
	source_move(ep, s);
}

static void on_data(struct sfi_ep *ep, const struct sfi_hdr *h,
		    const unsigned char *payload, size_t len,
		    const struct sfi_addr *from)
{
	struct sfi_sink *s = find_sink(ep, h->id);

	if (!s || !s->nowin || !same_addr(&s->peer, from) ||
	    h->off < s->seg_off || h->off > s->granted ||
	    len > s->granted - h->off || h->len != len) {
		SFI_WARN_SPARSE(FI_LOG_EP_DATA,
				"%s: dropping data from %u:%u that fits no receive\n",
				ep->dom->sel.dev, from->dev, from->ep);
		return;
	}
	iov_scatter(s->rx.iov, s->rx.iov_count, h->off, payload, len);
	s->seg_got += len;
	if (s->seg_got >= s->seg_len)
		sink_finish(ep, s);
}

static void on_write(struct sfi_ep *ep, const struct ssns_sim_recv *r)
{
	struct sfi_sink *s = ep->win_owner;
	struct sfi_addr from = { r->src_dev, r->src_addr };

	if (!s || !same_addr(&s->peer, &from) || r->offset > s->seg_len ||
	    r->msg_len > s->seg_len - r->offset) {
		SFI_WARN_SPARSE(FI_LOG_EP_DATA,
				"%s: write completion from %u:%u that fits no receive\n",
				ep->dom->sel.dev, from.dev, from.ep);
		return;
	}
	s->seg_got += r->msg_len;
	if (s->seg_got < s->seg_len)
		return;
	/*
	 * Every byte is in: nothing writes there again, and the window is
	 * removed at the next progress call, not before the completion.
	 */
	ep->win_owner = NULL;
	win_release(ep);
	s->seg_off += s->seg_len;
	if (s->seg_off >= s->granted)
		sink_finish(ep, s);
	else
		sink_segment(ep, s);
	window_kick(ep);
}

/* -------------------------------------------------------------- matching */

static bool rx_matches(const struct sfi_ep *ep, const struct sfi_rx *rx,
		       uint64_t tag, const struct sfi_addr *from,
		       fi_addr_t *src, bool *src_known)
{
	if (rx->tagged && ((tag ^ rx->tag) & ~rx->ignore))
		return false;
	if (!(ep->caps & FI_DIRECTED_RECV) || rx->src == FI_ADDR_UNSPEC)
		return true;
	if (!*src_known) {
		*src = sfi_av_reverse(ep->av, from->dev, from->ep);
		*src_known = true;
	}
	return *src == rx->src;
}

static struct sfi_rx *find_posted(struct sfi_ep *ep, bool tagged,
				  uint64_t tag, const struct sfi_addr *from)
{
	struct sfi_list *pos, *tmp;
	fi_addr_t src = FI_ADDR_NOTAVAIL;
	bool known = false;

	sfi_list_for_each_safe(pos, tmp, &ep->posted[tagged]) {
		struct sfi_rx *rx = sfi_container_of(pos, struct sfi_rx, node);

		if (rx_matches(ep, rx, tag, from, &src, &known)) {
			sfi_list_del(pos);
			return rx;
		}
	}
	return NULL;
}

static struct sfi_unexp *find_unexp(struct sfi_ep *ep, const struct sfi_rx *rx)
{
	struct sfi_list *pos, *tmp;

	sfi_list_for_each_safe(pos, tmp, &ep->unexp[rx->tagged]) {
		struct sfi_unexp *u = sfi_container_of(pos, struct sfi_unexp,
						       node);
		fi_addr_t src = FI_ADDR_NOTAVAIL;
		bool known = false;

		if (rx_matches(ep, rx, u->hdr.tag, &u->from, &src, &known))
			return u;
	}
	return NULL;
}

/* Give an eager message to a receive; both are consumed. */
static void deliver_eager(struct sfi_ep *ep, struct sfi_rx *rx,
			  const struct sfi_hdr *h, const unsigned char *payload,
			  size_t len, const struct sfi_addr *from)
{
	size_t n = len < rx->total ? len : rx->total;

	win_unprepare(ep, rx);
	iov_scatter(rx->iov, rx->iov_count, 0, payload, n);
	rx_done(ep, rx, n, len, h->tag, h->data, h->flags,
		sfi_av_reverse(ep->av, from->dev, from->ep));
	free(rx);
}

/* An unexpected message meets its receive (u is freed, rx consumed). */
static void deliver_unexp(struct sfi_ep *ep, struct sfi_rx *rx,
			  struct sfi_unexp *u)
{
	if (u->hdr.op == SFI_OP_RTS)
		start_sink(ep, rx, &u->hdr, &u->from);
	else
		deliver_eager(ep, rx, &u->hdr, u->payload, u->paylen,
			      &u->from);
	free(u);
}

/* Drop an unexpected message; an RTS's sender is released (0 bytes). */
static void discard_unexp(struct sfi_ep *ep, struct sfi_unexp *u)
{
	if (u->hdr.op == SFI_OP_RTS) {
		struct sfi_hdr h = {
			.op = SFI_OP_CTS, .version = SFI_PROTO_VERSION,
			.flags = SFI_F_LAST, .id = u->hdr.id,
		};

		ctrl_send(ep, &u->from, &h);
	}
	free(u);
}

static void keep_unexp(struct sfi_ep *ep, const struct sfi_hdr *h,
		       const unsigned char *payload, size_t len,
		       const struct sfi_addr *from)
{
	struct sfi_unexp *u = malloc(sizeof(*u) + len);

	if (!u) {
		SFI_WARN(FI_LOG_EP_DATA,
			 "%s: no memory for an unexpected message: dropped\n",
			 ep->dom->sel.dev);
		return;
	}
	u->hdr = *h;
	u->from = *from;
	u->claim_ctx = NULL;
	u->paylen = len;
	memcpy(u->payload, payload, len);
	sfi_list_add_tail(&ep->unexp[!!(h->flags & SFI_F_TAGGED)], &u->node);
}

/* ------------------------------------------------------------ RMA target */

/*
 * The registered memory [off, off + len) of key with access, or NULL and
 * *err the FI error to answer: FI_ENOKEY, FI_EACCES, FI_EINVAL (range).
 */
static char *mr_range(struct sfi_ep *ep, uint64_t key, uint64_t access,
		      uint64_t off, uint64_t len, int *err)
{
	struct sfi_list *pos;

	for (pos = ep->dom->mrs.next; pos != &ep->dom->mrs; pos = pos->next) {
		struct sfi_mr *mr = sfi_container_of(pos, struct sfi_mr, node);

		if (mr->mr.key != key)
			continue;
		if (!(mr->access & access)) {
			*err = FI_EACCES;
			return NULL;
		}
		if (off > mr->len || len > mr->len - off) {
			*err = FI_EINVAL;
			return NULL;
		}
		return mr->buf + off;
	}
	*err = FI_ENOKEY;
	return NULL;
}

static void send_ack(struct sfi_ep *ep, const struct sfi_addr *to,
		     uint32_t id, int status, uint16_t flags)
{
	struct sfi_hdr h = {
		.op = SFI_OP_ACK, .version = SFI_PROTO_VERSION,
		.flags = flags, .id = id, .id2 = status,
	};

	ctrl_send(ep, to, &h);
}

static void rma_refused(struct sfi_ep *ep, const struct sfi_addr *from,
			const struct sfi_hdr *h, int err)
{
	SFI_WARN_SPARSE(FI_LOG_EP_DATA,
			"%s: RMA from %u:%u refused: key 0x%llx, [%llu, +%llu): %s\n",
			ep->dom->sel.dev, from->dev, from->ep,
			(unsigned long long)h->tag, (unsigned long long)h->off,
			(unsigned long long)h->len, fi_strerror(err));
}

static void rma_remote_data(struct sfi_ep *ep, const struct sfi_hdr *h,
			    const struct sfi_addr *from)
{
	struct sfi_cqe e = {
		.flags = FI_RMA | FI_REMOTE_WRITE | FI_REMOTE_CQ_DATA,
		.len = h->len, .data = h->data,
	};

	if (!(h->flags & SFI_F_DATA) || !ep->rx_cq)
		return;
	e.src = sfi_av_reverse(ep->av, from->dev, from->ep);
	sfi_cq_add(ep->rx_cq, &e);
}

/* A small write: its data is here. */
static void on_rma_write(struct sfi_ep *ep, const struct sfi_hdr *h,
			 const unsigned char *payload, size_t len,
			 const struct sfi_addr *from)
{
	int err = 0;
	char *p = mr_range(ep, h->tag, FI_REMOTE_WRITE, h->off, len, &err);

	if (p) {
		memcpy(p, payload, len);
		rma_remote_data(ep, h, from);
	} else {
		rma_refused(ep, from, h, err);
	}
	if (h->id)
		send_ack(ep, from, h->id, err, 0);
}

/* A large write asks for a grant: registered memory as a receive buffer. */
static void on_rma_wreq(struct sfi_ep *ep, const struct sfi_hdr *h,
			const struct sfi_addr *from)
{
	int err = 0;
	char *p = mr_range(ep, h->tag, FI_REMOTE_WRITE, h->off, h->len, &err);
	struct sfi_sink *s;

	if (!p) {
		rma_refused(ep, from, h, err);
		send_ack(ep, from, h->id, err, 0);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		send_ack(ep, from, h->id, FI_ENOMEM, 0);
		return;
	}
	s->kind = SFI_SINK_RMA;
	s->id = new_id(ep);
	s->source_id = h->id;
	s->peer = *from;
	s->src = sfi_av_reverse(ep->av, from->dev, from->ep);
	s->rx.iov[0].iov_base = p;
	s->rx.iov[0].iov_len = h->len;
	s->rx.iov_count = 1;
	s->rx.total = h->len;
	s->msg_len = s->granted = h->len;
	s->data = h->data;
	s->hflags = h->flags;
	sfi_list_add_tail(&ep->sinks, &s->node);
	sink_go(ep, s);
}

/* A read: answer with the data, or offer it for the reader to grant. */
static void on_rma_read(struct sfi_ep *ep, const struct sfi_hdr *h,
			const struct sfi_addr *from)
{
	int err = 0;
	char *p = mr_range(ep, h->tag, FI_REMOTE_READ, h->off, h->len, &err);
	struct sfi_source *s;
	struct sfi_hdr r = {
		.version = SFI_PROTO_VERSION, .id = h->id, .len = h->len,
	};

	if (!p) {
		rma_refused(ep, from, h, err);
		send_ack(ep, from, h->id, err, SFI_F_READ);
		return;
	}
	if (h->len <= ep->dom->eager_max) {
		unsigned char *m = malloc(HDR + h->len);

		if (!m) {
			send_ack(ep, from, h->id, FI_ENOMEM, SFI_F_READ);
			return;
		}
		r.op = SFI_OP_RDATA;
		memcpy(m, &r, HDR);
		memcpy(m + HDR, p, h->len);
		ctrl_send_buf(ep, from, m, HDR + h->len);
		free(m);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		send_ack(ep, from, h->id, FI_ENOMEM, SFI_F_READ);
		return;
	}
	s->target = true;
	s->id = new_id(ep);
	s->dst = *from;
	s->iov[0].iov_base = p;
	s->iov[0].iov_len = h->len;
	s->iov_count = 1;
	s->total = h->len;
	s->state = SFI_SRC_WAIT;
	sfi_list_add_tail(&ep->sources, &s->node);
	r.op = SFI_OP_RRTS;
	r.id = s->id;
	r.id2 = h->id;
	ctrl_send(ep, from, &r);
}

/* The reader's side: the data came, or is offered. */
static struct sfi_sink *read_sink(struct sfi_ep *ep, uint32_t id,
				  const struct sfi_addr *from)
{
	struct sfi_sink *s = find_sink(ep, id);

	if (!s || s->kind != SFI_SINK_READ || !s->await ||
	    !same_addr(&s->peer, from)) {
		SFI_WARN_SPARSE(FI_LOG_EP_DATA,
				"%s: read data from %u:%u that fits no read\n",
				ep->dom->sel.dev, from->dev, from->ep);
		return NULL;
	}
	return s;
}

static void on_rdata(struct sfi_ep *ep, const struct sfi_hdr *h,
		     const unsigned char *payload, size_t len,
		     const struct sfi_addr *from)
{
	struct sfi_sink *s = read_sink(ep, h->id, from);

	if (!s || len != s->granted)
		return;
	iov_scatter(s->rx.iov, s->rx.iov_count, 0, payload, len);
	sink_finish(ep, s);
}

static void on_rrts(struct sfi_ep *ep, const struct sfi_hdr *h,
		    const struct sfi_addr *from)
{
	struct sfi_sink *s = read_sink(ep, h->id2, from);

	if (!s || h->len != s->granted)
		return;
	s->await = false;
	s->source_id = h->id;
	sink_go(ep, s);
}

/* A write's result, or a refusal of a read or a large write. */
static void on_ack(struct sfi_ep *ep, const struct sfi_hdr *h,
		   const struct sfi_addr *from)
{
	char msg[SFI_ERRMSG_LEN];
	struct sfi_list *pos, *tmp;
	struct sfi_source *src;
	struct sfi_sink *s;
	int err = h->id2;

	snprintf(msg, sizeof(msg), "%s: RMA refused by %u:%u: %s",
		 ep->dom->sel.dev, from->dev, from->ep, fi_strerror(err));
	if (h->flags & SFI_F_READ) {
		s = read_sink(ep, h->id, from);
		if (s && err) {
			sfi_list_del(&s->node);
			tx_fail(ep, s->rx.context, FI_RMA | FI_READ, err, 0,
				msg);
			free(s);
		}
		return;
	}
	sfi_list_for_each_safe(pos, tmp, &ep->rma_wait) {
		struct sfi_rmaop *o = sfi_container_of(pos, struct sfi_rmaop,
						       node);

		if (o->id != h->id)
			continue;
		sfi_list_del(pos);
		if (err)
			tx_fail(ep, o->context, FI_RMA | FI_WRITE, err, 0, msg);
		else
			tx_done(ep, o->context, FI_RMA | FI_WRITE,
				o->completion);
		free(o);
		return;
	}
	src = find_source(ep, h->id);
	if (src && err && same_addr(&src->dst, from) && !src->target) {
		sfi_list_del(&src->node);
		tx_fail(ep, src->context, src->cq_flags, err, 0, msg);
		free(src);
	}
}

static void on_msg(struct sfi_ep *ep, const unsigned char *buf, size_t len,
		   const struct sfi_addr *from)
{
	const struct sfi_hdr *h = (const struct sfi_hdr *)buf;
	bool tagged;
	struct sfi_rx *rx;

	bool payload = len >= HDR &&
		       (h->op == SFI_OP_EAGER || h->op == SFI_OP_DATA ||
			h->op == SFI_OP_WRITE || h->op == SFI_OP_RDATA);

	if (len < HDR || h->version != SFI_PROTO_VERSION || !h->op ||
	    h->op > SFI_OP_MAX || (payload && h->len != len - HDR) ||
	    (!payload && len != HDR)) {
		SFI_WARN_SPARSE(FI_LOG_EP_DATA,
				"%s: dropping a malformed message (%zu bytes) from %u:%u\n",
				ep->dom->sel.dev, len, from->dev, from->ep);
		return;
	}
	tagged = h->flags & SFI_F_TAGGED;
	switch (h->op) {
	case SFI_OP_EAGER:
		rx = find_posted(ep, tagged, h->tag, from);
		if (rx)
			deliver_eager(ep, rx, h, buf + HDR, len - HDR, from);
		else
			keep_unexp(ep, h, buf + HDR, len - HDR, from);
		break;
	case SFI_OP_RTS:
		rx = find_posted(ep, tagged, h->tag, from);
		if (rx)
			start_sink(ep, rx, h, from);
		else
			keep_unexp(ep, h, NULL, 0, from);
		break;
	case SFI_OP_CTS:
		on_cts(ep, h, from);
		break;
	case SFI_OP_DATA:
		on_data(ep, h, buf + HDR, len - HDR, from);
		break;
	case SFI_OP_WRITE:
		on_rma_write(ep, h, buf + HDR, len - HDR, from);
		break;
	case SFI_OP_WREQ:
		on_rma_wreq(ep, h, from);
		break;
	case SFI_OP_READ:
		on_rma_read(ep, h, from);
		break;
	case SFI_OP_RDATA:
		on_rdata(ep, h, buf + HDR, len - HDR, from);
		break;
	case SFI_OP_RRTS:
		on_rrts(ep, h, from);
		break;
	case SFI_OP_ACK:
		on_ack(ep, h, from);
		break;
	}
}

/* ---------------------------------------------------------------- progress */

/*
 * Take one message from the kernel: 2 when more may be queued, 1 when the
 * kernel said it was the last (SSNS_SIM_MSG_MORE clear: no call to learn
 * that the queue is empty), 0 when none, -1 on error.
 */
static int rx_one(struct sfi_ep *ep)
{
	struct ssns_sim_recv r;
	struct sfi_addr from;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.handle = ep->handle;
	r.buf = (uintptr_t)ep->rxbuf;
	r.len = ep->rxbuf_len;
	r.flags = SSNS_SIM_RECV_NONBLOCK;
	if (ioctl(ep->fd, SSNS_SIM_IOC_RECV, &r)) {
		int err = errno;

		switch (err) {
		case EAGAIN:
			return 0;
		case EINTR:
			return 2;
		case EMSGSIZE:
			/* Larger than any message so far (DATA): grow. */
			if (r.msg_len <= ep->rxbuf_len ||
			    !ensure_buf(&ep->rxbuf, &ep->rxbuf_len, r.msg_len)) {
				k_error(ep, ENOMEM, "receive buffer");
				return -1;
			}
			return 2;
		default:
			k_error(ep, err, "receive");
			return -1;
		}
	}
	if (r.msg_flags & SSNS_SIM_MSG_WRITE) {
		on_write(ep, &r);
	} else {
		from.dev = r.src_dev;
		from.ep = r.src_addr;
		on_msg(ep, ep->rxbuf, r.msg_len, &from);
	}
	return r.msg_flags & SSNS_SIM_MSG_MORE ? 2 : 1;
}

/* Caller holds the domain lock. */
void sfi_ep_progress(struct sfi_ep *ep)
{
	struct sfi_list *pos, *tmp;
	int i;

	if (ep->dead || !ep->enabled)
		return;
	ep->nprogress++;
	if (ep->win_set && !ep->win_owner && !ep->win_rx &&
	    ep->win_stale_at < ep->nprogress)
		win_drop(ep);
	if (!sfi_list_empty(&ep->ctrlq))
		ctrl_flush(ep);
	sfi_list_for_each_safe(pos, tmp, &ep->sources) {
		struct sfi_source *s = sfi_container_of(pos, struct sfi_source,
							node);

		if (ep->dead)
			return;
		if (s->state == SFI_SRC_MOVE)
			source_move(ep, s);
	}
	for (i = 0; i < SFI_RX_BATCH && !ep->dead; i++)
		if (rx_one(ep) < 2)
			break;
}

/* Work that waits on the peer (its full queue), not on our fd. */
bool sfi_ep_busy(const struct sfi_ep *ep)
{
	const struct sfi_list *pos;

	if (ep->dead || !ep->enabled)
		return false;
	if (!sfi_list_empty(&ep->ctrlq))
		return true;
	for (pos = ep->sources.next; pos != &ep->sources; pos = pos->next)
		if (sfi_container_of(pos, struct sfi_source, node)->state ==
		    SFI_SRC_MOVE)
			return true;
	return false;
}

/* ---------------------------------------------------------------- posting */

static int ep_usable(struct sfi_ep *ep)
{
	if (!ep->enabled)
		return -FI_EOPBADSTATE;
	if (ep->dead)
		return -FI_ENODEV;
	return 0;
}

static ssize_t do_send(struct sfi_ep *ep, const struct iovec *iov,
		       size_t count, fi_addr_t dest, uint64_t tag,
		       uint64_t data, uint64_t flags, void *context,
		       bool tagged)
{
	struct sfi_domain *dom = ep->dom;
	uint16_t hflags = (tagged ? SFI_F_TAGGED : 0) |
			  ((flags & FI_REMOTE_CQ_DATA) ? SFI_F_DATA : 0);
	uint64_t cq_flags = FI_SEND | (tagged ? FI_TAGGED : FI_MSG);
	bool want = !(flags & FI_INJECT) &&
		    (!ep->tx_selective || (flags & FI_COMPLETION));
	struct sfi_source *s;
	struct sfi_addr dst;
	struct sfi_hdr *h;
	size_t total;
	ssize_t ret;

	ret = iov_total(iov, count, &total);
	if (ret)
		return ret;
	if (total > SFI_MAX_MSG)
		return -FI_EMSGSIZE;
	if ((flags & FI_INJECT) && total > dom->eager_max)
		return -FI_EMSGSIZE;
	pthread_mutex_lock(&dom->lock);
	ret = ep_usable(ep);
	if (ret)
		goto out;
	ret = sfi_av_get(ep->av, dest, &dst);
	if (ret)
		goto out;
	if (total <= dom->eager_max) {
		h = (struct sfi_hdr *)ep->txbuf;
		memset(h, 0, HDR);
		h->op = SFI_OP_EAGER;
		h->version = SFI_PROTO_VERSION;
		h->flags = hflags;
		h->tag = tag;
		h->data = data;
		h->len = total;
		iov_gather(ep->txbuf + HDR, iov, count);
		ret = k_send(ep, &dst, ep->txbuf, HDR + total);
		if (ret == -EAGAIN) {
			/* Perhaps our own queue (a send to self): drain it. */
			sfi_ep_progress(ep);
			if (!ep->dead)
				ret = k_send(ep, &dst, ep->txbuf, HDR + total);
		}
		if (!ret)
			tx_done(ep, context, cq_flags, want);
		goto err;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		ret = -FI_ENOMEM;
		goto out;
	}
	s->id = new_id(ep);
	s->context = context;
	s->cq_flags = cq_flags;
	s->completion = want;
	s->dst = dst;
	s->iov_count = count;
	memcpy(s->iov, iov, count * sizeof(*iov));
	s->total = total;
	s->state = SFI_SRC_WAIT;
	h = (struct sfi_hdr *)ep->txbuf;
	memset(h, 0, HDR);
	h->op = SFI_OP_RTS;
	h->version = SFI_PROTO_VERSION;
	h->flags = hflags;
	h->id = s->id;
	h->tag = tag;
	h->data = data;
	h->len = total;
	ret = k_send(ep, &dst, ep->txbuf, HDR);
	if (ret)
		free(s);
	else
		sfi_list_add_tail(&ep->sources, &s->node);
err:
	if (ret == -ENODEV || ret == -EBADF) {
		sfi_ep_revoke(ep, -ret);
		ret = -FI_ENODEV;
	} else if (ret < 0 && ret != -FI_EAGAIN) {
		ret = -sfi_fi_errno(-ret);
	}
out:
	pthread_mutex_unlock(&dom->lock);
	return ret;
}

static struct sfi_unexp *find_claimed(struct sfi_ep *ep, void *context)
{
	struct sfi_list *pos, *tmp;

	sfi_list_for_each_safe(pos, tmp, &ep->claimed) {
		struct sfi_unexp *u = sfi_container_of(pos, struct sfi_unexp,
						       node);

		if (u->claim_ctx == context)
			return u;
	}
	return NULL;
}

/* FI_PEEK: report the first matching unexpected message, or FI_ENOMSG. */
static void do_peek(struct sfi_ep *ep, struct sfi_rx *rx)
{
	struct sfi_unexp *u;
	struct sfi_cqe e = {
		.op_context = rx->context, .src = FI_ADDR_NOTAVAIL,
	};

	sfi_ep_progress(ep);
	u = ep->dead ? NULL : find_unexp(ep, rx);
	e.flags = rx_cq_flags(rx->tagged, u ? u->hdr.flags : 0);
	if (!u) {
		e.tag = rx->tag;
		if (ep->rx_cq)
			sfi_cq_add_err(ep->rx_cq, &e, FI_ENOMSG, 0, 0,
				       "no matching message");
		return;
	}
	e.len = u->hdr.op == SFI_OP_RTS ? u->hdr.len : u->paylen;
	e.tag = rx->tagged ? u->hdr.tag : 0;
	e.data = (u->hdr.flags & SFI_F_DATA) ? u->hdr.data : 0;
	e.src = sfi_av_reverse(ep->av, u->from.dev, u->from.ep);
	if (rx->flags & FI_CLAIM) {
		sfi_list_del(&u->node);
		u->claim_ctx = rx->context;
		sfi_list_add_tail(&ep->claimed, &u->node);
	} else if (rx->flags & FI_DISCARD) {
		sfi_list_del(&u->node);
		discard_unexp(ep, u);
	}
	if (ep->rx_cq)
		sfi_cq_add(ep->rx_cq, &e);
}

static ssize_t do_recv(struct sfi_ep *ep, const struct iovec *iov,
		       size_t count, fi_addr_t src, uint64_t tag,
		       uint64_t ignore, uint64_t flags, void *context,
		       bool tagged)
{
	struct sfi_domain *dom = ep->dom;
	struct sfi_unexp *u;
	struct sfi_rx *rx;
	size_t total;
	ssize_t ret;

	ret = iov_total(iov, count, &total);
	if (ret)
		return ret;
	if ((flags & (FI_PEEK | FI_CLAIM)) && !tagged)
		return -FI_EBADFLAGS;
	if ((flags & FI_DISCARD) && !(flags & (FI_PEEK | FI_CLAIM)))
		return -FI_EBADFLAGS;
	rx = calloc(1, sizeof(*rx));
	if (!rx)
		return -FI_ENOMEM;
	rx->context = context;
	rx->flags = flags;
	rx->tag = tag;
	rx->ignore = tagged ? ignore : 0;
	rx->src = src;
	rx->tagged = tagged;
	rx->completion = !ep->rx_selective || (flags & FI_COMPLETION);
	rx->iov_count = count;
	memcpy(rx->iov, iov, count * sizeof(*iov));
	rx->total = total;

	pthread_mutex_lock(&dom->lock);
	ret = ep_usable(ep);
	if (ret)
		goto err;
	if (flags & FI_PEEK) {
		do_peek(ep, rx);
		goto err;	/* nothing is posted */
	}
	if (flags & FI_CLAIM) {
		u = find_claimed(ep, context);
		if (!u) {
			ret = -FI_EINVAL;
			goto err;
		}
		sfi_list_del(&u->node);
		if (flags & FI_DISCARD) {
			discard_unexp(ep, u);
			rx->total = 0;
			rx_done(ep, rx, 0, 0, 0, 0, 0, FI_ADDR_NOTAVAIL);
			goto err;
		}
		deliver_unexp(ep, rx, u);
		goto out;
	}
	u = find_unexp(ep, rx);
	if (u) {
		sfi_list_del(&u->node);
		deliver_unexp(ep, rx, u);
	} else {
		sfi_list_add_tail(&ep->posted[tagged], &rx->node);
		win_prepare(ep, rx);
	}
out:
	pthread_mutex_unlock(&dom->lock);
	return 0;
err:
	pthread_mutex_unlock(&dom->lock);
	free(rx);
	return ret;
}

ssize_t sfi_ep_cancel(fid_t fid, void *context)
{
	struct sfi_ep *ep = sfi_container_of(fid, struct sfi_ep, ep.fid);
	struct sfi_list *pos, *tmp;
	int l;

	pthread_mutex_lock(&ep->dom->lock);
	for (l = 0; l < 2; l++) {
		sfi_list_for_each_safe(pos, tmp, &ep->posted[l]) {
			struct sfi_rx *rx = sfi_container_of(pos, struct sfi_rx,
							     node);

			if (rx->context != context)
				continue;
			sfi_list_del(pos);
			win_unprepare(ep, rx);
			rx_fail(ep, rx, FI_ECANCELED, 0, "canceled");
			free(rx);
			pthread_mutex_unlock(&ep->dom->lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&ep->dom->lock);
	return -FI_ENOENT;
}

/* ------------------------------------------------------------ operations */

#define EP(e) sfi_container_of(e, struct sfi_ep, ep)

static ssize_t msg_recv(struct fid_ep *e, void *buf, size_t len, void *desc,
			fi_addr_t src, void *context)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	(void)desc;
	return do_recv(EP(e), &iov, 1, src, 0, 0, EP(e)->rx_op_flags,
		       context, false);
}

static ssize_t msg_recvv(struct fid_ep *e, const struct iovec *iov,
			 void **desc, size_t count, fi_addr_t src,
			 void *context)
{
	(void)desc;
	return do_recv(EP(e), iov, count, src, 0, 0, EP(e)->rx_op_flags,
		       context, false);
}

static ssize_t msg_recvmsg(struct fid_ep *e, const struct fi_msg *msg,
			   uint64_t flags)
{
	if (!msg)
		return -FI_EINVAL;
	return do_recv(EP(e), msg->msg_iov, msg->iov_count, msg->addr, 0, 0,
		       flags, msg->context, false);
}

static ssize_t msg_send(struct fid_ep *e, const void *buf, size_t len,
			void *desc, fi_addr_t dest, void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_send(EP(e), &iov, 1, dest, 0, 0, EP(e)->tx_op_flags,
		       context, false);
}

static ssize_t msg_sendv(struct fid_ep *e, const struct iovec *iov,
			 void **desc, size_t count, fi_addr_t dest,
			 void *context)
{
	(void)desc;
	return do_send(EP(e), iov, count, dest, 0, 0, EP(e)->tx_op_flags,
		       context, false);
}

static ssize_t msg_sendmsg(struct fid_ep *e, const struct fi_msg *msg,
			   uint64_t flags)
{
	if (!msg)
		return -FI_EINVAL;
	return do_send(EP(e), msg->msg_iov, msg->iov_count, msg->addr, 0,
		       msg->data, flags, msg->context, false);
}

static ssize_t msg_inject(struct fid_ep *e, const void *buf, size_t len,
			  fi_addr_t dest)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_send(EP(e), &iov, 1, dest, 0, 0, FI_INJECT, NULL, false);
}

static ssize_t msg_senddata(struct fid_ep *e, const void *buf, size_t len,
			    void *desc, uint64_t data, fi_addr_t dest,
			    void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_send(EP(e), &iov, 1, dest, 0, data,
		       EP(e)->tx_op_flags | FI_REMOTE_CQ_DATA, context, false);
}

static ssize_t msg_injectdata(struct fid_ep *e, const void *buf, size_t len,
			      uint64_t data, fi_addr_t dest)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_send(EP(e), &iov, 1, dest, 0, data,
		       FI_INJECT | FI_REMOTE_CQ_DATA, NULL, false);
}

struct fi_ops_msg sfi_msg_ops = {
	.size = sizeof(struct fi_ops_msg),
	.recv = msg_recv,
	.recvv = msg_recvv,
	.recvmsg = msg_recvmsg,
	.send = msg_send,
	.sendv = msg_sendv,
	.sendmsg = msg_sendmsg,
	.inject = msg_inject,
	.senddata = msg_senddata,
	.injectdata = msg_injectdata,
};

static ssize_t tag_recv(struct fid_ep *e, void *buf, size_t len, void *desc,
			fi_addr_t src, uint64_t tag, uint64_t ignore,
			void *context)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	(void)desc;
	return do_recv(EP(e), &iov, 1, src, tag, ignore, EP(e)->rx_op_flags,
		       context, true);
}

static ssize_t tag_recvv(struct fid_ep *e, const struct iovec *iov,
			 void **desc, size_t count, fi_addr_t src,
			 uint64_t tag, uint64_t ignore, void *context)
{
	(void)desc;
	return do_recv(EP(e), iov, count, src, tag, ignore,
		       EP(e)->rx_op_flags, context, true);
}

static ssize_t tag_recvmsg(struct fid_ep *e, const struct fi_msg_tagged *msg,
			   uint64_t flags)
{
	if (!msg)
		return -FI_EINVAL;
	return do_recv(EP(e), msg->msg_iov, msg->iov_count, msg->addr,
		       msg->tag, msg->ignore, flags, msg->context, true);
}

static ssize_t tag_send(struct fid_ep *e, const void *buf, size_t len,
			void *desc, fi_addr_t dest, uint64_t tag,
			void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_send(EP(e), &iov, 1, dest, tag, 0, EP(e)->tx_op_flags,
		       context, true);
}

static ssize_t tag_sendv(struct fid_ep *e, const struct iovec *iov,
			 void **desc, size_t count, fi_addr_t dest,
			 uint64_t tag, void *context)
{
	(void)desc;
	return do_send(EP(e), iov, count, dest, tag, 0, EP(e)->tx_op_flags,
		       context, true);
}

static ssize_t tag_sendmsg(struct fid_ep *e, const struct fi_msg_tagged *msg,
			   uint64_t flags)
{
	if (!msg)
		return -FI_EINVAL;
	return do_send(EP(e), msg->msg_iov, msg->iov_count, msg->addr,
		       msg->tag, msg->data, flags, msg->context, true);
}

static ssize_t tag_inject(struct fid_ep *e, const void *buf, size_t len,
			  fi_addr_t dest, uint64_t tag)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_send(EP(e), &iov, 1, dest, tag, 0, FI_INJECT, NULL, true);
}

static ssize_t tag_senddata(struct fid_ep *e, const void *buf, size_t len,
			    void *desc, uint64_t data, fi_addr_t dest,
			    uint64_t tag, void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_send(EP(e), &iov, 1, dest, tag, data,
		       EP(e)->tx_op_flags | FI_REMOTE_CQ_DATA, context, true);
}

static ssize_t tag_injectdata(struct fid_ep *e, const void *buf, size_t len,
			      uint64_t data, fi_addr_t dest, uint64_t tag)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_send(EP(e), &iov, 1, dest, tag, data,
		       FI_INJECT | FI_REMOTE_CQ_DATA, NULL, true);
}

struct fi_ops_tagged sfi_tagged_ops = {
	.size = sizeof(struct fi_ops_tagged),
	.recv = tag_recv,
	.recvv = tag_recvv,
	.recvmsg = tag_recvmsg,
	.send = tag_send,
	.sendv = tag_sendv,
	.sendmsg = tag_sendmsg,
	.inject = tag_inject,
	.senddata = tag_senddata,
	.injectdata = tag_injectdata,
};

/* ------------------------------------------------------------------- RMA */

static ssize_t do_rma_write(struct sfi_ep *ep, const struct iovec *iov,
			    size_t count, fi_addr_t dest, uint64_t addr,
			    uint64_t key, uint64_t data, uint64_t flags,
			    void *context)
{
	struct sfi_domain *dom = ep->dom;
	uint16_t hflags = (flags & FI_REMOTE_CQ_DATA) ? SFI_F_DATA : 0;
	bool want = !(flags & FI_INJECT) &&
		    (!ep->tx_selective || (flags & FI_COMPLETION));
	struct sfi_rmaop *o = NULL;
	struct sfi_source *s = NULL;
	struct sfi_addr dst;
	struct sfi_hdr *h;
	size_t total;
	ssize_t ret;

	ret = iov_total(iov, count, &total);
	if (ret)
		return ret;
	if ((flags & FI_INJECT) && total > dom->eager_max)
		return -FI_EMSGSIZE;
	pthread_mutex_lock(&dom->lock);
	ret = ep_usable(ep);
	if (!ret)
		ret = sfi_av_get(ep->av, dest, &dst);
	if (ret)
		goto out;
	h = (struct sfi_hdr *)ep->txbuf;
	memset(h, 0, HDR);
	h->version = SFI_PROTO_VERSION;
	h->flags = hflags;
	h->tag = key;
	h->off = addr;
	h->len = total;
	h->data = data;
	if (total <= dom->eager_max) {
		/* The data goes along; an answer when a completion is due. */
		if (!(flags & FI_INJECT)) {
			o = calloc(1, sizeof(*o));
			if (!o) {
				ret = -FI_ENOMEM;
				goto out;
			}
			o->id = new_id(ep);
			o->context = context;
			o->completion = want;
			h->id = o->id;
		}
		h->op = SFI_OP_WRITE;
		iov_gather(ep->txbuf + HDR, iov, count);
		ret = k_send(ep, &dst, ep->txbuf, HDR + total);
		if (ret == -EAGAIN) {
			sfi_ep_progress(ep);
			if (!ep->dead)
				ret = k_send(ep, &dst, ep->txbuf, HDR + total);
		}
		if (!ret && o)
			sfi_list_add_tail(&ep->rma_wait, &o->node);
		else
			free(o);
	} else {
		s = calloc(1, sizeof(*s));
		if (!s) {
			ret = -FI_ENOMEM;
			goto out;
		}
		s->id = new_id(ep);
		s->context = context;
		s->cq_flags = FI_RMA | FI_WRITE;
		s->completion = want;
		s->dst = dst;
		s->iov_count = count;
		memcpy(s->iov, iov, count * sizeof(*iov));
		s->total = total;
		s->state = SFI_SRC_WAIT;
		h->op = SFI_OP_WREQ;
		h->id = s->id;
		ret = k_send(ep, &dst, ep->txbuf, HDR);
		if (ret)
			free(s);
		else
			sfi_list_add_tail(&ep->sources, &s->node);
	}
	if (ret == -ENODEV || ret == -EBADF) {
		sfi_ep_revoke(ep, -ret);
		ret = -FI_ENODEV;
	} else if (ret < 0 && ret != -FI_EAGAIN) {
		ret = -sfi_fi_errno(-ret);
	}
out:
	pthread_mutex_unlock(&dom->lock);
	return ret;
}

static ssize_t do_rma_read(struct sfi_ep *ep, const struct iovec *iov,
			   size_t count, fi_addr_t src, uint64_t addr,
			   uint64_t key, uint64_t flags, void *context)
{
	struct sfi_domain *dom = ep->dom;
	struct sfi_hdr h = {
		.op = SFI_OP_READ, .version = SFI_PROTO_VERSION,
		.tag = key, .off = addr,
	};
	struct sfi_sink *s;
	struct sfi_addr from;
	size_t total;
	ssize_t ret;

	ret = iov_total(iov, count, &total);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -FI_ENOMEM;
	pthread_mutex_lock(&dom->lock);
	ret = ep_usable(ep);
	if (!ret)
		ret = sfi_av_get(ep->av, src, &from);
	if (ret) {
		free(s);
		goto out;
	}
	s->kind = SFI_SINK_READ;
	s->await = true;
	s->id = new_id(ep);
	s->peer = from;
	s->src = src;
	s->rx.context = context;
	s->rx.completion = !ep->tx_selective || (flags & FI_COMPLETION);
	s->rx.iov_count = count;
	memcpy(s->rx.iov, iov, count * sizeof(*iov));
	s->rx.total = total;
	s->msg_len = s->granted = total;
	h.id = s->id;
	h.len = total;
	ret = k_send(ep, &from, &h, HDR);
	if (ret) {
		free(s);
		if (ret == -ENODEV || ret == -EBADF) {
			sfi_ep_revoke(ep, -ret);
			ret = -FI_ENODEV;
		} else if (ret != -FI_EAGAIN) {
			ret = -sfi_fi_errno(-ret);
		}
		goto out;
	}
	sfi_list_add_tail(&ep->sinks, &s->node);
out:
	pthread_mutex_unlock(&dom->lock);
	return ret;
}

static ssize_t rma_read(struct fid_ep *e, void *buf, size_t len, void *desc,
			fi_addr_t src, uint64_t addr, uint64_t key,
			void *context)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	(void)desc;
	return do_rma_read(EP(e), &iov, 1, src, addr, key,
			   EP(e)->tx_op_flags, context);
}

static ssize_t rma_readv(struct fid_ep *e, const struct iovec *iov,
			 void **desc, size_t count, fi_addr_t src,
			 uint64_t addr, uint64_t key, void *context)
{
	(void)desc;
	return do_rma_read(EP(e), iov, count, src, addr, key,
			   EP(e)->tx_op_flags, context);
}

static ssize_t rma_readmsg(struct fid_ep *e, const struct fi_msg_rma *msg,
			   uint64_t flags)
{
	if (!msg || msg->rma_iov_count != 1 || !msg->rma_iov)
		return -FI_EINVAL;
	return do_rma_read(EP(e), msg->msg_iov, msg->iov_count, msg->addr,
			   msg->rma_iov[0].addr, msg->rma_iov[0].key, flags,
			   msg->context);
}

static ssize_t rma_write(struct fid_ep *e, const void *buf, size_t len,
			 void *desc, fi_addr_t dest, uint64_t addr,
			 uint64_t key, void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_rma_write(EP(e), &iov, 1, dest, addr, key, 0,
			    EP(e)->tx_op_flags, context);
}

static ssize_t rma_writev(struct fid_ep *e, const struct iovec *iov,
			  void **desc, size_t count, fi_addr_t dest,
			  uint64_t addr, uint64_t key, void *context)
{
	(void)desc;
	return do_rma_write(EP(e), iov, count, dest, addr, key, 0,
			    EP(e)->tx_op_flags, context);
}

static ssize_t rma_writemsg(struct fid_ep *e, const struct fi_msg_rma *msg,
			    uint64_t flags)
{
	if (!msg || msg->rma_iov_count != 1 || !msg->rma_iov)
		return -FI_EINVAL;
	return do_rma_write(EP(e), msg->msg_iov, msg->iov_count, msg->addr,
			    msg->rma_iov[0].addr, msg->rma_iov[0].key,
			    msg->data, flags, msg->context);
}

static ssize_t rma_inject(struct fid_ep *e, const void *buf, size_t len,
			  fi_addr_t dest, uint64_t addr, uint64_t key)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_rma_write(EP(e), &iov, 1, dest, addr, key, 0, FI_INJECT,
			    NULL);
}

static ssize_t rma_writedata(struct fid_ep *e, const void *buf, size_t len,
			     void *desc, uint64_t data, fi_addr_t dest,
			     uint64_t addr, uint64_t key, void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	(void)desc;
	return do_rma_write(EP(e), &iov, 1, dest, addr, key, data,
			    EP(e)->tx_op_flags | FI_REMOTE_CQ_DATA, context);
}

static ssize_t rma_injectdata(struct fid_ep *e, const void *buf, size_t len,
			      uint64_t data, fi_addr_t dest, uint64_t addr,
			      uint64_t key)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return do_rma_write(EP(e), &iov, 1, dest, addr, key, data,
			    FI_INJECT | FI_REMOTE_CQ_DATA, NULL);
}

struct fi_ops_rma sfi_rma_ops = {
	.size = sizeof(struct fi_ops_rma),
	.read = rma_read,
	.readv = rma_readv,
	.readmsg = rma_readmsg,
	.write = rma_write,
	.writev = rma_writev,
	.writemsg = rma_writemsg,
	.inject = rma_inject,
	.writedata = rma_writedata,
	.injectdata = rma_injectdata,
};
