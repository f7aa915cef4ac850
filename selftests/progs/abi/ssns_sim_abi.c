// SPDX-License-Identifier: GPL-2.0
/*
 * The char-device ABI of ssns_sim as a table, written from the comments of
 * uapi/linux/ssns_sim.h and from docs/ssns_sim.md ("Char-device ABI",
 * "Order of checks"): nothing here is taken from the module's code.
 *
 * Every call is checked in stages:
 *
 *  1. a revoked file fails every call with ENODEV;
 *  2. the size field: unreadable EFAULT, below the first version EINVAL,
 *     above a page E2BIG; the rest of the structure unreadable EFAULT (or
 *     E2BIG when a byte the module does not know is set before the hole);
 *     a byte beyond the structure this ABI knows set E2BIG. Bytes beyond
 *     the caller's size read as zero;
 *  3. then the ioctl's rules below, by stage: reserved fields and flags,
 *     values, user memory ranges, the endpoint handle, then the state of
 *     the endpoints; last, writing the structure back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/ssns.h>

#include "ssns_sim_abi.h"

/* Where user memory ends on 64-bit Linux: at 2^47 - 4096 at least. */
#define USER_END_MIN	0x7ffffffff000ULL
#define USER_END_MAX	(1ULL << 63)

const struct sim_ioc_desc sim_iocs[SIM_NR_IOC] = {
	[SIM_INFO] = { "INFO", SSNS_SIM_IOC_INFO,
		       sizeof(struct ssns_sim_info), SSNS_SIM_INFO_SIZE_VER0 },
	[SIM_EP_ALLOC] = { "EP_ALLOC", SSNS_SIM_IOC_EP_ALLOC,
			   sizeof(struct ssns_sim_ep_alloc),
			   SSNS_SIM_EP_ALLOC_SIZE_VER0 },
	[SIM_EP_FREE] = { "EP_FREE", SSNS_SIM_IOC_EP_FREE,
			  sizeof(struct ssns_sim_ep_free),
			  SSNS_SIM_EP_FREE_SIZE_VER0 },
	[SIM_SEND] = { "SEND", SSNS_SIM_IOC_SEND,
		       sizeof(struct ssns_sim_send), SSNS_SIM_SEND_SIZE_VER0 },
	[SIM_RECV] = { "RECV", SSNS_SIM_IOC_RECV,
		       sizeof(struct ssns_sim_recv), SSNS_SIM_RECV_SIZE_VER0 },
	[SIM_WINDOW] = { "WINDOW", SSNS_SIM_IOC_WINDOW,
			 sizeof(struct ssns_sim_window),
			 SSNS_SIM_WINDOW_SIZE_VER0 },
	[SIM_WRITE] = { "WRITE", SSNS_SIM_IOC_WRITE,
			sizeof(struct ssns_sim_write),
			SSNS_SIM_WRITE_SIZE_VER0 },
};

/* ---- the rules ------------------------------------------------------- */

/* Stages of an ioctl's own rules, in the documented order. */
enum stage {
	ST_RESERVED = 1,	/* reserved fields and flags: EINVAL */
	ST_VALUES,		/* values out of their range */
	ST_USER,		/* memory ranges outside user memory: EFAULT */
	ST_HANDLE,		/* the endpoint: EBADF */
	ST_STATE,		/* the state, in the documented order */
	ST_STATE2,
	ST_STATE3,
	ST_STATE4,
	ST_OUT,			/* the structure written back: EFAULT */
};

enum kind {
	R_ZERO,		/* the field is zero */
	R_MASK,		/* the field has no bit outside `a` */
	R_RANGE,	/* a <= field <= b */
	R_ADDR,		/* SSNS_PID_ANY, or at most the device's max_addr */
	R_PAIR,		/* the field and field `g` are both zero or both not */
	R_USER,		/* [field, field + field `g`) is user memory */
	R_FACT,		/* fact `fact` holds */
	R_NOT_FACT,	/* fact `fact` does not hold */
	R_OUT,		/* the structure can be written back */
};

/* A rule counts only when its guard holds (G_ALWAYS: always). */
enum guard {
	G_ALWAYS,
	G_NONZERO,	/* field `gf` is not zero */
	G_ZERO,		/* field `gf` is zero */
	G_SET,		/* field `gf` has bits `ga` */
	G_CLEAR,	/* field `gf` has none of bits `ga` */
	G_BELOW,	/* field `gf` is below `ga` */
};

struct field {
	uint16_t off, size;
};

#define FLD(T, m)	{ offsetof(T, m), sizeof(((T *)0)->m) }
#define NO_FLD		{ 0, 0 }
#define MAX_ERRS	6

struct rule {
	enum stage stage;
	enum kind kind;
	struct field f, g;
	uint64_t a, b;
	enum sim_fact fact;
	enum guard guard;
	struct field gf;
	uint64_t ga;
	int errs[MAX_ERRS];	/* 0-terminated, but {0} alone is success */
	unsigned int nerrs;
	const char *what;	/* for the violation report */
};

#define ERRS(...)	.errs = { __VA_ARGS__ }, \
			.nerrs = sizeof((int[]){ __VA_ARGS__ }) / sizeof(int)

/* Rules of the endpoint handle (every ioctl that takes one). */
#define HANDLE_RULES(T)							\
	{ ST_HANDLE, R_RANGE, FLD(T, handle), NO_FLD, 1, UINT32_MAX,	\
	  .what = "handle 0 (handles start at 1)", ERRS(EBADF) },	\
	{ ST_HANDLE, R_FACT, .fact = SF_BAD_HANDLE,			\
	  .what = "handle of no endpoint of the file", ERRS(EBADF) }

#define OUT_RULE							\
	{ ST_OUT, R_OUT, .what = "structure not writable", ERRS(EFAULT) }

typedef struct ssns_sim_info info_t;
typedef struct ssns_sim_ep_alloc alloc_t;
typedef struct ssns_sim_ep_free free_t;
typedef struct ssns_sim_send send_t;
typedef struct ssns_sim_recv recv_t;
typedef struct ssns_sim_window window_t;
typedef struct ssns_sim_write write_t;

static const struct rule info_rules[] = {
	{ ST_RESERVED, R_ZERO, FLD(info_t, reserved),
	  .what = "reserved field set", ERRS(EINVAL) },
	OUT_RULE,
};

static const struct rule alloc_rules[] = {
	{ ST_RESERVED, R_ZERO, FLD(alloc_t, reserved),
	  .what = "reserved field set", ERRS(EINVAL) },
	{ ST_VALUES, R_RANGE, FLD(alloc_t, vni), NO_FLD, SSNS_VNI_MIN,
	  SSNS_VNI_MAX, .what = "VNI out of 1..65535", ERRS(EINVAL) },
	{ ST_VALUES, R_RANGE, FLD(alloc_t, tc), NO_FLD, 0, SSNS_TC_MAX,
	  .what = "no such traffic class", ERRS(EINVAL) },
	{ ST_VALUES, R_ADDR, FLD(alloc_t, addr),
	  .what = "address above max_addr", ERRS(EINVAL) },
	{ ST_STATE, R_FACT, .fact = SF_NOMEM, .what = "out of memory",
	  ERRS(ENOMEM) },
	{ ST_STATE, R_FACT, .fact = SF_ADMISSION,
	  .what = "refused by the core's admission",
	  ERRS(ENODEV, ENOENT, EACCES, EAGAIN, EADDRINUSE, ENOSPC) },
	OUT_RULE,
};

static const struct rule free_rules[] = {
	HANDLE_RULES(free_t),
};

static const struct rule send_rules[] = {
	{ ST_RESERVED, R_MASK, FLD(send_t, flags), NO_FLD,
	  SSNS_SIM_SEND_WAIT, .what = "unknown flags", ERRS(EINVAL) },
	{ ST_VALUES, R_RANGE, FLD(send_t, len), NO_FLD, 0, SSNS_SIM_MSG_MAX,
	  .what = "len above SSNS_SIM_MSG_MAX", ERRS(EMSGSIZE) },
	HANDLE_RULES(send_t),
	/* held back: EAGAIN, or with SSNS_SIM_SEND_WAIT a wait (EINTR) */
	{ ST_STATE, R_FACT, .fact = SF_SHAPED,
	  .what = "held back by the shaper", ERRS(EAGAIN, EINTR) },
	{ ST_STATE, R_FACT, .fact = SF_NOMEM, .what = "out of memory",
	  ERRS(ENOMEM) },
	{ ST_STATE, R_FACT, .fact = SF_SRC_FAULT, .guard = G_NONZERO,
	  .gf = FLD(send_t, len), .what = "buf cannot be read",
	  ERRS(EFAULT) },
	{ ST_STATE2, R_FACT, .fact = SF_QUEUE_FULL,
	  .what = "the receive queue is full", ERRS(EAGAIN) },
};

static const struct rule recv_rules[] = {
	{ ST_RESERVED, R_MASK, FLD(recv_t, flags), NO_FLD,
	  SSNS_SIM_RECV_NONBLOCK, .what = "unknown flags", ERRS(EINVAL) },
	{ ST_RESERVED, R_ZERO, FLD(recv_t, reserved),
	  .what = "reserved field set", ERRS(EINVAL) },
	HANDLE_RULES(recv_t),
	{ ST_STATE, R_FACT, .fact = SF_EMPTY, .guard = G_SET,
	  .gf = FLD(recv_t, flags), .ga = SSNS_SIM_RECV_NONBLOCK,
	  .what = "nothing queued", ERRS(EAGAIN) },
	{ ST_STATE, R_FACT, .fact = SF_EMPTY, .guard = G_CLEAR,
	  .gf = FLD(recv_t, flags), .ga = SSNS_SIM_RECV_NONBLOCK,
	  .what = "nothing within timeout_ms", ERRS(ETIMEDOUT) },
	{ ST_STATE, R_FACT, .fact = SF_SIGNAL, .what = "a signal",
	  ERRS(EINTR) },
	{ ST_STATE2, R_FACT, .fact = SF_MSG_LONGER, .guard = G_BELOW,
	  .gf = FLD(recv_t, len), .ga = SSNS_SIM_MSG_MAX,
	  .what = "the message is longer than len", ERRS(EMSGSIZE) },
	{ ST_STATE2, R_FACT, .fact = SF_DST_FAULT,
	  .what = "buf cannot take the message", ERRS(EFAULT) },
	OUT_RULE,
};

static const struct rule window_rules[] = {
	{ ST_RESERVED, R_MASK, FLD(window_t, flags), NO_FLD,
	  SSNS_SIM_WINDOW_KEEP, .what = "unknown flags", ERRS(EINVAL) },
	{ ST_RESERVED, R_ZERO, FLD(window_t, reserved),
	  .what = "reserved field set", ERRS(EINVAL) },
	{ ST_VALUES, R_PAIR, FLD(window_t, addr), FLD(window_t, len),
	  .what = "one of addr and len zero", ERRS(EINVAL) },
	{ ST_VALUES, R_RANGE, FLD(window_t, len), NO_FLD, 0,
	  SSNS_SIM_WINDOW_MAX, .what = "len above SSNS_SIM_WINDOW_MAX",
	  ERRS(EINVAL) },
	{ ST_USER, R_USER, FLD(window_t, addr), FLD(window_t, len),
	  .guard = G_NONZERO, .gf = FLD(window_t, len),
	  .what = "not user memory", ERRS(EFAULT) },
	HANDLE_RULES(window_t),
	{ ST_STATE, R_FACT, .fact = SF_HAS_WINDOW, .guard = G_NONZERO,
	  .gf = FLD(window_t, len), .what = "a window already",
	  ERRS(EBUSY) },
	{ ST_STATE2, R_FACT, .fact = SF_MEMLOCK, .guard = G_NONZERO,
	  .gf = FLD(window_t, len), .what = "over RLIMIT_MEMLOCK",
	  ERRS(ENOMEM) },
	{ ST_STATE2, R_FACT, .fact = SF_NOMEM, .guard = G_NONZERO,
	  .gf = FLD(window_t, len), .what = "out of memory", ERRS(ENOMEM) },
	{ ST_STATE2, R_FACT, .fact = SF_PIN_FAULT, .guard = G_NONZERO,
	  .gf = FLD(window_t, len), .what = "memory that cannot be pinned",
	  ERRS(EFAULT) },
	{ ST_STATE2, R_NOT_FACT, .fact = SF_HAS_WINDOW, .guard = G_ZERO,
	  .gf = FLD(window_t, len), .what = "no window to remove",
	  ERRS(ENOENT) },
};

static const struct rule write_rules[] = {
	{ ST_RESERVED, R_MASK, FLD(write_t, flags), NO_FLD,
	  SSNS_SIM_SEND_WAIT, .what = "unknown flags", ERRS(EINVAL) },
	{ ST_VALUES, R_RANGE, FLD(write_t, len), NO_FLD, 0, SSNS_SIM_MSG_MAX,
	  .what = "len above SSNS_SIM_MSG_MAX", ERRS(EMSGSIZE) },
	{ ST_USER, R_USER, FLD(write_t, buf), FLD(write_t, len),
	  .what = "buf not user memory", ERRS(EFAULT) },
	HANDLE_RULES(write_t),
	{ ST_STATE, R_FACT, .fact = SF_SHAPED,
	  .what = "held back by the shaper", ERRS(EAGAIN, EINTR) },
	{ ST_STATE, R_FACT, .fact = SF_NOMEM, .what = "out of memory",
	  ERRS(ENOMEM) },
	/* A write nobody can receive is dropped: the writer is not told. */
	{ ST_STATE2, R_FACT, .fact = SF_NO_TARGET,
	  .what = "no target: dropped", ERRS(0) },
	{ ST_STATE2, R_FACT, .fact = SF_NO_REMOTE_RANGE,
	  .what = "the target's window does not hold the range",
	  ERRS(EREMOTEIO) },
	{ ST_STATE3, R_FACT, .fact = SF_QUEUE_FULL,
	  .what = "the target's receive queue is full", ERRS(EAGAIN) },
	{ ST_STATE4, R_FACT, .fact = SF_SRC_FAULT, .guard = G_NONZERO,
	  .gf = FLD(write_t, len), .what = "buf cannot be read",
	  ERRS(EFAULT) },
};

static const struct {
	const struct rule *r;
	unsigned int n;
} rules[SIM_NR_IOC] = {
	[SIM_INFO] = { info_rules, ARRAY_SIZE(info_rules) },
	[SIM_EP_ALLOC] = { alloc_rules, ARRAY_SIZE(alloc_rules) },
	[SIM_EP_FREE] = { free_rules, ARRAY_SIZE(free_rules) },
	[SIM_SEND] = { send_rules, ARRAY_SIZE(send_rules) },
	[SIM_RECV] = { recv_rules, ARRAY_SIZE(recv_rules) },
	[SIM_WINDOW] = { window_rules, ARRAY_SIZE(window_rules) },
	[SIM_WRITE] = { write_rules, ARRAY_SIZE(write_rules) },
};

/* ---- evaluation ---------------------------------------------------------- */

void sim_facts_unknown(enum abi_tri f[SF_NR])
{
	unsigned int i;

	for (i = 0; i < SF_NR; i++)
		f[i] = ABI_MAYBE;
}

bool sim_abi_known_cmd(unsigned long cmd)
{
	unsigned int i;

	for (i = 0; i < SIM_NR_IOC; i++)
		if (sim_iocs[i].cmd == cmd)
			return true;
	return false;
}

static uint64_t get(const unsigned char *k, struct field f)
{
	uint64_t v = 0;
	uint32_t v32;

	if (f.size == 8) {
		memcpy(&v, k + f.off, 8);
	} else if (f.size == 4) {
		memcpy(&v32, k + f.off, 4);
		v = v32;
	}
	return v;
}

static bool zero(const unsigned char *k, struct field f)
{
	unsigned int i;

	for (i = 0; i < f.size; i++)
		if (k[f.off + i])
			return false;
	return true;
}

/* Is [start, start + len) user memory? Maybe, between the bounds. */
static enum abi_tri user_range(uint64_t start, uint64_t len)
{
	uint64_t end = start + len;

	if (end < start || start >= USER_END_MAX || end > USER_END_MAX)
		return ABI_NO;
	return end > USER_END_MIN ? ABI_MAYBE : ABI_YES;
}

static bool guard(const struct rule *r, const unsigned char *k)
{
	uint64_t v = get(k, r->gf);

	switch (r->guard) {
	case G_NONZERO:
		return v != 0;
	case G_ZERO:
		return v == 0;
	case G_SET:
		return (v & r->ga) != 0;
	case G_CLEAR:
		return (v & r->ga) == 0;
	case G_BELOW:
		return v < r->ga;
	default:
		return true;
	}
}

/* Does rule @r apply (is it violated) for the structure @k? */
static enum abi_tri applies(const struct rule *r, const unsigned char *k,
			    const struct sim_arg *a,
			    const struct ssns_sim_info *dev,
			    const enum abi_tri f[SF_NR])
{
	uint64_t v = get(k, r->f);

	if (!guard(r, k))
		return ABI_NO;
	switch (r->kind) {
	case R_ZERO:
		return abi_tri(!zero(k, r->f));
	case R_MASK:
		return abi_tri(v & ~r->a);
	case R_RANGE:
		return abi_tri(v < r->a || v > r->b);
	case R_ADDR:
		return abi_tri(v != SSNS_PID_ANY && v > dev->max_addr);
	case R_PAIR:
		return abi_tri(!v != !get(k, r->g));
	case R_USER:
		return abi_not(user_range(v, get(k, r->g)));
	case R_FACT:
		return f[r->fact];
	case R_NOT_FACT:
		return abi_not(f[r->fact]);
	case R_OUT:
		return abi_tri(!a->writable);
	}
	return ABI_MAYBE;
}

void sim_abi_expect(enum sim_ioc io, const struct sim_arg *a,
		    const struct ssns_sim_info *dev,
		    const enum abi_tri f[SF_NR], struct abi_outcome *o)
{
	static const int efault_e2big[] = { EFAULT, E2BIG };
	const struct sim_ioc_desc *d = &sim_iocs[io];
	const unsigned char *p = a->p;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i, n;
	unsigned char k[64] = { 0 };
	const struct rule *r;
	struct abi_eval e;
	enum stage stage;
	uint32_t size = 0;
	bool tail = false;

	abi_begin(&e, o);
	abi_rule1(&e, f[SF_REVOKED], ENODEV, "revoked file");
	abi_stage(&e);

	/* The size field, then the structure it announces. */
	if (a->readable >= sizeof(size))
		memcpy(&size, p, sizeof(size));
	abi_rule1(&e, abi_tri(a->readable < sizeof(size)), EFAULT,
		  "size field cannot be read");
	abi_stage(&e);
	abi_rule1(&e, abi_tri(size < d->ver0), EINVAL,
		  "size %u below the first version, %u", size, d->ver0);
	abi_stage(&e);
	abi_rule1(&e, abi_tri(size > page), E2BIG, "size %u above a page",
		  size);
	abi_stage(&e);
	for (i = d->size; i < size && i < a->readable && !tail; i++)
		tail = p[i] != 0;
	abi_rule(&e, abi_tri(a->readable < size), efault_e2big, tail ? 2 : 1,
		 "size %u, %zu bytes readable", size, a->readable);
	abi_stage(&e);
	abi_rule1(&e, abi_tri(tail), E2BIG,
		  "a byte beyond the %u of the structure is set", d->size);
	abi_stage(&e);

	/* The structure as the module reads it: zero beyond the size. */
	n = size < d->size ? size : d->size;
	if (n > a->readable)
		n = a->readable;
	if (n > sizeof(k))
		n = sizeof(k);
	if (p)
		memcpy(k, p, n);

	stage = ST_RESERVED;
	for (r = rules[io].r; r < rules[io].r + rules[io].n; r++) {
		if (r->stage != stage) {
			abi_stage(&e);
			stage = r->stage;
		}
		abi_rule(&e, applies(r, k, a, dev, f), r->errs, r->nerrs,
			 "%s", r->what);
	}
	abi_end(&e);
}

void sim_abi_expect_unknown(enum abi_tri revoked, struct abi_outcome *o)
{
	struct abi_eval e;

	abi_begin(&e, o);
	abi_rule1(&e, revoked, ENODEV, "revoked file");
	abi_stage(&e);
	abi_rule1(&e, ABI_YES, SIM_ABI_ENOTTY, "not an ioctl of the device");
	abi_end(&e);
}

/* ---- outputs ---------------------------------------------------------- */

static const char *check_recv(const recv_t *in, const recv_t *o,
			      uint32_t size, int err,
			      const enum abi_tri f[SF_NR], char *buf,
			      size_t len)
{
	bool v1 = size >= SSNS_SIM_RECV_SIZE_VER1, completion;

	if (err == EMSGSIZE) {
		if (o->msg_len <= in->len)
			snprintf(buf, len, "EMSGSIZE with msg_len %u <= len %u",
				 o->msg_len, in->len);
		else if (v1 && (o->msg_flags & SSNS_SIM_MSG_WRITE))
			snprintf(buf, len, "EMSGSIZE for a write's completion");
		else
			return NULL;
		return buf;
	}
	if (err)
		return NULL;
	if (v1) {
		completion = o->msg_flags & SSNS_SIM_MSG_WRITE;
		if ((o->msg_flags & ~(SSNS_SIM_MSG_WRITE | SSNS_SIM_MSG_MORE)) ||
		    o->reserved) {
			snprintf(buf, len, "msg_flags %#x reserved %#x",
				 o->msg_flags, o->reserved);
			return buf;
		}
		if (!completion && o->offset) {
			snprintf(buf, len, "offset %#llx of a message",
				 (unsigned long long)o->offset);
			return buf;
		}
		if (completion && (o->msg_len > SSNS_SIM_MSG_MAX ||
				   o->offset > SSNS_SIM_WINDOW_MAX - o->msg_len)) {
			snprintf(buf, len,
				 "completion of %u bytes at %#llx, beyond any window",
				 o->msg_len, (unsigned long long)o->offset);
			return buf;
		}
	} else {
		/* The first version cannot tell a completion. */
		completion = f[SF_COMPLETION] != ABI_NO;
	}
	if (!completion && o->msg_len > in->len) {
		snprintf(buf, len, "msg_len %u > len %u", o->msg_len, in->len);
		return buf;
	}
	return NULL;
}

const char *sim_abi_check_out(enum sim_ioc io, const void *in,
			      const void *out, uint32_t size, int err,
			      const struct ssns_sim_info *dev,
			      const enum abi_tri f[SF_NR], char *buf,
			      size_t len)
{
	const info_t *info = out;
	const alloc_t *ai = in, *ao = out;

	switch (io) {
	case SIM_INFO:
		if (err)
			return NULL;
		if (info->dev_index != dev->dev_index ||
		    info->max_addr != dev->max_addr ||
		    info->rxq_depth != dev->rxq_depth ||
		    info->net_cookie != dev->net_cookie) {
			snprintf(buf, len,
				 "INFO changed: dev_index %u max_addr %u rxq_depth %u",
				 info->dev_index, info->max_addr,
				 info->rxq_depth);
			return buf;
		}
		return NULL;
	case SIM_EP_ALLOC:
		if (err)
			return NULL;
		if (!ao->handle || ao->handle > INT_MAX ||
		    ao->addr > dev->max_addr ||
		    (ai->addr != SSNS_PID_ANY && ao->addr != ai->addr)) {
			snprintf(buf, len,
				 "handle %u addr %u (asked %#x, max_addr %u)",
				 ao->handle, ao->addr, ai->addr, dev->max_addr);
			return buf;
		}
		if (ao->vni != ai->vni || ao->tc != ai->tc ||
		    ao->reserved != ai->reserved) {
			snprintf(buf, len, "input fields changed");
			return buf;
		}
		return NULL;
	case SIM_RECV:
		return check_recv(in, out, size, err, f, buf, len);
	default:
		return NULL;
	}
}

const char *sim_abi_check_poll(short revents, enum abi_tri revoked)
{
	bool hup = (revents & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP);

	if (revents & POLLNVAL)
		return "POLLNVAL";
	if (revoked == ABI_YES && !hup)
		return "a revoked file without POLLERR|POLLHUP";
	if (revoked == ABI_NO && (revents & (POLLERR | POLLHUP)))
		return "POLLERR|POLLHUP without revocation";
	if (!(revents & (POLLERR | POLLHUP)) && !(revents & POLLOUT))
		return "neither POLLOUT nor POLLERR|POLLHUP";
	return NULL;
}
