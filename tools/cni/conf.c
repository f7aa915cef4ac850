// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: network configuration, runtime args (CNI_ARGS) and capability
 * args (runtimeConfig). No kernel contact here.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cni.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

static const char *const cni_versions[] = {
	"0.4.0", "1.0.0", "1.1.0",
};

void cni_err_set(struct cni_err *e, int code, const char *msg,
		 const char *details_fmt, ...)
{
	va_list ap;

	e->code = code;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	e->details[0] = '\0';
	if (details_fmt) {
		va_start(ap, details_fmt);
		vsnprintf(e->details, sizeof(e->details), details_fmt, ap);
		va_end(ap);
	}
}

int cni_err_rt(struct cni_err *e, const struct rt_err *re)
{
	static const int codes[] = {
		[RT_EIO] = CNI_ERR_IO,
		[RT_ENOMOD] = CNI_ERR_NO_MODULE,
		[RT_EKERNEL] = CNI_ERR_KERNEL,
		[RT_ENOPOD] = CNI_ERR_UNKNOWN_CONTAINER,
		[RT_ENOTENANT] = CNI_ERR_KERNEL,
		[RT_ECORRUPT] = CNI_ERR_IO,
	};

	e->code = re->kind > 0 && re->kind < sizeof(codes) / sizeof(codes[0]) ?
		  codes[re->kind] : CNI_ERR_IO;
	snprintf(e->msg, sizeof(e->msg), "%s", re->msg);
	snprintf(e->details, sizeof(e->details), "%s", re->details);
	return -1;
}

bool cni_version_supported(const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(cni_versions) / sizeof(cni_versions[0]); i++)
		if (v && !strcmp(v, cni_versions[i]))
			return true;
	return false;
}

int cni_version_cmp(const char *a, const char *b)
{
	unsigned int x[3] = {0}, y[3] = {0};
	int i;

	sscanf(a, "%u.%u.%u", &x[0], &x[1], &x[2]);
	sscanf(b, "%u.%u.%u", &y[0], &y[1], &y[2]);
	for (i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static int add_range(struct ssns_vni_range **r, size_t *n, unsigned long a,
		     unsigned long b, const char *what, struct cni_err *e)
{
	struct ssns_vni_range *nr;

	if (a < 1 || b > 65535 || a > b) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid VNI",
			    "VNI range %s: VNIs are 1..65535, first <= last",
			    Q(what));
		return -1;
	}
	nr = realloc(*r, (*n + 1) * sizeof(**r));
	if (!nr) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	nr[*n].first = (uint32_t)a;
	nr[*n].last = (uint32_t)b;
	*r = nr;
	(*n)++;
	return 0;
}

static int parse_num(const char *s, char **end, unsigned long *v)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, end, 10);
	if (errno || *v > 65535)
		*v = ULONG_MAX;
	return 0;
}

int cni_vnis_parse(const char *s, struct ssns_vni_range **out, size_t *n,
		   struct cni_err *e)
{
	struct ssns_vni_range *r = NULL;
	size_t cnt = 0;
	const char *p = s;
	unsigned long a, b;
	char *end;

	if (!s || !*s)
		goto bad;
	for (;;) {
		while (*p == ' ')
			p++;
		if (parse_num(p, &end, &a))
			goto bad;
		b = a;
		p = end;
		if (*p == '-') {
			if (parse_num(p + 1, &end, &b))
				goto bad;
			p = end;
		}
		while (*p == ' ')
			p++;
		if (add_range(&r, &cnt, a, b, s, e)) {
			free(r);
			return -1;
		}
		if (!*p)
			break;
		if (*p != ',')
			goto bad;
		p++;
	}
	*out = r;
	*n = cnt;
	return 0;
bad:
	free(r);
	cni_err_set(e, CNI_ERR_CONFIG, "invalid VNI list",
		    "%s: want VNIs or ranges like \"100-199,250\"", Q(s));
	return -1;
}

int cni_vnis_from_json(json_object *v, struct ssns_vni_range **out,
		       size_t *n, struct cni_err *e)
{
	struct ssns_vni_range *r = NULL, *sub;
	size_t cnt = 0, nsub, i, j;
	json_object *el;
	int64_t x;
	char what[32];

	switch (json_object_get_type(v)) {
	case json_type_string:
		return cni_vnis_parse(json_object_get_string(v), out, n, e);
	case json_type_int:
		x = json_object_get_int64(v);
		snprintf(what, sizeof(what), "%lld", (long long)x);
		if (x < 1 || x > 65535)
			return add_range(out, n, 0, 0, what, e);
		*out = NULL;
		*n = 0;
		return add_range(out, n, (unsigned long)x, (unsigned long)x,
				 what, e);
	case json_type_array:
		for (i = 0; i < json_object_array_length(v); i++) {
			el = json_object_array_get_idx(v, i);
			if (json_object_get_type(el) != json_type_string &&
			    json_object_get_type(el) != json_type_int)
				goto bad;
			if (cni_vnis_from_json(el, &sub, &nsub, e)) {
				free(r);
				return -1;
			}
			for (j = 0; j < nsub; j++)
				if (add_range(&r, &cnt, sub[j].first,
					      sub[j].last, "", e)) {
					free(sub);
					free(r);
					return -1;
				}
			free(sub);
		}
		if (!cnt)
			goto bad;
		*out = r;
		*n = cnt;
		return 0;
	default:
		break;
	}
bad:
	free(r);
	cni_err_set(e, CNI_ERR_CONFIG, "invalid VNI list",
		    "vnis: want a string \"100-199,250\", a number, or an array of them; got %s",
		    Q(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)));
	return -1;
}

static const char *str_field(json_object *o, const char *key, bool *bad)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	if (json_object_get_type(v) != json_type_string) {
		*bad = true;
		return NULL;
	}
	return json_object_get_string(v);
}

static int set_tenant(char **dst, const char *val, const char *from,
		      struct cni_err *e)
{
	if (!ssns_tenant_name_valid(val)) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid tenant name",
			    "%s %s: 1 to %d characters of [A-Za-z0-9_.-]",
			    from, Q(val), SSNS_NAME_MAX - 1);
		return -1;
	}
	free(*dst);
	*dst = strdup(val);
	if (!*dst) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	return 0;
}

static int parse_devices(json_object *v, struct cni_conf *c,
			 struct cni_err *e)
{
	json_object *el;
	const char *s;
	size_t i;

	if (json_object_get_type(v) != json_type_array)
		goto bad;
	if (json_object_array_length(v) > CNI_MAX_DEVICES) {
		cni_err_set(e, CNI_ERR_CONFIG, "too many devices",
			    "devices: at most %d", CNI_MAX_DEVICES);
		return -1;
	}
	for (i = 0; i < json_object_array_length(v); i++) {
		el = json_object_array_get_idx(v, i);
		if (json_object_get_type(el) != json_type_string)
			goto bad;
		s = json_object_get_string(el);
		if (!ssns_dev_name_valid(s)) {
			cni_err_set(e, CNI_ERR_CONFIG, "invalid device name",
				    "devices: %s: 1 to %d bytes without '/' or blanks",
				    Q(s), SSNS_NAME_MAX - 1);
			return -1;
		}
		c->devices[c->ndevices] = strdup(s);
		if (!c->devices[c->ndevices]) {
			cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
			return -1;
		}
		c->ndevices++;
	}
	return 0;
bad:
	cni_err_set(e, CNI_ERR_CONFIG, "invalid devices",
		    "devices: want an array of device names like [\"cxi0\"]");
	return -1;
}

static int parse_tcs(json_object *v, struct cni_conf *c, struct cni_err *e)
{
	json_object *el;
	size_t i, j;
	int tc;

	if (json_object_get_type(v) != json_type_array ||
	    !json_object_array_length(v))
		goto bad;
	for (i = 0; i < json_object_array_length(v); i++) {
		el = json_object_array_get_idx(v, i);
		if (json_object_get_type(el) != json_type_string)
			goto bad;
		tc = ssns_tc_from_name(json_object_get_string(el));
		if (tc < 0) {
			cni_err_set(e, CNI_ERR_UNSUPPORTED_FIELD,
				    "unsupported traffic class",
				    "trafficClasses: %s (known: dedicated_access, low_latency, bulk_data, best_effort)",
				    Q(json_object_get_string(el)));
			return -1;
		}
		for (j = 0; j < c->ntcs; j++)
			if (c->tcs[j] == tc)
				break;
		if (j == c->ntcs)
			c->tcs[c->ntcs++] = tc;
	}
	return 0;
bad:
	cni_err_set(e, CNI_ERR_CONFIG, "invalid trafficClasses",
		    "trafficClasses: want a non-empty array of names like [\"low_latency\"]");
	return -1;
}

static int parse_valid_attachments(json_object *v, struct cni_conf *c,
				   struct cni_err *e)
{
	json_object *el, *cid, *ifn;
	size_t i, n;

	if (json_object_get_type(v) != json_type_array)
		goto bad;
	n = json_object_array_length(v);
	c->valid = calloc(n + 1, sizeof(*c->valid));
	if (!c->valid) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	c->has_valid = true;
	for (i = 0; i < n; i++) {
		el = json_object_array_get_idx(v, i);
		if (json_object_get_type(el) != json_type_object ||
		    !json_object_object_get_ex(el, "containerID", &cid) ||
		    json_object_get_type(cid) != json_type_string ||
		    !json_object_object_get_ex(el, "ifname", &ifn) ||
		    json_object_get_type(ifn) != json_type_string)
			goto bad;
		c->valid[i].container_id = strdup(json_object_get_string(cid));
		c->valid[i].ifname = strdup(json_object_get_string(ifn));
		c->nvalid++;
		if (!c->valid[i].container_id || !c->valid[i].ifname) {
			cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
			return -1;
		}
	}
	return 0;
bad:
	cni_err_set(e, CNI_ERR_CONFIG, "invalid cni.dev/valid-attachments",
		    "want an array of {\"containerID\": ..., \"ifname\": ...}");
	return -1;
}

/*
 * The CNI "bandwidth" capability: {"egressRate": bit/s, ...}, filled by
 * Kubernetes from the kubernetes.io/egress-bandwidth annotation. The
 * egress rate is the pod's ceiling; ingress is not shaped (a receiver
 * cannot slow a sender down on this NIC), bursts are the shaper's own.
 */
static int parse_bandwidth(json_object *bw, struct cni_conf *c,
			   struct cni_err *e)
{
	json_object *v;
	int64_t x;

	if (json_object_get_type(bw) != json_type_object) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid runtimeConfig",
			    "runtimeConfig.bandwidth: want an object {\"egressRate\": bits per second}");
		return -1;
	}
	if (!json_object_object_get_ex(bw, "egressRate", &v) || !v)
		return 0;
	x = json_object_get_int64(v);
	if (json_object_get_type(v) != json_type_int || x < 0 ||
	    (x && ((uint64_t)x < SSNS_BW_RATE_MIN ||
		   (uint64_t)x > SSNS_BW_RATE_MAX))) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid runtimeConfig",
			    "runtimeConfig.bandwidth.egressRate %s: want bits per second, 0 (none) or %llu..%llu",
			    Q(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)),
			    (unsigned long long)SSNS_BW_RATE_MIN,
			    (unsigned long long)SSNS_BW_RATE_MAX);
		return -1;
	}
	c->egress_rate = (uint64_t)x;
	return 0;
}

static int parse_runtime_config(json_object *rc, struct cni_conf *c,
				struct cni_err *e)
{
	json_object *s, *v;

	if (json_object_get_type(rc) != json_type_object) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid runtimeConfig",
			    "runtimeConfig: want an object");
		return -1;
	}
	if (json_object_object_get_ex(rc, "bandwidth", &v) && v &&
	    parse_bandwidth(v, c, e))
		return -1;
	if (!json_object_object_get_ex(rc, "ssns", &s) || !s)
		return 0;
	if (json_object_get_type(s) != json_type_object) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid runtimeConfig",
			    "runtimeConfig.ssns: want an object {\"tenant\": ..., \"vnis\": ...}");
		return -1;
	}
	if (json_object_object_get_ex(s, "tenant", &v) && v) {
		if (json_object_get_type(v) != json_type_string) {
			cni_err_set(e, CNI_ERR_CONFIG, "invalid runtimeConfig",
				    "runtimeConfig.ssns.tenant: want a string");
			return -1;
		}
		if (set_tenant(&c->rt_tenant, json_object_get_string(v),
			       "runtimeConfig.ssns.tenant", e))
			return -1;
	}
	if (json_object_object_get_ex(s, "vnis", &v) && v &&
	    cni_vnis_from_json(v, &c->rt_ranges, &c->rt_nranges, e))
		return -1;
	return 0;
}

int cni_conf_parse(const char *text, struct cni_conf *c, struct cni_err *e)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *v;
	const char *s;
	bool bad = false;

	memset(c, 0, sizeof(*c));
	c->cleanup = true;
	c->state_dir = CNI_DEFAULT_STATE_DIR;

	tok = json_tokener_new();
	if (!tok) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	c->root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	jerr = json_tokener_get_error(tok);
	if (c->root && jerr == json_tokener_success &&
	    tok->char_offset < (int)strlen(text)) {
		/* trailing data after the document: only whitespace allowed */
		for (s = text + tok->char_offset; *s; s++)
			if (!isspace((unsigned char)*s))
				break;
		if (*s)
			jerr = json_tokener_error_parse_unexpected;
	}
	if (!c->root || jerr != json_tokener_success) {
		cni_err_set(e, CNI_ERR_DECODE, "failed to decode network configuration",
			    "%s at offset %d",
			    c->root ? "trailing data" :
			    json_tokener_error_desc(jerr == json_tokener_continue ?
				json_tokener_error_parse_eof : jerr),
			    (int)tok->char_offset);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (json_object_get_type(c->root) != json_type_object) {
		cni_err_set(e, CNI_ERR_DECODE, "failed to decode network configuration",
			    "the configuration is not a JSON object");
		return -1;
	}

	c->cni_version = str_field(c->root, "cniVersion", &bad);
	if (bad || !c->cni_version) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "cniVersion: missing or not a string");
		return -1;
	}
	if (!cni_version_supported(c->cni_version)) {
		cni_err_set(e, CNI_ERR_VERSION, "incompatible CNI version",
			    "cniVersion %s; this plugin supports 0.4.0, 1.0.0, 1.1.0",
			    Q(c->cni_version));
		return -1;
	}
	c->name = str_field(c->root, "name", &bad);
	c->type = str_field(c->root, "type", &bad);
	if (bad || !c->name || !*c->name) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "name and type must be strings; name is required");
		return -1;
	}
	if (!rt_id_valid(c->name, 256)) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network name",
			    "name %s: 1 to 255 characters of [A-Za-z0-9_.-]",
			    Q(c->name));
		return -1;
	}

	s = str_field(c->root, "tenant", &bad);
	if (bad) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "tenant: want a string");
		return -1;
	}
	if (s && set_tenant(&c->tenant, s, "tenant", e))
		return -1;
	if (json_object_object_get_ex(c->root, "vnis", &v) && v &&
	    cni_vnis_from_json(v, &c->ranges, &c->nranges, e))
		return -1;
	if (json_object_object_get_ex(c->root, "devices", &v) && v &&
	    parse_devices(v, c, e))
		return -1;
	if (json_object_object_get_ex(c->root, "trafficClasses", &v) && v &&
	    parse_tcs(v, c, e))
		return -1;

	s = str_field(c->root, "mode", &bad);
	if (bad) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "mode: want \"shared\" or \"exclusive\"");
		return -1;
	}
	if (!s || !strcmp(s, "shared")) {
		c->mode = CNI_MODE_SHARED;
	} else if (!strcmp(s, "exclusive")) {
		c->mode = CNI_MODE_EXCLUSIVE;
	} else {
		cni_err_set(e, CNI_ERR_UNSUPPORTED_FIELD,
			    "unsupported field in network configuration",
			    "mode: %s (supported: shared, exclusive)", Q(s));
		return -1;
	}

	if (json_object_object_get_ex(c->root, "cleanup", &v) && v) {
		if (json_object_get_type(v) != json_type_boolean) {
			cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
				    "cleanup: want true or false");
			return -1;
		}
		c->cleanup = json_object_get_boolean(v);
	}

	s = str_field(c->root, "stateDir", &bad);
	if (bad || (s && (s[0] != '/' || strlen(s) > 200))) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "stateDir: want an absolute path (at most 200 characters)");
		return -1;
	}
	if (s)
		c->state_dir = s;

	if (json_object_object_get_ex(c->root, "prevResult", &v) && v) {
		if (json_object_get_type(v) != json_type_object) {
			cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
				    "prevResult: want an object");
			return -1;
		}
		c->prev_result = v;
	}
	if (json_object_object_get_ex(c->root, "runtimeConfig", &v) && v &&
	    parse_runtime_config(v, c, e))
		return -1;
	if (json_object_object_get_ex(c->root, "cni.dev/valid-attachments",
				      &v) && v &&
	    parse_valid_attachments(v, c, e))
		return -1;
	return 0;
}

/* One CNI_ARGS pair; unknown keys are collected in *unknown. */
static int apply_arg(struct cni_conf *c, const char *k, const char *v,
		     bool *ignore_unknown, const char **unknown,
		     struct cni_err *e)
{
	struct ssns_vni_range *r;
	size_t n;

	if (!strcmp(k, "IgnoreUnknown")) {
		*ignore_unknown = !strcmp(v, "1") || !strcasecmp(v, "true");
	} else if (!strcmp(k, "SSNS_TENANT")) {
		if (set_tenant(&c->tenant, v, "CNI_ARGS SSNS_TENANT", e)) {
			e->code = CNI_ERR_ENV;
			return -1;
		}
	} else if (!strcmp(k, "SSNS_VNIS")) {
		if (cni_vnis_parse(v, &r, &n, e)) {
			e->code = CNI_ERR_ENV;
			return -1;
		}
		free(c->ranges);
		c->ranges = r;
		c->nranges = n;
	} else if (!*unknown) {
		*unknown = k;
	}
	return 0;
}

int cni_conf_finish(struct cni_conf *c, const char *args, struct cni_err *e)
{
	bool ignore_unknown = false;
	const char *unknown = NULL;
	char *dup, *p, *pair, *eq, *save = NULL;
	char unk[SSNS_QUOTE_LEN] = "";
	int rc = 0;

	if (args && *args) {
		dup = strdup(args);
		if (!dup) {
			cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
			return -1;
		}
		for (p = dup; (pair = strtok_r(p, ";", &save)); p = NULL) {
			eq = strchr(pair, '=');
			if (!eq || eq == pair) {
				cni_err_set(e, CNI_ERR_ENV, "invalid CNI_ARGS",
					    "%s: want KEY=VALUE pairs separated by ';'",
					    Q(pair));
				rc = -1;
				break;
			}
			*eq = '\0';
			rc = apply_arg(c, pair, eq + 1, &ignore_unknown,
				       &unknown, e);
			if (rc)
				break;
			if (unknown && !unk[0])
				ssns_quote(unk, sizeof(unk), unknown);
		}
		free(dup);
		if (rc)
			return rc;
		if (unk[0] && !ignore_unknown) {
			cni_err_set(e, CNI_ERR_ENV, "invalid CNI_ARGS",
				    "unknown key %s (pass IgnoreUnknown=1 to ignore it)",
				    unk);
			return -1;
		}
	}
	/* Capability args come from the runtime itself: they win. */
	if (c->rt_tenant) {
		free(c->tenant);
		c->tenant = c->rt_tenant;
		c->rt_tenant = NULL;
	}
	if (c->rt_ranges) {
		free(c->ranges);
		c->ranges = c->rt_ranges;
		c->nranges = c->rt_nranges;
		c->rt_ranges = NULL;
		c->rt_nranges = 0;
	}
	if (!c->ntcs)
		c->tcs[c->ntcs++] = SSNS_TC_BEST_EFFORT;
	if (c->mode == CNI_MODE_EXCLUSIVE && !c->ndevices) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "mode exclusive needs \"devices\": the NICs to move into the pod");
		return -1;
	}
	return 0;
}

void cni_conf_free(struct cni_conf *c)
{
	size_t i;

	free(c->tenant);
	free(c->ranges);
	free(c->rt_tenant);
	free(c->rt_ranges);
	for (i = 0; i < c->ndevices; i++)
		free(c->devices[i]);
	for (i = 0; i < c->nvalid; i++) {
		free(c->valid[i].container_id);
		free(c->valid[i].ifname);
	}
	free(c->valid);
	for (i = 0; i < c->nenv; i++)
		free(c->env[i]);
	json_object_put(c->root);
	memset(c, 0, sizeof(*c));
}
