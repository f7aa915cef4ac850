// SPDX-License-Identifier: GPL-2.0
/*
 * cxifuzz: a bounded, reproducible fuzzer of the char-device ABI of
 * ssns_sim (/dev/cxiN, uapi/linux/ssns_sim.h).
 *
 *   cxifuzz DEV [-s SEED] [-n COUNT] [-t SECS] [-j THREADS] [-V VNI,...]
 *           [-T TC] [-p INDEX,...] [-w SECS] [-R [-r SECS]] [-q]
 *
 * DEV is "cxi0" or a path. Each thread runs COUNT iterations (default
 * 10000), or fewer when SECS (default 60) pass first. An iteration makes
 * one call, or a short sequence of calls, chosen by a PRNG seeded from
 * (SEED, thread, iteration) only: "-s SEED -n COUNT" replays the same
 * calls (their results may differ when the kernel's state does, e.g. under
 * revocation or with -j 2, whose threads share the files).
 *
 * Calls: random ioctl numbers, the real ones with other directions and
 * sizes, the real ones with random argument structures (random fields,
 * reserved fields and flags non-zero, sizes 0, too small, too big with a
 * zero or non-zero tail, huge; lengths 0 and huge; pointers that are NULL,
 * unmapped, kernel addresses, misaligned, read-only for the kernel's
 * copy-out, or crossing into an unmapped page), poll, epoll, read, write,
 * mmap and lseek on the file, close and reopen (dup2() over the file's
 * number, so a concurrent call never hits a reused number), many endpoints
 * on one file, and files closed with endpoints and messages queued.
 *
 * Windows and writes: WINDOW set, removed and set again on our endpoints,
 * over anonymous memory (1 byte, pages, across a page, unaligned), a tmpfs
 * file mapped shared and private, 64 MiB (SSNS_SIM_WINDOW_MAX) and one
 * more, NULL, kernel, unmapped, read-only and PROT_NONE memory, a range
 * running into a hole or off the address space, random and huge lengths,
 * flags and reserved set, and memory unmapped or moved (mremap) once the
 * window is set; WRITE to our endpoints with windows (and to others), at
 * offsets at and around the window's end and near 2^64, 0 to
 * SSNS_SIM_MSG_MAX + 1 bytes, from NULL, unmapped, kernel, read-only or
 * window memory or a buffer running into a hole, then RECV of the
 * completion with either version of struct ssns_sim_recv; files closed
 * with windows set. With -j 2 the threads set, remove and free under each
 * other's writes.
 *
 *   -V VNI,...  VNIs with a profile for the caller (default 100)
 *   -T TC       their traffic class (default 1, low_latency)
 *   -p IDX,...  fabric indexes of other devices to send to
 *   -w SECS     a call taking longer is a hang (default 20)
 *   -R          the device may be revoked under the run (moved, removed):
 *               ENODEV and failing reopens are expected
 *   -r SECS     with -R: stop SECS after the first file seen revoked
 *   -q          print the summary only
 *
 * Checks (a failure is a violation): every ioctl is judged by the ABI's
 * table (abi/ssns_sim_abi.c, from docs/ssns_sim.md): the argument as placed
 * and what the fuzzer knows of the state (its endpoints and windows with
 * one thread, which memory faults, whether the file may be revoked) give
 * the outcomes the ABI allows, and the call must end in one of them: the
 * errno of the first rule broken, in the documented order, or where the
 * state is unknown one of the errnos the ABI lists for the call. So a
 * revoked file fails with ENODEV, and without -R ENODEV is a violation; a
 * second window is EBUSY, removing none ENOENT, a write between our
 * endpoints outside the window EREMOTEIO. Outputs follow the table too
 * (INFO as at start, an endpoint address within max_addr, a received
 * message no longer than the buffer, poll's EPOLLOUT or, revoked,
 * EPOLLERR|EPOLLHUP). Besides: an ioctl returns 0 or -1 with errno in
 * 1..4095; no call may take longer than -w SECS (SIGALRM watchdog); a
 * write that succeeds between our endpoints put exactly its bytes at its
 * offset, its neighbours untouched; a completion received with the second
 * version leaves the buffer alone. At the end, with every file closed,
 * VmPin (/proc/self/status) must be back to its value at start: a pinned
 * page left is a leak.
 *
 * Output: "cxifuzz: seed=N" first; at the end "cxifuzz: N calls, ..." (with
 * successful and faulted WRITEs, windows set and writes verified), how
 * many ioctls had one outcome allowed, and one line of errno counts per
 * call. Exit 0 when clean, 1 on a violation
 * (printed with the seed, thread and iteration), 2 on a usage or setup
 * error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>

#include "ssns_sim_abi.h"

#define PG		4096UL
#define MAX_THREADS	4
#define MAX_SLOTS	4		/* open files shared by the threads */
#define MAX_EPS		32		/* endpoints remembered per file */
#define MAX_VNIS	8
#define MAX_PEERS	8
#define ERRNO_SLOTS	4097		/* 0..4095, 4096: out of range */
#define KERNEL_PTR	0xffff888000000000ULL
#define MSGBUF_LEN	(SSNS_SIM_MSG_MAX + 2 * PG)
#define WPOOL_PAGES	32
#define WFILE_PAGES	8
#define BIG_LEN		(SSNS_SIM_WINDOW_MAX + PG)
#define TMPFS_MAGIC_	0x01021994

/* What the counters count: one per kind of call; first the ABI's ioctls. */
enum op {
	OP_INFO = SIM_INFO,
	OP_EP_ALLOC = SIM_EP_ALLOC,
	OP_EP_FREE = SIM_EP_FREE,
	OP_SEND = SIM_SEND,
	OP_RECV = SIM_RECV,
	OP_WINDOW = SIM_WINDOW,
	OP_XWRITE = SIM_WRITE,
	OP_BAD_IOCTL = SIM_NR_IOC,
	OP_POLL,
	OP_EPOLL,
	OP_READ,
	OP_WRITE,
	OP_MMAP,
	OP_LSEEK,
	OP_OPEN,
	OP_NUM,
};

/* The others' names; the ioctls' are the ABI table's. */
static const char *const op_names[OP_NUM] = {
	[OP_BAD_IOCTL]	= "other_ioctl",
	[OP_POLL]	= "poll",
	[OP_EPOLL]	= "epoll",
	[OP_READ]	= "read",
	[OP_WRITE]	= "write",
	[OP_MMAP]	= "mmap",
	[OP_LSEEK]	= "lseek",
	[OP_OPEN]	= "open",
};

static const char *op_name(enum op op)
{
	return op < OP_BAD_IOCTL ? sim_iocs[op].name : op_names[op];
}

struct ep_ref {
	bool used;
	__u32 handle;
	__u32 addr;
	__u32 vni;
	/* Its receive window, as far as we know (exactly with one thread). */
	bool win;
	bool win_check;			/* still mapped at waddr: verifiable */
	__u64 waddr;
	__u64 wlen;
};

/* An open file of DEV, shared by the threads. */
struct slot {
	pthread_rwlock_t lock;		/* write: the file is replaced */
	int fd;
	bool revoked;			/* a valid INFO failed with ENODEV */
	bool overflow;			/* endpoints not remembered */
	bool had_window;		/* a WINDOW succeeded on this file */
	struct ep_ref eps[MAX_EPS];	/* under tbl_lock */
};

/* Where an argument lives. */
enum place {
	PL_RW,		/* read-write, aligned */
	PL_MISALIGNED,	/* read-write, 1..7 bytes off */
	PL_RO,		/* read-only */
	PL_EDGE,	/* the last `cut` bytes of a page before a hole */
	PL_NULL,
	PL_HOLE,	/* unmapped */
	PL_KERNEL,
	PL_NUM,
};

/* Where a window goes, and what the kernel must make of it. */
struct wreg {
	__u64 addr, len;
	bool bad;		/* cannot be pinned: must fail */
	bool check;		/* stays mapped at addr: writes verifiable */
	bool transient;		/* unmapped or moved once set */
	const char *what;
};

struct worker {
	pthread_t thread;
	unsigned int id;
	unsigned long iter;		/* current iteration */
	unsigned long done;
	uint64_t rng;
	char *rw;			/* 2 pages */
	char *ro;			/* 1 page, read-only view ... */
	char *ro_w;			/* ... and its writable view */
	char *edge;			/* a page followed by a hole */
	char *msg;			/* MSGBUF_LEN bytes */
	int ret;			/* of the last ioctl */
	struct wreg last_set;		/* a window set, to set again ... */
	__u32 last_handle;		/* ... on this endpoint */
	char *wpool;			/* WPOOL_PAGES, for windows */
	char *wfile;			/* WFILE_PAGES of a tmpfs file, shared */
	char *wfile_priv;		/* ... and a private view of it */
	char *moved;			/* a mapping moved under a window */
	size_t moved_len;
	int epfd;
	/* The call in flight, for the watchdog. */
	volatile sig_atomic_t in_call;
	volatile time_t call_start;
	volatile int call_op;
};

/* Options. */
static const char *dev_path;
static char dev_buf[PATH_MAX];
static uint64_t seed;
static unsigned long count = 10000;
static unsigned int max_secs = 60;
static unsigned int nthreads = 1;
static __u32 vnis[MAX_VNIS] = { 100 };
static unsigned int nvnis = 1;
static __u32 tc_opt = SSNS_TC_LOW_LATENCY;
static __u32 peers[MAX_PEERS];
static unsigned int npeers;
static unsigned int wd_secs = 20;
static bool may_revoke;
static bool ipc_lock;			/* CAP_IPC_LOCK: no memlock limit */
static int after_revoke = -1;		/* -r */
static bool quiet;

/* State. */
static struct slot slots[MAX_SLOTS];
static pthread_mutex_t tbl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ssns_sim_info base;	/* INFO at start */
static char *hole;			/* 2 unmapped pages */
static char *big;			/* BIG_LEN bytes, for the largest windows */
static struct worker workers[MAX_THREADS];
static unsigned long counts[OP_NUM][ERRNO_SLOTS];
static unsigned long n_calls, n_allocs, n_sent, n_received, n_revoked_seen;
static unsigned long n_written, n_write_efault, n_windows, n_checked,
	n_reused;
static unsigned long n_exact, n_set;	/* calls judged: one outcome or a set */
static struct timespec t_start;
static volatile int stopping;
static double t_revoked;		/* when a revoked file was first seen */

static void usage(void)
{
	fprintf(stderr,
		"usage: cxifuzz DEV [-s SEED] [-n COUNT] [-t SECS] [-j THREADS]\n"
		"               [-V VNI,...] [-T TC] [-p INDEX,...] [-w SECS] [-R [-r SECS]] [-q]\n");
	exit(2);
}

static const char *errname(int err)
{
	const char *n;

	if (!err)
		return "ok";
	n = strerrorname_np(err);
	return n ? n : "E?";
}

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t_start.tv_sec) +
	       (double)(t.tv_nsec - t_start.tv_nsec) / 1e9;
}

/* --- PRNG: splitmix64, seeded per (seed, thread, iteration) --------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct worker *w)
{
	return (uint32_t)(splitmix(&w->rng) >> 32);
}

/* Uniform in 0..n-1. */
static uint32_t below(struct worker *w, uint32_t n)
{
	return n ? (uint32_t)(((uint64_t)rnd(w) * n) >> 32) : 0;
}

/* True with probability 1/n. */
static bool one_in(struct worker *w, uint32_t n)
{
	return below(w, n) == 0;
}

static void seed_iteration(struct worker *w)
{
	uint64_t s = seed ^ ((uint64_t)(w->id + 1) * 0xd1b54a32d192ed03ULL);

	s ^= (uint64_t)w->iter * 0xa0761d6478bd642fULL;
	w->rng = splitmix(&s);
}

/* A 32-bit value, biased to boundaries. */
static __u32 rnd_u32(struct worker *w)
{
	static const __u32 edges[] = {
		0, 1, 2, 3, 7, 8, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	if (one_in(w, 2))
		return edges[below(w, ARRAY_SIZE(edges))];
	return rnd(w);
}

/* --- output ------------------------------------------------------------ */

static void count_result(enum op op, int err)
{
	if (err < 0 || err >= ERRNO_SLOTS)
		err = ERRNO_SLOTS - 1;
	__atomic_fetch_add(&counts[op][err], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_calls, 1, __ATOMIC_RELAXED);
}

static void print_summary(void)
{
	unsigned long total[ERRNO_SLOTS] = { 0 };
	char line[2048];
	size_t len;
	int op, e;

	printf("cxifuzz: %lu calls, %.1f s, %u thread(s), %lu endpoints allocated, %lu messages sent, %lu written, %lu faulted writes, %lu received, %lu windows set (%lu parked ones reused), %lu writes verified\n",
	       n_calls, elapsed(), nthreads, n_allocs, n_sent, n_written,
	       n_write_efault, n_received, n_windows, n_reused, n_checked);
	printf("cxifuzz: judged by the ABI table: %lu ioctls with one outcome allowed, %lu with a set\n",
	       n_exact, n_set);
	for (op = 0; op < OP_NUM; op++) {
		for (e = 0; e < ERRNO_SLOTS && !counts[op][e]; e++)
			;
		if (e == ERRNO_SLOTS)
			continue;
		len = snprintf(line, sizeof(line), "cxifuzz:   %-11s",
			       op_name(op));
		for (e = 0; e < ERRNO_SLOTS; e++) {
			if (!counts[op][e])
				continue;
			total[e] += counts[op][e];
			if (len < sizeof(line))
				len += snprintf(line + len, sizeof(line) - len,
						" %s=%lu", e == ERRNO_SLOTS - 1 ?
						"BAD" : errname(e),
						counts[op][e]);
		}
		puts(line);
	}
	len = snprintf(line, sizeof(line), "cxifuzz: errno");
	for (e = 0; e < ERRNO_SLOTS; e++)
		if (total[e] && len < sizeof(line))
			len += snprintf(line + len, sizeof(line) - len,
					" %s=%lu", e == ERRNO_SLOTS - 1 ?
					"BAD" : errname(e), total[e]);
	puts(line);
	fflush(stdout);
}

static void replay_hint(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		if (workers[i].iter + 1 > n)
			n = workers[i].iter + 1;
	printf("cxifuzz: replay: cxifuzz %s -s %llu -n %lu -j %u (and the same -V/-T/-p/-R)\n",
	       dev_path, (unsigned long long)seed, n, nthreads);
}

static void __attribute__((format(printf, 2, 3), noreturn))
violation(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	stopping = 1;
	printf("cxifuzz: VIOLATION seed=%llu thread=%u iteration=%lu: ",
	       (unsigned long long)seed, w->id, w->iter);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	print_summary();
	printf("cxifuzz: seed=%llu\n", (unsigned long long)seed);
	replay_hint();
	fflush(stdout);
	_exit(1);
}

/* --- watchdog: SIGALRM once a second, handled by its own thread ---------- */

static void *watchdog(void *unused)
{
	sigset_t set;
	unsigned int i;
	char msg[256];
	int sig, n;

	(void)unused;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	for (;;) {
		alarm(1);
		if (sigwait(&set, &sig))
			continue;
		for (i = 0; i < nthreads; i++) {
			struct worker *w = &workers[i];

			if (!w->in_call || time(NULL) - w->call_start <
			    (time_t)wd_secs)
				continue;
			n = snprintf(msg, sizeof(msg),
				     "cxifuzz: VIOLATION seed=%llu thread=%u iteration=%lu: %s did not return within %u s\n",
				     (unsigned long long)seed, w->id, w->iter,
				     op_name(w->call_op), wd_secs);
			pthread_mutex_lock(&out_lock);
			fwrite(msg, 1, n, stdout);
			print_summary();
			printf("cxifuzz: seed=%llu\n",
			       (unsigned long long)seed);
			replay_hint();
			fflush(stdout);
			_exit(1);
		}
	}
	return NULL;
}

static void call_begin(struct worker *w, enum op op)
{
	w->call_op = op;
	w->call_start = time(NULL);
	w->in_call = 1;
}

static void call_end(struct worker *w)
{
	w->in_call = 0;
}

/* --- files ----------------------------------------------------------------- */

static int open_dev(struct worker *w, int flags)
{
	int fd;

	call_begin(w, OP_OPEN);
	fd = open(dev_path, flags | O_CLOEXEC);
	call_end(w);
	count_result(OP_OPEN, fd < 0 ? errno : 0);
	if (fd >= 0)
		return fd;
	/* A removed or moved device cannot be opened: only with -R. */
	if (!may_revoke || (errno != ENODEV && errno != ENOENT &&
			    errno != ENXIO))
		violation(w, "open(%s): %s", dev_path, errname(errno));
	return -1;
}

static int rnd_open_flags(struct worker *w)
{
	static const int f[] = {
		O_RDWR, O_RDONLY, O_WRONLY, O_RDWR | O_NONBLOCK,
	};

	return f[below(w, ARRAY_SIZE(f))];
}

/* Replace the file of slot @s by a new open file; forget its endpoints. */
static void slot_reopen(struct worker *w, struct slot *s)
{
	int fd = open_dev(w, rnd_open_flags(w));

	if (fd < 0)
		return;
	pthread_rwlock_wrlock(&s->lock);
	if (dup2(fd, s->fd) < 0)
		violation(w, "dup2: %s", strerror(errno));
	pthread_mutex_lock(&tbl_lock);
	memset(s->eps, 0, sizeof(s->eps));
	s->revoked = false;
	s->overflow = false;
	s->had_window = false;
	pthread_mutex_unlock(&tbl_lock);
	pthread_rwlock_unlock(&s->lock);
	close(fd);
	/* Lets epoll follow the new file. */
	epoll_ctl(w->epfd, EPOLL_CTL_ADD, s->fd,
		  &(struct epoll_event){ .events = EPOLLIN | EPOLLOUT });
}

static void ep_remember(struct slot *s, __u32 handle, __u32 addr, __u32 vni)
{
	unsigned int i;

	pthread_mutex_lock(&tbl_lock);
	/* A handle freed behind our back (another thread) is reused. */
	for (i = 0; i < MAX_EPS; i++)
		if (s->eps[i].used && s->eps[i].handle == handle)
			s->eps[i].used = false;
	for (i = 0; i < MAX_EPS; i++) {
		if (!s->eps[i].used) {
			s->eps[i] = (struct ep_ref){ .used = true, .handle = handle,
						    .addr = addr, .vni = vni };
			break;
		}
	}
	if (i == MAX_EPS)
		s->overflow = true;
	pthread_mutex_unlock(&tbl_lock);
}

static void ep_forget(struct slot *s, __u32 handle)
{
	unsigned int i;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < MAX_EPS; i++)
		if (s->eps[i].used && s->eps[i].handle == handle)
			s->eps[i].used = false;
	pthread_mutex_unlock(&tbl_lock);
}

/*
 * Pick an endpoint of slot @s (or of any slot when @s is NULL) by the
 * PRNG: the choice depends on the seed, the found entry on the state.
 */
static bool ep_pick_in(struct worker *w, struct slot *s, struct ep_ref *out,
		       struct slot **in)
{
	unsigned int pick = below(w, MAX_EPS * MAX_SLOTS), i;
	bool found = false;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < MAX_EPS * MAX_SLOTS && !found; i++) {
		unsigned int k = (pick + i) % (MAX_EPS * MAX_SLOTS);
		struct slot *t = s ? s : &slots[k / MAX_EPS];

		if (t->eps[k % MAX_EPS].used) {
			*out = t->eps[k % MAX_EPS];
			if (in)
				*in = t;
			found = true;
		}
	}
	pthread_mutex_unlock(&tbl_lock);
	return found;
}

static bool ep_pick(struct worker *w, struct slot *s, struct ep_ref *out)
{
	return ep_pick_in(w, s, out, NULL);
}

/* The same over every slot, preferring endpoints with a window. */
static bool ep_pick_win(struct worker *w, struct ep_ref *out,
			struct slot **in)
{
	unsigned int pick = below(w, MAX_EPS * MAX_SLOTS), i;
	bool found = false;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < MAX_EPS * MAX_SLOTS && !found; i++) {
		unsigned int k = (pick + i) % (MAX_EPS * MAX_SLOTS);
		struct slot *t = &slots[k / MAX_EPS];

		if (t->eps[k % MAX_EPS].used && t->eps[k % MAX_EPS].win) {
			*out = t->eps[k % MAX_EPS];
			*in = t;
			found = true;
		}
	}
	pthread_mutex_unlock(&tbl_lock);
	return found || ep_pick_in(w, NULL, out, in);
}

/* An endpoint of slot @s, of VNI @vni when there is one. */
static bool ep_pick_vni(struct worker *w, struct slot *s, __u32 vni,
			struct ep_ref *out)
{
	unsigned int pick = below(w, MAX_EPS), i;
	bool found = false;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < MAX_EPS && !found; i++) {
		struct ep_ref *e = &s->eps[(pick + i) % MAX_EPS];

		if (e->used && e->vni == vni) {
			*out = *e;
			found = true;
		}
	}
	pthread_mutex_unlock(&tbl_lock);
	return found || ep_pick(w, s, out);
}

/* Endpoint @handle of slot @s has now the window (@addr, @len) or none. */
static void ep_window(struct slot *s, __u32 handle, __u64 addr, __u64 len,
		      bool check)
{
	unsigned int i;

	pthread_mutex_lock(&tbl_lock);
	if (len)
		s->had_window = true;
	for (i = 0; i < MAX_EPS; i++) {
		struct ep_ref *e = &s->eps[i];

		if (!e->used || e->handle != handle)
			continue;
		e->win = len != 0;
		e->win_check = len && check;
		e->waddr = addr;
		e->wlen = len;
	}
	pthread_mutex_unlock(&tbl_lock);
}

/* --- arguments ------------------------------------------------------------ */

struct arg {
	enum place place;
	char *ptr;		/* what the kernel gets */
	size_t readable;	/* bytes the kernel can read there */
	bool writable;
	__u32 size;		/* the size field, when readable */
};

static const char *const place_names[PL_NUM] = {
	[PL_RW]		= "read-write",
	[PL_MISALIGNED]	= "misaligned",
	[PL_RO]		= "read-only",
	[PL_EDGE]	= "edge",
	[PL_NULL]	= "NULL",
	[PL_HOLE]	= "unmapped",
	[PL_KERNEL]	= "kernel",
};

static enum place rnd_place(struct worker *w)
{
	/* Mostly good pointers, so the calls reach the driver's logic. */
	static const enum place p[] = {
		PL_RW, PL_RW, PL_RW, PL_RW, PL_RW, PL_RW, PL_RW, PL_RW,
		PL_MISALIGNED, PL_MISALIGNED, PL_RO, PL_RO, PL_EDGE,
		PL_NULL, PL_HOLE, PL_KERNEL,
	};

	return p[below(w, ARRAY_SIZE(p))];
}

static __u32 rnd_size(struct worker *w, __u32 ksize, __u32 ver0)
{
	switch (below(w, 12)) {
	case 0:
		return 0;
	case 1:
		return below(w, ver0);			/* too small */
	case 2:
		return ksize + 1 + below(w, 64);	/* bigger */
	case 3:
		return PG - below(w, 8);		/* up to a page */
	case 4:
		return PG + 1 + below(w, 64);		/* above a page */
	case 5:
		return rnd_u32(w) | 0x80000000U;	/* huge */
	default:
		return ksize;
	}
}

/*
 * Put the structure @k of @ksize bytes (its size field already set) where
 * @a->place says; bytes up to its size beyond @ksize are zero, or one of
 * them is not. The ABI table reads them there.
 */
static void arg_place(struct worker *w, struct arg *a, const void *k,
		      size_t ksize)
{
	size_t n = a->size > ksize && a->size <= PG ? a->size : ksize;
	size_t cut;
	char *buf = NULL;

	a->readable = 0;
	a->writable = false;
	switch (a->place) {
	case PL_RW:
		buf = a->ptr = w->rw;
		a->readable = 2 * PG;
		a->writable = true;
		break;
	case PL_MISALIGNED:
		buf = a->ptr = w->rw + 1 + below(w, 7);
		a->readable = 2 * PG - 8;
		a->writable = true;
		break;
	case PL_RO:
		/* Sizes above a page are refused before they are read. */
		buf = w->ro_w;
		a->ptr = w->ro;
		a->readable = PG;
		if (n > PG)
			n = PG;
		break;
	case PL_EDGE:
		/* The size field is readable, then the hole begins. */
		cut = 4 + below(w, ksize + 8 - 4);
		buf = a->ptr = w->edge + PG - cut;
		a->readable = cut;
		a->writable = true;
		if (n > cut)
			n = cut;
		break;
	case PL_NULL:
		a->ptr = NULL;
		return;
	case PL_HOLE:
		a->ptr = hole + below(w, PG);
		return;
	default:
		a->ptr = (char *)(uintptr_t)KERNEL_PTR;
		return;
	}
	memset(buf, 0, n);
	memcpy(buf, k, n < ksize ? n : ksize);
	if (n > ksize && one_in(w, 2))
		buf[ksize + below(w, n - ksize)] = (char)(1 + below(w, 255));
}

/* A buffer for SEND or RECV: its address and how much of it is usable. */
struct buf {
	__u64 addr;
	size_t usable;		/* bytes the kernel can surely access... */
	bool bounded;		/* ...and not one more */
	bool writable;
	const char *what;
};

static void rnd_buf(struct worker *w, struct buf *b)
{
	size_t cut;

	switch (below(w, 16)) {
	case 0:
		*b = (struct buf){ 0, 0, true, false, "NULL" };
		break;
	case 1:
		*b = (struct buf){ (uintptr_t)hole + below(w, PG), 0, true,
				   false, "unmapped" };
		break;
	case 2:
		*b = (struct buf){ KERNEL_PTR + below(w, 4) * PG, 0, true,
				   false, "kernel" };
		break;
	case 3:
		/* What follows the page may be mapped: not bounded. */
		*b = (struct buf){ (uintptr_t)w->ro, PG, false, false,
				   "read-only" };
		break;
	case 4:
		/* Crosses into the hole after the edge page. */
		cut = below(w, PG);
		*b = (struct buf){ (uintptr_t)w->edge + PG - cut, cut, true,
				   true, "edge" };
		break;
	case 5:
		*b = (struct buf){ (uintptr_t)w->msg + 1 + below(w, 63),
				   MSGBUF_LEN - 64, false, true, "misaligned" };
		break;
	default:
		*b = (struct buf){ (uintptr_t)w->msg, MSGBUF_LEN, false, true,
				   "valid" };
		break;
	}
}

static __u32 rnd_len(struct worker *w)
{
	switch (below(w, 20)) {
	case 0:
		return 0;
	case 1:
		return SSNS_SIM_MSG_MAX + 1 + below(w, 16);
	case 2:
		return rnd_u32(w) | 0x80000000U;
	case 3:
		return 4096 + below(w, 8192);
	case 4:
		/* Big messages are rare: queues hold up to rxq_depth each. */
		return one_in(w, 20) ? SSNS_SIM_MSG_MAX : 65536;
	default:
		return 1 + below(w, 256);
	}
}

static __u32 rnd_vni(struct worker *w)
{
	switch (below(w, 8)) {
	case 0:
		return rnd_u32(w);
	case 1:
		return 1 + below(w, 1000);
	default:
		return vnis[below(w, nvnis)];
	}
}

static __u32 rnd_dev_index(struct worker *w)
{
	switch (below(w, 8)) {
	case 0:
		return rnd_u32(w);
	case 1:
	case 2:
		return npeers ? peers[below(w, npeers)] : base.dev_index;
	default:
		return base.dev_index;
	}
}

/* --- ioctls ------------------------------------------------------------------ */

/*
 * Run ioctl @cmd on slot @s (file held for reading: never replaced under
 * the call). Returns 0 or the errno; checks the return value's form.
 */
static int do_ioctl(struct worker *w, struct slot *s, enum op op,
		    unsigned long cmd, void *arg)
{
	int ret, err;

	call_begin(w, op);
	ret = ioctl(s->fd, cmd, arg);
	err = ret == -1 ? errno : 0;
	call_end(w);
	w->ret = ret;
	/* A window set with SSNS_SIM_WINDOW_KEEP returns 1 when reused. */
	if (op == OP_WINDOW && ret == 1)
		ret = 0;
	count_result(op, ret == 0 || ret == -1 ? err : ERRNO_SLOTS - 1);
	if (ret != 0 && ret != -1)
		violation(w, "%s (cmd %#lx) returned %d", op_name(op), cmd,
			  ret);
	if (ret == -1 && (err < 1 || err > 4095))
		violation(w, "%s (cmd %#lx): errno %d out of 1..4095",
			  op_name(op), cmd, err);
	return err;
}

/*
 * What the fuzzer knows of the kernel's state for a call on slot @s; the
 * callers add what they know of the endpoints.
 */
static void facts(const struct slot *s, enum abi_tri f[SF_NR])
{
	sim_facts_unknown(f);
	f[SF_REVOKED] = s->revoked ? ABI_YES :
			may_revoke ? ABI_MAYBE : ABI_NO;
	/* No memory pressure and no fault injection here. */
	f[SF_NOMEM] = ABI_NO;
	f[SF_MEMLOCK] = ipc_lock ? ABI_NO : ABI_MAYBE;
	/* The workers block every signal (the watchdog takes SIGALRM). */
	f[SF_SIGNAL] = ABI_NO;
	f[SF_COMPLETION] = s->had_window ? ABI_MAYBE : ABI_NO;
	/* The fuzzed devices have no link rate and no ceiling. */
	f[SF_SHAPED] = ABI_NO;
}

/* Does a handle name an endpoint of the file? Known for ours, one thread. */
static enum abi_tri bad_handle(bool ours)
{
	return ours && nthreads == 1 ? ABI_NO : ABI_MAYBE;
}

/* Does reading @len bytes of buffer @b fault? */
static enum abi_tri src_fault(const struct buf *b, size_t len)
{
	if (len <= b->usable)
		return ABI_NO;
	return b->bounded ? ABI_YES : ABI_MAYBE;
}

/* Can buffer @b of @len bytes not take a message (of up to @len bytes)? */
static enum abi_tri dst_fault(const struct buf *b, size_t len)
{
	return !len || (b->writable && len <= b->usable) ? ABI_NO : ABI_MAYBE;
}

/*
 * Run ioctl @op of the ABI on slot @s with the argument @a in place, and
 * judge its result by the ABI's table (abi/ssns_sim_abi.c) given the facts
 * @f: a result the table does not allow is a violation.
 */
static int call(struct worker *w, struct slot *s, enum op op,
		const struct arg *a, const enum abi_tri f[SF_NR])
{
	struct sim_arg sa = { a->ptr, a->readable, a->writable };
	struct abi_outcome o;
	char want[256];
	int err;

	sim_abi_expect((enum sim_ioc)op, &sa, &base, f, &o);
	__atomic_fetch_add(abi_count(&o) == 1 ? &n_exact : &n_set, 1,
			   __ATOMIC_RELAXED);
	err = do_ioctl(w, s, op, sim_iocs[op].cmd, a->ptr);
	if (!abi_allows(&o, err))
		violation(w, "%s (%s argument, size %u, %zu bytes readable): %s, the ABI allows %s%s%s",
			  op_name(op), place_names[a->place], a->size,
			  a->readable, errname(err),
			  abi_outcome_str(&o, want, sizeof(want)),
			  o.why[0] ? ": " : "", o.why);
	return err;
}

/* A structure of @size bytes at @p, whole (writable or not). */
static struct arg arg_at(void *p, __u32 size, bool writable)
{
	return (struct arg){ .place = writable ? PL_RW : PL_RO, .ptr = p,
			     .readable = size, .writable = writable,
			     .size = size };
}

/* What the ABI says of the structure @out a call left with @err. */
static void check_out(struct worker *w, enum op op, const void *in,
		      const struct arg *a, int err,
		      const enum abi_tri f[SF_NR])
{
	const char *bad;
	char why[256];

	if (!a->writable)
		return;
	bad = sim_abi_check_out((enum sim_ioc)op, in, a->ptr, a->size, err,
				&base, f, why, sizeof(why));
	if (bad)
		violation(w, "%s returned %s: %s", op_name(op), errname(err),
			  bad);
}

static void fuzz_info(struct worker *w, struct slot *s)
{
	struct ssns_sim_info k = { 0 };
	struct arg a = { .place = rnd_place(w) };
	enum abi_tri f[SF_NR];
	bool valid_probe;
	int err;

	a.size = k.size = one_in(w, 3) ? rnd_size(w, sizeof(k),
						 SSNS_SIM_INFO_SIZE_VER0) :
					 sizeof(k);
	if (one_in(w, 4))
		k.reserved[below(w, 4)] = rnd_u32(w) | 1;
	if (one_in(w, 4)) {
		k.dev_index = rnd(w);
		k.net_cookie = rnd(w);
	}
	arg_place(w, &a, &k, sizeof(k));
	facts(s, f);
	err = call(w, s, OP_INFO, &a, f);
	valid_probe = a.place == PL_RW && a.size == sizeof(k) &&
		      !k.reserved[0] && !k.reserved[1] && !k.reserved[2] &&
		      !k.reserved[3];
	if (valid_probe && err == ENODEV) {
		/* The file is revoked: from now on every call fails. */
		if (!__atomic_fetch_add(&n_revoked_seen, 1, __ATOMIC_RELAXED))
			t_revoked = elapsed();
		s->revoked = true;
	}
	check_out(w, OP_INFO, &k, &a, err, f);
}

static void fuzz_ep_alloc(struct worker *w, struct slot *s, bool burst)
{
	struct ssns_sim_ep_alloc k = { 0 }, *o;
	struct arg a = { .place = burst ? PL_RW : rnd_place(w) };
	enum abi_tri f[SF_NR];
	int err;

	a.size = k.size = !burst && one_in(w, 4) ?
		rnd_size(w, sizeof(k), SSNS_SIM_EP_ALLOC_SIZE_VER0) : sizeof(k);
	k.vni = burst ? vnis[below(w, nvnis)] : rnd_vni(w);
	k.tc = burst || !one_in(w, 4) ? tc_opt : rnd_u32(w);
	switch (burst ? 0 : below(w, 6)) {
	case 0:
	case 1:
	case 2:
		k.addr = SSNS_PID_ANY;
		break;
	case 3:
		k.addr = below(w, base.max_addr + 1);
		break;
	case 4:
		k.addr = base.max_addr + 1 + below(w, 4);
		break;
	default:
		k.addr = rnd_u32(w);
		break;
	}
	if (!burst && one_in(w, 6))
		k.reserved = rnd_u32(w) | 1;
	if (!burst && one_in(w, 6))
		k.handle = rnd_u32(w);		/* out only: ignored */
	arg_place(w, &a, &k, sizeof(k));
	facts(s, f);
	err = call(w, s, OP_EP_ALLOC, &a, f);
	check_out(w, OP_EP_ALLOC, &k, &a, err, f);
	if (!err) {
		o = (struct ssns_sim_ep_alloc *)a.ptr;
		__atomic_fetch_add(&n_allocs, 1, __ATOMIC_RELAXED);
		ep_remember(s, o->handle, o->addr, k.vni);
	}
}

/*
 * EP_ALLOC on a read-only argument, then the same address again: the first
 * must fail (its handle cannot reach the caller) and must not leave the
 * address taken. Only when this thread alone uses the files.
 */
static void fuzz_ep_alloc_undo(struct worker *w, struct slot *s)
{
	struct ssns_sim_ep_alloc k = {
		.size = sizeof(k), .vni = vnis[below(w, nvnis)], .tc = tc_opt,
		.addr = below(w, base.max_addr + 1),
	};
	struct arg ro = arg_at(w->ro, sizeof(k), false);
	struct arg rw = arg_at(w->rw, sizeof(k), true);
	enum abi_tri f[SF_NR];
	struct ep_ref e;
	unsigned int i;
	int err;

	memcpy(w->ro_w, &k, sizeof(k));
	facts(s, f);
	err = call(w, s, OP_EP_ALLOC, &ro, f);
	if (err != EFAULT || nthreads > 1)
		return;
	/* Is the address held by one of our endpoints? Then no check. */
	for (i = 0; i < MAX_SLOTS; i++)
		if (slots[i].overflow)
			return;
	for (i = 0; i < MAX_SLOTS * MAX_EPS; i++) {
		e = slots[i / MAX_EPS].eps[i % MAX_EPS];
		if (e.used && e.addr == k.addr && e.vni == k.vni)
			return;
	}
	memcpy(w->rw, &k, sizeof(k));
	err = call(w, s, OP_EP_ALLOC, &rw, f);
	if (err == EADDRINUSE)
		violation(w, "address %u of VNI %u still in use after EP_ALLOC failed with EFAULT",
			  k.addr, k.vni);
	check_out(w, OP_EP_ALLOC, &k, &rw, err, f);
	if (!err) {
		__atomic_fetch_add(&n_allocs, 1, __ATOMIC_RELAXED);
		k = *(struct ssns_sim_ep_alloc *)w->rw;
		ep_remember(s, k.handle, k.addr, k.vni);
	}
}

static void fuzz_ep_free(struct worker *w, struct slot *s)
{
	struct ssns_sim_ep_free k = { .size = sizeof(k) };
	struct arg a = { .place = rnd_place(w) };
	enum abi_tri f[SF_NR];
	struct ep_ref e;
	bool twice, ours;
	int err;

	if (one_in(w, 4))
		a.size = k.size = rnd_size(w, sizeof(k),
					   SSNS_SIM_EP_FREE_SIZE_VER0);
	a.size = k.size;
	twice = one_in(w, 4);
	ours = !one_in(w, 5) && ep_pick(w, s, &e);
	k.handle = ours ? e.handle : rnd_u32(w);
	arg_place(w, &a, &k, sizeof(k));
	facts(s, f);
	f[SF_BAD_HANDLE] = bad_handle(ours);
	err = call(w, s, OP_EP_FREE, &a, f);
	if (err)
		return;
	/* A random handle may have been one of ours too: forget it. */
	ep_forget(s, k.handle);
	if (!twice || nthreads > 1)
		return;
	/* Freed: the handle is unknown now. */
	f[SF_BAD_HANDLE] = ABI_YES;
	call(w, s, OP_EP_FREE, &a, f);
}

static void fuzz_recv(struct worker *w, struct slot *s, const __u32 *handle);

/*
 * Receive on @handle of @dslot, the slot a call on @s sent to; @s is
 * locked by the caller, @dslot is locked here when it is another slot.
 */
static void fuzz_recv_at(struct worker *w, struct slot *s, struct slot *dslot,
			 const __u32 *handle)
{
	if (dslot != s)
		pthread_rwlock_rdlock(&dslot->lock);
	fuzz_recv(w, dslot, handle);
	if (dslot != s)
		pthread_rwlock_unlock(&dslot->lock);
}

static void fuzz_send(struct worker *w, struct slot *s)
{
	struct ssns_sim_send k = { .size = sizeof(k) };
	struct arg a = { .place = rnd_place(w) };
	struct ep_ref src, dst;
	struct slot *dslot = NULL;
	enum abi_tri f[SF_NR];
	bool reply, ours;
	struct buf b;
	int err;

	if (one_in(w, 5))
		k.size = rnd_size(w, sizeof(k), SSNS_SIM_SEND_SIZE_VER0);
	a.size = k.size;
	ours = !one_in(w, 6) && ep_pick(w, s, &src);
	k.handle = ours ? src.handle : rnd_u32(w);
	if (!one_in(w, 4) && ep_pick_in(w, NULL, &dst, &dslot)) {
		/* One of ours: on this device, or on a peer by chance. */
		k.dst_dev = one_in(w, 8) ? rnd_dev_index(w) : base.dev_index;
		k.dst_addr = dst.addr;
	} else {
		k.dst_dev = rnd_dev_index(w);
		k.dst_addr = one_in(w, 2) ? below(w, base.max_addr + 1) :
					    rnd_u32(w);
	}
	k.len = rnd_len(w);
	rnd_buf(w, &b);
	k.buf = b.addr;
	if (one_in(w, 8))
		k.flags = rnd_u32(w) | 1;
	arg_place(w, &a, &k, sizeof(k));
	reply = !one_in(w, 3);
	facts(s, f);
	f[SF_BAD_HANDLE] = bad_handle(ours);
	f[SF_SRC_FAULT] = src_fault(&b, k.len);
	err = call(w, s, OP_SEND, &a, f);
	if (!err)
		__atomic_fetch_add(&n_sent, 1, __ATOMIC_RELAXED);
	/* Mostly, receive on the endpoint sent to: queued-message paths. */
	if (dslot && reply)
		fuzz_recv_at(w, s, dslot, &dst.handle);
}

static void fuzz_recv(struct worker *w, struct slot *s, const __u32 *handle)
{
	struct ssns_sim_recv k = { .size = sizeof(k) }, *o;
	struct arg a = { .place = rnd_place(w) };
	static const char canary[8] = "cxifuzz";
	bool completion, canary_set = false, ours;
	enum abi_tri f[SF_NR];
	struct ep_ref e;
	struct buf b;
	int err;

	/* Both versions: the first cannot tell a write's completion. */
	if (one_in(w, 5))
		k.size = rnd_size(w, sizeof(k), SSNS_SIM_RECV_SIZE_VER0);
	else if (one_in(w, 3))
		k.size = SSNS_SIM_RECV_SIZE_VER0;
	a.size = k.size;
	ours = handle || (!one_in(w, 6) && ep_pick(w, s, &e));
	k.handle = handle ? *handle : ours ? e.handle : rnd_u32(w);
	switch (below(w, 6)) {
	case 0:
		k.len = 0;
		break;
	case 1:
		k.len = rnd_u32(w);
		break;
	case 2:
		k.len = below(w, 64);
		break;
	default:
		k.len = SSNS_SIM_MSG_MAX;
		break;
	}
	rnd_buf(w, &b);
	k.buf = b.addr;
	switch (below(w, 8)) {
	case 0:
		k.flags = rnd_u32(w);
		break;
	case 1:
	case 2:
	case 3:
		k.flags = SSNS_SIM_RECV_NONBLOCK;
		break;
	default:
		k.flags = 0;
		break;
	}
	k.timeout_ms = one_in(w, 8) ? rnd_u32(w) : 1 + below(w, 30);
	/* Never block for long: that would be our hang, not the kernel's. */
	if (!(k.flags & SSNS_SIM_RECV_NONBLOCK) &&
	    (!k.timeout_ms || k.timeout_ms > 50))
		k.timeout_ms = 1 + below(w, 50);
	if (one_in(w, 6)) {
		/* Output fields: ignored on input. */
		k.msg_len = rnd(w);
		k.src_dev = rnd(w);
		k.msg_flags = rnd(w);
		k.offset = (__u64)rnd(w) << 32 | rnd(w);
	}
	if (one_in(w, 10))
		k.reserved = rnd_u32(w) | 1;
	/* A completion leaves the buffer alone. */
	if (b.writable && b.usable >= sizeof(canary)) {
		memcpy((char *)(uintptr_t)b.addr, canary, sizeof(canary));
		canary_set = true;
	}
	arg_place(w, &a, &k, sizeof(k));
	facts(s, f);
	f[SF_BAD_HANDLE] = bad_handle(ours);
	f[SF_DST_FAULT] = dst_fault(&b, k.len);
	err = call(w, s, OP_RECV, &a, f);
	o = (struct ssns_sim_recv *)a.ptr;
	if (!err)
		__atomic_fetch_add(&n_received, 1, __ATOMIC_RELAXED);
	check_out(w, OP_RECV, &k, &a, err, f);
	if (err)
		return;
	/* What the buffer took: the ABI's rules hold (check_out). */
	completion = a.size >= SSNS_SIM_RECV_SIZE_VER1 ?
		     o->msg_flags & SSNS_SIM_MSG_WRITE :
		     f[SF_COMPLETION] != ABI_NO;
	if (completion && a.size >= SSNS_SIM_RECV_SIZE_VER1 && canary_set &&
	    memcmp((char *)(uintptr_t)b.addr, canary, sizeof(canary)))
		violation(w, "RECV: a completion wrote into the buffer");
	if (!completion && ((b.bounded && o->msg_len > b.usable) ||
			    (o->msg_len && !b.writable)))
		violation(w, "RECV: %u bytes into a %s buffer", o->msg_len,
			  b.what);
}

/* --- windows and writes ------------------------------------------------------ */

static __u64 rnd_u64(struct worker *w)
{
	return (__u64)rnd(w) << 32 | rnd(w);
}

/* Windows in a file-backed (tmpfs) mapping or the pool: (base, size). */
static void in_region(struct worker *w, struct wreg *r, char *base,
		      size_t size)
{
	size_t off, len;

	switch (below(w, 6)) {
	case 0:					/* one byte */
		off = below(w, size);
		len = 1;
		break;
	case 1:					/* whole pages */
		off = below(w, size / PG) * PG;
		len = PG * (1 + below(w, (size - off) / PG));
		break;
	case 2:					/* across a page boundary */
		off = PG * (1 + below(w, size / PG - 1)) - 1 - below(w, 64);
		len = 2 + below(w, 128);
		break;
	case 3:					/* all of it */
		off = 0;
		len = size;
		break;
	default:				/* unaligned anywhere */
		off = below(w, size);
		len = 1 + below(w, size - off);
		break;
	}
	if (off + len > size)
		len = size - off;
	r->addr = (uintptr_t)base + off;
	r->len = len;
}

static void rnd_wreg(struct worker *w, struct wreg *r)
{
	size_t cut;

	*r = (struct wreg){ .check = true, .what = "pool" };
	switch (below(w, 26)) {
	case 0:
		r->addr = 0;
		r->len = 1 + below(w, 2 * PG);
		r->what = "NULL";
		break;
	case 1:
		r->addr = (uintptr_t)w->wpool + below(w, WPOOL_PAGES * PG);
		r->len = 0;
		r->what = "no length";
		break;
	case 2:
		r->addr = (uintptr_t)big;
		r->len = one_in(w, 2) ? SSNS_SIM_WINDOW_MAX + 1ULL :
			 rnd_u64(w) | 1ULL << (32 + below(w, 32));
		r->what = "huge";
		break;
	case 3:
		r->addr = KERNEL_PTR + below(w, 4) * PG + below(w, PG);
		r->len = 1 + below(w, 4 * PG);
		r->what = "kernel";
		break;
	case 4:
		/* Wraps around, or ends in the kernel's half. */
		r->addr = one_in(w, 2) ? ~0ULL - below(w, PG) :
			  0x7ffffffff000ULL - below(w, PG);
		r->len = one_in(w, 2) ? PG + below(w, PG) :
			 SSNS_SIM_WINDOW_MAX;
		r->bad = true;
		r->what = "end of the address space";
		break;
	case 5:
		r->addr = (uintptr_t)hole + below(w, PG);
		r->len = 1 + below(w, PG);
		r->bad = true;
		r->what = "unmapped";
		break;
	case 6:
		r->addr = (uintptr_t)w->ro + below(w, PG);
		r->len = 1 + below(w, PG - (r->addr - (uintptr_t)w->ro));
		r->bad = true;
		r->what = "read-only";
		break;
	case 7:
		/* The PROT_NONE pages around the hole and after the edge. */
		r->addr = one_in(w, 2) ? (uintptr_t)hole - PG :
			  (uintptr_t)w->edge + 2 * PG;
		r->addr += below(w, PG);
		r->len = 1 + below(w, 64);
		r->bad = true;
		r->what = "PROT_NONE";
		break;
	case 8:
		cut = 1 + below(w, PG - 1);
		r->addr = (uintptr_t)w->edge + PG - cut;
		r->len = cut + 1 + below(w, PG);
		r->bad = true;
		r->what = "into a hole";
		break;
	case 9:
		/* The largest window: rare, it pins 64 MiB. */
		r->addr = (uintptr_t)big + (one_in(w, 2) ? 0 : below(w, PG));
		r->len = one_in(w, 4) ? SSNS_SIM_WINDOW_MAX :
			 SSNS_SIM_WINDOW_MAX + 1ULL;
		r->what = "64 MiB";
		break;
	case 10:
	case 11:
		in_region(w, r, w->wfile, WFILE_PAGES * PG);
		r->what = "tmpfs file";
		break;
	case 12:
		in_region(w, r, w->wfile_priv, WFILE_PAGES * PG);
		r->what = "private tmpfs file";
		break;
	case 13:
	case 14:
		r->transient = true;
		r->what = "unmapped once set";
		break;
	case 15:
		r->addr = rnd_u64(w);
		r->len = rnd_u64(w) >> below(w, 64);
		r->bad = true;		/* none of ours, surely */
		r->check = false;
		r->what = "random";
		break;
	default:
		in_region(w, r, w->wpool, WPOOL_PAGES * PG);
		break;
	}
}

/* Windows in memory just unmapped at [p, p + len) are not verifiable. */
static void ep_unmapped(char *p, size_t len)
{
	unsigned int i;

	pthread_mutex_lock(&tbl_lock);
	for (i = 0; i < MAX_EPS * MAX_SLOTS; i++) {
		struct ep_ref *e = &slots[i / MAX_EPS].eps[i % MAX_EPS];

		if (e->win && e->waddr < (uintptr_t)p + len &&
		    e->waddr + e->wlen > (uintptr_t)p)
			e->win_check = false;
	}
	pthread_mutex_unlock(&tbl_lock);
}

/* Unmap what the last transient window was in (still pinned, maybe). */
static void transient_drop(struct worker *w)
{
	if (!w->moved)
		return;
	ep_unmapped(w->moved, w->moved_len);
	munmap(w->moved, w->moved_len);
	w->moved = NULL;
}

/*
 * Set (or with @remove, remove) a window of endpoint @handle; @state is
 * what we know of its window: 1 set, 0 none, -1 unknown. Returns the new
 * state.
 */
static int window_once(struct worker *w, struct slot *s, __u32 handle,
		       bool remove, int state)
{
	struct ssns_sim_window k = { .size = sizeof(k), .handle = handle };
	struct arg a = { .place = rnd_place(w) };
	size_t tlen = 0, delta = 0;
	char *tp = NULL, *q;
	bool moved = false, known = state >= 0 && nthreads == 1;
	enum abi_tri f[SF_NR];
	struct wreg r;
	int err;

	if (one_in(w, 5))
		k.size = rnd_size(w, sizeof(k), SSNS_SIM_WINDOW_SIZE_VER0);
	a.size = k.size;
	if (remove)
		r = (struct wreg){ .what = "remove" };
	else if (w->last_set.len && w->last_handle == handle && one_in(w, 2))
		r = w->last_set;	/* parked with KEEP: taken back */
	else
		rnd_wreg(w, &r);
	if (r.transient) {
		/* 3 pages at least: never in the holes, which are smaller. */
		transient_drop(w);
		tlen = (3 + below(w, 3)) * PG;
		tp = mmap(NULL, tlen, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (tp == MAP_FAILED)
			return state;
		in_region(w, &r, tp, tlen);
		r.transient = true;
		moved = one_in(w, 2);
	}
	k.addr = r.addr;
	k.len = r.len;
	if (!one_in(w, 4))
		k.flags = SSNS_SIM_WINDOW_KEEP;
	if (one_in(w, 12))
		k.flags |= rnd_u32(w) | (SSNS_SIM_WINDOW_KEEP << 1);
	if (one_in(w, 12))
		k.reserved = rnd_u32(w) | 1;
	if (k.len) {
		/* Before: a concurrent receive may see a completion. */
		pthread_mutex_lock(&tbl_lock);
		s->had_window = true;
		pthread_mutex_unlock(&tbl_lock);
	}
	arg_place(w, &a, &k, sizeof(k));
	/* One thread, an endpoint of ours: its window is known. */
	facts(s, f);
	f[SF_BAD_HANDLE] = bad_handle(known);
	f[SF_HAS_WINDOW] = known ? abi_tri(state) : ABI_MAYBE;
	f[SF_PIN_FAULT] = abi_tri(r.bad);
	err = call(w, s, OP_WINDOW, &a, f);
	if (w->ret == 1 && (!(k.flags & SSNS_SIM_WINDOW_KEEP) || !k.len))
		violation(w, "WINDOW returned 1 (reused) with flags %#x, len %llu",
			  k.flags, (unsigned long long)k.len);
	if (w->ret == 1)
		__atomic_fetch_add(&n_reused, 1, __ATOMIC_RELAXED);
	if (tp) {
		/* Unmapped, or moved, under the pinned window. */
		if (moved) {
			q = mremap(tp, tlen, tlen + 2 * PG, MREMAP_MAYMOVE);
			if (q != MAP_FAILED) {
				delta = q - tp;
				tp = q;
				tlen += 2 * PG;
			}
		}
		if (moved && !err) {
			w->moved = tp;
			w->moved_len = tlen;
		} else {
			munmap(tp, tlen);
			moved = false;
		}
	}
	if (!err) {
		if (k.len && !r.transient) {
			w->last_set = r;
			w->last_handle = handle;
		}
		if (k.len)
			__atomic_fetch_add(&n_windows, 1, __ATOMIC_RELAXED);
		/* Moved: its pages moved along, verifiable where they are. */
		ep_window(s, k.handle, k.addr + delta, k.len,
			  r.check && (!tp || moved));
	}

	if (err == ENODEV || !known)
		return -1;
	return err ? state : !!k.len;
}

/* Set or remove windows, and again: set, remove, set again. */
static void fuzz_window(struct worker *w, struct slot *s)
{
	unsigned int i, n = one_in(w, 3) ? 2 + below(w, 3) : 1, r;
	struct ep_ref e;
	__u32 handle;
	int state = -1;

	if (!one_in(w, 8) && ep_pick(w, s, &e)) {
		handle = e.handle;
		state = e.win;
	} else {
		handle = rnd_u32(w);
	}
	for (i = 0; i < n; i++) {
		/* Mostly remove a window there is, set one there is not. */
		r = below(w, 8);
		state = window_once(w, s, handle,
				    state < 0 ? r < 2 : state ? r < 6 : r < 1,
				    state);
	}
}

/* Fill @len bytes at @p from @seed (not the calls' PRNG). */
static void fill_rnd(uint64_t seed, char *p, size_t len)
{
	uint64_t v;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		v = splitmix(&seed);
		memcpy(p + i, &v, 8);
	}
	v = splitmix(&seed);
	memcpy(p + i, &v, len - i);
}

static void fuzz_xwrite(struct worker *w, struct slot *s)
{
	struct ssns_sim_write k = { .size = sizeof(k) };
	struct arg a = { .place = rnd_place(w) };
	struct ep_ref src = { 0 }, dst = { 0 };
	struct slot *dslot = NULL;
	bool known_src = false, own, in_range, bad_buf;
	bool verify = false;
	unsigned char before = 0, after = 0;
	enum abi_tri f[SF_NR];
	char *wmem = NULL;
	__u64 wlen;
	struct buf b;
	int err;

	if (one_in(w, 5))
		k.size = rnd_size(w, sizeof(k), SSNS_SIM_WRITE_SIZE_VER0);
	a.size = k.size;
	if (!one_in(w, 5) && ep_pick_win(w, &dst, &dslot)) {
		k.dst_dev = one_in(w, 12) ? rnd_dev_index(w) : base.dev_index;
		k.dst_addr = dst.addr;
	} else {
		dslot = NULL;
		k.dst_dev = rnd_dev_index(w);
		k.dst_addr = one_in(w, 2) ? below(w, base.max_addr + 1) :
					    rnd_u32(w);
	}
	/* Mostly from an endpoint of the target's VNI: writes that land. */
	if (!one_in(w, 6) && ep_pick_vni(w, s, dslot ? dst.vni : 0, &src)) {
		k.handle = src.handle;
		known_src = true;
	} else {
		k.handle = rnd_u32(w);
	}
	wlen = dslot && dst.win ? dst.wlen : 1 + below(w, 4 * PG);
	switch (below(w, 12)) {
	case 0:
		k.len = 0;
		break;
	case 1:
		k.len = SSNS_SIM_MSG_MAX + 1 + below(w, 16);
		break;
	case 2:
		k.len = rnd_u32(w);
		break;
	case 3:
		k.len = one_in(w, 4) ? SSNS_SIM_MSG_MAX :
			PG + below(w, 2 * PG);
		break;
	case 4:
	case 5:
		/* The whole window, or what fits of it. */
		k.len = wlen > SSNS_SIM_MSG_MAX ? SSNS_SIM_MSG_MAX : wlen;
		break;
	default:
		k.len = 1 + below(w, wlen < 4096 ? wlen : 4096);
		break;
	}
	switch (below(w, 12)) {
	case 0:
		k.offset = 0;
		break;
	case 1:
		k.offset = wlen - k.len;		/* the last bytes */
		break;
	case 2:
		k.offset = wlen - k.len + 1;		/* one beyond */
		break;
	case 3:
		k.offset = wlen + below(w, 2);		/* at the end */
		break;
	case 4:
		k.offset = ~0ULL - below(w, 2 * PG);	/* near 2^64 */
		break;
	case 5:
		k.offset = -(__u64)k.len + below(w, 4);	/* wraps to 0.. */
		break;
	case 6:
		k.offset = rnd_u64(w);
		break;
	default:
		k.offset = rnd(w);
		k.offset = k.len <= wlen ?
			   (k.offset * (wlen - k.len + 1)) >> 32 : 0;
		break;
	}
	if (one_in(w, 16)) {
		/* From a window: maybe the target's own memory. */
		b = (struct buf){ (uintptr_t)w->wpool,
				  WPOOL_PAGES * PG, false, true, "window" };
	} else {
		rnd_buf(w, &b);
	}
	k.buf = b.addr;
	if (one_in(w, 10))
		k.flags = rnd_u32(w) | 1;

	/*
	 * With one thread, a write from one of our endpoints to one of ours
	 * with the same VNI is known to reach it, with its window as known.
	 */
	own = nthreads == 1 && !may_revoke && known_src && dslot &&
	      dst.vni == src.vni && k.dst_dev == base.dev_index;
	in_range = dst.win && k.offset <= dst.wlen &&
		   k.len <= dst.wlen - k.offset;
	bad_buf = b.bounded && k.len > b.usable;
	if (own && in_range && dst.win_check && !bad_buf && !k.flags &&
	    k.len <= SSNS_SIM_MSG_MAX && b.writable &&
	    strcmp(b.what, "window")) {
		/* Fresh data, the target's bytes poisoned, their neighbours. */
		verify = true;
		wmem = (char *)(uintptr_t)dst.waddr;
		fill_rnd(w->rng ^ 0x5851f42d4c957f2dULL,
			 (char *)(uintptr_t)b.addr, k.len);
		memset(wmem + k.offset, 0xa5, k.len);
		if (k.offset)
			before = wmem[k.offset - 1];
		if (k.offset + k.len < dst.wlen)
			after = wmem[k.offset + k.len];
	}
	arg_place(w, &a, &k, sizeof(k));
	facts(s, f);
	f[SF_BAD_HANDLE] = bad_handle(known_src);
	f[SF_SRC_FAULT] = src_fault(&b, k.len);
	/* Our own target: there, with the window we know. */
	f[SF_NO_TARGET] = own ? ABI_NO : ABI_MAYBE;
	f[SF_NO_REMOTE_RANGE] = own ? abi_tri(!in_range) : ABI_MAYBE;
	err = call(w, s, OP_XWRITE, &a, f);
	if (!err)
		__atomic_fetch_add(&n_written, 1, __ATOMIC_RELAXED);
	else if (err == EFAULT)
		__atomic_fetch_add(&n_write_efault, 1, __ATOMIC_RELAXED);
	if (verify && !err) {
		if (memcmp(wmem + k.offset, (char *)(uintptr_t)b.addr, k.len))
			violation(w, "WRITE of %u bytes at %#llx of a window of %llu bytes: not the bytes written",
				  k.len, (unsigned long long)k.offset,
				  (unsigned long long)dst.wlen);
		if ((k.offset && wmem[k.offset - 1] != (char)before) ||
		    (k.offset + k.len < dst.wlen &&
		     wmem[k.offset + k.len] != (char)after))
			violation(w, "WRITE of %u bytes at %#llx: a byte beside them changed",
				  k.len, (unsigned long long)k.offset);
		__atomic_fetch_add(&n_checked, 1, __ATOMIC_RELAXED);
	}
	/* Mostly, receive the completion. */
	if (dslot && !one_in(w, 3))
		fuzz_recv_at(w, s, dslot, &dst.handle);
}

/* Random ioctl numbers: anything but the ABI's must be ENOTTY. */
static void fuzz_bad_ioctl(struct worker *w, struct slot *s)
{
	unsigned long cmd, type;
	struct abi_outcome o;
	enum abi_tri f[SF_NR];
	char want[64];
	void *arg;
	int err;

	if (one_in(w, 2)) {
		/* The real numbers with a direction or size. */
		cmd = _IOC(below(w, 4), SSNS_SIM_IOC_MAGIC, below(w, 8),
			   one_in(w, 2) ? below(w, 64) : below(w, 1 << 14));
	} else {
		cmd = rnd(w);
	}
	/*
	 * The VFS answers a few numbers for every file (FIOCLEX, FIONBIO,
	 * FIGETBSZ, FS_IOC_*, FICLONE...): keep to the driver's.
	 */
	type = _IOC_TYPE(cmd);
	if (type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
	    type == 0 || type == 0x15)
		cmd = (cmd & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
		      ((unsigned long)SSNS_SIM_IOC_MAGIC << _IOC_TYPESHIFT);
	if (sim_abi_known_cmd(cmd))
		cmd ^= 1UL << (_IOC_SIZESHIFT + below(w, 14));
	switch (below(w, 4)) {
	case 0:
		arg = NULL;
		break;
	case 1:
		arg = (void *)(uintptr_t)KERNEL_PTR;
		break;
	default:
		memset(w->rw, 0, 64);
		((__u32 *)w->rw)[0] = 40;
		arg = w->rw;
		break;
	}
	facts(s, f);
	sim_abi_expect_unknown(f[SF_REVOKED], &o);
	__atomic_fetch_add(abi_count(&o) == 1 ? &n_exact : &n_set, 1,
			   __ATOMIC_RELAXED);
	err = do_ioctl(w, s, OP_BAD_IOCTL, cmd, arg);
	if (!abi_allows(&o, err))
		violation(w, "unknown ioctl number %#lx (arg %p): %s, the ABI allows %s",
			  cmd, arg, errname(err),
			  abi_outcome_str(&o, want, sizeof(want)));
}

static void fuzz_poll(struct worker *w)
{
	struct pollfd p[MAX_SLOTS];
	enum abi_tri revoked[MAX_SLOTS], f[SF_NR];
	const char *bad;
	unsigned int i;
	int ret;

	for (i = 0; i < MAX_SLOTS; i++) {
		pthread_rwlock_rdlock(&slots[i].lock);
		p[i] = (struct pollfd){ .fd = slots[i].fd,
					.events = POLLIN | POLLOUT };
		facts(&slots[i], f);
		revoked[i] = f[SF_REVOKED];
	}
	call_begin(w, OP_POLL);
	ret = poll(p, MAX_SLOTS, below(w, 5));
	call_end(w);
	count_result(OP_POLL, ret < 0 ? errno : 0);
	if (ret < 0)
		violation(w, "poll: %s", errname(errno));
	for (i = 0; i < MAX_SLOTS; i++) {
		bad = sim_abi_check_poll(p[i].revents, revoked[i]);
		if (bad)
			violation(w, "poll: revents %#x: %s", p[i].revents, bad);
	}
	for (i = 0; i < MAX_SLOTS; i++)
		pthread_rwlock_unlock(&slots[i].lock);
}

static void fuzz_epoll(struct worker *w)
{
	struct epoll_event ev[MAX_SLOTS];
	int ret;

	call_begin(w, OP_EPOLL);
	ret = epoll_wait(w->epfd, ev, MAX_SLOTS, below(w, 3));
	call_end(w);
	count_result(OP_EPOLL, ret < 0 ? errno : 0);
	if (ret < 0 && errno != EINTR)
		violation(w, "epoll_wait: %s", errname(errno));
}

/* The file has no read, write, mmap or llseek: they must fail. */
static void fuzz_file_ops(struct worker *w, struct slot *s)
{
	size_t len = below(w, 3) ? below(w, 128) : rnd_u32(w);
	char *buf = one_in(w, 4) ? NULL : w->msg;
	enum op op = OP_READ + below(w, 4);
	ssize_t ret;
	void *p;

	call_begin(w, op);
	switch (op) {
	case OP_READ:
		ret = read(s->fd, buf, len > MSGBUF_LEN ? MSGBUF_LEN : len);
		break;
	case OP_WRITE:
		ret = write(s->fd, buf, len > MSGBUF_LEN ? MSGBUF_LEN : len);
		break;
	case OP_MMAP:
		p = mmap(NULL, PG * (1 + below(w, 4)),
			 one_in(w, 2) ? PROT_READ : PROT_READ | PROT_WRITE,
			 one_in(w, 2) ? MAP_SHARED : MAP_PRIVATE, s->fd,
			 below(w, 4) * PG);
		ret = p == MAP_FAILED ? -1 : 0;
		if (p != MAP_FAILED)
			munmap(p, PG);
		break;
	default:
		ret = lseek(s->fd, rnd_u32(w), below(w, 3));
		break;
	}
	call_end(w);
	count_result(op, ret < 0 ? errno : 0);
	if (ret >= 0 && !(op == OP_READ && !len) &&
	    !(op == OP_WRITE && !len))
		violation(w, "%s on the device succeeded", op_name(op));
}

/*
 * A file of its own: endpoints, messages to them, then close with
 * everything queued.
 */
static void fuzz_transient(struct worker *w)
{
	struct slot t = { .fd = open_dev(w, O_RDWR) };
	struct ssns_sim_ep_alloc k;
	struct ssns_sim_send m;
	struct ssns_sim_window wn;
	struct ssns_sim_write x;
	struct arg a;
	unsigned int i, n = 1 + below(w, 8), queued;
	enum abi_tri f[SF_NR];
	int err;

	if (t.fd < 0)
		return;
	pthread_rwlock_init(&t.lock, NULL);
	/* A file of this thread alone: its endpoints and windows are known. */
	facts(&t, f);
	f[SF_BAD_HANDLE] = ABI_NO;
	f[SF_HAS_WINDOW] = ABI_NO;
	f[SF_PIN_FAULT] = ABI_NO;
	f[SF_SRC_FAULT] = ABI_NO;
	f[SF_NO_REMOTE_RANGE] = ABI_NO;
	/* A revocation may take the target away while a call is made. */
	f[SF_NO_TARGET] = may_revoke ? ABI_MAYBE : ABI_NO;
	for (i = 0; i < n; i++) {
		k = (struct ssns_sim_ep_alloc){
			.size = sizeof(k), .vni = vnis[below(w, nvnis)],
			.tc = tc_opt, .addr = SSNS_PID_ANY,
		};
		a = arg_at(&k, sizeof(k), true);
		if (call(w, &t, OP_EP_ALLOC, &a, f))
			continue;
		__atomic_fetch_add(&n_allocs, 1, __ATOMIC_RELAXED);
		queued = 0;
		if (one_in(w, 2)) {
			/* A window, written into: closed with it set. */
			wn = (struct ssns_sim_window){
				.size = sizeof(wn), .handle = k.handle,
				.addr = (uintptr_t)w->wpool + below(w, PG),
				.len = 1 + below(w, 4 * PG),
			};
			x = (struct ssns_sim_write){
				.size = sizeof(x), .handle = k.handle,
				.dst_dev = base.dev_index, .dst_addr = k.addr,
				.buf = (uintptr_t)w->msg,
				.len = below(w, wn.len + 1),
			};
			a = arg_at(&wn, sizeof(wn), true);
			if (!call(w, &t, OP_WINDOW, &a, f)) {
				__atomic_fetch_add(&n_windows, 1,
						   __ATOMIC_RELAXED);
				a = arg_at(&x, sizeof(x), true);
				f[SF_QUEUE_FULL] = ABI_NO;
				err = call(w, &t, OP_XWRITE, &a, f);
				if (!err) {
					__atomic_fetch_add(&n_written, 1,
							   __ATOMIC_RELAXED);
					queued++;
				} else if (err == EFAULT) {
					__atomic_fetch_add(&n_write_efault, 1,
							   __ATOMIC_RELAXED);
				}
			}
		}
		m = (struct ssns_sim_send){
			.size = sizeof(m), .handle = k.handle,
			.dst_dev = base.dev_index, .dst_addr = k.addr,
			.buf = (uintptr_t)w->msg, .len = below(w, 2048),
		};
		a = arg_at(&m, sizeof(m), true);
		f[SF_QUEUE_FULL] = abi_tri(queued >= base.rxq_depth);
		if (!call(w, &t, OP_SEND, &a, f))
			__atomic_fetch_add(&n_sent, 1, __ATOMIC_RELAXED);
	}
	if (one_in(w, 2))
		epoll_ctl(w->epfd, EPOLL_CTL_ADD, t.fd,
			  &(struct epoll_event){ .events = EPOLLIN });
	close(t.fd);
	pthread_rwlock_destroy(&t.lock);
}

static void iteration(struct worker *w)
{
	struct slot *s = &slots[below(w, MAX_SLOTS)];
	unsigned int op = below(w, 124), i, n;

	if (op >= 100) {
		pthread_rwlock_rdlock(&s->lock);
		if (op >= 112)
			fuzz_xwrite(w, s);
		else
			fuzz_window(w, s);
		pthread_rwlock_unlock(&s->lock);
		return;
	}
	if (op >= 97) {
		slot_reopen(w, s);
		return;
	}
	if (op >= 95) {
		fuzz_transient(w);
		return;
	}
	if (op >= 91) {
		fuzz_poll(w);
		return;
	}
	if (op >= 89) {
		fuzz_epoll(w);
		return;
	}
	pthread_rwlock_rdlock(&s->lock);
	if (op < 8) {
		fuzz_bad_ioctl(w, s);
	} else if (op < 18) {
		fuzz_info(w, s);
	} else if (op < 33) {
		fuzz_ep_alloc(w, s, false);
	} else if (op < 36) {
		n = 1 + below(w, MAX_EPS);
		for (i = 0; i < n; i++)
			fuzz_ep_alloc(w, s, true);
	} else if (op < 38) {
		fuzz_ep_alloc_undo(w, s);
	} else if (op < 47) {
		fuzz_ep_free(w, s);
	} else if (op < 67) {
		fuzz_send(w, s);
	} else if (op < 85) {
		fuzz_recv(w, s, NULL);
	} else {
		fuzz_file_ops(w, s);
	}
	pthread_rwlock_unlock(&s->lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (w->iter = 0; w->iter < count && !stopping; w->iter++) {
		if (elapsed() >= max_secs)
			break;
		if (after_revoke >= 0 && n_revoked_seen &&
		    elapsed() >= t_revoked + after_revoke)
			break;
		seed_iteration(w);
		iteration(w);
		w->done = w->iter + 1;
	}
	return NULL;
}

/* --- setup -------------------------------------------------------------------- */

/* VmPin of /proc/self/status in kB (pages pinned by windows), or -1. */
static long vm_pin_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Does this process have CAP_IPC_LOCK (effective)? */
static bool has_ipc_lock(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long caps = 0;
	char line[256];

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps & (1ULL << 14);	/* CAP_IPC_LOCK */
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("cxifuzz: mmap");
		exit(2);
	}
	return p;
}

static void worker_setup(struct worker *w, unsigned int id)
{
	struct statfs sfs;
	int mfd;

	w->id = id;
	w->rw = map(2 * PG, PROT_READ | PROT_WRITE);
	w->msg = map(MSGBUF_LEN, PROT_READ | PROT_WRITE);
	/* One page seen twice: writable by us, read-only for the kernel. */
	mfd = memfd_create("cxifuzz", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, PG)) {
		perror("cxifuzz: memfd");
		exit(2);
	}
	w->ro_w = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	w->ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, mfd, 0);
	if (w->ro_w == MAP_FAILED || w->ro == MAP_FAILED) {
		perror("cxifuzz: mmap memfd");
		exit(2);
	}
	close(mfd);
	/* Windows: anonymous memory, and a tmpfs file mapped twice. */
	w->wpool = map(WPOOL_PAGES * PG, PROT_READ | PROT_WRITE);
	mfd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (mfd >= 0 && (fstatfs(mfd, &sfs) || sfs.f_type != TMPFS_MAGIC_)) {
		close(mfd);
		mfd = -1;
	}
	if (mfd < 0)
		mfd = memfd_create("cxifuzz-window", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, WFILE_PAGES * PG)) {
		perror("cxifuzz: tmpfs file");
		exit(2);
	}
	w->wfile = mmap(NULL, WFILE_PAGES * PG, PROT_READ | PROT_WRITE,
			MAP_SHARED, mfd, 0);
	w->wfile_priv = mmap(NULL, WFILE_PAGES * PG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE, mfd, 0);
	if (w->wfile == MAP_FAILED || w->wfile_priv == MAP_FAILED) {
		perror("cxifuzz: mmap tmpfs file");
		exit(2);
	}
	close(mfd);
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epfd < 0) {
		perror("cxifuzz: epoll_create1");
		exit(2);
	}
}

static unsigned int parse_list(char *s, __u32 *out, unsigned int max,
			       unsigned long lim)
{
	unsigned int n = 0;
	char *tok, *end;
	unsigned long v;

	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		errno = 0;
		v = strtoul(tok, &end, 0);
		if (errno || *end || end == tok || v > lim || n == max)
			usage();
		out[n++] = v;
	}
	return n;
}

static unsigned long parse_num(const char *s, unsigned long lim)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v > lim || s[0] == '-')
		usage();
	return v;
}

int main(int argc, char **argv)
{
	pthread_t wd;
	sigset_t set;
	long pin0, pin;
	bool have_seed = false;
	unsigned int i;
	int opt, fd;

	while ((opt = getopt(argc, argv, "s:n:t:j:V:T:p:w:Rr:q")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'n':
			count = parse_num(optarg, ULONG_MAX);
			break;
		case 't':
			max_secs = parse_num(optarg, 86400);
			break;
		case 'j':
			nthreads = parse_num(optarg, MAX_THREADS);
			if (!nthreads)
				usage();
			break;
		case 'V':
			nvnis = parse_list(optarg, vnis, MAX_VNIS, 0xffffffff);
			if (!nvnis)
				usage();
			break;
		case 'T':
			tc_opt = parse_num(optarg, SSNS_TC_MAX);
			break;
		case 'p':
			npeers = parse_list(optarg, peers, MAX_PEERS,
					    0xffffffff);
			break;
		case 'w':
			wd_secs = parse_num(optarg, 3600);
			break;
		case 'R':
			may_revoke = true;
			break;
		case 'r':
			after_revoke = parse_num(optarg, 3600);
			break;
		case 'q':
			quiet = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	dev_path = argv[optind];
	if (!strchr(dev_path, '/')) {
		snprintf(dev_buf, sizeof(dev_buf), "/dev/%s", dev_path);
		dev_path = dev_buf;
	}
	if (!have_seed) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		seed = (uint64_t)t.tv_sec * 1000003ULL ^ (uint64_t)t.tv_nsec ^
		       (uint64_t)getpid() << 32;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("cxifuzz: seed=%llu\n", (unsigned long long)seed);
	clock_gettime(CLOCK_MONOTONIC, &t_start);

	/* The watchdog thread alone takes SIGALRM. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < nthreads; i++)
		worker_setup(&workers[i], i);
	/* The largest window's memory, shared, pinned only when used. */
	big = mmap(NULL, BIG_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (big == MAP_FAILED) {
		perror("cxifuzz: mmap");
		return 2;
	}
	/*
	 * A page, then a hole, then a PROT_NONE page: made after every
	 * 1-page mapping, which could otherwise fill the hole.
	 */
	for (i = 0; i < nthreads; i++) {
		workers[i].edge = map(3 * PG, PROT_READ | PROT_WRITE);
		munmap(workers[i].edge + PG, PG);
		mprotect(workers[i].edge + 2 * PG, PG, PROT_NONE);
	}
	/*
	 * The hole: 2 unmapped pages between 2 PROT_NONE ones, made last, so
	 * no later mapping of ours (thread stacks are bigger) lands in it.
	 */
	hole = map(4 * PG, PROT_NONE);
	munmap(hole + PG, 2 * PG);
	hole += PG;
	for (i = 0; i <= nthreads; i++) {
		char *h = i < nthreads ? workers[i].edge + PG : hole;

		if (msync(h, PG, MS_ASYNC) != -1 || errno != ENOMEM) {
			printf("cxifuzz: the hole at %p is mapped\n", h);
			return 2;
		}
	}
	for (i = 0; i < MAX_SLOTS; i++) {
		fd = open(dev_path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			printf("cxifuzz: open %s: %s\n", dev_path,
			       strerror(errno));
			return 2;
		}
		slots[i].fd = fd;
		pthread_rwlock_init(&slots[i].lock, NULL);
		for (opt = 0; opt < (int)nthreads; opt++)
			epoll_ctl(workers[opt].epfd, EPOLL_CTL_ADD, fd,
				  &(struct epoll_event){ .events = EPOLLIN });
	}
	pin0 = vm_pin_kb();
	ipc_lock = has_ipc_lock();
	base.size = sizeof(base);
	if (ioctl(slots[0].fd, SSNS_SIM_IOC_INFO, &base)) {
		printf("cxifuzz: INFO: %s\n", strerror(errno));
		return 2;
	}
	if (!quiet)
		printf("cxifuzz: %s dev_index=%u max_addr=%u rxq_depth=%u, %lu iterations or %u s, %u thread(s)\n",
		       dev_path, base.dev_index, base.max_addr,
		       base.rxq_depth, count, max_secs, nthreads);

	if (pthread_create(&wd, NULL, watchdog, NULL)) {
		printf("cxifuzz: cannot start the watchdog\n");
		return 2;
	}
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&workers[i].thread, NULL, worker_main,
				   &workers[i])) {
			printf("cxifuzz: cannot start thread %u\n", i);
			return 2;
		}
	worker_main(&workers[0]);
	for (i = 1; i < nthreads; i++)
		pthread_join(workers[i].thread, NULL);

	/* Every endpoint goes with its file: no page may stay pinned. */
	for (i = 0; i < MAX_SLOTS; i++)
		close(slots[i].fd);
	pin = vm_pin_kb();
	pthread_mutex_lock(&out_lock);
	if (pin != pin0) {
		printf("cxifuzz: VIOLATION seed=%llu: VmPin %ld kB with every file closed, %ld kB at start: pinned pages leaked\n",
		       (unsigned long long)seed, pin, pin0);
		print_summary();
		printf("cxifuzz: seed=%llu\n", (unsigned long long)seed);
		replay_hint();
		fflush(stdout);
		_exit(1);
	}
	print_summary();
	if (!quiet)
		printf("cxifuzz: VmPin %ld kB at start and with every file closed\n",
		       pin);
	{
		unsigned long n = 0;

		for (i = 0; i < nthreads; i++)
			n += workers[i].done;
		printf("cxifuzz: seed=%llu iterations=%lu revoked_files_seen=%lu clean\n",
		       (unsigned long long)seed, n, n_revoked_seen);
	}
	fflush(stdout);
	/* The files are closed: the test checks that no endpoint is left. */
	_exit(0);
}
