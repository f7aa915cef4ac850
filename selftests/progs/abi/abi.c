// SPDX-License-Identifier: GPL-2.0
/*
 * Evaluation of the rules of an ABI table: see abi.h.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"

void abi_begin(struct abi_eval *e, struct abi_outcome *o)
{
	memset(o, 0, sizeof(*o));
	*e = (struct abi_eval){ .o = o };
}

static void add(struct abi_outcome *o, int err)
{
	if (!err)
		o->ok = true;
	else if (err > 0 && err < ABI_ERRNO_MAX)
		o->err[err / 64] |= 1ULL << (err % 64);
}

static void rule(struct abi_eval *e, enum abi_tri t, const int *errs,
		 unsigned int n, const char *why, va_list ap)
{
	unsigned int i;

	if (e->decided || t == ABI_NO)
		return;
	for (i = 0; i < n; i++)
		add(e->o, errs[i]);
	if (t == ABI_YES && !e->hit) {
		e->hit = true;
		vsnprintf(e->o->why, sizeof(e->o->why), why, ap);
	}
}

void abi_rule(struct abi_eval *e, enum abi_tri t, const int *errs,
	      unsigned int n, const char *why, ...)
{
	va_list ap;

	va_start(ap, why);
	rule(e, t, errs, n, why, ap);
	va_end(ap);
}

void abi_rule1(struct abi_eval *e, enum abi_tri t, int err, const char *why,
	       ...)
{
	va_list ap;

	va_start(ap, why);
	rule(e, t, &err, 1, why, ap);
	va_end(ap);
}

void abi_stage(struct abi_eval *e)
{
	if (e->hit)
		e->decided = true;
}

void abi_end(struct abi_eval *e)
{
	abi_stage(e);
	if (!e->decided)
		e->o->ok = true;
}

bool abi_allows(const struct abi_outcome *o, int err)
{
	if (o->any)
		return true;
	if (!err)
		return o->ok;
	if (err < 0 || err >= ABI_ERRNO_MAX)
		return false;
	return o->err[err / 64] & (1ULL << (err % 64));
}

unsigned int abi_count(const struct abi_outcome *o)
{
	unsigned int n = o->ok, i;

	if (o->any)
		return 0;
	for (i = 0; i < ARRAY_SIZE(o->err); i++)
		n += (unsigned int)__builtin_popcountll(o->err[i]);
	return n;
}

const char *abi_errname(int err)
{
	static char buf[16];
	const char *n;

	if (!err)
		return "ok";
	n = err > 0 ? strerrorname_np(err) : NULL;
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

const char *abi_outcome_str(const struct abi_outcome *o, char *buf,
			    size_t len)
{
	size_t n = 0;
	int e;

	buf[0] = '\0';
	if (o->any)
		return snprintf(buf, len, "anything"), buf;
	if (o->ok)
		n += snprintf(buf, len, "ok");
	for (e = 1; e < ABI_ERRNO_MAX && n < len; e++)
		if (abi_allows(o, e))
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      abi_errname(e));
	if (!n)
		snprintf(buf, len, "nothing");
	return buf;
}
