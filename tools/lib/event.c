// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* Notifications of the "monitor" multicast group. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "internal.h"

#define EV_BUFSZ (64 * 1024)

/* Keep a message that came before the subscription's ack. */
static void keep_pending(struct ssns_handle *h, const struct nlmsghdr *nlh)
{
	size_t n = NLMSG_ALIGN(nlh->nlmsg_len);

	if (!h->ev_pend)
		h->ev_pend = malloc(EV_BUFSZ);
	/* More than a buffer of events in that instant: the rest is lost. */
	if (!h->ev_pend || h->ev_pend_len + n > EV_BUFSZ)
		return;
	memcpy((char *)h->ev_pend + h->ev_pend_len, nlh, n);
	h->ev_pend_len += n;
}

/*
 * Wait for the ack of the MONITOR request with sequence @seq on the event
 * socket. Events can be sent to the socket as soon as the kernel has
 * subscribed it, before the ack: they are kept for the first dispatch.
 */
static int wait_monitor_ack(struct ssns_handle *h, const struct nl_msg *req,
			    uint32_t seq)
{
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int rem;

		n = recv(h->fd_ev, h->ev_buf, EV_BUFSZ, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ssns__fail(h, -errno, "cannot subscribe to "
					  "events");
		rem = (int)n;
		for (nlh = h->ev_buf; nlmsg_ok(nlh, rem);
		     nlh = nlmsg_next(nlh, &rem)) {
			struct ssns__ack ack;
			char text[256];

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq != seq) {
				keep_pending(h, nlh);
				continue;
			}
			if (ssns__parse_ack(nlh, nlh->nlmsg_len, &ack))
				return ssns__fail(h, -EPROTO, "bad ack");
			if (!ack.error)
				continue;	/* events may follow */
			ssns__ack_text(&ack, nlmsg_hdr((struct nl_msg *)req),
				       text, sizeof(text));
			return ssns__fail(h, ack.error, "%s", text);
		}
		if (rem == (int)n)
			return ssns__fail(h, -EPROTO, "bad message");
		/* Done once the ack was seen: it is the last of its batch. */
		for (nlh = h->ev_buf, rem = (int)n; nlmsg_ok(nlh, rem);
		     nlh = nlmsg_next(nlh, &rem))
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_seq == seq)
				return 0;
	}
}

/* Ask the kernel to send events to the event socket (SSNS_CMD_MONITOR). */
static int monitor_request(struct ssns_handle *h)
{
	struct ssns__req q = { .cmd = SSNS_CMD_MONITOR };
	struct nl_msg *m;
	char err[128];
	uint32_t seq;
	int rc;

	rc = ssns__build(h->family, &q, &m, err, sizeof(err));
	if (rc)
		return ssns__fail(h, rc, "%s", err);
	rc = nl_send_auto(h->ev, m);
	if (rc < 0) {
		nlmsg_free(m);
		return ssns__fail(h, ssns__nlerr(rc), "cannot subscribe to "
				  "events");
	}
	seq = nlmsg_hdr(m)->nlmsg_seq;
	rc = wait_monitor_ack(h, m, seq);
	nlmsg_free(m);
	return rc;
}

SSNS_EXPORT int ssns_event_subscribe(struct ssns_handle *h)
{
	int one = 1, rc;

	if (!h)
		return -EINVAL;
	ssns__clear(h);
	if (h->ev)
		return 0;
	if (!h->sk)
		return ssns__fail(h, -ENOTCONN, "not connected");

	if (!h->ev_buf)
		h->ev_buf = malloc(EV_BUFSZ);
	h->ev = h->ev_buf ? nl_socket_alloc() : NULL;
	if (!h->ev)
		return ssns__fail(h, -ENOMEM, "out of memory");
	nl_socket_disable_seq_check(h->ev);
	rc = genl_connect(h->ev);
	if (rc < 0) {
		rc = ssns__fail(h, ssns__nlerr(rc), "cannot open the event "
				"socket");
		goto err;
	}
	setsockopt(nl_socket_get_fd(h->ev), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->ev), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* room for bursts (many pods at once); ENOBUFS tells of a loss */
	nl_socket_set_buffer_size(h->ev, 1 << 20, 0);
	h->fd_ev = nl_socket_get_fd(h->ev);
	h->ev_pend_len = 0;

	/*
	 * Each listener hears what is its business. A module older than
	 * SSNS_CMD_MONITOR has only the group (open to node admins).
	 */
	rc = monitor_request(h);
	if (rc != -EOPNOTSUPP)
		goto out;
	if (h->mcgrp < 0) {
		rc = ssns__fail(h, -ENOENT, "multicast group \"%s\" not found",
				SSNS_GENL_MCGRP_MONITOR);
		goto err;
	}
	ssns__clear(h);
	rc = nl_socket_add_membership(h->ev, h->mcgrp);
	if (rc < 0)
		rc = ssns__fail(h, ssns__nlerr(rc), "cannot join group \"%s\"",
				SSNS_GENL_MCGRP_MONITOR);
out:
	if (!rc)
		return 0;
err:
	nl_socket_free(h->ev);
	h->ev = NULL;
	h->fd_ev = -1;
	return rc;
}

SSNS_EXPORT int ssns_event_fd(const struct ssns_handle *h)
{
	return h && h->ev ? h->fd_ev : -1;
}

int ssns__dispatch_buf(struct ssns_handle *h, void *buf, size_t len,
		       ssns_event_cb cb, void *arg)
{
	struct nlmsghdr *nlh;
	int rem = (int)len;

	for (nlh = buf; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		struct nlattr *tb[SSNS_ATTR_MAX + 1];
		struct ssns_event ev;
		int rc;

		if (nlh->nlmsg_type != h->family)
			continue;	/* NLMSG_NOOP and the like */
		if (ssns__parse_attrs(nlh, tb))
			continue;	/* skip what we cannot read */
		rc = ssns__parse_event(genlmsg_hdr(nlh)->cmd, tb, &ev);
		if (rc)
			return ssns__fail(h, rc, "cannot parse event");
		rc = cb(&ev, arg);
		ssns__event_clear(&ev);
		if (rc)
			return rc;
	}
	return 0;
}

SSNS_EXPORT int ssns_event_dispatch(struct ssns_handle *h, ssns_event_cb cb,
				    void *arg)
{
	ssize_t n;
	int rc;

	if (!h || !cb)
		return -EINVAL;
	ssns__clear(h);
	if (!h->ev)
		return ssns__fail(h, -ENOTCONN, "not subscribed");
	if (h->ev_pend_len) {
		size_t len = h->ev_pend_len;

		h->ev_pend_len = 0;
		return ssns__dispatch_buf(h, h->ev_pend, len, cb, arg);
	}
	do {
		n = recv(h->fd_ev, h->ev_buf, EV_BUFSZ, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		rc = -errno;
		if (rc == -EAGAIN)
			return 0;
		if (rc == -ENOBUFS)
			return ssns__fail(h, rc, "events lost (reader too "
					  "slow)");
		return ssns__fail(h, rc, "cannot receive events");
	}
	return ssns__dispatch_buf(h, h->ev_buf, (size_t)n, cb, arg);
}

SSNS_EXPORT int ssns_event_loop(struct ssns_handle *h, ssns_event_cb cb,
				void *arg)
{
	int rc;

	do {
		rc = ssns_event_dispatch(h, cb, arg);
	} while (!rc);
	return rc;
}
