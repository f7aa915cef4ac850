// SPDX-License-Identifier: GPL-2.0
/* ssnsctl grammar: options, objects, commands and their arguments. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool ssnsctl_matches(const char *arg, const char *keyword)
{
	size_t n;

	if (!arg || !keyword)
		return false;
	n = strlen(arg);
	return n && n <= strlen(keyword) && !strncmp(arg, keyword, n);
}

/* ---------------------------------------------------------------- options */

int ssnsctl_parse_opts(int argc, char *const *argv, struct ssnsctl_opts *o,
		       char *err, size_t errlen)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		a++;
		if (a[0] == '-')
			a++;	/* accept --json as well as -json */

		if (ssnsctl_matches(a, "json")) {
			o->json = true;
		} else if (ssnsctl_matches(a, "pretty")) {
			o->pretty = true;
		} else if (ssnsctl_matches(a, "force")) {
			o->force = true;
		} else if (ssnsctl_matches(a, "help")) {
			o->help = true;
		} else if (ssnsctl_matches(a, "Version")) {
			o->version = true;
		} else if (ssnsctl_matches(a, "batch")) {
			if (++i >= argc)
				return fail(err, errlen,
					    "option %s needs a file name",
					    Q(argv[i - 1]));
			o->batch = argv[i];
		} else if (ssnsctl_matches(a, "netns")) {
			if (++i >= argc)
				return fail(err, errlen,
					    "option %s needs a netns name",
					    Q(argv[i - 1]));
			o->netns = argv[i];
		} else {
			return fail(err, errlen,
				    "option %s is unknown, try \"ssnsctl -help\"",
				    Q(argv[i]));
		}
	}
	if (o->pretty && !o->json)
		o->json = true;	/* -p alone means pretty JSON */
	return i;
}

/* ------------------------------------------------------------ values */

static int parse_u32_dec(const char *s, uint32_t *v)
{
	unsigned long long x = 0;
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		x = x * 10 + (unsigned long long)(*p - '0');
		if (x > UINT32_MAX)
			return -ERANGE;
	}
	*v = (uint32_t)x;
	return 0;
}

static int parse_u64_dec(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		d = (unsigned int)(*s - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* A VNI; range: the quoted range it is a side of, or NULL. */
static int parse_vni(const char *s, const char *range, uint32_t *vni,
		     char *err, size_t errlen)
{
	uint32_t v;
	int rc = parse_u32_dec(s, &v);

	if (rc == -EINVAL)
		return fail(err, errlen, "invalid VNI %s%s%s: want a number "
			    "from %d to %d", Q(s), range ? " in range " : "",
			    range ? range : "", SSNS_VNI_MIN, SSNS_VNI_MAX);
	if (rc || v < SSNS_VNI_MIN || v > SSNS_VNI_MAX)
		return fail(err, errlen, "VNI %s%s%s out of range %d-%d",
			    Q(s), range ? " in range " : "",
			    range ? range : "", SSNS_VNI_MIN, SSNS_VNI_MAX);
	*vni = v;
	return 0;
}

int ssnsctl_parse_vni(const char *s, uint32_t *vni, char *err, size_t errlen)
{
	return parse_vni(s, NULL, vni, err, errlen);
}

static int cmp_range(const void *a, const void *b)
{
	const struct ssns_vni_range *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->last < y->last ? -1 : x->last > y->last;
}

int ssnsctl_parse_vni_list(const char *s, struct ssns_vni_range **ranges,
			   size_t *n, char *err, size_t errlen)
{
	struct ssns_vni_range *r = NULL;
	size_t cnt = 0, cap = 0, i, j;
	char *copy, *tok, *save = NULL;
	int rc = 0;

	*ranges = NULL;
	*n = 0;
	if (!s || !*s)
		return fail(err, errlen, "empty VNI list");
	if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return fail(err, errlen, "empty element in VNI list %s",
			    Q(s));
	copy = strdup(s);
	if (!copy)
		return fail(err, errlen, "out of memory");

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct ssns_vni_range cur;
		char *dash = strchr(tok, '-');

		/* "-1" is a negative number to whoever typed it */
		if (dash == tok) {
			rc = ssnsctl_parse_vni(tok, &cur.first, err, errlen);
			break;
		}
		if (dash) {
			char elem[SSNS_QUOTE_LEN];

			ssns_quote(elem, sizeof(elem), tok);
			*dash = '\0';
			if (!dash[1] || strchr(dash + 1, '-')) {
				rc = fail(err, errlen, "invalid VNI range %s "
					  "(FIRST-LAST)", elem);
				break;
			}
			if ((rc = parse_vni(tok, elem, &cur.first, err,
					    errlen)) ||
			    (rc = parse_vni(dash + 1, elem, &cur.last, err,
					    errlen)))
				break;
			if (cur.first > cur.last) {
				rc = fail(err, errlen, "VNI range %s is "
					  "reversed", elem);
				break;
			}
		} else {
			if ((rc = ssnsctl_parse_vni(tok, &cur.first, err,
						    errlen)))
				break;
			cur.last = cur.first;
		}
		if (cnt == cap) {
			struct ssns_vni_range *nr;

			cap = cap ? cap * 2 : 8;
			nr = realloc(r, cap * sizeof(*r));
			if (!nr) {
				rc = fail(err, errlen, "out of memory");
				break;
			}
			r = nr;
		}
		r[cnt++] = cur;
	}
	free(copy);
	if (rc) {
		free(r);
		return rc;
	}

	/* sort, then merge overlapping and adjacent ranges */
	qsort(r, cnt, sizeof(*r), cmp_range);
	for (i = 0, j = 0; i < cnt; i++) {
		if (j && r[i].first <= r[j - 1].last + 1) {
			if (r[i].last > r[j - 1].last)
				r[j - 1].last = r[i].last;
		} else {
			r[j++] = r[i];
		}
	}
	*ranges = r;
	*n = j;
	return 0;
}

int ssnsctl_parse_tc(const char *s, uint8_t *tc, char *err, size_t errlen)
{
	char norm[32];
	int found = -1;
	unsigned int i;
	size_t k;

	if (!s || !*s)
		return fail(err, errlen, "empty traffic class");
	if (strlen(s) >= sizeof(norm))
		return fail(err, errlen, "unknown traffic class %s", Q(s));
	for (k = 0; s[k]; k++)
		norm[k] = s[k] == '-' ? '_' : (char)tolower((unsigned char)s[k]);
	norm[k] = '\0';

	for (i = 0; i <= SSNS_TC_MAX; i++) {
		const char *name = ssns_tc_name(i);

		if (!strcmp(norm, name)) {
			*tc = (uint8_t)i;
			return 0;
		}
		if (ssnsctl_matches(norm, name)) {
			if (found >= 0)
				return fail(err, errlen,
					    "ambiguous traffic class %s",
					    Q(s));
			found = (int)i;
		}
	}
	if (found < 0)
		return fail(err, errlen, "unknown traffic class %s "
			    "(dedicated_access, low_latency, bulk_data, "
			    "best_effort)", Q(s));
	*tc = (uint8_t)found;
	return 0;
}

/* A tenant or device name (what), by the kernel's rule for it. */
static int copy_name(const char *what, const char *s, char *dst,
		     char *err, size_t errlen)
{
	bool tenant = !strcmp(what, "tenant");

	if (!s || !*s)
		return fail(err, errlen, "empty %s name", what);
	if (strlen(s) >= SSNS_NAME_MAX)
		return fail(err, errlen, "%s name %s too long (max %d)",
			    what, Q(s), SSNS_NAME_MAX - 1);
	if (tenant ? !ssns_tenant_name_valid(s) : !ssns_dev_name_valid(s))
		return fail(err, errlen, "bad %s name %s: %s", what, Q(s),
			    tenant ? "use letters, digits, . _ -" :
				     "no '/', blank, tab or newline");
	strcpy(dst, s);
	return 0;
}

/* ------------------------------------------------------------ commands */

struct parser {
	int argc;
	char *const *argv;
	int i;
	struct ssnsctl_cmd *cmd;
	char *err;
	size_t errlen;
	const char *objname;
};

static const char *peek(const struct parser *p)
{
	return p->i < p->argc ? p->argv[p->i] : NULL;
}

static const char *next(struct parser *p)
{
	return p->i < p->argc ? p->argv[p->i++] : NULL;
}

static bool at_end(const struct parser *p)
{
	return p->i >= p->argc;
}

static int need(struct parser *p, const char *what, const char **out)
{
	*out = next(p);
	if (!*out)
		return fail(p->err, p->errlen, "missing %s", what);
	return 0;
}

static int garbage(struct parser *p)
{
	if (at_end(p))
		return 0;
	return fail(p->err, p->errlen, "unexpected argument %s",
		    Q(peek(p)));
}

static int unknown_cmd(struct parser *p, const char *c)
{
	return fail(p->err, p->errlen,
		    "command %s is unknown, try \"ssnsctl %s help\"", Q(c),
		    p->objname);
}

/* Verb of an object; the first entry is the default (no verb given). */
struct verb {
	const char *kw;
	enum ssnsctl_verb verb;
};

static const struct verb show_verbs[] = {
	{ "show", SSNSCTL_SHOW }, { "list", SSNSCTL_SHOW },
	{ "set", SSNSCTL_SET }, { "help", SSNSCTL_HELP },
};

static const struct verb rw_verbs[] = {
	{ "show", SSNSCTL_SHOW }, { "list", SSNSCTL_SHOW },
	{ "add", SSNSCTL_ADD }, { "delete", SSNSCTL_DEL },
	{ "set", SSNSCTL_SET }, { "help", SSNSCTL_HELP },
};

static const struct verb tenant_verbs[] = {
	{ "show", SSNSCTL_SHOW }, { "list", SSNSCTL_SHOW },
	{ "add", SSNSCTL_ADD }, { "delete", SSNSCTL_DEL },
	{ "set", SSNSCTL_SET }, { "help", SSNSCTL_HELP },
	{ "services", SSNSCTL_SERVICES },
};

static const struct verb ro_verbs[] = {
	{ "show", SSNSCTL_SHOW }, { "list", SSNSCTL_SHOW },
	{ "help", SSNSCTL_HELP },
};

static int parse_verb(struct parser *p, const struct verb *v, size_t nv)
{
	const char *a = peek(p);
	size_t k;

	if (!a) {
		p->cmd->verb = v[0].verb;
		return 0;
	}
	for (k = 0; k < nv; k++) {
		if (ssnsctl_matches(a, v[k].kw)) {
			p->cmd->verb = v[k].verb;
			p->i++;
			return 0;
		}
	}
	return unknown_cmd(p, a);
}

/* A name of what ("device", "tenant") into dst; *has tells it was given. */
static int set_name(struct parser *p, const char *what, const char *a,
		    bool *has, char *dst)
{
	*has = true;
	return copy_name(what, a, dst, p->err, p->errlen);
}

/* A required NAME; without one the error is "missing <missing>". */
static int need_name(struct parser *p, const char *missing, const char *what,
		     bool *has, char *dst)
{
	const char *a;
	int rc = need(p, missing, &a);

	if (rc)
		return rc;
	return set_name(p, what, a, has, dst);
}

/* show [NAME] */
static int show_name(struct parser *p, const char *what, bool *has,
		     char *dst)
{
	const char *a = next(p);
	int rc;

	if (a) {
		rc = set_name(p, what, a, has, dst);
		if (rc)
			return rc;
	}
	return garbage(p);
}

/* dev DEV */
static int opt_dev(struct parser *p)
{
	return need_name(p, "device name after \"dev\"", "device",
			 &p->cmd->has_dev, p->cmd->dev);
}

/* show [dev DEV] */
static int show_opt_dev(struct parser *p)
{
	const char *a = next(p);
	int rc;

	if (!a)
		return 0;
	if (!ssnsctl_matches(a, "dev"))
		return fail(p->err, p->errlen,
			    "unexpected argument %s (dev DEV)", Q(a));
	if ((rc = opt_dev(p)))
		return rc;
	return garbage(p);
}

static int parse_system(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a;
	int rc;

	if ((rc = parse_verb(p, show_verbs, ARRAY_SIZE(show_verbs))))
		return rc;
	if (c->verb != SSNSCTL_SET)
		return garbage(p);
	if ((rc = need(p, "\"netns\"", &a)))
		return rc;
	if (!ssnsctl_matches(a, "netns"))
		return fail(p->err, p->errlen, "unknown system setting "
			    "%s (netns)", Q(a));
	if ((rc = need(p, "mode: shared or exclusive", &a)))
		return rc;
	if (ssnsctl_matches(a, "shared"))
		c->mode = SSNS_NETNS_SHARED;
	else if (ssnsctl_matches(a, "exclusive"))
		c->mode = SSNS_NETNS_EXCLUSIVE;
	else
		return fail(p->err, p->errlen, "invalid netns mode %s "
			    "(shared, exclusive)", Q(a));
	c->what = SSNSCTL_WHAT_MODE;
	return garbage(p);
}

static int parse_dev(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a;
	int rc;

	if ((rc = parse_verb(p, show_verbs, ARRAY_SIZE(show_verbs))))
		return rc;
	if (c->verb == SSNSCTL_HELP)
		return garbage(p);
	if (c->verb == SSNSCTL_SHOW)
		return show_name(p, "device", &c->has_dev, c->dev);
	/* set DEV netns NS */
	if ((rc = need_name(p, "device name", "device", &c->has_dev,
			    c->dev)))
		return rc;
	if ((rc = need(p, "\"netns\"", &a)))
		return rc;
	if (!ssnsctl_matches(a, "netns"))
		return fail(p->err, p->errlen, "unknown device setting "
			    "%s (netns)", Q(a));
	if ((rc = need(p, "netns name or pid", &a)))
		return rc;
	if (strlen(a) >= sizeof(c->arg))
		return fail(p->err, p->errlen, "netns argument %s too long "
			    "(max %zu)", Q(a), sizeof(c->arg) - 1);
	strcpy(c->arg, a);
	c->what = SSNSCTL_WHAT_NETNS;
	return garbage(p);
}

static int parse_tenant(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a;
	int rc;

	if ((rc = parse_verb(p, tenant_verbs, ARRAY_SIZE(tenant_verbs))))
		return rc;
	if (c->verb == SSNSCTL_HELP)
		return garbage(p);
	if (c->verb == SSNSCTL_SHOW)
		return show_name(p, "tenant", &c->has_tenant, c->tenant);

	if ((rc = need_name(p, "tenant name", "tenant", &c->has_tenant,
			    c->tenant)))
		return rc;

	if (c->verb == SSNSCTL_DEL || c->verb == SSNSCTL_SERVICES)
		return garbage(p);

	if (c->verb == SSNSCTL_ADD) {
		/* add NAME [parent P] [vni LIST], in any order */
		while ((a = next(p))) {
			if (ssnsctl_matches(a, "vni") && !c->ranges) {
				if ((rc = need(p, "VNI list after \"vni\"",
					       &a)))
					return rc;
				if ((rc = ssnsctl_parse_vni_list(a, &c->ranges,
								 &c->nranges,
								 p->err,
								 p->errlen)))
					return rc;
			} else if (ssnsctl_matches(a, "parent") &&
				   !c->has_parent) {
				if ((rc = need_name(p, "parent tenant name",
						    "tenant", &c->has_parent,
						    c->parent)))
					return rc;
			} else {
				return fail(p->err, p->errlen,
					    "unexpected argument %s (vni LIST, parent NAME)",
					    Q(a));
			}
		}
		return 0;
	}

	/* set NAME netns NS|vni LIST|cgroup PATH [del] | delegate | bw */
	if ((rc = need(p, "what to set: netns, vni, cgroup, delegate or bw",
		       &a)))
		return rc;
	if (ssnsctl_matches(a, "bw")) {
		c->what = SSNSCTL_WHAT_BW;
		return ssnsctl_parse_bw(p->argc, p->argv, &p->i, c, p->err,
					p->errlen);
	}
	if (ssnsctl_matches(a, "delegate")) {
		/* set NAME delegate USERNS [cgroup PATH] | delegate none */
		c->what = SSNSCTL_WHAT_DELEGATE;
		if ((rc = need(p, "user namespace (a pid or a path), or none",
			       &a)))
			return rc;
		if (!strcmp(a, "none")) {
			c->delegate_none = true;
			return garbage(p);
		}
		if (!*a || strlen(a) >= sizeof(c->arg))
			return fail(p->err, p->errlen,
				    "bad user namespace argument %s", Q(a));
		strcpy(c->arg, a);
		a = next(p);
		if (!a)
			return 0;
		if (!ssnsctl_matches(a, "cgroup"))
			return fail(p->err, p->errlen,
				    "unexpected argument %s (cgroup PATH)",
				    Q(a));
		if ((rc = need(p, "cgroup path", &a)))
			return rc;
		if (!*a || strlen(a) >= sizeof(c->arg2))
			return fail(p->err, p->errlen,
				    "bad cgroup path %s", Q(a));
		strcpy(c->arg2, a);
		return garbage(p);
	}
	if (ssnsctl_matches(a, "netns")) {
		c->what = SSNSCTL_WHAT_NETNS;
		if ((rc = need(p, "netns name or pid", &a)))
			return rc;
	} else if (ssnsctl_matches(a, "vni")) {
		c->what = SSNSCTL_WHAT_VNI;
		if ((rc = need(p, "VNI list", &a)))
			return rc;
		if ((rc = ssnsctl_parse_vni_list(a, &c->ranges, &c->nranges,
						 p->err, p->errlen)))
			return rc;
	} else if (ssnsctl_matches(a, "netns_cookie")) {
		c->what = SSNSCTL_WHAT_COOKIE;
		if ((rc = need(p, "netns cookie", &a)))
			return rc;
		if (parse_u64_dec(a, &c->cookie))
			return fail(p->err, p->errlen,
				    "invalid netns cookie %s", Q(a));
	} else if (ssnsctl_matches(a, "cgroup")) {
		c->what = SSNSCTL_WHAT_CGROUP;
		if ((rc = need(p, "cgroup path", &a)))
			return rc;
	} else if (ssnsctl_matches(a, "cgroup_id")) {
		c->what = SSNSCTL_WHAT_CGROUP_ID;
		if ((rc = need(p, "cgroup id", &a)))
			return rc;
		if (parse_u64_dec(a, &c->cookie))
			return fail(p->err, p->errlen,
				    "invalid cgroup id %s", Q(a));
	} else {
		return fail(p->err, p->errlen, "unknown tenant setting "
			    "%s (netns, vni, cgroup, netns_cookie, cgroup_id, "
			    "bw)", Q(a));
	}
	if (c->what == SSNSCTL_WHAT_NETNS || c->what == SSNSCTL_WHAT_CGROUP) {
		const char *w = c->what == SSNSCTL_WHAT_NETNS ? "netns" :
				"cgroup";

		if (!*a)
			return fail(p->err, p->errlen, "empty %s argument", w);
		if (strlen(a) >= sizeof(c->arg))
			return fail(p->err, p->errlen, "%s argument %s too "
				    "long (max %zu)", w, Q(a),
				    sizeof(c->arg) - 1);
		strcpy(c->arg, a);
	}
	a = peek(p);
	if (a && ssnsctl_matches(a, "delete")) {
		c->del = true;
		p->i++;
	}
	if ((c->what == SSNSCTL_WHAT_COOKIE ||
	     c->what == SSNSCTL_WHAT_CGROUP_ID) && !c->del)
		return fail(p->err, p->errlen,
			    "%s only names a member to remove: add \"del\"",
			    c->what == SSNSCTL_WHAT_COOKIE ? "a netns cookie" :
			    "a cgroup id");
	return garbage(p);
}

static int parse_profile(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a, *v;
	int rc;

	if ((rc = parse_verb(p, rw_verbs, ARRAY_SIZE(rw_verbs))))
		return rc;
	if (c->verb == SSNSCTL_HELP)
		return garbage(p);
	if (c->verb == SSNSCTL_SET)
		return unknown_cmd(p, "set");
	if (c->verb == SSNSCTL_SHOW)
		return show_opt_dev(p);

	/* add|del dev DEV vni V tc TC, in any order */
	while ((a = next(p))) {
		if (ssnsctl_matches(a, "dev")) {
			if (c->has_dev)
				return fail(p->err, p->errlen,
					    "\"dev\" given twice");
			if ((rc = opt_dev(p)))
				return rc;
		} else if (ssnsctl_matches(a, "vni")) {
			if (c->has_vni)
				return fail(p->err, p->errlen,
					    "\"vni\" given twice");
			if ((rc = need(p, "VNI after \"vni\"", &v)) ||
			    (rc = ssnsctl_parse_vni(v, &c->vni, p->err,
						    p->errlen)))
				return rc;
			c->has_vni = true;
		} else if (ssnsctl_matches(a, "tc")) {
			if (c->has_tc)
				return fail(p->err, p->errlen,
					    "\"tc\" given twice");
			if ((rc = need(p, "traffic class after \"tc\"", &v)) ||
			    (rc = ssnsctl_parse_tc(v, &c->tc, p->err,
						   p->errlen)))
				return rc;
			c->has_tc = true;
		} else {
			return fail(p->err, p->errlen,
				    "unexpected argument %s "
				    "(dev DEV vni VNI tc TC)", Q(a));
		}
	}
	if (!c->has_dev)
		return fail(p->err, p->errlen, "missing \"dev DEV\"");
	if (!c->has_vni)
		return fail(p->err, p->errlen, "missing \"vni VNI\"");
	if (!c->has_tc)
		return fail(p->err, p->errlen, "missing \"tc TC\"");
	return 0;
}

static int parse_ep(struct parser *p)
{
	int rc;

	if ((rc = parse_verb(p, ro_verbs, ARRAY_SIZE(ro_verbs))))
		return rc;
	if (p->cmd->verb == SSNSCTL_HELP)
		return garbage(p);
	return show_opt_dev(p);
}

static int parse_stats(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a;
	int rc;

	a = peek(p);
	/* "stats show ..." and "stats ..." are the same */
	if (a && (ssnsctl_matches(a, "show") || ssnsctl_matches(a, "list")))
		p->i++;
	else if (a && ssnsctl_matches(a, "help")) {
		p->i++;
		c->verb = SSNSCTL_HELP;
		return garbage(p);
	}
	c->verb = SSNSCTL_SHOW;
	a = next(p);
	if (!a)
		return 0;
	if (ssnsctl_matches(a, "dev")) {
		if ((rc = opt_dev(p)))
			return rc;
	} else if (ssnsctl_matches(a, "tenant")) {
		if ((rc = need_name(p, "tenant name after \"tenant\"",
				    "tenant", &c->has_tenant, c->tenant)))
			return rc;
	} else {
		return fail(p->err, p->errlen, "unexpected argument %s "
			    "(dev DEV or tenant NAME)", Q(a));
	}
	return garbage(p);
}

static int parse_monitor(struct parser *p)
{
	const char *a = peek(p);

	p->cmd->verb = SSNSCTL_SHOW;
	if (a && ssnsctl_matches(a, "help")) {
		p->i++;
		p->cmd->verb = SSNSCTL_HELP;
	} else if (a && ssnsctl_matches(a, "all")) {
		p->i++;
	}
	return garbage(p);
}

/* cdi generate [ -o FILE ] [ --hook PATH ] [ --watch ] */
static int parse_cdi(struct parser *p)
{
	struct ssnsctl_cmd *c = p->cmd;
	const char *a = next(p), *v;
	int rc;

	if (!a)
		return fail(p->err, p->errlen,
			    "missing command, try \"ssnsctl cdi help\"");
	if (ssnsctl_matches(a, "help")) {
		c->verb = SSNSCTL_HELP;
		return garbage(p);
	}
	if (!ssnsctl_matches(a, "generate"))
		return unknown_cmd(p, a);
	c->verb = SSNSCTL_SHOW;
	while ((a = next(p))) {
		if (!strcmp(a, "-o") || !strcmp(a, "--output") ||
		    ssnsctl_matches(a, "output")) {
			if ((rc = need(p, "file name after -o", &v)))
				return rc;
			if (!*v || strlen(v) >= sizeof(c->arg))
				return fail(p->err, p->errlen,
					    "-o %s: want a file name", Q(v));
			strcpy(c->arg, v);
		} else if (!strcmp(a, "--hook") ||
			   ssnsctl_matches(a, "hook")) {
			if ((rc = need(p, "path after --hook", &v)))
				return rc;
			if (v[0] != '/' || strlen(v) >= sizeof(c->arg2))
				return fail(p->err, p->errlen,
					    "--hook %s: want the absolute path of ssns-oci-hook",
					    Q(v));
			strcpy(c->arg2, v);
		} else if (!strcmp(a, "--watch") ||
			   ssnsctl_matches(a, "watch")) {
			c->watch = true;
		} else {
			return fail(p->err, p->errlen,
				    "unexpected argument %s (-o FILE, --hook PATH, --watch)",
				    Q(a));
		}
	}
	if (c->watch && (!c->arg[0] || !strcmp(c->arg, "-")))
		return fail(p->err, p->errlen,
			    "--watch needs -o FILE: it rewrites the file on every change");
	return 0;
}

static const struct object {
	const char *kw;
	enum ssnsctl_obj obj;
	int (*parse)(struct parser *p);
} objects[] = {
	{ "system", SSNSCTL_OBJ_SYSTEM, parse_system },
	{ "dev", SSNSCTL_OBJ_DEV, parse_dev },
	{ "tenant", SSNSCTL_OBJ_TENANT, parse_tenant },
	{ "profile", SSNSCTL_OBJ_PROFILE, parse_profile },
	{ "ep", SSNSCTL_OBJ_EP, parse_ep },
	{ "monitor", SSNSCTL_OBJ_MONITOR, parse_monitor },
	{ "stats", SSNSCTL_OBJ_STATS, parse_stats },
	{ "cdi", SSNSCTL_OBJ_CDI, parse_cdi },
	{ "help", SSNSCTL_OBJ_HELP, NULL },
};

void ssnsctl_cmd_free(struct ssnsctl_cmd *cmd)
{
	if (!cmd)
		return;
	free(cmd->ranges);
	cmd->ranges = NULL;
	cmd->nranges = 0;
}

int ssnsctl_parse_cmd(int argc, char *const *argv, struct ssnsctl_cmd *cmd,
		      char *err, size_t errlen)
{
	struct parser p = { .argc = argc, .argv = argv, .i = 1, .cmd = cmd,
			    .err = err, .errlen = errlen };
	size_t k;

	memset(cmd, 0, sizeof(*cmd));
	if (err && errlen)
		err[0] = '\0';
	if (argc < 1 || !argv[0])
		return fail(err, errlen, "missing object");
	for (k = 0; k < ARRAY_SIZE(objects); k++) {
		if (!ssnsctl_matches(argv[0], objects[k].kw))
			continue;
		cmd->obj = objects[k].obj;
		p.objname = objects[k].kw;
		if (!objects[k].parse) {
			cmd->verb = SSNSCTL_HELP;
			return garbage(&p);
		}
		return objects[k].parse(&p);
	}
	return fail(err, errlen,
		    "object %s is unknown, try \"ssnsctl help\"",
		    Q(argv[0]));
}
