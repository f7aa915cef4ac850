// SPDX-License-Identifier: GPL-2.0
/* Resolution of netns names (as `ip netns`) and cgroup paths. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "tests.h"

static char dir[64];
static char err[SSNSCTL_ERRLEN];

static void touch(const char *name)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void mkd(const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ssns-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_netns_name)
{
	char buf[PATH_MAX], want[PATH_MAX];

	touch("pod1");
	snprintf(want, sizeof(want), "%s/pod1", dir);
	ck_assert_int_eq(ssnsctl_netns_path("pod1", dir, buf, sizeof(buf),
					    err, sizeof(err)), 0);
	ck_assert_str_eq(buf, want);

	ck_assert_int_eq(ssnsctl_netns_path("pod2", dir, buf, sizeof(buf),
					    err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "pod2"));
	ck_assert_ptr_nonnull(strstr(err, dir));
}
END_TEST

START_TEST(test_netns_pid)
{
	char buf[PATH_MAX], want[PATH_MAX], pid[32];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(want, sizeof(want), "/proc/%d/ns/net", (int)getpid());
	ck_assert_int_eq(ssnsctl_netns_path(pid, dir, buf, sizeof(buf), err,
					    sizeof(err)), 0);
	ck_assert_str_eq(buf, want);

	/* beyond the kernel's pid_max (2^22): no such process */
	ck_assert_int_eq(ssnsctl_netns_path("99999999", dir, buf,
					    sizeof(buf), err, sizeof(err)),
			 -ESRCH);

	/* a netns named like a number wins over the pid, as in ip(8) */
	touch(pid);
	snprintf(want, sizeof(want), "%s/%s", dir, pid);
	ck_assert_int_eq(ssnsctl_netns_path(pid, dir, buf, sizeof(buf), err,
					    sizeof(err)), 0);
	ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(test_netns_path_and_bad)
{
	char buf[PATH_MAX], small[8];

	ck_assert_int_eq(ssnsctl_netns_path("/proc/self/ns/net", dir, buf,
					    sizeof(buf), err, sizeof(err)), 0);
	ck_assert_str_eq(buf, "/proc/self/ns/net");
	ck_assert_int_eq(ssnsctl_netns_path("", dir, buf, sizeof(buf), err,
					    sizeof(err)), -EINVAL);
	ck_assert_int_eq(ssnsctl_netns_path(".", dir, buf, sizeof(buf), err,
					    sizeof(err)), -EINVAL);
	ck_assert_int_eq(ssnsctl_netns_path("..", dir, buf, sizeof(buf), err,
					    sizeof(err)), -EINVAL);
	ck_assert_int_eq(ssnsctl_netns_path("pod1", dir, small, sizeof(small),
					    err, sizeof(err)), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_cgroup_path)
{
	char buf[PATH_MAX], want[PATH_MAX];

	mkd("kubepods");
	mkd("kubepods/pod1");
	touch("file");
	snprintf(want, sizeof(want), "%s/kubepods/pod1", dir);

	ck_assert_int_eq(ssnsctl_cgroup_path("kubepods/pod1", dir, buf,
					     sizeof(buf), err, sizeof(err)),
			 0);
	ck_assert_str_eq(buf, want);
	/* /kubepods/pod1 does not exist at /: relative to the mount */
	ck_assert_int_eq(ssnsctl_cgroup_path("/kubepods/pod1", dir, buf,
					     sizeof(buf), err, sizeof(err)),
			 0);
	ck_assert_str_eq(buf, want);
	/* an existing absolute directory below the mount is taken as is */
	ck_assert_int_eq(ssnsctl_cgroup_path(want, dir, buf,
					     sizeof(buf), err, sizeof(err)),
			 0);
	ck_assert_str_eq(buf, want);
	/* "/" is the root of the hierarchy, not of the file system */
	ck_assert_int_eq(ssnsctl_cgroup_path("/", dir, buf, sizeof(buf), err,
					     sizeof(err)), 0);
	ck_assert_str_eq(buf, dir);

	ck_assert_int_eq(ssnsctl_cgroup_path("kubepods/pod2", dir, buf,
					     sizeof(buf), err, sizeof(err)),
			 -ENOENT);
	ck_assert_int_eq(ssnsctl_cgroup_path("file", dir, buf, sizeof(buf),
					     err, sizeof(err)), -ENOTDIR);
	ck_assert_int_eq(ssnsctl_cgroup_path("", dir, buf, sizeof(buf), err,
					     sizeof(err)), -EINVAL);
}
END_TEST

Suite *netns_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("resolve");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_netns_name);
	tcase_add_test(tc, test_netns_pid);
	tcase_add_test(tc, test_netns_path_and_bad);
	tcase_add_test(tc, test_cgroup_path);
	suite_add_tcase(s, tc);
	return s;
}
