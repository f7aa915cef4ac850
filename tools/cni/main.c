// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: CNI plugin entry point. The runtime passes the command and the
 * container in CNI_* environment variables and the network configuration
 * on stdin; the plugin prints a result (ADD), nothing (DEL, CHECK, GC,
 * STATUS), the supported versions (VERSION) or an error document, on
 * stdout, and exits non-zero on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni.h"
#include "quote.h"

#define MAX_CONFIG	(1 << 20)

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len > MAX_CONFIG)
			break;
		if (cap - len - 1 == 0) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

static int fail(const char *version, const struct cni_err *e)
{
	char *s = cni_error_json(version, e);

	if (s)
		printf("%s\n", s);
	else
		printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"out of memory\"}\n",
		       CNI_LATEST_VERSION, CNI_ERR_IO);
	free(s);
	return 1;
}

static const char *need(const char *name, const char *v, struct cni_err *e)
{
	if (!v || !*v)
		cni_err_set(e, CNI_ERR_ENV,
			    "missing a necessary environment variable",
			    "%s is not set", name);
	return v;
}

static int version_cmd(const char *text)
{
	json_object *o = json_tokener_parse(text), *v;
	const char *ver = NULL;
	char *s;

	if (o && json_object_object_get_ex(o, "cniVersion", &v) &&
	    json_object_get_type(v) == json_type_string &&
	    cni_version_supported(json_object_get_string(v)))
		ver = json_object_get_string(v);
	s = cni_version_json(ver);
	json_object_put(o);
	if (!s)
		return 1;
	printf("%s\n", s);
	free(s);
	return 0;
}

int main(void)
{
	struct cni_env env = {
		.command = getenv("CNI_COMMAND"),
		.container_id = getenv("CNI_CONTAINERID"),
		.netns = getenv("CNI_NETNS"),
		.ifname = getenv("CNI_IFNAME"),
		.args = getenv("CNI_ARGS"),
		.path = getenv("CNI_PATH"),
	};
	struct cni_err e = {0};
	struct cni_conf c;
	const char *cmd = env.command, *ver;
	char *text, *res;
	bool add, del, check;
	int rc;

	text = read_all(stdin);
	if (!text) {
		cni_err_set(&e, CNI_ERR_IO, "cannot read the configuration",
			    NULL);
		return fail(NULL, &e);
	}
	if (cmd && !strcmp(cmd, "VERSION")) {
		rc = version_cmd(text);
		free(text);
		return rc;
	}
	if (!need("CNI_COMMAND", cmd, &e)) {
		free(text);
		return fail(NULL, &e);
	}
	if (cni_conf_parse(text, &c, &e)) {
		free(text);
		ver = e.code == CNI_ERR_VERSION ? NULL : c.cni_version;
		rc = fail(ver && cni_version_supported(ver) ? ver : NULL, &e);
		cni_conf_free(&c);
		return rc;
	}
	free(text);
	add = !strcmp(cmd, "ADD");
	del = !strcmp(cmd, "DEL");
	check = !strcmp(cmd, "CHECK");
	if (add || del || check) {
		need("CNI_CONTAINERID", env.container_id, &e);
		need("CNI_IFNAME", env.ifname, &e);
		need("CNI_PATH", env.path, &e);
		if (!del)
			need("CNI_NETNS", env.netns, &e);
	} else if (!strcmp(cmd, "GC") || !strcmp(cmd, "STATUS")) {
		if (cni_version_cmp(c.cni_version, "1.1.0") < 0)
			cni_err_set(&e, CNI_ERR_VERSION,
				    "incompatible CNI version",
				    "%s needs cniVersion 1.1.0, the configuration has %s",
				    cmd, SSNS_QUOTE(c.cni_version));
	} else {
		cni_err_set(&e, CNI_ERR_ENV, "unknown CNI_COMMAND",
			    "%s (known: ADD, DEL, CHECK, GC, STATUS, VERSION)",
			    SSNS_QUOTE(cmd));
	}
	if (!e.code)
		cni_conf_finish(&c, env.args, &e);
	if (!e.code) {
		if (add)
			rc = cni_cmd_add(&c, &env, &e);
		else if (del)
			rc = cni_cmd_del(&c, &env, &e);
		else if (check)
			rc = cni_cmd_check(&c, &env, &e);
		else if (!strcmp(cmd, "GC"))
			rc = cni_cmd_gc(&c, &e);
		else
			rc = cni_cmd_status(&c, &e);
		if (!rc && !e.code && add) {
			res = cni_result_json(&c);
			if (res) {
				printf("%s\n", res);
				free(res);
			} else {
				cni_err_set(&e, CNI_ERR_IO, "out of memory",
					    NULL);
			}
		}
	}
	rc = e.code ? fail(c.cni_version, &e) : 0;
	cni_conf_free(&c);
	return rc;
}
