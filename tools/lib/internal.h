/* SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0 */
/*
 * libssns internals: shared between the library's units and its unit
 * tests (which link the static library). Nothing here is exported from
 * the shared library.
 */
#ifndef LIBSSNS_INTERNAL_H
#define LIBSSNS_INTERNAL_H

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "libssns.h"

#define SSNS_HIDDEN __attribute__((visibility("hidden")))
#define SSNS_EXPORT __attribute__((visibility("default")))

struct nl_sock;

struct ssns_handle {
	struct nl_sock *sk;	/* requests */
	int fd_ev;		/* raw fd of the event socket, -1 when none */
	struct nl_sock *ev;	/* events */
	void *ev_buf;		/* receive buffer of the event socket */
	void *ev_pend;		/* events received before the subscription's
				 * ack, dispatched first */
	size_t ev_pend_len;
	int family;		/* generic netlink family id */
	int mcgrp;		/* "monitor" group id */
	int err;		/* last negative errno */
	char msg[512];		/* last message */
};

/* Error recording: store err (negative) and a message; returns err. */
SSNS_HIDDEN int ssns__fail(struct ssns_handle *h, int err, const char *fmt,
			   ...) __attribute__((format(printf, 3, 4)));
SSNS_HIDDEN void ssns__clear(struct ssns_handle *h);

/* ------------------------------------------------------ extended acks */

struct ssns__ack {
	int error;		/* negative errno, or 0 */
	bool has_msg;
	char msg[256];
	bool has_offs;
	uint32_t offs;		/* offset of the bad attr in the request */
	bool has_miss_type;
	uint32_t miss_type;	/* type of a missing attribute */
};

/*
 * Parse an NLMSG_ERROR or NLMSG_DONE message (with its extended ack TLVs
 * when NLM_F_ACK_TLVS is set) of at most len bytes. Returns 0 or
 * -EPROTO when the message is truncated or not an ack.
 */
SSNS_HIDDEN int ssns__parse_ack(const struct nlmsghdr *nlh, size_t len,
				struct ssns__ack *ack);

/*
 * Turn an ack into a message: the kernel's text as is, else a description
 * built from the missing attribute or the offset of the bad one in req.
 */
SSNS_HIDDEN void ssns__ack_text(const struct ssns__ack *ack,
				const struct nlmsghdr *req, char *buf,
				size_t len);

/* -------------------------------------------------- request building */

/* Attributes of the request, beyond the command. */
struct ssns__req {
	uint8_t cmd;
	bool dump;
	const char *dev;		/* DEV_NAME */
	const char *tenant;		/* TENANT_NAME */
	bool has_mode;
	uint8_t mode;
	bool has_netns_fd, has_netns_pid;
	uint32_t netns_fd, netns_pid;
	bool has_netns_cookie;
	uint64_t netns_cookie;
	bool has_cgroup_id;
	uint64_t cgroup_id;
	bool has_cgroup_fd;
	uint32_t cgroup_fd;
	const char *cgroup_path;
	const struct ssns_vni_range *ranges;
	size_t nranges;
	bool ranges_attr;		/* send VNI_RANGES even when empty */
	bool has_op;
	uint8_t op;
	bool has_vni;
	uint32_t vni;
	bool has_tc;
	uint8_t tc;
	const char *parent;		/* TENANT_PARENT */
	bool has_userns_fd, has_userns_pid;
	uint32_t userns_fd, userns_pid;
	bool delegate_none;		/* DELEGATE_NONE */
	const char *delegate_cgroup;	/* DELEGATE_CGROUP */
	/* TENANT_SET of bandwidth: dev and the member go in the BW nest */
	bool bw;
	bool has_bw_share, has_bw_max, bw_clear;
	uint32_t bw_share;
	uint64_t bw_max;
};

/*
 * Build a request for the family id. Returns 0 and the message in *out, or
 * -EINVAL (bad argument: message in err), -ENOMEM, -EMSGSIZE.
 */
SSNS_HIDDEN int ssns__build(int family, const struct ssns__req *req,
			    struct nl_msg **out, char *err, size_t errlen);

/* Validate a device or tenant name; returns 0 or -EINVAL with a message. */
SSNS_HIDDEN int ssns__check_name(const char *what, const char *name,
				 char *err, size_t errlen);

/* ------------------------------------------------------ reply parsing */

SSNS_HIDDEN extern struct nla_policy ssns__policy[SSNS_ATTR_MAX + 1];

/* Parse the attributes of a generic netlink message of this family. */
SSNS_HIDDEN int ssns__parse_attrs(struct nlmsghdr *nlh,
				  struct nlattr **tb);

SSNS_HIDDEN void ssns__parse_system(struct nlattr **tb,
				    struct ssns_system *sys);
SSNS_HIDDEN int ssns__parse_stats(struct nlattr *nest,
				  struct ssns_stats *st);
SSNS_HIDDEN int ssns__parse_dev(struct nlattr **tb, struct ssns_dev *dev);
SSNS_HIDDEN int ssns__parse_tenant_ext(struct nlattr **tb,
				       struct ssns_tenant_ext *ext);
SSNS_HIDDEN int ssns__parse_counters(struct nlattr *nest,
				     struct ssns_counter_list *l);
SSNS_HIDDEN int ssns__parse_ranges(struct nlattr *nest,
				   struct ssns_vni_range **ranges,
				   size_t *n);
SSNS_HIDDEN int ssns__parse_tenant(struct nlattr **tb,
				   struct ssns_tenant *t);
/* Bandwidth (bw.c): the BW nest of a request, of a tenant's reply. */
SSNS_HIDDEN int ssns__put_bw(struct nl_msg *m, const struct ssns__req *q);
SSNS_HIDDEN int ssns__parse_tenant_bw(struct nlattr **tb,
				      struct ssns_tenant_bw *bw);
SSNS_HIDDEN void ssns__tenant_bw_clear(struct ssns_tenant_bw *bw);
SSNS_HIDDEN void ssns__tenant_clear(struct ssns_tenant *t);
SSNS_HIDDEN int ssns__parse_profile(struct nlattr **tb,
				    struct ssns_profile *p);
SSNS_HIDDEN int ssns__parse_ep(struct nlattr **tb, struct ssns_ep *ep);
SSNS_HIDDEN int ssns__parse_event(uint8_t cmd, struct nlattr **tb,
				  struct ssns_event *ev);
SSNS_HIDDEN void ssns__event_clear(struct ssns_event *ev);

/* Grow an array by one zeroed element; NULL when out of memory. */
SSNS_HIDDEN void *ssns__grow(void **arr, size_t *count, size_t *cap,
			     size_t elsz);

/* Copy a netlink string attribute into a fixed buffer, truncating. */
SSNS_HIDDEN void ssns__strcpy(char *dst, size_t len, const struct nlattr *a);

/* ------------------------------------------------------ transactions */

/* Called for every reply message; return 0 or a negative errno. */
typedef int (*ssns__reply_fn)(uint8_t cmd, struct nlattr **tb, void *arg);

/* Send req and read replies until the ack or the end of the dump. */
SSNS_HIDDEN int ssns__transact(struct ssns_handle *h,
			       const struct ssns__req *req,
			       ssns__reply_fn fn, void *arg);

/*
 * Call cb for every ssns notification in one datagram of the event
 * socket (other message types are skipped). Returns 0, the callback's
 * non-zero value, or a negative errno.
 */
SSNS_HIDDEN int ssns__dispatch_buf(struct ssns_handle *h, void *buf,
				   size_t len, ssns_event_cb cb, void *arg);

/* Map a libnl error code (negative NLE_*) to a negative errno. */
SSNS_HIDDEN int ssns__nlerr(int nlerr);

#endif /* LIBSSNS_INTERNAL_H */
