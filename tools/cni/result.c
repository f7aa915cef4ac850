// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: the JSON documents the plugin prints on stdout: results,
 * errors and the VERSION answer, as the CNI specification defines them.
 */
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

/*
 * The ADD result: chained, the previous result unchanged (ssns adds no
 * interface or address); standalone, the smallest valid result.
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
	return dump(o);
}
