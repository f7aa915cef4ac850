// SPDX-License-Identifier: GPL-2.0
/*
 * libssnsrt: a pod's identity. Its network namespace is known to the
 * kernel by its cookie, which is never reused during a boot and names
 * the namespace in a tenant's member list after it is gone; its cgroup
 * v2 directory by the directory's inode number, the cgroup id.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quote.h"
#include "runtime.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

bool rt_id_valid(const char *s, size_t max)
{
	size_t n;

	if (!s || !*s || *s == '.' || *s == '-')
		return false;
	n = strlen(s);
	if (n >= max)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && !strchr("_.-", *s))
			return false;
	return true;
}

int rt_in_netns(int nsfd, int (*fn)(void *), void *arg)
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

static int cookie_here(void *arg)
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

int rt_netns_cookie(int nsfd, uint64_t *cookie)
{
	return rt_in_netns(nsfd, cookie_here, cookie);
}

int rt_netns_open(const char *path, const char *label, uint64_t *cookie,
		  struct rt_err *e)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_fail(e, RT_ENOPOD, -errno,
			       "container network namespace not found",
			       "%s%scannot open %s: %s", label ? label : "",
			       label ? ": " : "", SSNS_QUOTE(path),
			       strerror(errno));
	rc = rt_netns_cookie(fd, cookie);
	if (rc) {
		close(fd);
		return rt_fail(e, RT_ENOPOD, rc, "not a network namespace",
			       "%s%s%s: %s", label ? label : "",
			       label ? ": " : "", SSNS_QUOTE(path),
			       strerror(-rc));
	}
	return fd;
}

char *rt_cgroup_v2_path(const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!strncmp(p, "0::", 3)) {
			p += 3;
			if (*p != '/')
				return NULL;
			return nl ? strndup(p, (size_t)(nl - p)) : strdup(p);
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int rt_cgroup_id(const char *dir, uint64_t *id)
{
	struct stat sb;

	if (stat(dir, &sb))
		return -errno;
	if (!S_ISDIR(sb.st_mode))
		return -ENOTDIR;
	*id = sb.st_ino;	/* a cgroup2 directory's inode is its id */
	return 0;
}

void rt_pod_init(struct rt_pod *p)
{
	memset(p, 0, sizeof(*p));
	p->netns_fd = -1;
}

void rt_pod_release(struct rt_pod *p)
{
	if (p->netns_fd >= 0)
		close(p->netns_fd);
	free(p->cgroup_path);
	rt_pod_init(p);
}

static char *read_text(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int rt_pod_of_pid(const char *proc, pid_t pid, const char *cgroup_root,
		  struct rt_pod *p, bool *no_cgroup, struct rt_err *e)
{
	char path[512], *text, *cg;
	uint64_t host = 0;
	int rc;

	rt_pod_init(p);
	*no_cgroup = false;
	snprintf(path, sizeof(path), "%s/%d/ns/net", proc, (int)pid);
	p->netns_fd = rt_netns_open(path, NULL, &p->netns_cookie, e);
	if (p->netns_fd < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/1/ns/net", proc);
	rc = open(path, O_RDONLY | O_CLOEXEC);
	if (rc >= 0) {
		if (!rt_netns_cookie(rc, &host) && host == p->netns_cookie) {
			/* the host's network: the cgroup confines */
			close(p->netns_fd);
			p->netns_fd = -1;
			p->netns_cookie = 0;
		}
		close(rc);
	}

	snprintf(path, sizeof(path), "%s/%d/cgroup", proc, (int)pid);
	text = read_text(path);
	cg = text ? rt_cgroup_v2_path(text) : NULL;
	free(text);
	if (!cg) {
		*no_cgroup = true;
		return 0;
	}
	if (strcmp(cg, "/")) {
		if (asprintf(&p->cgroup_path, "%s%s", cgroup_root, cg) < 0) {
			p->cgroup_path = NULL;
			free(cg);
			rt_pod_release(p);
			return rt_fail(e, RT_EIO, -ENOMEM, "out of memory", NULL);
		}
		rc = rt_cgroup_id(p->cgroup_path, &p->cgroup_id);
		if (rc) {
			rt_fail(e, RT_ENOPOD, rc, "container cgroup not found",
				"cgroup %s: %s", SSNS_QUOTE(p->cgroup_path),
				strerror(-rc));
			free(cg);
			rt_pod_release(p);
			return -1;
		}
	}
	free(cg);
	return 0;
}
