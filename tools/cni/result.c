// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: the JSON documents the plugin prints on stdout: results,
 * errors and the VERSION answer, as the CNI specification defines them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni.h"

static char *dump(json_object *o)
{
	char *s = NULL;

	if (o)
		s = strdup(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

/* { "cniVersion", "code", "msg", "details" } */
char *cni_error_json(const char *cni_version, const struct cni_err *e)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "cniVersion",
		json_object_new_string(cni_version ? cni_version :
				       CNI_LATEST_VERSION));
	json_object_object_add(o, "code", json_object_new_int(e->code));
	json_object_object_add(o, "msg", json_object_new_string(e->msg));
	if (e->details[0])
		json_object_object_add(o, "details",
				       json_object_new_string(e->details));
	return dump(o);
}

char *cni_version_json(const char *cni_version)
{
	static const char *const versions[] = {
		"0.4.0", "1.0.0", "1.1.0",
	};
	json_object *o = json_object_new_object(), *a;
	size_t i;

	if (!o)
		return NULL;
	json_object_object_add(o, "cniVersion",
		json_object_new_string(cni_version ? cni_version :
				       CNI_LATEST_VERSION));
	a = json_object_new_array();
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		json_object_array_add(a, json_object_new_string(versions[i]));
	json_object_object_add(o, "supportedVersions", a);
	return dump(o);
}

int cni_slingshot_env(struct cni_conf *c, const struct ssns_vni_range *vr,
		      size_t nvr, char *const *devs, size_t ndevs)
{
	char *s = NULL, *t;
	unsigned int mask = 0;
	size_t i;
	uint32_t v;

	for (i = 0; i < c->nenv; i++)
		free(c->env[i]);
	c->nenv = 0;
	if (!nvr || !ndevs || !c->ntcs)
		return 0;	/* no profile: no variable */
	if (!(s = strdup("SLINGSHOT_VNIS=")))
		return -ENOMEM;
	for (i = 0; i < nvr; i++)
		for (v = vr[i].first; v <= vr[i].last && v; v++) {
			if (asprintf(&t, "%s%s%u", s,
				     s[strlen(s) - 1] == '=' ? "" : ",",
				     (unsigned int)v) < 0)
				goto nomem;
			free(s);
			s = t;
			if (v == UINT32_MAX)
				break;
		}
	c->env[c->nenv++] = s;
	if (!(s = strdup("SLINGSHOT_DEVICES=")))
		return -ENOMEM;
	for (i = 0; i < ndevs; i++) {
		if (asprintf(&t, "%s%s%s", s, i ? "," : "", devs[i]) < 0)
			goto nomem;
		free(s);
		s = t;
	}
	c->env[c->nenv++] = s;
	for (i = 0; i < c->ntcs; i++)
		if (c->tcs[i] >= 0 && c->tcs[i] <= SSNS_TC_MAX)
			mask |= 1u << c->tcs[i];
	if (asprintf(&s, "SLINGSHOT_TCS=%u", mask) < 0)
		return -ENOMEM;
	c->env[c->nenv++] = s;
	return 0;
nomem:
	free(s);
	return -ENOMEM;
}

/*
 * The ADD result: chained, the previous result unchanged (ssns adds no
 * interface or address); standalone, the smallest valid result. After an
 * ADD, an "ssns" key adds the tenant and the Slingshot environment in the
 * form of an OCI process's env ("NAME=VALUE"), for a runtime or
 * meta-plugin that reads the plugin's result (libcni's parsers drop keys
 * the CNI specification does not define; see the README).
 */
char *cni_result_json(const struct cni_conf *c)
{
	json_object *o = NULL;

	if (c->prev_result &&
	    json_object_deep_copy(c->prev_result, &o, NULL))
		return NULL;
	if (!o)
		o = json_object_new_object();
	if (!o)
		return NULL;
	json_object_object_add(o, "cniVersion",
			       json_object_new_string(c->cni_version));
	if (c->nenv && c->tenant) {
		json_object *x = json_object_new_object();
		json_object *env = json_object_new_array();
		size_t i;

		for (i = 0; i < c->nenv; i++)
			json_object_array_add(env,
				json_object_new_string(c->env[i]));
		json_object_object_add(x, "tenant",
				       json_object_new_string(c->tenant));
		json_object_object_add(x, "env", env);
		json_object_object_add(o, "ssns", x);
	}
	return dump(o);
}
