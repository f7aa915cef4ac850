// SPDX-License-Identifier: GPL-2.0
/*
 * libssnsrt: failures and the kernel connection. A front end reports a
 * failure by its kind (a CNI error code, a log line); the message names
 * what failed and details why, with the kernel's own words when it sent
 * some.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"

int rt_fail(struct rt_err *e, enum rt_kind kind, int err, const char *msg,
	    const char *details_fmt, ...)
{
	va_list ap;

	e->kind = kind;
	e->err = err;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	e->details[0] = '\0';
	if (details_fmt) {
		va_start(ap, details_fmt);
		vsnprintf(e->details, sizeof(e->details), details_fmt, ap);
		va_end(ap);
	}
	return -1;
}

int rt_kernel_fail(struct rt_err *e, struct ssns_handle *h, int rc,
		   const char *msg_fmt, ...)
{
	const char *m = h ? ssns_errmsg(h) : "";
	va_list ap;

	e->kind = RT_EKERNEL;
	e->err = rc;
	va_start(ap, msg_fmt);
	vsnprintf(e->msg, sizeof(e->msg), msg_fmt, ap);
	va_end(ap);
	snprintf(e->details, sizeof(e->details), "%s%s%s", strerror(-rc),
		 *m ? ": " : "", m);
	return -1;
}

enum rt_kind rt_connect_kind(int rc)
{
	switch (rc) {
	case 0:
		return RT_OK;
	case -ENOENT:
		return RT_ENOMOD;
	case -ENOMEM:
		return RT_EIO;
	default:
		return RT_EKERNEL;
	}
}

int rt_connect(struct ssns_handle **out, struct rt_err *e)
{
	struct ssns_handle *h = ssns_new();
	int rc;

	*out = NULL;
	if (!h)
		return rt_fail(e, RT_EIO, -ENOMEM, "out of memory", NULL);
	rc = ssns_connect(h);
	switch (rt_connect_kind(rc)) {
	case RT_OK:
		*out = h;
		return 0;
	case RT_ENOMOD:
		rt_fail(e, RT_ENOMOD, rc, "the ssns kernel module is not loaded",
			"generic netlink family \"ssns\" not found");
		break;
	case RT_EIO:
		rt_fail(e, RT_EIO, rc, "out of memory", NULL);
		break;
	default:
		rt_kernel_fail(e, h, rc, "cannot talk to the ssns kernel module");
		break;
	}
	ssns_free(h);
	return -1;
}

struct connect_arg {
	struct ssns_handle *h;
	struct rt_err *e;
};

static int connect_here(void *arg)
{
	struct connect_arg *a = arg;

	return rt_connect(&a->h, a->e);
}

int rt_connect_in(int nsfd, struct ssns_handle **out, struct rt_err *e)
{
	struct connect_arg a = { .e = e };
	int rc;

	e->kind = RT_OK;
	rc = rt_in_netns(nsfd, connect_here, &a);
	*out = a.h;
	if (rc && e->kind == RT_OK)	/* setns() itself failed */
		return rt_fail(e, RT_EIO, rc,
			       "cannot enter the pod's network namespace",
			       "%s", strerror(-rc));
	return rc ? -1 : 0;
}
