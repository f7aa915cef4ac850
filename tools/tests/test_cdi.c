// SPDX-License-Identifier: GPL-2.0
/*
 * ssnsctl cdi generate: the spec from sample lists, read back with json-c
 * (valid JSON, the CDI fields), the same bytes for the same state whatever
 * the order of the lists, names that need escaping or are no CDI names,
 * the Slingshot variables, service ids through the provider callback, and
 * the file writer (unchanged file left alone).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cdi.h"
#include "cmd.h"
#include "tests.h"

static struct ssns_dev devs[] = {
	{ .index = 2, .name = "cxi1", .chardev = "cxi1" },
	{ .index = 1, .name = "cxi0", .chardev = "/dev/cxi0" },
	{ .index = 3, .name = "cxi2" },	/* no chardev: /dev/NAME */
};

static struct ssns_tenant tenants[] = {
	{ .name = "bob" },
	{ .name = "alice" },
	{ .name = "carol" },		/* no profiles */
	{ .name = ".hidden" },		/* not a CDI name */
	{ .name = "a_b-c.d" },
};

static struct ssns_profile profiles[] = {
	{ .dev_name = "cxi1", .vni = 101, .tc = SSNS_TC_BULK_DATA, .tenant = "alice" },
	{ .dev_name = "cxi0", .vni = 100, .tc = SSNS_TC_LOW_LATENCY, .tenant = "alice" },
	{ .dev_name = "cxi0", .vni = 101, .tc = SSNS_TC_LOW_LATENCY, .tenant = "alice" },
	{ .dev_name = "cxi0", .vni = 200, .tc = SSNS_TC_BEST_EFFORT, .tenant = "bob" },
	{ .dev_name = "cxi0", .vni = 200, .tc = SSNS_TC_DEDICATED_ACCESS, .tenant = "bob" },
	{ .dev_name = "cxi9", .vni = 300, .tc = SSNS_TC_LOW_LATENCY, .tenant = "bob" },	/* not visible */
	{ .dev_name = "cxi0", .vni = 1, .tc = SSNS_TC_LOW_LATENCY, .tenant = "" },
	{ .dev_name = "cxi2", .vni = 400, .tc = SSNS_TC_BEST_EFFORT, .tenant = "a_b-c.d" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *warnbuf;
static size_t warnlen;

static char *gen(const struct ssnsctl_cdi_in *in0)
{
	struct ssnsctl_cdi_in in = *in0;
	char err[256] = "";
	FILE *w;
	char *s;

	free(warnbuf);
	warnbuf = NULL;
	w = open_memstream(&warnbuf, &warnlen);
	ck_assert_ptr_nonnull(w);
	in.warn = w;
	s = ssnsctl_cdi_spec(&in, err, sizeof(err));
	fclose(w);
	ck_assert_msg(s != NULL, "spec failed: %s", err);
	return s;
}

static struct ssnsctl_cdi_in sample(void)
{
	return (struct ssnsctl_cdi_in){
		.tenants = tenants, .ntenants = N(tenants),
		.profiles = profiles, .nprofiles = N(profiles),
		.devs = devs, .ndevs = N(devs),
	};
}

static json_object *device(json_object *spec, const char *name)
{
	json_object *devices = json_object_object_get(spec, "devices");
	size_t i;

	for (i = 0; i < json_object_array_length(devices); i++) {
		json_object *d = json_object_array_get_idx(devices, i);

		if (!strcmp(json_object_get_string(json_object_object_get(d, "name")), name))
			return d;
	}
	return NULL;
}

static json_object *edits(json_object *spec, const char *name, const char *key)
{
	json_object *d = device(spec, name);

	ck_assert_msg(d != NULL, "no device %s", name);
	return json_object_object_get(json_object_object_get(d, "containerEdits"), key);
}

/* "A=B" entries of env joined by ' ' */
static const char *env_of(json_object *spec, const char *name)
{
	static char buf[512];
	json_object *env = edits(spec, name, "env");
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < json_object_array_length(env); i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, json_object_get_string(json_object_array_get_idx(env, i)));
	}
	return buf;
}

START_TEST(cdi_spec_fields)
{
	struct ssnsctl_cdi_in in = sample();
	json_object *spec, *hooks, *h, *nodes, *args;
	char *s = gen(&in);

	spec = json_tokener_parse(s);
	ck_assert_msg(spec != NULL, "not JSON: %s", s);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(spec, "cdiVersion")), "0.5.0");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(spec, "kind")), "ssns.io/tenant");
	/* sorted by name; .hidden left out with a warning */
	ck_assert_int_eq(json_object_array_length(json_object_object_get(spec, "devices")), 4);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(json_object_object_get(spec, "devices"), 0), "name")), "a_b-c.d");
	ck_assert_ptr_null(device(spec, ".hidden"));
	ck_assert_ptr_nonnull(strstr(warnbuf, "tenant \".hidden\": not a CDI device name"));

	ck_assert_str_eq(env_of(spec, "alice"),
			 "SLINGSHOT_VNIS=100,101 SLINGSHOT_DEVICES=cxi0,cxi1 SLINGSHOT_TCS=6");
	/* DA|BE, the invisible device's VNI left out */
	ck_assert_str_eq(env_of(spec, "bob"),
			 "SLINGSHOT_VNIS=200 SLINGSHOT_DEVICES=cxi0 SLINGSHOT_TCS=9");
	ck_assert_str_eq(env_of(spec, "carol"), "");
	ck_assert_str_eq(env_of(spec, "a_b-c.d"),
			 "SLINGSHOT_VNIS=400 SLINGSHOT_DEVICES=cxi2 SLINGSHOT_TCS=8");

	nodes = edits(spec, "alice", "deviceNodes");
	ck_assert_int_eq(json_object_array_length(nodes), 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(nodes, 0), "path")), "/dev/cxi0");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(nodes, 1), "path")), "/dev/cxi1");
	nodes = edits(spec, "a_b-c.d", "deviceNodes");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(nodes, 0), "path")), "/dev/cxi2");
	ck_assert_int_eq(json_object_array_length(edits(spec, "carol", "deviceNodes")), 0);

	hooks = edits(spec, "carol", "hooks");
	ck_assert_int_eq(json_object_array_length(hooks), 2);
	h = json_object_array_get_idx(hooks, 0);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "hookName")), "createRuntime");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "path")), SSNSCTL_CDI_HOOK);
	args = json_object_object_get(h, "args");
	ck_assert_int_eq(json_object_array_length(args), 4);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 0)), "ssns-oci-hook");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 1)), "--tenant");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 2)), "carol");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 3)), "createRuntime");
	h = json_object_array_get_idx(hooks, 1);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "hookName")), "poststop");
	ck_assert(s[strlen(s) - 1] == '\n');
	json_object_put(spec);
	free(s);
}
END_TEST

/* The same state in another order gives the same bytes. */
START_TEST(cdi_spec_idempotent)
{
	struct ssnsctl_cdi_in in = sample();
	struct ssns_tenant t2[N(tenants)];
	struct ssns_profile p2[N(profiles)];
	struct ssns_dev d2[N(devs)];
	char *a, *b, *c;
	size_t i;

	for (i = 0; i < N(tenants); i++)
		t2[i] = tenants[N(tenants) - 1 - i];
	for (i = 0; i < N(profiles); i++)
		p2[i] = profiles[N(profiles) - 1 - i];
	for (i = 0; i < N(devs); i++)
		d2[i] = devs[N(devs) - 1 - i];
	a = gen(&in);
	b = gen(&in);
	ck_assert_str_eq(a, b);
	in.tenants = t2;
	in.profiles = p2;
	in.devs = d2;
	c = gen(&in);
	ck_assert_str_eq(a, c);
	free(a);
	free(b);
	free(c);
}
END_TEST

/* Names and paths reach the JSON escaped; no CDI name is refused quietly. */
START_TEST(cdi_spec_escaping)
{
	static const char *const ok[] = { "a", "A1", "a.b", "a-b", "a_b", "a:b", "0x" };
	static const char *const notok[] = { "", "-", ".x", "x-", "x_", "a b", "a/b",
					     "a\"b", "caf\xc3\xa9", "a\nb" };
	struct ssnsctl_cdi_in in = sample();
	struct ssns_tenant t[2] = { { .name = "x\"y" }, { .name = "ok" } };
	json_object *spec, *args;
	char *s;
	size_t i;

	for (i = 0; i < N(ok); i++)
		ck_assert_msg(ssnsctl_cdi_name_valid(ok[i]), "%s", ok[i]);
	for (i = 0; i < N(notok); i++)
		ck_assert_msg(!ssnsctl_cdi_name_valid(notok[i]), "%s", notok[i]);

	in.tenants = t;
	in.ntenants = 2;
	in.hook = "/opt/my \"hooks\"/ssns-oci-hook";
	s = gen(&in);
	spec = json_tokener_parse(s);
	ck_assert_msg(spec != NULL, "not JSON: %s", s);
	ck_assert_int_eq(json_object_array_length(json_object_object_get(spec, "devices")), 1);
	ck_assert_ptr_nonnull(strstr(warnbuf, "tenant \"x\\\"y\""));
	args = json_object_object_get(json_object_array_get_idx(edits(spec, "ok", "hooks"), 0), "path");
	ck_assert_str_eq(json_object_get_string(args), "/opt/my \"hooks\"/ssns-oci-hook");
	ck_assert_ptr_nonnull(strstr(s, "\"/opt/my \\\"hooks\\\"/ssns-oci-hook\""));
	json_object_put(spec);
	free(s);

	in.hook = "relative/hook";
	{
		char err[256];

		ck_assert_ptr_null(ssnsctl_cdi_spec(&in, err, sizeof(err)));
		ck_assert_ptr_nonnull(strstr(err, "\"relative/hook\""));
	}
}
END_TEST

static int svc_all(void *arg, const char *tenant, const struct ssns_dev *d,
		   uint32_t *id)
{
	(void)arg;
	if (!strcmp(tenant, "bob"))
		return 0;	/* unknown: left out */
	if (!strcmp(tenant, "carol"))
		return -EIO;
	*id = 1000 + d->index;
	return 1;
}

START_TEST(cdi_spec_svc_ids)
{
	struct ssnsctl_cdi_in in = sample();
	struct ssns_tenant t[2] = { { .name = "alice" }, { .name = "bob" } };
	json_object *spec;
	char err[256];
	char *s;

	in.tenants = t;
	in.ntenants = 2;
	in.svc_id = svc_all;
	s = gen(&in);
	spec = json_tokener_parse(s);
	ck_assert_str_eq(env_of(spec, "alice"),
			 "SLINGSHOT_VNIS=100,101 SLINGSHOT_DEVICES=cxi0,cxi1 SLINGSHOT_TCS=6 SLINGSHOT_SVC_IDS=1001,1002");
	ck_assert_str_eq(env_of(spec, "bob"),
			 "SLINGSHOT_VNIS=200 SLINGSHOT_DEVICES=cxi0 SLINGSHOT_TCS=9");
	json_object_put(spec);
	free(s);
	/* a provider's failure names the tenant and the device */
	t[1] = (struct ssns_tenant){ .name = "carol" };
	{
		struct ssns_profile p[1] = { { .dev_name = "cxi0", .vni = 5, .tenant = "carol" } };

		in.profiles = p;
		in.nprofiles = 1;
		ck_assert_ptr_null(ssnsctl_cdi_spec(&in, err, sizeof(err)));
		ck_assert_ptr_nonnull(strstr(err, "tenant carol on cxi0"));
	}
}
END_TEST

START_TEST(cdi_write)
{
	char dir[] = "/tmp/ssns-cdi-test.XXXXXX", path[128], err[256];
	struct stat st1, st2;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ssns.json", dir);
	ck_assert_int_eq(ssnsctl_cdi_write(path, "{}\n", err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st1), 0);
	ck_assert_int_eq(st1.st_mode & 0777, 0644);
	/* unchanged: not rewritten (same inode) */
	ck_assert_int_eq(ssnsctl_cdi_write(path, "{}\n", err, sizeof(err)), 1);
	ck_assert_int_eq(stat(path, &st2), 0);
	ck_assert_uint_eq(st1.st_ino, st2.st_ino);
	ck_assert_int_eq(ssnsctl_cdi_write(path, "{ }\n", err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st2), 0);
	ck_assert_uint_ne(st1.st_ino, st2.st_ino);
	/* a prefix of the old content is a change */
	ck_assert_int_eq(ssnsctl_cdi_write(path, "{ ", err, sizeof(err)), 0);
	unlink(path);
	rmdir(dir);
	snprintf(path, sizeof(path), "%s/ssns.json", dir);
	ck_assert_int_eq(ssnsctl_cdi_write(path, "{}\n", err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, dir));
}
END_TEST

START_TEST(cdi_parse)
{
	struct ssnsctl_cmd cmd;
	char err[SSNSCTL_ERRLEN];
	char *a1[] = { "cdi", "generate" };
	char *a2[] = { "cdi", "generate", "-o", "/etc/cdi/ssns.json", "--watch",
		       "--hook", "/usr/libexec/ssns/ssns-oci-hook" };
	char *b1[] = { "cdi", "generate", "--watch" };
	char *b2[] = { "cdi", "generate", "--hook", "hook" };
	char *b3[] = { "cdi", "generate", "--frob" };
	char *b4[] = { "cdi", "make" };
	char *b5[] = { "cdi", "generate", "-o" };

	ck_assert_int_eq(ssnsctl_parse_cmd(2, a1, &cmd, err, sizeof(err)), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_CDI);
	ck_assert_str_eq(cmd.arg, "");
	ck_assert(!cmd.watch);
	ssnsctl_cmd_free(&cmd);
	ck_assert_int_eq(ssnsctl_parse_cmd(7, a2, &cmd, err, sizeof(err)), 0);
	ck_assert_str_eq(cmd.arg, "/etc/cdi/ssns.json");
	ck_assert_str_eq(cmd.arg2, "/usr/libexec/ssns/ssns-oci-hook");
	ck_assert(cmd.watch);
	ssnsctl_cmd_free(&cmd);
	ck_assert_int_eq(ssnsctl_parse_cmd(3, b1, &cmd, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--watch needs -o FILE"));
	ck_assert_int_eq(ssnsctl_parse_cmd(4, b2, &cmd, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--hook \"hook\""));
	ck_assert_int_eq(ssnsctl_parse_cmd(3, b3, &cmd, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"--frob\""));
	ck_assert_int_eq(ssnsctl_parse_cmd(2, b4, &cmd, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"make\""));
	ck_assert_int_eq(ssnsctl_parse_cmd(3, b5, &cmd, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "file name after -o"));
}
END_TEST

static void teardown(void)
{
	free(warnbuf);
	warnbuf = NULL;
}

Suite *cdi_suite(void)
{
	Suite *s = suite_create("cdi");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, cdi_spec_fields);
	tcase_add_test(tc, cdi_spec_idempotent);
	tcase_add_test(tc, cdi_spec_escaping);
	tcase_add_test(tc, cdi_spec_svc_ids);
	tcase_add_test(tc, cdi_write);
	tcase_add_test(tc, cdi_parse);
	suite_add_tcase(s, tc);
	return s;
}
