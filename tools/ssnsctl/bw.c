// SPDX-License-Identifier: GPL-2.0
/*
 * ssnsctl: bandwidth. The grammar of `tenant set NAME bw ...` and the
 * printing of a tenant's bandwidth policy (tenant show, stats).
 *
 *   tenant set NAME bw share SHARE [dev DEV]
 *   tenant set NAME bw max {RATE | none} [dev DEV | netns NS | cgroup PATH]
 *   tenant set NAME bw clear [dev DEV | netns NS | cgroup PATH]
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

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

int ssnsctl_parse_rate(const char *s, uint64_t *bits, char *err,
		       size_t errlen)
{
	char lo[32], hi[32];
	uint64_t v;
	int rc;

	if (s && ssnsctl_matches(s, "none") && strlen(s) >= 2) {
		*bits = 0;
		return 0;
	}
	rc = ssns_rate_parse(s, &v);
	if (rc == -ERANGE)
		return fail(err, errlen, "rate %s overflows 64 bits", Q(s));
	if (rc)
		return fail(err, errlen, "invalid rate %s: want a number and "
			    "a unit like 10gbit, 500mbit or 1.5gbit, or none",
			    Q(s));
	if (!v)
		return fail(err, errlen, "rate %s: a ceiling of nothing; "
			    "\"none\" is no ceiling", Q(s));
	if (v < SSNS_BW_RATE_MIN || v > SSNS_BW_RATE_MAX)
		return fail(err, errlen, "rate %s (%" PRIu64 " bit/s) is out "
			    "of range %s..%s", Q(s), v,
			    ssns_rate_format(SSNS_BW_RATE_MIN, lo, sizeof(lo)),
			    ssns_rate_format(SSNS_BW_RATE_MAX, hi, sizeof(hi)));
	*bits = v;
	return 0;
}

int ssnsctl_parse_share(const char *s, uint32_t *share, char *err,
			size_t errlen)
{
	unsigned long long v = 0;
	const char *p;

	if (!s || !*s)
		return fail(err, errlen, "empty share");
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return fail(err, errlen, "invalid share %s: want a "
				    "number from 1 to %d", Q(s),
				    SSNS_BW_SHARE_MAX);
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > SSNS_BW_SHARE_MAX)
			break;
	}
	if (v < 1 || v > SSNS_BW_SHARE_MAX)
		return fail(err, errlen, "share %s is out of range 1..%d",
			    Q(s), SSNS_BW_SHARE_MAX);
	*share = (uint32_t)v;
	return 0;
}

/* [dev DEV | netns NS | cgroup PATH], the member ones only if @member. */
static int parse_where(int argc, char *const *argv, int *i,
		       struct ssnsctl_cmd *c, bool member, char *err,
		       size_t errlen)
{
	const char *a, *v;

	if (*i >= argc)
		return 0;
	a = argv[(*i)++];
	if (*i >= argc)
		return fail(err, errlen, "missing argument after %s", Q(a));
	v = argv[(*i)++];
	if (ssnsctl_matches(a, "dev")) {
		if (!*v || strlen(v) >= SSNS_NAME_MAX)
			return fail(err, errlen, "invalid device name %s", Q(v));
		strcpy(c->dev, v);
		c->has_dev = true;
	} else if (member && (ssnsctl_matches(a, "netns") ||
			      ssnsctl_matches(a, "cgroup"))) {
		if (!*v || strlen(v) >= sizeof(c->arg))
			return fail(err, errlen, "invalid %s argument %s", a,
				    Q(v));
		strcpy(c->arg, v);
		c->bw_member = ssnsctl_matches(a, "netns") ? SSNSCTL_BW_NETNS :
							      SSNSCTL_BW_CGROUP;
	} else {
		return fail(err, errlen, "unexpected argument %s (%s)", Q(a),
			    member ? "dev DEV, netns NS or cgroup PATH" :
			    "dev DEV: a share is a tenant's");
	}
	if (*i < argc)
		return fail(err, errlen, "unexpected argument %s",
			    Q(argv[*i]));
	return 0;
}

int ssnsctl_parse_bw(int argc, char *const *argv, int *i,
		     struct ssnsctl_cmd *c, char *err, size_t errlen)
{
	const char *a, *v;
	int rc;

	if (*i >= argc)
		return fail(err, errlen, "missing bw setting: share, max or "
			    "clear");
	a = argv[(*i)++];
	if (ssnsctl_matches(a, "share")) {
		c->bw_op = SSNSCTL_BW_SHARE;
		if (*i >= argc)
			return fail(err, errlen, "missing share after "
				    "\"share\"");
		v = argv[(*i)++];
		rc = ssnsctl_parse_share(v, &c->bw_share, err, errlen);
		return rc ? rc : parse_where(argc, argv, i, c, false, err,
					     errlen);
	}
	if (ssnsctl_matches(a, "max")) {
		c->bw_op = SSNSCTL_BW_MAX;
		if (*i >= argc)
			return fail(err, errlen, "missing rate after \"max\"");
		v = argv[(*i)++];
		rc = ssnsctl_parse_rate(v, &c->bw_max, err, errlen);
		return rc ? rc : parse_where(argc, argv, i, c, true, err,
					     errlen);
	}
	if (ssnsctl_matches(a, "clear")) {
		c->bw_op = SSNSCTL_BW_CLEAR;
		return parse_where(argc, argv, i, c, true, err, errlen);
	}
	return fail(err, errlen, "unknown bw setting %s (share, max, clear)",
		    Q(a));
}

/* ---------------------------------------------------------------- output */

static const char *rate(uint64_t bits, char *buf, size_t len)
{
	return bits ? ssns_rate_format(bits, buf, len) : "none";
}

/* Is anything set, so that text output has something to say? */
static bool bw_set(const struct ssns_tenant_bw *bw)
{
	return bw->share != SSNS_BW_SHARE_DEFAULT || bw->max || bw->ndevs ||
	       bw->nmembers;
}

void ssnsctl_text_bw(FILE *f, const struct ssns_tenant_bw *bw)
{
	char r[32];
	size_t k;

	if (!bw || !bw_set(bw))
		return;
	fprintf(f, "    bw share %" PRIu32, bw->share);
	if (bw->max)
		fprintf(f, " max %s", rate(bw->max, r, sizeof(r)));
	fputc('\n', f);
	for (k = 0; k < bw->ndevs; k++) {
		const struct ssns_bw_dev *d = &bw->devs[k];

		fprintf(f, "    bw dev %s", d->dev_name);
		if (d->share)
			fprintf(f, " share %" PRIu32, d->share);
		if (d->has_max)
			fprintf(f, " max %s", rate(d->max, r, sizeof(r)));
		fputc('\n', f);
	}
	for (k = 0; k < bw->nmembers; k++) {
		const struct ssns_bw_member *m = &bw->members[k];

		fprintf(f, "    bw %s %" PRIu64 " max %s\n",
			m->type == SSNS_MEMBER_NETNS ? "netns_cookie" :
			"cgroup_id", m->id, rate(m->max, r, sizeof(r)));
	}
}
