// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the runtime library without the ssns module: identity of
 * a pod (netns cookie, cgroup, a fake /proc), names of records, the
 * record store (atomic writes, writers killed halfway, corrupt records),
 * the mapping of errors, and attach/detach failing before the kernel.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ssns-rt-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Write len bytes of text to dir/name (created, truncated). */
static void put_bytes(const char *name, const char *text, size_t len)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void put_file(const char *name, const char *text)
{
	put_bytes(name, text, strlen(text));
}

static bool exists(const char *name)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* ------------------------------------------------------------- identity */

START_TEST(ids)
{
	static const struct { const char *s; size_t max; bool ok; } t[] = {
		{ "ctr-1_a.b", 256, true },
		{ "a", 2, true },
		{ "ab", 2, false },		/* max counts the NUL */
		{ "", 256, false },
		{ ".x", 256, false },		/* names files: not hidden */
		{ "-x", 256, false },
		{ "x.", 256, true },
		{ "a/b", 256, false },
		{ "a b", 256, false },
		{ "caf\xc3\xa9", 256, false },
		{ "\xe9t\xe9", 256, false },	/* Latin-1 letters */
		{ "a:b", 256, false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(rt_id_valid(t[i].s, t[i].max) == t[i].ok,
			      "rt_id_valid(\"%s\", %zu) != %d", t[i].s,
			      t[i].max, t[i].ok);
	ck_assert(!rt_id_valid(NULL, 256));
}
END_TEST

START_TEST(cgroup_path)
{
	char *p;

	p = rt_cgroup_v2_path("0::/kubepods.slice/pod1/crio-abc.scope\n");
	ck_assert_str_eq(p, "/kubepods.slice/pod1/crio-abc.scope");
	free(p);
	/* hybrid hierarchy: v1 lines first */
	p = rt_cgroup_v2_path("12:memory:/x\n1:name=systemd:/y\n0::/user.slice\n");
	ck_assert_str_eq(p, "/user.slice");
	free(p);
	p = rt_cgroup_v2_path("0::/");
	ck_assert_str_eq(p, "/");
	free(p);
	ck_assert_ptr_null(rt_cgroup_v2_path("12:memory:/x\n"));
	ck_assert_ptr_null(rt_cgroup_v2_path(""));
	ck_assert_ptr_null(rt_cgroup_v2_path("0::relative\n"));
}
END_TEST

START_TEST(cgroup_id)
{
	char p[128];
	struct stat sb;
	uint64_t id = 0;

	ck_assert_int_eq(rt_cgroup_id(dir, &id), 0);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert_uint_eq(id, sb.st_ino);
	put_file("f", "x");
	snprintf(p, sizeof(p), "%s/f", dir);
	ck_assert_int_eq(rt_cgroup_id(p, &id), -ENOTDIR);
	ck_assert_int_eq(rt_cgroup_id("/nonexistent/cg", &id), -ENOENT);
}
END_TEST

/* setns() needs CAP_SYS_ADMIN, even into one's own namespace. */
static bool can_setns(void)
{
	if (geteuid() == 0)
		return true;
	fprintf(stderr, "# SKIP netns identity: needs root (setns)\n");
	return false;
}

START_TEST(netns_identity)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t want = 0, got = 0;
	struct rt_err e;
	int s, fd;

	if (!can_setns())
		return;
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &want,
				    &len), 0);
	close(s);
	fd = rt_netns_open("/proc/self/ns/net", "CNI_NETNS", &got, &e);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_ne(got, 0);
	ck_assert_uint_eq(got, want);
	got = 0;
	ck_assert_int_eq(rt_netns_cookie(fd, &got), 0);
	ck_assert_uint_eq(got, want);
	close(fd);

	/* a path that is not there: the pod is unknown, the path named */
	ck_assert_int_eq(rt_netns_open("/run/netns/nope", "CNI_NETNS", &got,
				       &e), -1);
	ck_assert_int_eq(e.kind, RT_ENOPOD);
	ck_assert_int_eq(e.err, -ENOENT);
	ck_assert_ptr_nonnull(strstr(e.details,
		"CNI_NETNS: cannot open \"/run/netns/nope\": No such file"));
	/* a file that is not a network namespace */
	ck_assert_int_eq(rt_netns_open("/dev/null", NULL, &got, &e), -1);
	ck_assert_int_eq(e.kind, RT_ENOPOD);
	ck_assert_str_eq(e.msg, "not a network namespace");
	ck_assert_ptr_nonnull(strstr(e.details, "\"/dev/null\""));
}
END_TEST

/* A fake /proc: PID/ns/net, PID/cgroup, 1/ns/net; and a cgroup root. */
static void fake_proc(const char *pid, const char *net, const char *cgroup,
		      const char *host_net)
{
	char p[128], q[512];

	snprintf(p, sizeof(p), "%s/proc/%s/ns", dir, pid);
	snprintf(q, sizeof(q), "mkdir -p %s %s/proc/1/ns %s/cg/pod1", p, dir,
		 dir);
	ck_assert_int_eq(system(q), 0);
	strcat(p, "/net");
	unlink(p);
	ck_assert_int_eq(symlink(net, p), 0);
	snprintf(p, sizeof(p), "%s/proc/1/ns/net", dir);
	unlink(p);
	ck_assert_int_eq(symlink(host_net, p), 0);
	if (cgroup) {
		snprintf(p, sizeof(p), "proc/%s/cgroup", pid);
		put_file(p, cgroup);
	}
}

START_TEST(pod_of_pid)
{
	char proc[128], cgroot[128], want[160];
	struct rt_pod p;
	struct rt_err e;
	struct stat sb;
	bool none;

	if (!can_setns())
		return;
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	snprintf(cgroot, sizeof(cgroot), "%s/cg", dir);

	/* its own netns (the "host" link is no netns) and cgroup /pod1 */
	fake_proc("42", "/proc/self/ns/net", "1:name=systemd:/x\n0::/pod1\n",
		  "/dev/null");
	ck_assert_int_eq(rt_pod_of_pid(proc, 42, cgroot, &p, &none, &e), 0);
	ck_assert(!none);
	ck_assert_int_ge(p.netns_fd, 0);
	ck_assert_uint_ne(p.netns_cookie, 0);
	snprintf(want, sizeof(want), "%s/pod1", cgroot);
	ck_assert_str_eq(p.cgroup_path, want);
	ck_assert_int_eq(stat(p.cgroup_path, &sb), 0);
	ck_assert_uint_eq(p.cgroup_id, sb.st_ino);
	rt_pod_release(&p);
	ck_assert_int_eq(p.netns_fd, -1);
	ck_assert_ptr_null(p.cgroup_path);

	/* the host's netns and the root cgroup: nothing of its own */
	fake_proc("43", "/proc/self/ns/net", "0::/\n", "/proc/self/ns/net");
	ck_assert_int_eq(rt_pod_of_pid(proc, 43, cgroot, &p, &none, &e), 0);
	ck_assert_int_eq(p.netns_fd, -1);
	ck_assert_uint_eq(p.netns_cookie, 0);
	ck_assert_ptr_null(p.cgroup_path);
	ck_assert_uint_eq(p.cgroup_id, 0);
	ck_assert(!none);
	rt_pod_release(&p);

	/* no cgroup v2 line: said so, the netns alone */
	fake_proc("44", "/proc/self/ns/net", "4:memory:/x\n", "/dev/null");
	ck_assert_int_eq(rt_pod_of_pid(proc, 44, cgroot, &p, &none, &e), 0);
	ck_assert(none);
	ck_assert_int_ge(p.netns_fd, 0);
	rt_pod_release(&p);

	/* its cgroup directory is gone */
	fake_proc("45", "/proc/self/ns/net", "0::/gone\n", "/dev/null");
	ck_assert_int_eq(rt_pod_of_pid(proc, 45, cgroot, &p, &none, &e), -1);
	ck_assert_int_eq(e.kind, RT_ENOPOD);
	ck_assert_ptr_nonnull(strstr(e.details, "/gone\""));
	ck_assert_int_eq(p.netns_fd, -1);

	/* the process is gone */
	ck_assert_int_eq(rt_pod_of_pid(proc, 99, cgroot, &p, &none, &e), -1);
	ck_assert_int_eq(e.kind, RT_ENOPOD);
	ck_assert_ptr_nonnull(strstr(e.details, "/proc/99/ns/net\": No such file"));
}
END_TEST

/* ------------------------------------------------------- errors, kernel */

START_TEST(connect_kinds)
{
	static const struct { int rc; enum rt_kind kind; } t[] = {
		{ 0, RT_OK },
		{ -ENOENT, RT_ENOMOD },	/* no generic netlink family "ssns" */
		{ -ENOMEM, RT_EIO },
		{ -EPERM, RT_EKERNEL },
		{ -EPROTO, RT_EKERNEL },
		{ -EAFNOSUPPORT, RT_EKERNEL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(rt_connect_kind(t[i].rc) == t[i].kind,
			      "rt_connect_kind(%d) = %d, want %d", t[i].rc,
			      rt_connect_kind(t[i].rc), t[i].kind);
	ck_assert(rt_unbind_done(0));
	ck_assert(rt_unbind_done(-ENOENT));
	ck_assert(!rt_unbind_done(-EPERM));
	ck_assert(!rt_unbind_done(-EBUSY));
}
END_TEST

/* Without the module (the host of the unit tests): RT_ENOMOD, said so. */
START_TEST(connect_no_module)
{
	struct ssns_handle *h = (struct ssns_handle *)1;
	struct rt_err e;

	if (access("/sys/module/ssns", F_OK) == 0) {
		ck_assert_int_eq(rt_connect(&h, &e), 0);
		ck_assert_ptr_nonnull(h);
		ssns_free(h);
		return;
	}
	ck_assert_int_eq(rt_connect(&h, &e), -1);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(e.kind, RT_ENOMOD);
	ck_assert_int_eq(e.err, -ENOENT);
	ck_assert_str_eq(e.msg, "the ssns kernel module is not loaded");
	ck_assert_str_eq(e.details, "generic netlink family \"ssns\" not found");
}
END_TEST

START_TEST(kernel_messages)
{
	struct ssns_handle *h = ssns_new();
	struct ssns_tenant *t;
	struct rt_err e;
	int rc;

	ck_assert_int_eq(rt_fail(&e, RT_EIO, -EIO, "m", "d %d", 7), -1);
	ck_assert_str_eq(e.details, "d 7");
	ck_assert_int_eq(rt_fail(&e, RT_EIO, -EIO, "m", NULL), -1);
	ck_assert_str_eq(e.details, "");
	/* no handle: strerror alone */
	ck_assert_int_eq(rt_kernel_fail(&e, NULL, -EBUSY, "cannot %s", "x"), -1);
	ck_assert_int_eq(e.kind, RT_EKERNEL);
	ck_assert_int_eq(e.err, -EBUSY);
	ck_assert_str_eq(e.msg, "cannot x");
	ck_assert_str_eq(e.details, strerror(EBUSY));
	/* the library's message follows, as the kernel's extack would */
	ck_assert_ptr_nonnull(h);
	rc = ssns_tenant_get(h, "alice", &t);
	ck_assert_int_lt(rc, 0);
	ck_assert_str_ne(ssns_errmsg(h), "");
	rt_kernel_fail(&e, h, rc, "cannot read tenant %s", "alice");
	ck_assert_str_eq(e.msg, "cannot read tenant alice");
	ck_assert_ptr_nonnull(strstr(e.details, strerror(-rc)));
	ck_assert_ptr_nonnull(strstr(e.details, ssns_errmsg(h)));
	ssns_free(h);
}
END_TEST

/* Attach and detach fail before any change when the kernel cannot answer. */
START_TEST(attach_detach_errors)
{
	struct ssns_handle *h = ssns_new();
	struct rt_pod p;
	struct rt_err e;

	rt_pod_init(&p);
	p.netns_cookie = 4097;
	p.cgroup_id = 77;
	ck_assert_int_eq(rt_attach(h, "alice", &p, "pod", &e), -1);
	ck_assert_int_eq(e.kind, RT_EKERNEL);
	ck_assert_str_eq(e.msg, "cannot read tenant alice");
	ck_assert(!p.netns_new && !p.cgroup_new);
	/* no module: nothing bound, nothing to undo */
	ck_assert_int_eq(rt_detach(NULL, "alice", 4097, 77, "pod", &e), 0);
	/* the first failure is reported, both are tried */
	ck_assert_int_eq(rt_detach(h, "alice", 4097, 77, "container", &e), -1);
	ck_assert_int_eq(e.kind, RT_EKERNEL);
	ck_assert_str_eq(e.msg, "cannot unbind the container's netns (tenant alice)");
	ck_assert_int_eq(rt_detach(h, "alice", 0, 77, "container", &e), -1);
	ck_assert_str_eq(e.msg, "cannot unbind the container's cgroup (tenant alice)");
	ck_assert_int_eq(rt_detach(h, "alice", 0, 0, "pod", &e), 0);
	ssns_free(h);
}
END_TEST

/* ---------------------------------------------------------- record store */

static json_object *rec(const char *k, const char *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, k, json_object_new_string(v));
	return o;
}

static void write_rec(const struct rt_store *s, const char *key,
		      const char *v)
{
	json_object *o = rec("v", v);
	struct rt_err e;

	ck_assert_msg(rt_store_write(s, key, o, &e) == 0, "%s: %s", e.msg,
		      e.details);
	json_object_put(o);
}

/* key's record: its "v", malloc'ed; NULL when absent. */
static char *read_v(const struct rt_store *s, const char *key)
{
	json_object *o;
	struct rt_err e;
	char *v;
	int rc;

	rc = rt_store_read(s, key, &o, &e);
	ck_assert_msg(rc >= 0, "%s: %s: %s", key, e.msg, e.details);
	if (!rc)
		return NULL;
	v = rt_rec_str(o, "v");
	ck_assert_ptr_nonnull(v);
	json_object_put(o);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of s, sorted and joined by '|'. */
static char *keys_of(const struct rt_store *s)
{
	char **v, *out = NULL;
	size_t n, i, len = 1;

	ck_assert_int_eq(rt_store_keys(s, &v, &n), 0);
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, v[i]);
	}
	rt_strv_free(v, n);
	return out;
}

START_TEST(store_basics)
{
	struct rt_store s;
	struct rt_err e;
	char sub[128], *v, *p;

	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	/* mode 0: a store that is not there is empty, and stays absent */
	ck_assert_int_eq(rt_store_open(&s, sub, ".json", 0, &e), 0);
	ck_assert_ptr_null(read_v(&s, "c1"));
	v = keys_of(&s);
	ck_assert_str_eq(v, "");
	free(v);
	ck_assert(!exists("a"));
	rt_store_close(&s);

	ck_assert_int_eq(rt_store_open(&s, sub, ".json", 0700, &e), 0);
	write_rec(&s, "c1", "one");
	ck_assert(exists("a/b/c1.json"));
	p = rt_store_path(&s, "c1");
	ck_assert_ptr_nonnull(strstr(p, "/a/b/c1.json"));
	free(p);
	v = read_v(&s, "c1");
	ck_assert_str_eq(v, "one");
	free(v);
	write_rec(&s, "c1", "two");
	v = read_v(&s, "c1");
	ck_assert_str_eq(v, "two");
	free(v);
	write_rec(&s, "c2", "x");
	v = keys_of(&s);
	ck_assert_str_eq(v, "c1|c2");
	free(v);
	ck_assert_int_eq(rt_store_remove(&s, "c1"), 0);
	ck_assert_int_eq(rt_store_remove(&s, "c1"), 0);
	ck_assert_ptr_null(read_v(&s, "c1"));
	/* the records alone: no temporary file left */
	snprintf(sub, sizeof(sub), "test \"$(ls -A '%s/a/b')\" = c2.json", dir);
	ck_assert_int_eq(system(sub), 0);
	rt_store_close(&s);

	/* a directory that cannot be made: said, with the path */
	put_file("file", "x");
	snprintf(sub, sizeof(sub), "%s/file/d", dir);
	ck_assert_int_eq(rt_store_open(&s, sub, "", 0755, &e), -1);
	ck_assert_int_eq(e.kind, RT_EIO);
	ck_assert_ptr_nonnull(strstr(e.details, "/file/d\": Not a directory"));
}
END_TEST

/* Every tenant name is a key, with a file of its own in the directory. */
START_TEST(store_keys_encoded)
{
	static const char *const keys[] = {
		".", "..", ".x-1", "-a", "a.b", "a/b", "a b", "%", "%2E",
		"caf\xc3\xa9", "tab\there", "x.tmp12",
	};
	const char *sorted[sizeof(keys) / sizeof(keys[0])];
	char cmd[160], *v, *want;
	struct rt_store s;
	struct rt_err e;
	size_t i, len = 1;

	ck_assert_int_eq(rt_store_open(&s, dir, "", 0755, &e), 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		write_rec(&s, keys[i], keys[i]);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = read_v(&s, keys[i]);
		ck_assert_msg(v && !strcmp(v, keys[i]), "key \"%s\" read back \"%s\"",
			      keys[i], v);
		free(v);
	}
	/* one file each, none hidden, none outside dir */
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | grep -vc '^\\.') = %zu",
		 dir, sizeof(keys) / sizeof(keys[0]));
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(exists("%2E"));
	ck_assert(exists("%2E."));
	ck_assert(exists("%2Ex-1"));
	ck_assert(exists("-a"));
	ck_assert(exists("a%2Fb"));
	/* names of the hooks' earlier versions are their own file names */
	ck_assert(exists("a.b"));

	v = keys_of(&s);
	memcpy(sorted, keys, sizeof(sorted));
	qsort(sorted, sizeof(keys) / sizeof(keys[0]), sizeof(keys[0]), cmp_str);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		len += strlen(keys[i]) + 1;
	want = calloc(1, len);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (i)
			strcat(want, "|");
		strcat(want, sorted[i]);
	}
	ck_assert_str_eq(v, want);
	free(v);
	free(want);
	rt_store_close(&s);
}
END_TEST

/* What the store did not write is not listed; bad keys are refused. */
START_TEST(store_foreign_files)
{
	char key[RT_KEY_MAX + 2], *v;
	struct rt_store s;
	json_object *o;
	struct rt_err e;

	ck_assert_int_eq(rt_store_open(&s, dir, ".json", 0755, &e), 0);
	write_rec(&s, "c1", "one");
	put_file(".c1.json.tmp99", "{\"v\":\"half");	/* a dead writer's */
	put_file("c2.json.tmp", "{}");		/* an older hook's temporary */
	put_file("c3.json.tmp4242", "{}");	/* an older plugin's */
	put_file("a%41.json", "{}");		/* not as the store encodes */
	put_file("b%zz.json", "{}");
	put_file("c%00.json", "{}");
	put_file("other.txt", "{}");		/* another suffix */
	put_file(".json", "{}");
	v = keys_of(&s);
	ck_assert_str_eq(v, "c1");
	free(v);

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	o = rec("v", "long");
	ck_assert_int_eq(rt_store_write(&s, key, o, &e), -1);
	ck_assert_str_eq(e.msg, "bad record name");
	ck_assert_ptr_nonnull(strstr(e.details, "cut to 48"));
	ck_assert_int_eq(rt_store_write(&s, "", o, &e), -1);
	json_object_put(o);
	ck_assert_int_eq(rt_store_read(&s, "", &o, &e), -1);
	ck_assert_ptr_null(o);
	key[RT_KEY_MAX] = '\0';
	o = rec("v", "max");
	ck_assert_int_eq(rt_store_write(&s, key, o, &e), 0);
	json_object_put(o);
	v = read_v(&s, key);
	ck_assert_str_eq(v, "max");
	free(v);
	rt_store_close(&s);
}
END_TEST

START_TEST(store_corrupt)
{
	static const struct { const char *name, *text; size_t len; } t[] = {
		{ "trunc", "{\"v\":\"ab", 8 },
		{ "empty", "", 0 },
		{ "array", "[1,2]", 5 },
		{ "string", "\"x\"", 3 },
		{ "trailing", "{\"v\":\"a\"} {}", 12 },
		{ "nul", "{\"v\":\"a\"}\n\0", 11 },
	};
	struct rt_store s;
	struct rt_err e;
	json_object *o;
	char *v, big[128];
	size_t i;
	FILE *f;

	ck_assert_int_eq(rt_store_open(&s, dir, "", 0755, &e), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		put_bytes(t[i].name, t[i].text, t[i].len);
		o = (json_object *)1;
		ck_assert_msg(rt_store_read(&s, t[i].name, &o, &e) == -1,
			      "%s accepted", t[i].name);
		ck_assert_ptr_null(o);
		ck_assert_int_eq(e.kind, RT_ECORRUPT);
		ck_assert_str_eq(e.msg, "corrupt record");
		ck_assert_ptr_nonnull(strstr(e.details, t[i].name));
	}
	/* a blank line after the object is what the store writes */
	put_file("nl", "{\"v\":\"ok\"}\n\n");
	v = read_v(&s, "nl");
	ck_assert_str_eq(v, "ok");
	free(v);
	/* too large to be a record */
	snprintf(big, sizeof(big), "%s/big", dir);
	f = fopen(big, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"v\":\"", f);
	for (i = 0; i < (1 << 20); i++)
		fputc('a', f);
	fputs("\"}", f);
	fclose(f);
	ck_assert_int_eq(rt_store_read(&s, "big", &o, &e), -1);
	ck_assert_int_eq(e.kind, RT_ECORRUPT);
	/* unreadable: a directory where the record should be */
	ck_assert_int_eq(mkdir(strcat(big, "dir"), 0755), 0);
	ck_assert_int_eq(rt_store_read(&s, "bigdir", &o, &e), -1);
	ck_assert_int_eq(e.kind, RT_EIO);
	ck_assert_ptr_nonnull(strstr(e.details, "Is a directory"));
	/* writing over a corrupt record repairs it */
	write_rec(&s, "trunc", "fixed");
	v = read_v(&s, "trunc");
	ck_assert_str_eq(v, "fixed");
	free(v);
	rt_store_close(&s);
}
END_TEST

/* A large record, "v" of n copies of c. */
static json_object *big_rec(char c, size_t n)
{
	char *buf = malloc(n + 1);
	json_object *o;

	ck_assert_ptr_nonnull(buf);
	memset(buf, c, n);
	buf[n] = '\0';
	o = rec("v", buf);
	free(buf);
	return o;
}

/* v is one of the versions big_rec('a'..'d', n) wrote, whole. */
static void assert_whole(const char *v, size_t n)
{
	size_t i = 1;

	ck_assert_uint_eq(strlen(v), n);
	while (i < n && v[i] == v[0])
		i++;
	ck_assert_msg(i == n, "byte %zu of the record differs", i);
	ck_assert(v[0] >= 'a' && v[0] <= 'd');
}

/*
 * Write versions 'a'..'d' of key over and over, once ready (a byte on the
 * pipe ready, unless -1); never returns.
 */
static void __attribute__((noreturn)) writer(const struct rt_store *s,
					     const char *key, size_t n,
					     int ready)
{
	json_object *o[4];
	struct rt_err e;
	int i;

	for (i = 0; i < 4; i++)
		o[i] = big_rec((char)('a' + i), n);
	if (ready >= 0 && write(ready, "r", 1) != 1)
		_exit(1);
	for (i = 0;; i = (i + 1) % 4)
		if (rt_store_write(s, key, o[i], &e))
			_exit(1);
}

/* A reader never sees half a record while another process rewrites it. */
START_TEST(store_atomic_write)
{
	const size_t n = 256 * 1024;
	struct rt_store s;
	struct rt_err e;
	json_object *o;
	pid_t pid;
	char *v;
	int i, status;

	ck_assert_int_eq(rt_store_open(&s, dir, "", 0755, &e), 0);
	o = big_rec('a', n);
	ck_assert_int_eq(rt_store_write(&s, "pod", o, &e), 0);
	json_object_put(o);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid)
		writer(&s, "pod", n, -1);
	for (i = 0; i < 300; i++) {
		v = read_v(&s, "pod");
		ck_assert_ptr_nonnull(v);
		assert_whole(v, n);
		free(v);
	}
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);	/* still writing */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	rt_store_close(&s);
}
END_TEST

/* A writer killed at any point leaves the old record or the new, whole. */
START_TEST(store_crash_safe)
{
	const size_t n = 512 * 1024;
	struct timespec ts = { 0, 0 };
	struct rt_store s;
	struct rt_err e;
	json_object *o;
	char *v, cmd[160], c;
	pid_t pid;
	int i, status, pfd[2];

	srand((unsigned int)getpid());
	ck_assert_int_eq(rt_store_open(&s, dir, ".json", 0755, &e), 0);
	o = big_rec('a', n);
	ck_assert_int_eq(rt_store_write(&s, "pod", o, &e), 0);
	json_object_put(o);
	for (i = 0; i < 40; i++) {
		ck_assert_int_eq(pipe(pfd), 0);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (!pid)
			writer(&s, "pod", n, pfd[1]);
		ck_assert_int_eq(read(pfd[0], &c, 1), 1);
		close(pfd[0]);
		close(pfd[1]);
		/* early (open, write) or late (sync, rename) in a write */
		ts.tv_nsec = (rand() % (i % 2 ? 2000 : 40000)) * 1000L;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFSIGNALED(status));
		v = read_v(&s, "pod");
		ck_assert_ptr_nonnull(v);
		assert_whole(v, n);
		free(v);
		v = keys_of(&s);
		ck_assert_str_eq(v, "pod");	/* temporaries are not listed */
		free(v);
	}
	/* and the next writer goes on */
	write_rec(&s, "pod", "after");
	v = read_v(&s, "pod");
	ck_assert_str_eq(v, "after");
	free(v);
	/* what the killed writers left is hidden, never a record */
	snprintf(cmd, sizeof(cmd), "test $(ls '%s' | wc -l) = 1", dir);
	ck_assert_int_eq(system(cmd), 0);
	rt_store_close(&s);
}
END_TEST

struct locker {
	const char *path;
	int fd;
	volatile bool got;
};

static void *take_lock(void *arg)
{
	struct locker *l = arg;
	struct rt_err e;

	l->fd = rt_lock(l->path, &e);
	l->got = true;
	return NULL;
}

/* flock() excludes another open file, also in the same process. */
START_TEST(lock_excludes)
{
	struct locker l = { .fd = -1 };
	char path[128];
	struct rt_err e;
	pthread_t th;
	int fd;

	snprintf(path, sizeof(path), "%s/x.lock", dir);
	l.path = path;
	fd = rt_lock(path, &e);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pthread_create(&th, NULL, take_lock, &l), 0);
	usleep(200000);
	ck_assert(!l.got);		/* still waiting */
	rt_unlock(fd);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert(l.got);
	ck_assert_int_ge(l.fd, 0);
	rt_unlock(l.fd);
	ck_assert_int_eq(rt_lock("/nonexistent/dir/x.lock", &e), -1);
	ck_assert_int_eq(e.kind, RT_EIO);
	ck_assert_ptr_nonnull(strstr(e.details, "/nonexistent/dir/x.lock"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ssns-runtime");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ids);
	tcase_add_test(tc, cgroup_path);
	tcase_add_test(tc, cgroup_id);
	tcase_add_test(tc, netns_identity);
	tcase_add_test(tc, pod_of_pid);
	tcase_add_test(tc, connect_kinds);
	tcase_add_test(tc, connect_no_module);
	tcase_add_test(tc, kernel_messages);
	tcase_add_test(tc, attach_detach_errors);
	tcase_add_test(tc, store_basics);
	tcase_add_test(tc, store_keys_encoded);
	tcase_add_test(tc, store_foreign_files);
	tcase_add_test(tc, store_corrupt);
	tcase_add_test(tc, store_atomic_write);
	tcase_add_test(tc, store_crash_safe);
	tcase_add_test(tc, lock_excludes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
