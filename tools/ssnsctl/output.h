/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssnsctl output: text and JSON printers of library objects, writing to a
 * FILE*, with no kernel contact (unit-tested on sample objects).
 */
#ifndef SSNSCTL_OUTPUT_H
#define SSNSCTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "libssns.h"

struct ssnsctl_out {
	FILE *f;
	bool json;
	bool pretty;
};

/* "100-199,300", or "none" when n is 0. */
void ssnsctl_print_ranges(FILE *f, const struct ssns_vni_range *r, size_t n);

void ssnsctl_print_system(const struct ssnsctl_out *o,
			  const struct ssns_system *s);
void ssnsctl_print_devs(const struct ssnsctl_out *o,
			const struct ssns_dev *d, size_t n);
/* A tenant as shown: its entry and, when it could be read, where it stands. */
struct ssnsctl_tenant_view {
	const struct ssns_tenant *t;
	struct ssns_tenant_ext ext;
	bool has_ext;
	const struct ssns_tenant_bw *bw;	/* NULL: none read */
};

void ssnsctl_print_tenants(const struct ssnsctl_out *o,
			   const struct ssnsctl_tenant_view *v, size_t n);
void ssnsctl_print_profiles(const struct ssnsctl_out *o,
			    const struct ssns_profile *p, size_t n);
void ssnsctl_print_eps(const struct ssnsctl_out *o, const struct ssns_ep *e,
		       size_t n);
/*
 * Counters of devices and tenants; either list may be empty. @dc: the
 * providers' counters of each device (an entry, or dc, may be NULL).
 */
void ssnsctl_print_stats(const struct ssnsctl_out *o,
			 const struct ssns_dev *d,
			 struct ssns_counter_list *const *dc, size_t nd,
			 const struct ssns_tenant *t, size_t nt);
/*
 * Tenants with their bandwidth (@bws: each tenant's, found by name; NULL
 * for none); statistics with the tenants' shaping counters. Both: 0, or
 * -ENOMEM with nothing printed.
 */
int ssnsctl_print_tenants_bw(const struct ssnsctl_out *o,
			     const struct ssns_tenant *t, size_t n,
			     const struct ssns_tenant_bw *bws, size_t nbw);
int ssnsctl_print_stats_bw(const struct ssnsctl_out *o,
			   const struct ssns_dev *d,
			   struct ssns_counter_list *const *dc, size_t nd,
			   const struct ssns_tenant *t, size_t nt,
			   const struct ssns_tenant_bw *bws, size_t nbw);

/* Bandwidth (bw.c): lines of `tenant show`, the "bw" member of its JSON. */
void ssnsctl_text_bw(FILE *f, const struct ssns_tenant_bw *bw);

/*
 * The views of a tenant dump, to print with ssnsctl_print_tenants(), and
 * an index of them by name to place what other dumps say of each tenant
 * (bandwidth, delegation) in O(log n). Without memory for the index a
 * lookup walks the views.
 */
struct ssnsctl_views {
	struct ssnsctl_tenant_view *v;		/* in the dump's order */
	struct ssnsctl_tenant_view **byname;	/* sorted, or NULL */
	size_t n;
};

/* 0, or -ENOMEM (nothing to free). */
int ssnsctl_views_init(struct ssnsctl_views *vs, const struct ssns_tenant *t,
		       size_t n);
void ssnsctl_views_free(struct ssnsctl_views *vs);
struct ssnsctl_tenant_view *ssnsctl_views_find(const struct ssnsctl_views *vs,
					       const char *name);
/* Give each view its entry of a bandwidth dump (NULL: none). */
void ssnsctl_views_set_bw(struct ssnsctl_views *vs,
			  const struct ssns_tenant_bw *bws, size_t nbw);

/*
 * The services serving a tenant's netns members: "netns_cookie N [nsid
 * N] dev DEV services ID,ID", one line a (member, device).
 */
void ssnsctl_print_services(const struct ssnsctl_out *o,
			    const struct ssns_service_list *l);
/* One monitor event: one line of text, or one JSON document. */
void ssnsctl_print_event(const struct ssnsctl_out *o,
			 const struct ssns_event *ev);

#endif /* SSNSCTL_OUTPUT_H */
