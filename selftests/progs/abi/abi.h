/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The outcome of a call as the ABI's tables predict it, for the fuzzers.
 *
 * A table (ssns_sim_abi.c for /dev/cxiN, ssns_nl_abi.c for the netlink
 * family) lists, for each call, the rules of its documentation in the
 * order the documentation gives: each rule is a kind of violation and the
 * errno(s) that report it. The caller tells what it knows of the state of
 * the kernel; the rules are then evaluated with three values, yes, no and
 * maybe (state the caller does not know), stage by stage:
 *
 *  - a rule that surely applies (yes) decides: the call must fail, with
 *    the errno of that rule or of a rule of the same stage or of an earlier
 *    one that may apply;
 *  - a rule that may apply adds its errno(s) to those allowed and the
 *    evaluation goes on;
 *  - when no rule decided, success is allowed too.
 *
 * Rules of one stage are unordered (the documentation does not say which
 * is checked first); stages are ordered. A rule may also stand for a
 * success that comes before later rules (a message dropped by the fabric):
 * its errno is 0.
 */
#ifndef SSNS_ABI_H
#define SSNS_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* What is known of a condition. */
enum abi_tri {
	ABI_NO,
	ABI_YES,
	ABI_MAYBE,
};

static inline enum abi_tri abi_tri(bool b)
{
	return b ? ABI_YES : ABI_NO;
}

/* Both hold: no if either surely does not, yes if both surely do. */
static inline enum abi_tri abi_and(enum abi_tri a, enum abi_tri b)
{
	if (a == ABI_NO || b == ABI_NO)
		return ABI_NO;
	return a == ABI_YES && b == ABI_YES ? ABI_YES : ABI_MAYBE;
}

static inline enum abi_tri abi_not(enum abi_tri a)
{
	return a == ABI_MAYBE ? ABI_MAYBE : abi_tri(a == ABI_NO);
}

#define ABI_ERRNO_MAX	256	/* errnos the ABIs use are below */

/* What a call may return: success and/or some errnos. */
struct abi_outcome {
	bool any;		/* not the table's to judge: anything goes */
	bool ok;
	uint64_t err[ABI_ERRNO_MAX / 64];
	char why[192];		/* the rule that decided, when one did */
};

/* An evaluation in progress. */
struct abi_eval {
	struct abi_outcome *o;
	bool decided;		/* an earlier stage had a rule that applies */
	bool hit;		/* this stage has one */
};

void abi_begin(struct abi_eval *e, struct abi_outcome *o);
/*
 * A rule of the current stage: when it applies (@t yes) or may (maybe),
 * the call fails with one of @errs (@n of them; 0 stands for success).
 * @why names the rule (printf format).
 */
void abi_rule(struct abi_eval *e, enum abi_tri t, const int *errs,
	      unsigned int n, const char *why, ...)
	__attribute__((format(printf, 5, 6)));
/* The same with one errno. */
void abi_rule1(struct abi_eval *e, enum abi_tri t, int err, const char *why,
	       ...) __attribute__((format(printf, 4, 5)));
/* End of a stage: later rules count only if none of this one applied. */
void abi_stage(struct abi_eval *e);
/* End of the evaluation: success is allowed unless a rule decided. */
void abi_end(struct abi_eval *e);

/* Does the outcome allow @err (0: success)? */
bool abi_allows(const struct abi_outcome *o, int err);
/* How many outcomes it allows (success counts one); 0 for any. */
unsigned int abi_count(const struct abi_outcome *o);
/* "ok|EAGAIN|ETIMEDOUT": what is allowed, in @buf. */
const char *abi_outcome_str(const struct abi_outcome *o, char *buf,
			    size_t len);
/* "EINVAL", "ok" for 0, "E1234" for what has no name. Not reentrant. */
const char *abi_errname(int err);

#endif /* SSNS_ABI_H */
