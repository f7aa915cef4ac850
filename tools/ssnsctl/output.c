// SPDX-License-Identifier: GPL-2.0
/* Text and JSON printers. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
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

static void json_ranges(struct jw *w, const char *key,
			const struct ssns_vni_range *r, size_t n)
{
	size_t i;

	jw_arr_open(w, key);
	for (i = 0; i < n; i++) {
		jw_obj_open(w, NULL);
		jw_u64(w, "first", r[i].first);
		jw_u64(w, "last", r[i].last);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static struct jw *jopen(const struct ssnsctl_out *o)
{
	return jw_new(o->f, o->pretty);
}

/* ---------------------------------------------------------------- system */

void ssnsctl_print_system(const struct ssnsctl_out *o,
			  const struct ssns_system *s)
{
	const char *mode = or_unknown(ssns_netns_mode_name(s->netns_mode));
	struct jw *w;

	if (!o->json) {
		fprintf(o->f, "netns %s cgroup_accounting %s", mode,
			s->cgroup_acct ? "on" : "off");
		if (s->version[0])
			fprintf(o->f, " version %s", s->version);
		fputc('\n', o->f);
		return;
	}
	w = jopen(o);
	if (!w)
		return;
	jw_obj_open(w, NULL);
	jw_str(w, "netns", mode);
	jw_bool(w, "cgroup_accounting", s->cgroup_acct);
	jw_str(w, "version", s->version[0] ? s->version : NULL);
	jw_obj_close(w);
	jw_free(w);
}

/*
 * A list of n objects of elsz bytes at arr: a line of text (or more) for
 * each, or a JSON array with an object for each. text and json print the
 * object at el, json between the braces of its object.
 */
static void print_list(const struct ssnsctl_out *o, const void *arr,
		       size_t n, size_t elsz,
		       void (*text)(FILE *f, const void *el),
		       void (*json)(struct jw *w, const void *el))
{
	const char *el = arr;
	struct jw *w;
	size_t i;

	if (!o->json) {
		for (i = 0; i < n; i++)
			text(o->f, el + i * elsz);
		return;
	}
	w = jopen(o);
	if (!w)
		return;
	jw_arr_open(w, NULL);
	for (i = 0; i < n; i++) {
		jw_obj_open(w, NULL);
		json(w, el + i * elsz);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_free(w);
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

static void json_dev(struct jw *w, const void *el)
{
	const struct ssns_dev *d = el;

	jw_u64(w, "index", d->index);
	jw_str(w, "name", d->name);
	jw_str(w, "provider", d->provider[0] ? d->provider : NULL);
	jw_str(w, "chardev", d->chardev[0] ? d->chardev : NULL);
	if (d->has_netns_cookie)
		jw_u64(w, "netns_cookie", d->netns_cookie);
	if (d->has_netns_id)
		jw_i64(w, "nsid", d->netns_id);
	jw_bool(w, "rdmacg", d->cgroup_acct);
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

static void json_member(struct jw *w, const struct ssns_member *m)
{
	jw_obj_open(w, NULL);
	if (m->type == SSNS_MEMBER_NETNS) {
		jw_str(w, "type", "netns");
		jw_u64(w, "netns_cookie", m->netns_cookie);
		if (m->has_netns_id)
			jw_i64(w, "nsid", m->netns_id);
	} else {
		jw_str(w, "type", "cgroup");
		jw_str(w, "path", m->cgroup_path);
		jw_u64(w, "cgroup_id", m->cgroup_id);
	}
	jw_obj_close(w);
}

static void text_tenant(FILE *f, const void *el)
{
	const struct ssns_tenant *t = el;
	size_t k;

	fprintf(f, "%s: vni ", t->name);
	ssnsctl_print_ranges(f, t->ranges, t->nranges);
	fputc('\n', f);
	for (k = 0; k < t->nmembers; k++)
		text_member(f, &t->members[k]);
}

static void json_tenant(struct jw *w, const void *el)
{
	const struct ssns_tenant *t = el;
	size_t k;

	jw_str(w, "name", t->name);
	json_ranges(w, "vni", t->ranges, t->nranges);
	jw_arr_open(w, "members");
	for (k = 0; k < t->nmembers; k++)
		json_member(w, &t->members[k]);
	jw_arr_close(w);
}

void ssnsctl_print_tenants(const struct ssnsctl_out *o,
			   const struct ssns_tenant *t, size_t n)
{
	print_list(o, t, n, sizeof(*t), text_tenant, json_tenant);
}

/* A tenant and its bandwidth, for print_list(). */
struct tenant_bw_row {
	const struct ssns_tenant *t;
	const struct ssns_tenant_bw *bw;
};

static void text_tenant_bw(FILE *f, const void *el)
{
	const struct tenant_bw_row *r = el;

	text_tenant(f, r->t);
	ssnsctl_text_bw(f, r->bw);
}

static void json_tenant_bw(struct jw *w, const void *el)
{
	const struct tenant_bw_row *r = el;

	json_tenant(w, r->t);
	ssnsctl_json_bw(w, r->bw);
}

void ssnsctl_print_tenants_bw(const struct ssnsctl_out *o,
			      const struct ssns_tenant *t, size_t n,
			      const struct ssns_tenant_bw *bws, size_t nbw)
{
	struct tenant_bw_row *rows = calloc(n ? n : 1, sizeof(*rows));
	size_t i;

	if (!rows) {
		ssnsctl_print_tenants(o, t, n);
		return;
	}
	for (i = 0; i < n; i++) {
		rows[i].t = &t[i];
		rows[i].bw = ssnsctl_find_bw(bws, nbw, t[i].name);
	}
	print_list(o, rows, n, sizeof(*rows), text_tenant_bw, json_tenant_bw);
	free(rows);
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

static void json_profile(struct jw *w, const void *el)
{
	const struct ssns_profile *p = el;

	jw_str(w, "dev", p->dev_name);
	jw_u64(w, "dev_index", p->dev_index);
	jw_u64(w, "vni", p->vni);
	jw_str(w, "tc", or_unknown(ssns_tc_name(p->tc)));
	jw_str(w, "tenant", p->tenant[0] ? p->tenant : NULL);
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

static void json_ep(struct jw *w, const void *el)
{
	const struct ssns_ep *e = el;

	jw_str(w, "dev", e->dev_name);
	jw_u64(w, "dev_index", e->dev_index);
	jw_u64(w, "vni", e->vni);
	jw_str(w, "tc", or_unknown(ssns_tc_name(e->tc)));
	jw_u64(w, "addr", e->addr);
	jw_u64(w, "pid", e->owner_pid);
	jw_str(w, "comm", e->owner_comm);
	jw_str(w, "tenant", e->tenant[0] ? e->tenant : NULL);
	if (e->has_netns_cookie)
		jw_u64(w, "netns_cookie", e->netns_cookie);
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

static void json_stats(struct jw *w, const struct ssns_stats *st)
{
	unsigned int i;

	if (!st->present) {
		jw_null(w, "stats");
		return;
	}
	jw_obj_open(w, "stats");
	for (i = SSNS_STAT_PAD + 1; i <= CORE_STAT_LAST; i++)
		jw_u64(w, ssns_stat_name(i), st->v[i]);
	jw_obj_close(w);
}

/* A provider's counters, by its names. */
static void json_counters(struct jw *w, const struct ssns_counter_list *pc)
{
	size_t k;

	jw_obj_open(w, "counters");
	for (k = 0; pc && k < pc->count; k++)
		jw_u64(w, pc->c[k].name, pc->c[k].value);
	jw_obj_close(w);
}

void ssnsctl_print_stats(const struct ssnsctl_out *o,
			 const struct ssns_dev *d,
			 struct ssns_counter_list *const *dc, size_t nd,
			 const struct ssns_tenant *t, size_t nt)
{
	ssnsctl_print_stats_bw(o, d, dc, nd, t, nt, NULL, 0);
}

void ssnsctl_print_stats_bw(const struct ssnsctl_out *o,
			    const struct ssns_dev *d,
			    struct ssns_counter_list *const *dc, size_t nd,
			    const struct ssns_tenant *t, size_t nt,
			    const struct ssns_tenant_bw *bws, size_t nbw)
{
	const struct ssns_tenant_bw *bw;
	struct jw *w;
	size_t i;

	if (!o->json) {
		for (i = 0; i < nd; i++) {
			fprintf(o->f, "dev %s:", d[i].name);
			text_stats(o->f, &d[i].stats, dc ? dc[i] : NULL, NULL);
		}
		for (i = 0; i < nt; i++) {
			fprintf(o->f, "tenant %s:", t[i].name);
			text_stats(o->f, &t[i].stats, NULL,
				   ssnsctl_find_bw(bws, nbw, t[i].name));
		}
		return;
	}
	w = jopen(o);
	if (!w)
		return;
	jw_obj_open(w, NULL);
	jw_arr_open(w, "devs");
	for (i = 0; i < nd; i++) {
		jw_obj_open(w, NULL);
		jw_str(w, "name", d[i].name);
		jw_u64(w, "index", d[i].index);
		json_stats(w, &d[i].stats);
		json_counters(w, dc ? dc[i] : NULL);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_arr_open(w, "tenants");
	for (i = 0; i < nt; i++) {
		jw_obj_open(w, NULL);
		jw_str(w, "name", t[i].name);
		json_stats(w, &t[i].stats);
		bw = ssnsctl_find_bw(bws, nbw, t[i].name);
		if (bw) {
			jw_obj_open(w, "bw");
			jw_u64(w, "throttled", bw->throttled);
			jw_u64(w, "wait_us", bw->wait_us);
			jw_obj_close(w);
		}
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	jw_free(w);
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
	struct jw *w;

	if (!o->json) {
		text_event(o->f, ev);
		return;
	}
	w = jopen(o);
	if (!w)
		return;
	jw_obj_open(w, NULL);
	if (name)
		jw_str(w, "event", name);
	else
		jw_u64(w, "event", ev->cmd);
	if (ssns_event_has(ev, SSNS_ATTR_SYS_NETNS_MODE))
		jw_str(w, "netns",
		       or_unknown(ssns_netns_mode_name(ev->netns_mode)));
	if (ssns_event_has(ev, SSNS_ATTR_DEV_NAME))
		jw_str(w, "dev", ev->dev_name);
	if (ssns_event_has(ev, SSNS_ATTR_DEV_INDEX))
		jw_u64(w, "dev_index", ev->dev_index);
	if (ssns_event_has(ev, SSNS_ATTR_TENANT_NAME))
		jw_str(w, "tenant", ev->tenant);
	if (ssns_event_has(ev, SSNS_ATTR_OP))
		jw_str(w, "op", ev->op == SSNS_OP_DEL ? "del" : "add");
	if (ssns_event_has(ev, SSNS_ATTR_VNI_RANGES))
		json_ranges(w, "vni_ranges", ev->ranges, ev->nranges);
	if (ssns_event_has(ev, SSNS_ATTR_MEMBERS)) {
		size_t i;

		jw_arr_open(w, "members");
		for (i = 0; i < ev->nmembers; i++)
			json_member(w, &ev->members[i]);
		jw_arr_close(w);
	}
	if (ssns_event_has(ev, SSNS_ATTR_VNI))
		jw_u64(w, "vni", ev->vni);
	if (ssns_event_has(ev, SSNS_ATTR_TC))
		jw_str(w, "tc", or_unknown(ssns_tc_name(ev->tc)));
	if (ssns_event_has(ev, SSNS_ATTR_EP_ADDR))
		jw_u64(w, "addr", ev->addr);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_PID))
		jw_u64(w, "pid", ev->owner_pid);
	if (ssns_event_has(ev, SSNS_ATTR_OWNER_COMM))
		jw_str(w, "comm", ev->owner_comm);
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_COOKIE))
		jw_u64(w, "netns_cookie", ev->netns_cookie);
	if (ssns_event_has(ev, SSNS_ATTR_NETNS_ID))
		jw_i64(w, "nsid", ev->netns_id);
	if (ssns_event_has(ev, SSNS_ATTR_CGROUP_ID))
		jw_u64(w, "cgroup_id", ev->cgroup_id);
	if (ssns_event_has(ev, SSNS_ATTR_REASON))
		jw_str(w, "reason",
		       or_unknown(ssns_deny_reason_name(ev->reason)));
	if (ssns_event_has(ev, SSNS_ATTR_ERRNO))
		jw_str(w, "errno", errno_name(ev->err));
	jw_obj_close(w);
	jw_free(w);
}
