// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace helpers shared by ssns-cni and ssns-oci-hook: the
 * namespace's cookie (its identity for the kernel, which outlives the
 * namespace in membership lists), and a libssns handle whose socket lives
 * in another namespace (a device moved into a pod is only visible there).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssns.h>

#include "nsutil.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* Run in netns nsfd: enter it, call fn, come back. */
static int in_netns(int nsfd, int (*fn)(void *), void *arg)
{
	int self, rc;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET)) {
		rc = -errno;
		close(self);
		return rc;
	}
	rc = fn(arg);
	if (setns(self, CLONE_NEWNET))
		abort();	/* never go on in the wrong namespace */
	close(self);
	return rc;
}

static int get_cookie(void *arg)
{
	socklen_t len = sizeof(uint64_t);
	int s, rc = 0;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, arg, &len))
		rc = -errno;
	close(s);
	return rc;
}

int ns_cookie(int nsfd, uint64_t *cookie)
{
	return in_netns(nsfd, get_cookie, cookie);
}

static int connect_here(void *arg)
{
	struct ssns_handle **h = arg;
	int rc;

	*h = ssns_new();
	if (!*h)
		return -ENOMEM;
	rc = ssns_connect(*h);
	if (rc) {
		ssns_free(*h);
		*h = NULL;
	}
	return rc;
}

int ns_handle(int nsfd, struct ssns_handle **out)
{
	return in_netns(nsfd, connect_here, out);
}
