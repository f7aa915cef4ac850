// SPDX-License-Identifier: GPL-2.0
/* Resolution of network namespace names and cgroup paths. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#include "cmd.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int put(char *buf, size_t len, char *err, size_t errlen,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int put(char *buf, size_t len, char *err, size_t errlen,
	       const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return fail(err, errlen, -ENAMETOOLONG, "path %s too long",
			    Q(buf));
	return 0;
}

int ssnsctl_netns_path(const char *arg, const char *rundir, char *buf,
		       size_t len, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	if (!arg || !*arg)
		return fail(err, errlen, -EINVAL, "empty netns name");
	if (strchr(arg, '/'))
		return put(buf, len, err, errlen, "%s", arg);
	if (!strcmp(arg, ".") || !strcmp(arg, ".."))
		return fail(err, errlen, -EINVAL, "invalid netns name %s",
			    Q(arg));
	if (!rundir)
		rundir = SSNSCTL_NETNS_RUN_DIR;

	rc = put(buf, len, err, errlen, "%s/%s", rundir, arg);
	if (rc)
		return rc;
	if (!stat(buf, &st))
		return 0;
	if (all_digits(arg)) {
		rc = put(buf, len, err, errlen, "/proc/%s/ns/net", arg);
		if (rc)
			return rc;
		if (!stat(buf, &st))
			return 0;
		return fail(err, errlen, -ESRCH,
			    "no netns %s in %s and no process %s", Q(arg),
			    rundir, Q(arg));
	}
	return fail(err, errlen, -ENOENT, "no netns %s in %s", Q(arg),
		    rundir);
}

/* Is path mnt itself or below it? */
static bool under(const char *path, const char *mnt)
{
	size_t n = strlen(mnt);

	while (n > 1 && mnt[n - 1] == '/')
		n--;
	return !strncmp(path, mnt, n) && (path[n] == '/' || !path[n]);
}

static bool on_cgroup2(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int ssnsctl_cgroup_path(const char *arg, const char *mnt, char *buf,
			size_t len, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	if (!arg || !*arg)
		return fail(err, errlen, -EINVAL, "empty cgroup path");
	if (!mnt)
		mnt = SSNSCTL_CGROUP_MNT;
	if (arg[0] == '/' && !stat(arg, &st) && S_ISDIR(st.st_mode) &&
	    (under(arg, mnt) || on_cgroup2(arg)))
		return put(buf, len, err, errlen, "%s", arg);
	while (*arg == '/')
		arg++;
	rc = put(buf, len, err, errlen, "%s%s%s", mnt, *arg ? "/" : "", arg);
	if (rc)
		return rc;
	if (stat(buf, &st))
		return fail(err, errlen, -ENOENT, "no cgroup %s", Q(buf));
	if (!S_ISDIR(st.st_mode))
		return fail(err, errlen, -ENOTDIR, "%s is not a directory",
			    Q(buf));
	return 0;
}
