// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* The handle: socket, family resolution, errors and request/reply. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int ssns__fail(struct ssns_handle *h, int err, const char *fmt, ...)
{
	va_list ap;

	if (!h)
		return err;
	h->err = err;
	h->msg[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(h->msg, sizeof(h->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

void ssns__clear(struct ssns_handle *h)
{
	h->err = 0;
	h->msg[0] = '\0';
}

int ssns__nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_PARSE_ERR:
		return -EPROTO;
	default:
		return -EIO;
	}
}

SSNS_EXPORT struct ssns_handle *ssns_new(void)
{
	struct ssns_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->family = -1;
	h->mcgrp = -1;
	h->fd_ev = -1;
	return h;
}

SSNS_EXPORT int ssns_connect(struct ssns_handle *h)
{
	int one = 1, rc;

	if (!h)
		return -EINVAL;
	ssns__clear(h);
	if (h->sk)
		return 0;
	h->sk = nl_socket_alloc();
	if (!h->sk)
		return ssns__fail(h, -ENOMEM, "out of memory");
	rc = genl_connect(h->sk);
	if (rc < 0) {
		rc = ssns__nlerr(rc);
		goto err;
	}
	/* the kernel's error text, and no echo of our request in errors */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* size each read to the datagram: dumps may send large ones */
	nl_socket_enable_msg_peek(h->sk);

	rc = genl_ctrl_resolve(h->sk, SSNS_GENL_NAME);
	if (rc < 0) {
		rc = ssns__nlerr(rc);
		if (rc == -ENOENT)
			ssns__fail(h, rc,
				   "generic netlink family \"%s\" not found "
				   "(is the ssns module loaded?)",
				   SSNS_GENL_NAME);
		else
			ssns__fail(h, rc, "cannot resolve family \"%s\"",
				   SSNS_GENL_NAME);
		goto err_set;
	}
	h->family = rc;
	/* the group now, while libnl's own lookups may still wait for acks */
	rc = genl_ctrl_resolve_grp(h->sk, SSNS_GENL_NAME,
				   SSNS_GENL_MCGRP_MONITOR);
	h->mcgrp = rc < 0 ? -1 : rc;
	/*
	 * From here on we set the flags ourselves: an ack for every "do",
	 * none for a dump (which ends with NLMSG_DONE), as iproute2 does.
	 */
	nl_socket_disable_auto_ack(h->sk);
	return 0;
err:
	ssns__fail(h, rc, "cannot open generic netlink socket");
err_set:
	nl_socket_free(h->sk);
	h->sk = NULL;
	return rc;
}

SSNS_EXPORT void ssns_free(struct ssns_handle *h)
{
	if (!h)
		return;
	if (h->sk)
		nl_socket_free(h->sk);
	if (h->ev)
		nl_socket_free(h->ev);
	free(h->ev_buf);
	free(h->ev_pend);
	free(h);
}

SSNS_EXPORT const char *ssns_errmsg(const struct ssns_handle *h)
{
	return h ? h->msg : "";
}

SSNS_EXPORT int ssns_errno(const struct ssns_handle *h)
{
	return h ? h->err : 0;
}

/* State of one request/reply exchange. */
struct xact {
	struct ssns_handle *h;
	struct nl_msg *req;
	ssns__reply_fn fn;
	void *arg;
	bool done;
	int err;
};

static void take_ack(struct xact *x, const struct nlmsghdr *nlh)
{
	struct ssns__ack ack;
	char text[sizeof(x->h->msg)];

	if (ssns__parse_ack(nlh, nlh->nlmsg_len, &ack)) {
		x->err = ssns__fail(x->h, -EPROTO, "malformed acknowledgement");
		return;
	}
	if (!ack.error)
		return;
	ssns__ack_text(&ack, nlmsg_hdr(x->req), text, sizeof(text));
	x->err = ssns__fail(x->h, ack.error, "%s", text);
}

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct xact *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[SSNS_ATTR_MAX + 1];
	int rc;

	if (x->err)
		return NL_SKIP;	/* drain the rest of a failed dump */
	if (ssns__parse_attrs(nlh, tb)) {
		x->err = ssns__fail(x->h, -EPROTO, "malformed reply");
		return NL_SKIP;
	}
	if (x->fn) {
		rc = x->fn(genlmsg_hdr(nlh)->cmd, tb, x->arg);
		if (rc < 0)
			x->err = ssns__fail(x->h, rc, rc == -ENOMEM ?
					    "out of memory" :
					    "malformed reply");
	}
	return NL_OK;
}

static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct xact *x = arg;

	if (!x->err)
		take_ack(x, nlmsg_hdr(msg));
	x->done = true;
	return NL_STOP;
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct xact *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

static int cb_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xact *x = arg;
	/* libnl hands us the payload: the header sits right before it */
	const struct nlmsghdr *nlh =
		(const void *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	if (!x->err)
		take_ack(x, nlh);
	if (!x->err && e->error)
		x->err = ssns__fail(x->h, e->error < 0 ? e->error : -e->error,
				    NULL);
	x->done = true;
	return NL_STOP;
}

int ssns__transact(struct ssns_handle *h, const struct ssns__req *req,
		   ssns__reply_fn fn, void *arg)
{
	struct xact x = { .h = h, .fn = fn, .arg = arg };
	char err[256];
	struct nl_cb *cb;
	int rc;

	ssns__clear(h);
	if (!h->sk)
		return ssns__fail(h, -ENOTCONN, "not connected");
	rc = ssns__build(h->family, req, &x.req, err, sizeof(err));
	if (rc)
		return ssns__fail(h, rc, "%s", err);

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(x.req);
		return ssns__fail(h, -ENOMEM, "out of memory");
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, cb_err, &x);

	rc = nl_send_auto(h->sk, x.req);
	if (rc < 0) {
		x.err = ssns__fail(h, ssns__nlerr(rc), "cannot send request");
		goto out;
	}
	while (!x.done) {
		rc = nl_recvmsgs(h->sk, cb);
		if (rc < 0 && !x.done) {
			if (!x.err)
				x.err = ssns__fail(h, ssns__nlerr(rc),
						   "receive: %s",
						   nl_geterror(rc));
			break;
		}
	}
out:
	nl_cb_put(cb);
	nlmsg_free(x.req);
	return x.err;
}
