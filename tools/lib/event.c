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

SSNS_EXPORT int ssns_event_subscribe(struct ssns_handle *h)
{
	int rc;

	if (!h)
		return -EINVAL;
	ssns__clear(h);
	if (h->ev)
		return 0;
	if (!h->sk)
		return ssns__fail(h, -ENOTCONN, "not connected");
	if (h->mcgrp < 0)
		return ssns__fail(h, -ENOENT,
				  "multicast group \"%s\" not found",
				  SSNS_GENL_MCGRP_MONITOR);

	if (!h->ev_buf)
		h->ev_buf = malloc(EV_BUFSZ);
	h->ev = h->ev_buf ? nl_socket_alloc() : NULL;
	if (!h->ev)
		return ssns__fail(h, -ENOMEM, "out of memory");
	nl_socket_disable_seq_check(h->ev);
	rc = genl_connect(h->ev);
	if (rc < 0)
		goto err;
	/* room for bursts (many pods at once); ENOBUFS tells of a loss */
	nl_socket_set_buffer_size(h->ev, 1 << 20, 0);
	rc = nl_socket_add_membership(h->ev, h->mcgrp);
	if (rc < 0)
		goto err;
	h->fd_ev = nl_socket_get_fd(h->ev);
	return 0;
err:
	nl_socket_free(h->ev);
	h->ev = NULL;
	return ssns__fail(h, ssns__nlerr(rc), "cannot join group \"%s\"",
			  SSNS_GENL_MCGRP_MONITOR);
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
