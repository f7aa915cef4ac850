// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON printers. JSON documents are built with json-c and
 * printed whole: compact (one document a line, as iproute2 prints), or
 * indented as json-c indents (-p).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output.h"

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

static const char *errno_name(uint32_t e)
{
	const char *n = strerrorname_np((int)e);

	return n ? n : "unknown";
}

/*
 * A string that a pod controls (a command name, a cgroup path), printed
 * in text output with control characters escaped: it cannot forge lines.
 */
static void safe(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

void ssnsctl_print_ranges(FILE *f, const struct ssns_vni_range *r, size_t n)
{
	size_t i;

	if (!n) {
		fputs("none", f);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		if (r[i].first == r[i].last)
			fprintf(f, "%" PRIu32, r[i].first);
		else
			fprintf(f, "%" PRIu32 "-%" PRIu32, r[i].first,
				r[i].last);
	}
}

/* Length of a valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * s as UTF-8, malloc'ed: a byte that starts no valid sequence becomes
 * U+FFFD. JSON is UTF-8, and json-c copies bytes as they are, while a
 * command name or a cgroup path may be anything.
 */
static char *utf8_clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0, n;
	char *out = malloc(3 * strlen(str) + 1);

	if (!out)
		return NULL;
	while (s[i]) {
		n = utf8_len(s + i);
		if (n) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

/* A JSON string (NULL s: null). */
static json_object *jstr(const char *s)
{
	json_object *v;
	char *c;

	if (!s)
		return NULL;
	c = utf8_clean(s);
	v = c ? json_object_new_string(c) : NULL;
	free(c);
	return v;
}

/* o[key] = v, the key as clean UTF-8 as well */
static void jset(json_object *o, const char *key, json_object *v)
{
	char *k = utf8_clean(key);

	if (k)
		json_object_object_add(o, k, v);
	else
		json_object_put(v);
	free(k);
}

static void jset_str(json_object *o, const char *key, const char *s)
{
	jset(o, key, jstr(s));
}

static void jset_u64(json_object *o, const char *key, uint64_t v)
{
	jset(o, key, json_object_new_uint64(v));
}

static void jset_i64(json_object *o, const char *key, int64_t v)
{
	jset(o, key, json_object_new_int64(v));
}

static void jset_bool(json_object *o, const char *key, bool v)
{
	jset(o, key, json_object_new_boolean(v));
}

/* Print a document and free it; every document ends its line. */
static void jprint(const struct ssnsctl_out *o, json_object *doc)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (o->pretty ? JSON_C_TO_STRING_PRETTY |
				 JSON_C_TO_STRING_SPACED :
				 JSON_C_TO_STRING_PLAIN);
	const char *s = doc ? json_object_to_json_string_ext(doc, flags) :
			      NULL;

	if (s) {
		fputs(s, o->f);
		fputc('\n', o->f);
		fflush(o->f);
	}
	json_object_put(doc);
}

static json_object *json_ranges(const struct ssns_vni_range *r, size_t n)
{
	json_object *a = json_object_new_array(), *el;
	size_t i;

	for (i = 0; a && i < n; i++) {
		el = json_object_new_object();
		jset_u64(el, "first", r[i].first);
		jset_u64(el, "last", r[i].last);
		json_object_array_add(a, el);
	}
	return a;
}

/* ---------------------------------------------------------------- system */

void ssnsctl_print_system(const struct ssnsctl_out *o,
			  const struct ssns_system *s)
{
	const char *mode = or_unknown(ssns_netns_mode_name(s->netns_mode));
	json_object *j;

	if (!o->json) {
		fprintf(o->f, "netns %s cgroup_accounting %s", mode,
			s->cgroup_acct ? "on" : "off");
		if (s->version[0])
			fprintf(o->f, " version %s", s->version);
		fputc('\n', o->f);
		return;
	}
	j = json_object_new_object();
	jset_str(j, "netns", mode);
	jset_bool(j, "cgroup_accounting", s->cgroup_acct);
	jset_str(j, "version", s->version[0] ? s->version : NULL);
	jprint(o, j);
}

/*
 * A list of n objects of elsz bytes at arr: a line of text (or more) for
 * each, or a JSON array with an object for each. text prints the object
 * at el, json fills its JSON object.
 */
static void print_list(const struct ssnsctl_out *o, const void *arr,
		       size_t n, size_t elsz,
		       void (*text)(FILE *f, const void *el),
		       void (*json)(json_object *j, const void *el))
{
	const char *el = arr;
	json_object *a, *j;
	size_t i;

	if (!o->json) {
		for (i = 0; i < n; i++)
			text(o->f, el + i * elsz);
		return;
	}
	a = json_object_new_array();
	for (i = 0; a && i < n; i++) {
		j = json_object_new_object();
		json(j, el + i * elsz);
		json_object_array_add(a, j);
	}
	jprint(o, a);
}

/* --------------------------------------------------------------- devices */

static void text_dev(FILE *f, const void *el)
{
	const struct ssns_dev *d = el;

	fprintf(f, "%" PRIu32 ": %s:", d->index, d->name);
	if (d->provider[0])
		fprintf(f, " provider %s", d->provider);
	if (d->chardev[0])
		fprintf(f, " chardev %s", d->chardev);
	if (d->has_netns_cookie)
		fprintf(f, " netns_cookie %" PRIu64, d->netns_cookie);
	if (d->has_netns_id)
		fprintf(f, " nsid %" PRId32, d->netns_id);
	fprintf(f, " rdmacg %s", d->cgroup_acct ? "on" : "off");
	fputc('\n', f);
}

static void json_dev(json_object *j, const void *el)
{
	const struct ssns_dev *d = el;

	jset_u64(j, "index", d->index);
	jset_str(j, "name", d->name);
	jset_str(j, "provider", d->provider[0] ? d->provider : NULL);
	jset_str(j, "chardev", d->chardev[0] ? d->chardev : NULL);
	if (d->has_netns_cookie)
		jset_u64(j, "netns_cookie", d->netns_cookie);
	if (d->has_netns_id)
		jset_i64(j, "nsid", d->netns_id);
	jset_bool(j, "rdmacg", d->cgroup_acct);
}

void ssnsctl_print_devs(const struct ssnsctl_out *o,
			const struct ssns_dev *d, size_t n)
{
	print_list(o, d, n, sizeof(*d), text_dev, json_dev);
}

/* --------------------------------------------------------------- tenants */

static void text_member(FILE *f, const struct ssns_member *m)
{
	if (m->type == SSNS_MEMBER_NETNS) {
		fprintf(f, "    netns_cookie %" PRIu64, m->netns_cookie);
		if (m->has_netns_id)
			fprintf(f, " nsid %" PRId32, m->netns_id);
	} else {
		fputs("    cgroup", f);
		if (m->cgroup_path) {
			fputc(' ', f);
			safe(f, m->cgroup_path);
		}
		if (m->cgroup_id)
			fprintf(f, " id %" PRIu64, m->cgroup_id);
	}
	fputc('\n', f);
}

static json_object *json_members(const struct ssns_member *m, size_t n)
{
	json_object *a = json_object_new_array(), *j;
	size_t i;

	for (i = 0; a && i < n; i++) {
		j = json_object_new_object();
		if (m[i].type == SSNS_MEMBER_NETNS) {
			jset_str(j, "type", "netns");
			jset_u64(j, "netns_cookie", m[i].netns_cookie);
			if (m[i].has_netns_id)
				jset_i64(j, "nsid", m[i].netns_id);
		} else {
			jset_str(j, "type", "cgroup");
			jset_str(j, "path", m[i].cgroup_path);
			jset_u64(j, "cgroup_id", m[i].cgroup_id);
		}
		json_object_array_add(a, j);
	}
	return a;
}

static void text_tenant(FILE *f, const void *el)
{
	const struct ssnsctl_tenant_view *v = el;
	const struct ssns_tenant *t = v->t;
	const struct ssns_tenant_ext *x = &v->ext;
	size_t k;

	fprintf(f, "%s: vni ", t->name);
	ssnsctl_print_ranges(f, t->ranges, t->nranges);
	if (v->has_ext && x->parent[0]) {
		fputs(" parent ", f);
		safe(f, x->parent);
	}
	if (v->has_ext && x->delegated) {
		fprintf(f, " delegate userns %" PRIu32, x->delegate_userns);
		if (x->delegate_cgroup_id) {
			fputs(" cgroup ", f);
			safe(f, x->delegate_cgroup[0] ? x->delegate_cgroup : "?");
		}
	}
	fputc('\n', f);
	for (k = 0; k < t->nmembers; k++)
		text_member(f, &t->members[k]);
	ssnsctl_text_bw(f, v->bw);
}

static json_object *json_bw(const struct ssns_tenant_bw *bw);

static void json_tenant(json_object *j, const void *el)
{
	const struct ssnsctl_tenant_view *v = el;
	const struct ssns_tenant *t = v->t;
	const struct ssns_tenant_ext *x = &v->ext;
	json_object *d;

	jset_str(j, "name", t->name);
	jset(j, "vni", json_ranges(t->ranges, t->nranges));
	jset(j, "members", json_members(t->members, t->nmembers));
	if (v->has_ext && x->parent[0])
		jset_str(j, "parent", x->parent);
	if (v->has_ext && x->delegated) {
		d = json_object_new_object();
		jset_u64(d, "userns", x->delegate_userns);
		if (x->delegate_cgroup_id) {
			jset_u64(d, "cgroup_id", x->delegate_cgroup_id);
			jset_str(d, "cgroup", x->delegate_cgroup);
		}
		jset(j, "delegate", d);
	}
	if (v->bw)
		jset(j, "bw", json_bw(v->bw));
}

static void text_service(FILE *f, const void *el)
{
	const struct ssns_service *s = el;
	size_t i;

	fprintf(f, "netns_cookie %" PRIu64, s->netns_cookie);
	if (s->has_netns_id)
		fprintf(f, " nsid %" PRId32, s->netns_id);
	fputs(" dev ", f);
	safe(f, s->dev);
	fputs(" services ", f);
	for (i = 0; i < s->count; i++)
		fprintf(f, "%s%" PRIu32, i ? "," : "", s->ids[i]);
	fputc('\n', f);
}

static void json_service(json_object *j, const void *el)
{
	const struct ssns_service *s = el;
	json_object *a = json_object_new_array();
	size_t i;

	jset_u64(j, "netns_cookie", s->netns_cookie);
	if (s->has_netns_id)
		jset_i64(j, "nsid", s->netns_id);
	jset_str(j, "dev", s->dev);
	for (i = 0; a && i < s->count; i++)
		json_object_array_add(a, json_object_new_uint64(s->ids[i]));
	jset(j, "services", a);
}

void ssnsctl_print_services(const struct ssnsctl_out *o,
			    const struct ssns_service_list *l)
{
	print_list(o, l->s, l->count, sizeof(*l->s), text_service,
		   json_service);
}

void ssnsctl_print_tenants(const struct ssnsctl_out *o,
			   const struct ssnsctl_tenant_view *v, size_t n)
{
	print_list(o, v, n, sizeof(*v), text_tenant, json_tenant);
}

static json_object *json_bw(const struct ssns_tenant_bw *bw)
{
	json_object *j = json_object_new_object(), *a, *el;
	size_t k;

	if (!j)
		return NULL;
	jset_u64(j, "share", bw->share);
	jset(j, "max", bw->max ? json_object_new_uint64(bw->max) : NULL);
	a = json_object_new_array();
	for (k = 0; a && k < bw->ndevs; k++) {
		const struct ssns_bw_dev *d = &bw->devs[k];

		el = json_object_new_object();
		jset_str(el, "dev", d->dev_name);
		jset_u64(el, "dev_index", d->dev_index);
		jset(el, "share",
		     d->share ? json_object_new_uint64(d->share) : NULL);
		jset(el, "max",
		     d->has_max ? json_object_new_uint64(d->max) : NULL);
		json_object_array_add(a, el);
	}
	jset(j, "devs", a);
	a = json_object_new_array();
	for (k = 0; a && k < bw->nmembers; k++) {
		const struct ssns_bw_member *m = &bw->members[k];
		bool ns = m->type == SSNS_MEMBER_NETNS;

		el = json_object_new_object();
		jset_str(el, "type", ns ? "netns" : "cgroup");
		jset_u64(el, ns ? "netns_cookie" : "cgroup_id", m->id);
		jset_u64(el, "max", m->max);
		json_object_array_add(a, el);
	}
	jset(j, "members", a);
	jset_u64(j, "throttled", bw->throttled);
	jset_u64(j, "wait_us", bw->wait_us);
	return j;
}

static int view_cmp(const void *a, const void *b)
{
	const struct ssnsctl_tenant_view *const *x = a, *const *y = b;

	return strcmp((*x)->t->name, (*y)->t->name);
}

static int view_key_cmp(const void *key, const void *el)
{
	const struct ssnsctl_tenant_view *const *v = el;

	return strcmp(key, (*v)->t->name);
}

int ssnsctl_views_init(struct ssnsctl_views *vs, const struct ssns_tenant *t,
		       size_t n)
{
	size_t i;

	vs->n = n;
	vs->byname = NULL;
	vs->v = calloc(n ? n : 1, sizeof(*vs->v));
	if (!vs->v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		vs->v[i].t = &t[i];
	if (n < 2)
		return 0;
	vs->byname = malloc(n * sizeof(*vs->byname));
	if (!vs->byname)
		return 0;	/* lookups walk */
	for (i = 0; i < n; i++)
		vs->byname[i] = &vs->v[i];
	qsort(vs->byname, n, sizeof(*vs->byname), view_cmp);
	return 0;
}

void ssnsctl_views_free(struct ssnsctl_views *vs)
{
	free(vs->byname);
	free(vs->v);
	vs->byname = NULL;
	vs->v = NULL;
	vs->n = 0;
}

struct ssnsctl_tenant_view *ssnsctl_views_find(const struct ssnsctl_views *vs,
					       const char *name)
{
	struct ssnsctl_tenant_view **v;
	size_t i;

	if (vs->byname) {
		v = bsearch(name, vs->byname, vs->n, sizeof(*vs->byname),
			    view_key_cmp);
		return v ? *v : NULL;
	}
	for (i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i].t->name, name))
			return &vs->v[i];
	return NULL;
}

void ssnsctl_views_set_bw(struct ssnsctl_views *vs,
			  const struct ssns_tenant_bw *bws, size_t nbw)
{
	struct ssnsctl_tenant_view *v;
	size_t k;

	for (k = 0; bws && k < nbw; k++) {
		v = ssnsctl_views_find(vs, bws[k].tenant);
		if (v)
			v->bw = &bws[k];
	}
}

int ssnsctl_print_tenants_bw(const struct ssnsctl_out *o,
			     const struct ssns_tenant *t, size_t n,
			     const struct ssns_tenant_bw *bws, size_t nbw)
{
	struct ssnsctl_views vs;

	if (ssnsctl_views_init(&vs, t, n))
		return -ENOMEM;
	ssnsctl_views_set_bw(&vs, bws, nbw);
	ssnsctl_print_tenants(o, vs.v, n);
	ssnsctl_views_free(&vs);
	return 0;
}

/* -------------------------------------------------------------- profiles */

static void text_profile(FILE *f, const void *el)
{
	const struct ssns_profile *p = el;

	fprintf(f, "dev %s vni %" PRIu32 " tc %s", p->dev_name, p->vni,
		or_unknown(ssns_tc_name(p->tc)));
	if (p->tenant[0])
		fprintf(f, " tenant %s", p->tenant);
	fputc('\n', f);
}

static void json_profile(json_object *j, const void *el)
{
	const struct ssns_profile *p = el;

	jset_str(j, "dev", p->dev_name);
	jset_u64(j, "dev_index", p->dev_index);
	jset_u64(j, "vni", p->vni);
	jset_str(j, "tc", or_unknown(ssns_tc_name(p->tc)));
	jset_str(j, "tenant", p->tenant[0] ? p->tenant : NULL);
}

void ssnsctl_print_profiles(const struct ssnsctl_out *o,
			    const struct ssns_profile *p, size_t n)
{
	print_list(o, p, n, sizeof(*p), text_profile, json_profile);
}

/* ------------------------------------------------------------- endpoints */

static void text_ep(FILE *f, const void *el)
{
	const struct ssns_ep *e = el;

	fprintf(f, "dev %s vni %" PRIu32 " tc %s addr %" PRIu32 " pid %"
		PRIu32 " comm ", e->dev_name, e->vni,
		or_unknown(ssns_tc_name(e->tc)), e->addr, e->owner_pid);
	safe(f, e->owner_comm[0] ? e->owner_comm : "-");
	if (e->tenant[0])
		fprintf(f, " tenant %s", e->tenant);
	if (e->has_netns_cookie)
		fprintf(f, " netns_cookie %" PRIu64, e->netns_cookie);
	fputc('\n', f);
}

static void json_ep(json_object *j, const void *el)
{
	const struct ssns_ep *e = el;

	jset_str(j, "dev", e->dev_name);
	jset_u64(j, "dev_index", e->dev_index);
	jset_u64(j, "vni", e->vni);
	jset_str(j, "tc", or_unknown(ssns_tc_name(e->tc)));
	jset_u64(j, "addr", e->addr);
	jset_u64(j, "pid", e->owner_pid);
	jset_str(j, "comm", e->owner_comm);
	jset_str(j, "tenant", e->tenant[0] ? e->tenant : NULL);
	if (e->has_netns_cookie)
		jset_u64(j, "netns_cookie", e->netns_cookie);
}

void ssnsctl_print_eps(const struct ssnsctl_out *o, const struct ssns_ep *e,
		       size_t n)
{
	print_list(o, e, n, sizeof(*e), text_ep, json_ep);
}

/* ------------------------------------------------------------ statistics */

/* The core's own counters (the ones after DENY_NOSPC are retired). */
#define CORE_STAT_LAST SSNS_STAT_DENY_NOSPC

static void text_stats(FILE *f, const struct ssns_stats *st,
		       const struct ssns_counter_list *pc,
		       const struct ssns_tenant_bw *bw)
{
	unsigned int i;
	size_t k;

	if (!st->present) {
		fputs(" no counters\n", f);
		return;
	}
	for (i = SSNS_STAT_PAD + 1; i <= CORE_STAT_LAST; i++)
		fprintf(f, " %s %" PRIu64, ssns_stat_name(i), st->v[i]);
	for (k = 0; pc && k < pc->count; k++)
		fprintf(f, " %s %" PRIu64, pc->c[k].name, pc->c[k].value);
	if (bw)
		fprintf(f, " bw_throttled %" PRIu64 " bw_wait_us %" PRIu64,
			bw->throttled, bw->wait_us);
	fputc('\n', f);
}

/* The core's counters (null when the kernel sent none). */
static json_object *json_stats(const struct ssns_stats *st)
{
	json_object *j;
	unsigned int i;

	if (!st->present)
		return NULL;
	j = json_object_new_object();
	for (i = SSNS_STAT_PAD + 1; j && i <= CORE_STAT_LAST; i++)
		jset_u64(j, ssns_stat_name(i), st->v[i]);
	return j;
}

/* A provider's counters, by its names. */
static json_object *json_counters(const struct ssns_counter_list *pc)
{
	json_object *j = json_object_new_object();
	size_t k;

	for (k = 0; j && pc && k < pc->count; k++)
		jset_u64(j, pc->c[k].name, pc->c[k].value);
	return j;
}

void ssnsctl_print_stats(const struct ssnsctl_out *o,
			 const struct ssns_dev *d,
			 struct ssns_counter_list *const *dc, size_t nd,
			 const struct ssns_tenant *t, size_t nt)
{
	/* Nothing allocated without bandwidth: it cannot fail. */
	ssnsctl_print_stats_bw(o, d, dc, nd, t, nt, NULL, 0);
}

int ssnsctl_print_stats_bw(const struct ssnsctl_out *o,
			   const struct ssns_dev *d,
			   struct ssns_counter_list *const *dc, size_t nd,
			   const struct ssns_tenant *t, size_t nt,
			   const struct ssns_tenant_bw *bws, size_t nbw)
{
	struct ssnsctl_views vs = { 0 };
	const struct ssns_tenant_bw *bw;
	json_object *j, *a, *el, *bj;
	size_t i;

	/* Views only to place the bandwidth: without it, none. */
	if (bws && nbw && ssnsctl_views_init(&vs, t, nt))
		return -ENOMEM;
	ssnsctl_views_set_bw(&vs, bws, nbw);
	if (!o->json) {
		for (i = 0; i < nd; i++) {
			fprintf(o->f, "dev %s:", d[i].name);
			text_stats(o->f, &d[i].stats, dc ? dc[i] : NULL, NULL);
		}
		for (i = 0; i < nt; i++) {
			fprintf(o->f, "tenant %s:", t[i].name);
			text_stats(o->f, &t[i].stats, NULL,
				   vs.v ? vs.v[i].bw : NULL);
		}
		ssnsctl_views_free(&vs);
		return 0;
	}
	j = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; a && i < nd; i++) {
		el = json_object_new_object();
		jset_str(el, "name", d[i].name);
		jset_u64(el, "index", d[i].index);
		jset(el, "stats", json_stats(&d[i].stats));
		jset(el, "counters", json_counters(dc ? dc[i] : NULL));
		json_object_array_add(a, el);
	}
	jset(j, "devs", a);
	a = json_object_new_array();
	for (i = 0; a && i < nt; i++) {
		el = json_object_new_object();
		jset_str(el, "name", t[i].name);
		jset(el, "stats", json_stats(&t[i].stats));
		bw = vs.v ? vs.v[i].bw : NULL;
		if (bw) {
			bj = json_object_new_object();
			jset_u64(bj, "throttled", bw->throttled);
			jset_u64(bj, "wait_us", bw->wait_us);
			jset(el, "bw", bj);
		}
		json_object_array_add(a, el);
	}
	jset(j, "tenants", a);
	jprint(o, j);
	ssnsctl_views_free(&vs);
	return 0;
}

/* ---------------------------------------------------------------- events */

static void text_event(FILE *f, const struct ssns_event *ev)
{
	const char *name = ssns_event_name(ev->cmd);

	if (name)
		fputs(name, f);
	else
		fprintf(f, "event %u", ev->cmd);
	if (ssns_event_has(ev, SSNS_ATTR_SYS_NETNS_MODE))
		fprintf(f, " netns %s",
			or_unknown(ssns_netns_mode_name(ev->netns_mode)));
	if (ssns_event_has(ev, SSNS_ATTR_DEV_NAME))
		fprintf(f, " dev %s", ev->dev_name);
	if (ssns_event_has(ev, SSNS_ATTR_DEV_INDEX))
		fprintf(f, " index %" PRIu32, ev->dev_index);
	if (ssns_event_has(ev, SSNS_ATTR_TENANT_NAME))
		fprintf(f, " tenant %s", ev->tenant);
	if (ssns_event_has(ev, SSNS_ATTR_OP))
		fprintf(f, " op %s", ev->op == SSNS_OP_DEL ? "del" : "add");
	if (ssns_event_has(ev, SSNS_ATTR_VNI_RANGES)) {
		fputs(" vni ", f);
		ssnsctl_print_ranges(f, ev->ranges, ev->nranges);
	}
	if (ssns_event_has(ev, SSNS_ATTR_MEMBERS)) {
		size_t i;

		fputs(" members", f);
		if (!ev->nmembers)
			fputs(" none", f);
		for (i = 0; i < ev->nmembers; i++) {
			const struct ssns_member *m = &ev->members[i];

			if (m->type == SSNS_MEMBER_NETNS)
				fprintf(f, " netns_cookie %" PRIu64,
					m->netns_cookie);
			else if (m->cgroup_path) {
				fputs(" cgroup ", f);
				safe(f, m->cgroup_path);
			}
			else
				fprintf(f, " cgroup_id %" PRIu64,
					m->cgroup_id);
		}
	}
	if (ssns_event_has(ev, SSNS_ATTR_VNI))
		fprintf(f, " vni %" PRIu32, ev->vni);
	if (ssns_event_has(ev, SSNS_ATTR_TC))
		fprintf(f, " tc %s", or_unknown(ssns_tc_name(ev->tc)));
	if (ssns_event_has(ev, SSNS_ATTR_EP_ADDR))
		fprintf(f, " addr %" PRIu32, ev->addr);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_PID))
		fprintf(f, " pid %" PRIu32, ev->owner_pid);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_COMM)) {
		fputs(" comm ", f);
		safe(f, ev->owner_comm);
	}
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_COOKIE))
		fprintf(f, " netns_cookie %" PRIu64, ev->netns_cookie);
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_ID))
		fprintf(f, " nsid %" PRId32, ev->netns_id);
	if (ssns_event_has(ev, SSNS_ATTR_CGROUP_ID))
		fprintf(f, " cgroup_id %" PRIu64, ev->cgroup_id);
	if (ssns_event_has(ev, SSNS_ATTR_REASON))
		fprintf(f, " reason %s",
			or_unknown(ssns_deny_reason_name(ev->reason)));
	if (ssns_event_has(ev, SSNS_ATTR_ERRNO))
		fprintf(f, " errno %s", errno_name(ev->err));
	fputc('\n', f);
	fflush(f);
}

void ssnsctl_print_event(const struct ssnsctl_out *o,
			 const struct ssns_event *ev)
{
	const char *name = ssns_event_name(ev->cmd);
	json_object *j;

	if (!o->json) {
		text_event(o->f, ev);
		return;
	}
	j = json_object_new_object();
	if (name)
		jset_str(j, "event", name);
	else
		jset_u64(j, "event", ev->cmd);
	if (ssns_event_has(ev, SSNS_ATTR_SYS_NETNS_MODE))
		jset_str(j, "netns",
			 or_unknown(ssns_netns_mode_name(ev->netns_mode)));
	if (ssns_event_has(ev, SSNS_ATTR_DEV_NAME))
		jset_str(j, "dev", ev->dev_name);
	if (ssns_event_has(ev, SSNS_ATTR_DEV_INDEX))
		jset_u64(j, "dev_index", ev->dev_index);
	if (ssns_event_has(ev, SSNS_ATTR_TENANT_NAME))
		jset_str(j, "tenant", ev->tenant);
	if (ssns_event_has(ev, SSNS_ATTR_OP))
		jset_str(j, "op", ev->op == SSNS_OP_DEL ? "del" : "add");
	if (ssns_event_has(ev, SSNS_ATTR_VNI_RANGES))
		jset(j, "vni_ranges", json_ranges(ev->ranges, ev->nranges));
	if (ssns_event_has(ev, SSNS_ATTR_MEMBERS))
		jset(j, "members", json_members(ev->members, ev->nmembers));
	if (ssns_event_has(ev, SSNS_ATTR_VNI))
		jset_u64(j, "vni", ev->vni);
	if (ssns_event_has(ev, SSNS_ATTR_TC))
		jset_str(j, "tc", or_unknown(ssns_tc_name(ev->tc)));
	if (ssns_event_has(ev, SSNS_ATTR_EP_ADDR))
		jset_u64(j, "addr", ev->addr);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_PID))
		jset_u64(j, "pid", ev->owner_pid);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_COMM))
		jset_str(j, "comm", ev->owner_comm);
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_COOKIE))
		jset_u64(j, "netns_cookie", ev->netns_cookie);
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_ID))
		jset_i64(j, "nsid", ev->netns_id);
	if (ssns_event_has(ev, SSNS_ATTR_CGROUP_ID))
		jset_u64(j, "cgroup_id", ev->cgroup_id);
	if (ssns_event_has(ev, SSNS_ATTR_REASON))
		jset_str(j, "reason",
			 or_unknown(ssns_deny_reason_name(ev->reason)));
	if (ssns_event_has(ev, SSNS_ATTR_ERRNO))
		jset_str(j, "errno", errno_name(ev->err));
	jprint(o, j);
}
