// SPDX-License-Identifier: GPL-2.0
/* Unit tests of ssns-oci-hook without a kernel: OCI state, records. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"

#define ST(extra) "{\"ociVersion\":\"1.0.2\",\"id\":\"ctr1\",\"status\":\"created\"," \
	"\"pid\":4242,\"bundle\":\"/run/b/ctr1\"" extra "}"

static int parse(const char *text, bool need_pid, struct oci_state *st,
		 char *err)
{
	return oci_state_parse(text, need_pid, st, err, 256);
}

START_TEST(state_ok)
{
	struct oci_state st;
	char err[256];

	ck_assert_int_eq(parse(ST(",\"annotations\":{\"io.kubernetes.pod\":\"p\","
				  "\"ssns.tenant\":\"alice\"}"), true, &st, err), 0);
	ck_assert_str_eq(st.oci_version, "1.0.2");
	ck_assert_str_eq(st.id, "ctr1");
	ck_assert_str_eq(st.status, "created");
	ck_assert_int_eq(st.pid, 4242);
	ck_assert_str_eq(st.bundle, "/run/b/ctr1");
	ck_assert_str_eq(st.tenant, "alice");
	oci_state_free(&st);
	/* poststop: the process is gone, no pid */
	ck_assert_int_eq(parse("{\"ociVersion\":\"1.0.2\",\"id\":\"c\",\"status\":\"stopped\","
			       "\"annotations\":{\"ssns.tenant\":\"bob\"}}", false, &st, err), 0);
	ck_assert_int_eq(st.pid, 0);
	ck_assert_str_eq(st.tenant, "bob");
	oci_state_free(&st);
}
END_TEST

static void bad(const char *text, bool need_pid, const char *want)
{
	struct oci_state st;
	char err[256] = "";

	ck_assert_msg(parse(text, need_pid, &st, err) == -1, "accepted: %s", text);
	ck_assert_msg(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
	ck_assert_ptr_null(st.id);
	ck_assert_ptr_null(st.tenant);
}

START_TEST(state_bad)
{
	bad("", true, "not a JSON object");
	bad("{", true, "not a JSON object");
	bad("[]", true, "not a JSON object");
	bad("{\"id\":\"c\"}", true, "ociVersion and id");
	bad("{\"ociVersion\":\"1.0.2\"}", true, "ociVersion and id");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":7}", true, "ociVersion and id");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":\"../x\",\"pid\":1}", true, "container id");
	bad(ST(",\"annotations\":[]"), true, "annotations: want an object");
	bad(ST(",\"annotations\":{\"ssns.tenant\":1}"), true, "want a string");
	bad(ST(",\"annotations\":{\"ssns.tenant\":\"\"}"), true, "tenant name");
	bad(ST(",\"annotations\":{\"ssns.tenant\":\"a/b\"}"), true, "tenant name");
	bad(ST(",\"annotations\":{\"ssns.tenant\":\"0123456789012345678901234567890123\"}"),
	    true, "tenant name");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":\"c\",\"annotations\":{\"ssns.tenant\":\"a\"}}",
	    true, "no pid");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":\"c\",\"pid\":\"12\",\"annotations\":{\"ssns.tenant\":\"a\"}}",
	    true, "pid");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":\"c\",\"pid\":-3,\"annotations\":{\"ssns.tenant\":\"a\"}}",
	    true, "pid");
}
END_TEST

/* Without the annotation a container is not ours: parsed, tenant NULL. */
START_TEST(state_not_ours)
{
	static const char *const texts[] = {
		ST(""),
		ST(",\"annotations\":{}"),
		ST(",\"annotations\":{\"io.kubernetes.pod\":\"p\"}"),
		/* and no pid needed then */
		"{\"ociVersion\":\"1.0.2\",\"id\":\"c\",\"annotations\":{\"x\":\"y\"}}",
	};
	struct oci_state st;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ck_assert_msg(parse(texts[i], true, &st, err) == 0, "%s: %s",
			      texts[i], err);
		ck_assert_ptr_null(st.tenant);
		ck_assert_ptr_nonnull(st.id);
		oci_state_free(&st);
	}
}
END_TEST

/* Input echoed in an error is cut, and says so. */
START_TEST(state_long_input_cut)
{
	static char text[12000];
	char name[5001];
	struct oci_state st;
	char err[512];

	memset(name, 'a', 5000);
	name[5000] = '\0';
	snprintf(text, sizeof(text), ST(",\"annotations\":{\"ssns.tenant\":\"%s\"}"), name);
	ck_assert_int_eq(oci_state_parse(text, true, &st, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "(5000 bytes, cut to 48)"));
	ck_assert_uint_lt(strlen(err), 250);
	snprintf(text, sizeof(text), "{\"ociVersion\":\"1.0.2\",\"id\":\"%s\"}", name);
	ck_assert_int_eq(oci_state_parse(text, true, &st, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "container id \"aaaa"));
	ck_assert_ptr_nonnull(strstr(err, "(5000 bytes, cut to 48)"));
}
END_TEST

/* The tenant follows the kernel's rule, the container id that of files. */
START_TEST(state_names)
{
	struct oci_state st;
	char err[256];

	ck_assert_int_eq(parse(ST(",\"annotations\":{\"ssns.tenant\":\".x-1\"}"),
			       true, &st, err), 0);
	ck_assert_str_eq(st.tenant, ".x-1");
	oci_state_free(&st);
	ck_assert_int_eq(parse(ST(",\"annotations\":{\"ssns.tenant\":\"-\"}"),
			       true, &st, err), 0);
	oci_state_free(&st);
	bad(ST(",\"annotations\":{\"ssns.tenant\":\"caf\xc3\xa9\"}"), true,
	    "tenant name");
	bad("{\"ociVersion\":\"1.0.2\",\"id\":\".c\",\"pid\":1}", true,
	    "container id");
}
END_TEST

START_TEST(records)
{
	char dir[] = "/tmp/ssns-hook-test.XXXXXX", cmd[128], sub[64];
	struct hook_rec r = { .tenant = "alice", .netns_cookie = 4097,
			      .cgroup_id = 77, .cgroup_path = "/sys/fs/cgroup/x" };
	struct hook_rec got;
	struct rt_store s, s2;
	struct rt_err e;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rt_store_open(&s, dir, HOOK_REC_SUFFIX, 0700, &e), 0);
	ck_assert_int_eq(hook_rec_read(&s, "c1", &got, &e), 0);
	ck_assert_int_eq(hook_rec_write(&s, "c1", &r, &e), 0);
	/* the file name of earlier versions */
	snprintf(cmd, sizeof(cmd), "test -f %s/c1.json", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(hook_rec_read(&s, "c1", &got, &e), 1);
	ck_assert_str_eq(got.tenant, "alice");
	ck_assert_uint_eq(got.netns_cookie, 4097);
	ck_assert_uint_eq(got.cgroup_id, 77);
	ck_assert_str_eq(got.cgroup_path, "/sys/fs/cgroup/x");
	hook_rec_free(&got);
	ck_assert_int_eq(rt_store_remove(&s, "c1"), 0);
	ck_assert_int_eq(rt_store_remove(&s, "c1"), 0);
	ck_assert_int_eq(hook_rec_read(&s, "c1", &got, &e), 0);
	/* a record without a valid tenant is not ours */
	snprintf(cmd, sizeof(cmd), "echo '{\"tenant\":\"a b\"}' > %s/c3.json", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(hook_rec_read(&s, "c3", &got, &e), -1);
	ck_assert_int_eq(e.kind, RT_ECORRUPT);
	ck_assert_ptr_null(got.tenant);
	rt_store_close(&s);
	/* a state directory that does not exist yet is created */
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	ck_assert_int_eq(rt_store_open(&s2, sub, HOOK_REC_SUFFIX, 0700, &e), 0);
	ck_assert_int_eq(hook_rec_write(&s2, "c2", &r, &e), 0);
	ck_assert_int_eq(hook_rec_read(&s2, "c2", &got, &e), 1);
	hook_rec_free(&got);
	rt_store_close(&s2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ssns-oci-hook");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, state_ok);
	tcase_add_test(tc, state_bad);
	tcase_add_test(tc, state_not_ours);
	tcase_add_test(tc, state_long_input_cut);
	tcase_add_test(tc, state_names);
	tcase_add_test(tc, records);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
