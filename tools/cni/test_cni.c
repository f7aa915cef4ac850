// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ssns-cni without a kernel: configuration, CNI_ARGS,
 * runtimeConfig, result / error / version JSON and the state records.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cni.h"

#define BASE "\"cniVersion\":\"1.0.0\",\"name\":\"hpc\",\"type\":\"ssns-cni\""

static int parse(const char *text, struct cni_conf *c, struct cni_err *e)
{
	memset(e, 0, sizeof(*e));
	return cni_conf_parse(text, c, e);
}

/* Parse and finish; the error code (0 when it works). */
static int code_of(const char *text, const char *args)
{
	struct cni_conf c;
	struct cni_err e;
	int code;

	if (!parse(text, &c, &e))
		cni_conf_finish(&c, args, &e);
	code = e.code;
	cni_conf_free(&c);
	return code;
}

START_TEST(vni_lists)
{
	struct ssns_vni_range *r;
	struct cni_err e = {0};
	size_t n;

	ck_assert_int_eq(cni_vnis_parse("100-199,250", &r, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(r[0].first, 100);
	ck_assert_uint_eq(r[0].last, 199);
	ck_assert_uint_eq(r[1].first, 250);
	ck_assert_uint_eq(r[1].last, 250);
	free(r);
	ck_assert_int_eq(cni_vnis_parse("1, 65535", &r, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	free(r);
	const char *bad[] = { "", "0", "65536", "5-3", "a", "1,", "1-",
			      "-1", "1;2", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		ck_assert_msg(cni_vnis_parse(bad[i], &r, &n, &e) == -1,
			      "\"%s\" accepted", bad[i]);
		ck_assert_int_eq(e.code, CNI_ERR_CONFIG);
		ck_assert(e.details[0]);
	}
}
END_TEST

START_TEST(vni_json)
{
	struct ssns_vni_range *r;
	struct cni_err e = {0};
	json_object *o;
	size_t n;

	o = json_tokener_parse("[100, \"101-103\", \"7,9\"]");
	ck_assert_int_eq(cni_vnis_from_json(o, &r, &n, &e), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(r[1].first, 101);
	ck_assert_uint_eq(r[1].last, 103);
	ck_assert_uint_eq(r[3].first, 9);
	free(r);
	json_object_put(o);
	o = json_object_new_int(42);
	ck_assert_int_eq(cni_vnis_from_json(o, &r, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(r[0].first, 42);
	free(r);
	json_object_put(o);
	const char *bad[] = { "[]", "[true]", "{}", "0", "[70000]", "[[1]]",
			      "1.5" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = json_tokener_parse(bad[i]);
		memset(&e, 0, sizeof(e));
		ck_assert_msg(cni_vnis_from_json(o, &r, &n, &e) == -1,
			      "%s accepted", bad[i]);
		ck_assert_int_eq(e.code, CNI_ERR_CONFIG);
		json_object_put(o);
	}
}
END_TEST

START_TEST(config_full)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"alice\","
			       "\"vnis\":\"100-101\",\"devices\":[\"cxi0\",\"cxi1\"],"
			       "\"trafficClasses\":[\"low_latency\",\"bulk_data\",\"low_latency\"],"
			       "\"mode\":\"shared\",\"cleanup\":false,"
			       "\"stateDir\":\"/tmp/x\"}", &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c, NULL, &e), 0);
	ck_assert_str_eq(c.cni_version, "1.0.0");
	ck_assert_str_eq(c.name, "hpc");
	ck_assert_str_eq(c.type, "ssns-cni");
	ck_assert_str_eq(c.tenant, "alice");
	ck_assert_uint_eq(c.nranges, 1);
	ck_assert_uint_eq(c.ndevices, 2);
	ck_assert_str_eq(c.devices[1], "cxi1");
	ck_assert_uint_eq(c.ntcs, 2);	/* duplicates folded */
	ck_assert_int_eq(c.tcs[0], SSNS_TC_LOW_LATENCY);
	ck_assert_int_eq(c.tcs[1], SSNS_TC_BULK_DATA);
	ck_assert_int_eq(c.mode, CNI_MODE_SHARED);
	ck_assert(!c.cleanup);
	ck_assert_str_eq(c.state_dir, "/tmp/x");
	ck_assert_ptr_null(c.prev_result);
	cni_conf_free(&c);
}
END_TEST

START_TEST(config_defaults)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"t1\"}", &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c, "", &e), 0);
	ck_assert_int_eq(c.mode, CNI_MODE_SHARED);
	ck_assert(c.cleanup);
	ck_assert_str_eq(c.state_dir, CNI_DEFAULT_STATE_DIR);
	ck_assert_uint_eq(c.ntcs, 1);
	ck_assert_int_eq(c.tcs[0], SSNS_TC_BEST_EFFORT);
	ck_assert_uint_eq(c.ndevices, 0);
	cni_conf_free(&c);
}
END_TEST

START_TEST(config_errors)
{
	/* decode failures: code 6 */
	ck_assert_int_eq(code_of("", NULL), CNI_ERR_DECODE);
	ck_assert_int_eq(code_of("{", NULL), CNI_ERR_DECODE);
	ck_assert_int_eq(code_of("[1]", NULL), CNI_ERR_DECODE);
	ck_assert_int_eq(code_of("{" BASE "} x", NULL), CNI_ERR_DECODE);
	ck_assert_int_eq(code_of("{" BASE "}\n  ", NULL), 0);
	/* version: 1 */
	ck_assert_int_eq(code_of("{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}",
				 NULL), CNI_ERR_VERSION);
	ck_assert_int_eq(code_of("{\"cniVersion\":\"9.0.0\",\"name\":\"n\"}",
				 NULL), CNI_ERR_VERSION);
	/* invalid config: 7 */
	ck_assert_int_eq(code_of("{\"name\":\"n\"}", NULL), CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{\"cniVersion\":1,\"name\":\"n\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{\"cniVersion\":\"1.0.0\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{\"cniVersion\":\"1.0.0\",\"name\":\"a/b\"}",
				 NULL), CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":7}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"../etc\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"a-very-long-tenant-name-of-40-chars\"}",
				 NULL), CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"vnis\":\"0-4\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"devices\":\"cxi0\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"devices\":[\"a b\"]}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"trafficClasses\":[]}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"cleanup\":\"yes\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"stateDir\":\"rel\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"prevResult\":[]}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"mode\":\"exclusive\"}", NULL),
			 CNI_ERR_CONFIG);
	/* unsupported values: 2, naming key and value */
	ck_assert_int_eq(code_of("{" BASE ",\"mode\":\"turbo\"}", NULL),
			 CNI_ERR_UNSUPPORTED_FIELD);
	ck_assert_int_eq(code_of("{" BASE ",\"trafficClasses\":[\"fast\"]}",
				 NULL), CNI_ERR_UNSUPPORTED_FIELD);
}
END_TEST

START_TEST(unsupported_field_message)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"mode\":\"turbo\"}", &c, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.details, "mode"));
	ck_assert_ptr_nonnull(strstr(e.details, "turbo"));
	cni_conf_free(&c);
}
END_TEST

/* Input echoed in details is cut, and says so. */
START_TEST(long_input_cut)
{
	static char text[12000];
	char name[5001];
	struct cni_conf c;
	struct cni_err e;
	const char *keys[] = { "tenant", "mode", "name" };
	size_t i;

	memset(name, 'x', 5000);
	name[5000] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!strcmp(keys[i], "name"))
			snprintf(text, sizeof(text),
				 "{\"cniVersion\":\"1.0.0\",\"name\":\"%s!\",\"type\":\"ssns-cni\",\"tenant\":\"t\"}",
				 name);
		else
			snprintf(text, sizeof(text), "{" BASE ",\"%s\":\"%s\"}",
				 keys[i], name);
		ck_assert_int_eq(parse(text, &c, &e), -1);
		ck_assert_msg(strstr(e.details, "(5001 bytes, cut to 48)") ||
			      strstr(e.details, "(5000 bytes, cut to 48)"),
			      "%s: %s", keys[i], e.details);
		ck_assert_uint_lt(strlen(e.details), 250);
		cni_conf_free(&c);
	}
	snprintf(text, sizeof(text), "{" BASE ",\"vnis\":\"1-%s\"}", name);
	ck_assert_int_eq(parse(text, &c, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.details, "cut to 48"));
	cni_conf_free(&c);
}
END_TEST

START_TEST(cni_args)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"alice\",\"vnis\":\"100\"}",
			       &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c,
		"IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;SSNS_TENANT=bob;SSNS_VNIS=200-201,300",
		&e), 0);
	ck_assert_str_eq(c.tenant, "bob");
	ck_assert_uint_eq(c.nranges, 2);
	ck_assert_uint_eq(c.ranges[0].first, 200);
	ck_assert_uint_eq(c.ranges[1].last, 300);
	cni_conf_free(&c);

	/* IgnoreUnknown may come after the unknown key */
	ck_assert_int_eq(code_of("{" BASE "}", "K8S_POD_NAME=p;IgnoreUnknown=true"), 0);
	ck_assert_int_eq(code_of("{" BASE "}", "K8S_POD_NAME=p"), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", "IgnoreUnknown=0;X=1"), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", "garbage"), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", "=v"), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", "SSNS_VNIS=0"), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", "SSNS_TENANT="), CNI_ERR_ENV);
	ck_assert_int_eq(code_of("{" BASE "}", ";;SSNS_TENANT=a;"), 0);
}
END_TEST

START_TEST(runtime_config_wins)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"alice\",\"vnis\":[100],"
			       "\"capabilities\":{\"ssns\":true},"
			       "\"runtimeConfig\":{\"ssns\":{\"tenant\":\"carol\","
			       "\"vnis\":[\"400-401\"]}}}", &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c, "SSNS_TENANT=bob;SSNS_VNIS=200",
					 &e), 0);
	ck_assert_str_eq(c.tenant, "carol");
	ck_assert_uint_eq(c.nranges, 1);
	ck_assert_uint_eq(c.ranges[0].first, 400);
	ck_assert_uint_eq(c.ranges[0].last, 401);
	cni_conf_free(&c);

	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"ssns\":[]}}",
				 NULL), CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"ssns\":{\"tenant\":1}}}",
				 NULL), CNI_ERR_CONFIG);
	/* other capabilities are not ours */
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"portMappings\":[]}}",
				 NULL), 0);
}
END_TEST

/* The CNI bandwidth capability: egressRate (bit/s) is the pod's ceiling. */
START_TEST(bandwidth_capability)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"capabilities\":{\"bandwidth\":true},"
			       "\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":5,"
			       "\"ingressBurst\":7,\"egressRate\":1000000000,"
			       "\"egressBurst\":2147483647}}}", &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c, NULL, &e), 0);
	ck_assert_uint_eq(c.egress_rate, 1000000000ULL);
	cni_conf_free(&c);

	/* none given, or 0: no ceiling */
	ck_assert_int_eq(parse("{" BASE ",\"runtimeConfig\":{\"bandwidth\":{}}}",
			       &c, &e), 0);
	ck_assert_uint_eq(c.egress_rate, 0);
	cni_conf_free(&c);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
				 "{\"egressRate\":0}}}", NULL), 0);

	/* bad ones, named in the error */
	ck_assert_int_eq(parse("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
			       "{\"egressRate\":-1}}}", &c, &e), -1);
	ck_assert_int_eq(e.code, CNI_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.details, "egressRate \"-1\""));
	cni_conf_free(&c);
	ck_assert_int_eq(parse("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
			       "{\"egressRate\":\"10Mbit\"}}}", &c, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.details, "want bits per second"));
	cni_conf_free(&c);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
				 "{\"egressRate\":999}}}", NULL), CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
				 "{\"egressRate\":1000000000000001}}}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
				 "{\"egressRate\":1.5e9}}}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"runtimeConfig\":{\"bandwidth\":"
				 "[1]}}", NULL), CNI_ERR_CONFIG);
}
END_TEST

START_TEST(valid_attachments)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
			       "\"cni.dev/valid-attachments\":[{\"containerID\":\"c1\","
			       "\"ifname\":\"eth0\"},{\"containerID\":\"c2\",\"ifname\":\"net1\"}]}",
			       &c, &e), 0);
	ck_assert(c.has_valid);
	ck_assert_uint_eq(c.nvalid, 2);
	ck_assert_str_eq(c.valid[1].container_id, "c2");
	ck_assert_str_eq(c.valid[1].ifname, "net1");
	cni_conf_free(&c);
	ck_assert_int_eq(code_of("{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
				 "\"cni.dev/valid-attachments\":[{\"containerID\":1}]}",
				 NULL), CNI_ERR_CONFIG);
}
END_TEST

START_TEST(result_standalone)
{
	struct cni_conf c;
	struct cni_err e;
	json_object *o, *v;
	char *s;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"a\"}", &c, &e), 0);
	s = cni_result_json(&c);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "cniVersion", &v));
	ck_assert_str_eq(json_object_get_string(v), "1.0.0");
	ck_assert_int_eq(json_object_object_length(o), 1);
	json_object_put(o);
	free(s);
	cni_conf_free(&c);
}
END_TEST

/* After ADD: the Slingshot environment under "ssns", the CDI spec's form. */
START_TEST(result_env)
{
	static const struct ssns_vni_range vr[] = { { 100, 102 }, { 200, 200 } };
	char *devs[] = { "cxi0", "cxi1" };
	struct cni_conf c;
	struct cni_err e;
	json_object *o, *x, *env;
	char *s;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\"alice\","
			       "\"trafficClasses\":[\"low_latency\",\"best_effort\"]}",
			       &c, &e), 0);
	ck_assert_int_eq(cni_slingshot_env(&c, vr, 2, devs, 2), 0);
	ck_assert_int_eq(c.nenv, 3);
	ck_assert_str_eq(c.env[0], "SLINGSHOT_VNIS=100,101,102,200");
	ck_assert_str_eq(c.env[1], "SLINGSHOT_DEVICES=cxi0,cxi1");
	ck_assert_str_eq(c.env[2], "SLINGSHOT_TCS=10");
	/* again: replaced, not appended */
	ck_assert_int_eq(cni_slingshot_env(&c, vr, 1, devs, 1), 0);
	ck_assert_int_eq(c.nenv, 3);
	ck_assert_str_eq(c.env[0], "SLINGSHOT_VNIS=100,101,102");
	s = cni_result_json(&c);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "ssns", &x));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(x, "tenant")), "alice");
	env = json_object_object_get(x, "env");
	ck_assert_int_eq(json_object_array_length(env), 3);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(env, 1)),
			 "SLINGSHOT_DEVICES=cxi0");
	json_object_put(o);
	free(s);
	/* no device: no variable, no key */
	ck_assert_int_eq(cni_slingshot_env(&c, vr, 1, devs, 0), 0);
	ck_assert_int_eq(c.nenv, 0);
	s = cni_result_json(&c);
	ck_assert_ptr_null(strstr(s, "ssns"));
	free(s);
	cni_conf_free(&c);
}
END_TEST

START_TEST(result_chained)
{
	const char *prev = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\","
		"\"mac\":\"aa:bb:cc:dd:ee:ff\",\"sandbox\":\"/run/netns/p\"}],"
		"\"ips\":[{\"address\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\","
		"\"interface\":0}],\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}";
	struct cni_conf c;
	struct cni_err e;
	json_object *o, *want;
	char *s, *text;

	ck_assert_int_gt(asprintf(&text, "{" BASE ",\"tenant\":\"a\",\"prevResult\":%s}",
				  prev), 0);
	ck_assert_int_eq(parse(text, &c, &e), 0);
	ck_assert_ptr_nonnull(c.prev_result);
	s = cni_result_json(&c);
	o = json_tokener_parse(s);
	want = json_tokener_parse(prev);
	ck_assert(json_object_equal(o, want));
	json_object_put(o);
	json_object_put(want);
	free(s);
	free(text);
	cni_conf_free(&c);
}
END_TEST

START_TEST(error_json)
{
	struct cni_err e = {0};
	json_object *o, *v;
	char *s;

	cni_err_set(&e, CNI_ERR_CONFIG, "invalid network config",
		    "vnis: \"%s\"", "x\"y");
	s = cni_error_json("1.1.0", &e);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "cniVersion", &v));
	ck_assert_str_eq(json_object_get_string(v), "1.1.0");
	ck_assert(json_object_object_get_ex(o, "code", &v));
	ck_assert_int_eq(json_object_get_int(v), 7);
	ck_assert(json_object_object_get_ex(o, "msg", &v));
	ck_assert_str_eq(json_object_get_string(v), "invalid network config");
	ck_assert(json_object_object_get_ex(o, "details", &v));
	ck_assert_str_eq(json_object_get_string(v), "vnis: \"x\"y\"");
	json_object_put(o);
	free(s);

	cni_err_set(&e, CNI_ERR_ENV, "missing", NULL);
	s = cni_error_json(NULL, &e);
	o = json_tokener_parse(s);
	ck_assert(!json_object_object_get_ex(o, "details", &v));
	ck_assert(json_object_object_get_ex(o, "cniVersion", &v));
	ck_assert_str_eq(json_object_get_string(v), CNI_LATEST_VERSION);
	json_object_put(o);
	free(s);
}
END_TEST

START_TEST(version_json)
{
	json_object *o, *v;
	char *s = cni_version_json("1.0.0");
	bool has11 = false;
	size_t i;

	o = json_tokener_parse(s);
	ck_assert(json_object_object_get_ex(o, "cniVersion", &v));
	ck_assert_str_eq(json_object_get_string(v), "1.0.0");
	ck_assert(json_object_object_get_ex(o, "supportedVersions", &v));
	for (i = 0; i < json_object_array_length(v); i++) {
		const char *x = json_object_get_string(json_object_array_get_idx(v, i));

		ck_assert(cni_version_supported(x));
		has11 |= !strcmp(x, "1.1.0");
	}
	ck_assert(has11);
	json_object_put(o);
	free(s);
	ck_assert_int_lt(cni_version_cmp("1.0.0", "1.1.0"), 0);
	ck_assert_int_eq(cni_version_cmp("1.1.0", "1.1.0"), 0);
	ck_assert_int_gt(cni_version_cmp("1.1.0", "0.4.0"), 0);
}
END_TEST

START_TEST(state_records)
{
	char dir[] = "/tmp/ssns-cni-test.XXXXXX", *key, **v, cmd[128];
	struct cni_att_rec r = {0}, got;
	struct cni_tenant_rec tr = {0}, tg;
	struct cni_profile_key k = { "cxi0", 100, SSNS_TC_LOW_LATENCY };
	struct ssns_vni_range vr = { 150, 151 };
	struct cni_err e = {0};
	struct cni_state st;
	struct rt_err re;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(cni_state_open(&st, dir, &e), 0);
	ck_assert_int_ge(st.lock, 0);
	r.network = "hpc";
	r.container_id = "c1";
	r.ifname = "eth0";
	r.tenant = "alice";
	r.netns_cookie = 4096;
	r.netns = "/run/netns/p1";
	r.mode = CNI_MODE_EXCLUSIVE;
	r.devices[0] = "cxi1";
	r.ndevices = 1;
	ck_assert_int_eq(cni_att_write(&st, &r, &e), 0);
	r.container_id = "c2";
	r.tenant = "bob";
	r.ndevices = 0;
	r.mode = CNI_MODE_SHARED;
	ck_assert_int_eq(cni_att_write(&st, &r, &e), 0);
	ck_assert_uint_eq(cni_att_count_tenant(&st, "alice"), 1);
	ck_assert_uint_eq(cni_att_count_tenant(&st, "bob"), 1);
	ck_assert_uint_eq(cni_att_count_tenant(&st, "carol"), 0);
	ck_assert_int_eq(rt_store_keys(&st.att, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	rt_strv_free(v, n);

	/* the file names of earlier versions */
	snprintf(cmd, sizeof(cmd), "test -f %s/att/hpc.c1.eth0", dir);
	ck_assert_int_eq(system(cmd), 0);
	key = cni_att_key("hpc", "c1", "eth0");
	ck_assert_int_eq(cni_att_read(&st, key, &got, &re), 1);
	ck_assert_str_eq(got.tenant, "alice");
	ck_assert_uint_eq(got.netns_cookie, 4096);
	ck_assert_int_eq(got.mode, CNI_MODE_EXCLUSIVE);
	ck_assert_uint_eq(got.ndevices, 1);
	ck_assert_str_eq(got.devices[0], "cxi1");
	ck_assert_int_eq(cni_att_remove(&st, &got), 0);
	ck_assert_int_eq(cni_att_remove(&st, &got), 0);	/* idempotent */
	cni_att_free(&got);
	ck_assert_int_eq(cni_att_read(&st, key, &got, &re), 0);
	free(key);
	ck_assert_uint_eq(cni_att_count_tenant(&st, "alice"), 0);

	tr.created = true;
	tr.profiles = &k;
	tr.nprofiles = 1;
	tr.added = &vr;
	tr.nadded = 1;
	ck_assert_int_eq(cni_tenant_write(&st, "alice", &tr, &e), 0);
	ck_assert_int_eq(cni_tenant_read(&st, "alice", &tg), 1);
	ck_assert(tg.created);
	ck_assert_uint_eq(tg.nprofiles, 1);
	ck_assert_str_eq(tg.profiles[0].dev, "cxi0");
	ck_assert_uint_eq(tg.profiles[0].vni, 100);
	ck_assert_int_eq(tg.profiles[0].tc, SSNS_TC_LOW_LATENCY);
	ck_assert_uint_eq(tg.nadded, 1);
	ck_assert_uint_eq(tg.added[0].first, 150);
	ck_assert_uint_eq(tg.added[0].last, 151);
	cni_tenant_rec_free(&tg);
	ck_assert_int_eq(cni_tenant_remove(&st, "alice"), 0);
	ck_assert_int_eq(cni_tenant_read(&st, "alice", &tg), 0);

	/* every tenant name the kernel takes has a record of its own */
	ck_assert_int_eq(cni_tenant_write(&st, "..", &tr, &e), 0);
	ck_assert_int_eq(cni_tenant_write(&st, ".", &tr, &e), 0);
	tr.created = false;
	ck_assert_int_eq(cni_tenant_write(&st, ".x-1", &tr, &e), 0);
	ck_assert_int_eq(cni_tenant_read(&st, "..", &tg), 1);
	ck_assert(tg.created);
	cni_tenant_rec_free(&tg);
	ck_assert_int_eq(cni_tenant_read(&st, ".x-1", &tg), 1);
	ck_assert(!tg.created);
	cni_tenant_rec_free(&tg);
	ck_assert_int_eq(rt_store_keys(&st.tenant, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	rt_strv_free(v, n);
	cni_state_close(&st);

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.lock", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Failures of the runtime library as the specification's error codes. */
START_TEST(runtime_errors)
{
	static const struct { enum rt_kind kind; int code; } t[] = {
		{ RT_EIO, CNI_ERR_IO },
		{ RT_ENOMOD, CNI_ERR_NO_MODULE },
		{ RT_EKERNEL, CNI_ERR_KERNEL },
		{ RT_ENOPOD, CNI_ERR_UNKNOWN_CONTAINER },
		{ RT_ENOTENANT, CNI_ERR_KERNEL },
		{ RT_ECORRUPT, CNI_ERR_IO },
	};
	struct cni_err e;
	struct rt_err re;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rt_fail(&re, t[i].kind, -EINVAL, "what", "why %zu", i);
		memset(&e, 0, sizeof(e));
		ck_assert_int_eq(cni_err_rt(&e, &re), -1);
		ck_assert_int_eq(e.code, t[i].code);
		ck_assert_str_eq(e.msg, "what");
		ck_assert_int_eq(atoi(e.details + 4), (int)i);
	}
	/* the kernel's words reach details */
	rt_kernel_fail(&re, NULL, -EBUSY, "cannot bind the pod's netns (tenant %s)",
		       "alice");
	cni_err_rt(&e, &re);
	ck_assert_int_eq(e.code, CNI_ERR_KERNEL);
	ck_assert_str_eq(e.msg, "cannot bind the pod's netns (tenant alice)");
	ck_assert_str_eq(e.details, strerror(EBUSY));
}
END_TEST

/* Tenant and device names follow the kernel's rules, not those of files. */
START_TEST(kernel_names)
{
	struct cni_conf c;
	struct cni_err e;

	ck_assert_int_eq(parse("{" BASE ",\"tenant\":\".x-1\",\"devices\":[\".c-0\"]}",
			       &c, &e), 0);
	ck_assert_int_eq(cni_conf_finish(&c, "SSNS_TENANT=-y", &e), 0);
	ck_assert_str_eq(c.tenant, "-y");
	ck_assert_str_eq(c.devices[0], ".c-0");
	cni_conf_free(&c);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"..\"}", NULL), 0);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"caf\xc3\xa9\"}", NULL),
			 CNI_ERR_CONFIG);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"0123456789012345678901234567890\"}",
				 NULL), 0);
	ck_assert_int_eq(code_of("{" BASE ",\"tenant\":\"01234567890123456789012345678901\"}",
				 NULL), CNI_ERR_CONFIG);
	/* network names and container ids name files: no leading '.' */
	ck_assert_int_eq(code_of("{\"cniVersion\":\"1.0.0\",\"name\":\".n\"}",
				 NULL), CNI_ERR_CONFIG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ssns-cni");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, vni_lists);
	tcase_add_test(tc, vni_json);
	tcase_add_test(tc, config_full);
	tcase_add_test(tc, config_defaults);
	tcase_add_test(tc, config_errors);
	tcase_add_test(tc, unsupported_field_message);
	tcase_add_test(tc, long_input_cut);
	tcase_add_test(tc, cni_args);
	tcase_add_test(tc, runtime_config_wins);
	tcase_add_test(tc, bandwidth_capability);
	tcase_add_test(tc, valid_attachments);
	tcase_add_test(tc, result_standalone);
	tcase_add_test(tc, result_chained);
	tcase_add_test(tc, result_env);
	tcase_add_test(tc, error_json);
	tcase_add_test(tc, version_json);
	tcase_add_test(tc, state_records);
	tcase_add_test(tc, kernel_names);
	tcase_add_test(tc, runtime_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
