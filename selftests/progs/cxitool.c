// SPDX-License-Identifier: GPL-2.0
/*
 * cxitool: drive a simulated cxi NIC (/dev/cxiN of ssns_sim) from tests.
 *
 *   cxitool [-r FILE] [-v] DEV COMMAND [ARGS...]
 *
 * DEV is "cxi0", a path, or "fd:N" for an inherited open file. TC is a
 * traffic class name (dedicated_access, low_latency, bulk_data,
 * best_effort) or its number. ADDR is a number or "any". Commands:
 *
 *   open                      open the device and close it again
 *   info                      print dev_index, max_addr, rxq_depth, net_cookie
 *   alloc VNI TC ADDR         allocate an endpoint, print its address
 *   hold VNI TC ADDR SECS     allocate, then receive until revoked or SECS
 *                             pass: prints "revoked ENODEV" (exit ENODEV)
 *                             or "timeout" (exit 0); "recv ..." per message
 *   pollhold VNI TC ADDR SECS same, waiting in poll(): prints "revoked
 *                             ENODEV" on EPOLLERR|EPOLLHUP then ENODEV
 *   many N VNI TC SECS        allocate up to N endpoints on one file, print
 *                             "allocated K" (and "error: ENAME" for the
 *                             first failure), keep them SECS or until revoked
 *   wait SECS                 keep the file open without endpoints until
 *                             revoked: "revoked ENODEV" once poll() reports
 *                             EPOLLERR|EPOLLHUP and INFO fails, or "timeout"
 *   park VNI TC ADDR SECS     allocate, then wait SECS without receiving:
 *                             prints "parked", or "revoked ENODEV" (exit
 *                             ENODEV) when the file is revoked
 *   send VNI TC SRC DSTDEV DSTADDR MSG
 *                             send MSG from a new endpoint at SRC
 *   sendsize VNI TC SRC DSTDEV DSTADDR SIZE
 *                             send SIZE bytes (a pattern), print nothing
 *   flood VNI TC SRC DSTDEV DSTADDR N
 *                             send N messages; stops at the first error and
 *                             prints "sent K" first
 *   recv VNI TC ADDR TIMEOUT_MS [COUNT]
 *                             receive COUNT (1) messages, print each payload
 *                             (with -v: "from DEV ADDR len N: PAYLOAD"); a
 *                             message that is not text prints "len N ok" when
 *                             it carries the sendsize pattern
 *   echo VNI TC ADDR TIMEOUT_MS
 *                             send every message back to its sender until
 *                             nothing comes for TIMEOUT_MS; prints "echoed K"
 *   call VNI TC SRC DSTDEV DSTADDR MSG TIMEOUT_MS
 *                             send MSG and print the reply
 *   stress VNI TC ADDR SECS [PEER_INDEX]
 *                             race alloc/free, send and receive on one
 *                             endpoint address from four threads (senders
 *                             aim at ADDR on device PEER_INDEX, default
 *                             this one); prints "stress ok|revoked ..." or
 *                             "stress bad ENAME"
 *   seqsend VNI TC SRC DSTDEV DSTADDR SECS [PAUSE_US]
 *                             send numbered messages ("RUN SEQ") until SECS
 *                             pass, SIGTERM, or an error other than EAGAIN
 *                             (retried, counted as busy); SEQ counts only
 *                             accepted sends. Prints "sent K busy B end
 *                             ok|ENAME"; exits 0, or the errno that ended it.
 *                             PAUSE_US: sleep that long after every 32 sends
 *                             (leaves CPU time to other tests' loops)
 *   seqrecv VNI TC ADDR SECS  receive numbered messages until SECS pass,
 *                             revocation or an error; on SIGTERM drain what
 *                             is queued, then stop. Checks that each sender
 *                             run's numbers arrive in order: "gaps" counts
 *                             numbers skipped, "bad" numbers repeated or
 *                             backwards. Prints "received K gaps G bad B
 *                             runs R end ok|ENAME"; exit status as seqsend
 *   shaped VNI TC SRC DSTDEV DSTADDR SIZE N wait|poll
 *                             send N messages of SIZE bytes through the
 *                             device's shaper: sleeping in the kernel
 *                             (SSNS_SIM_SEND_WAIT), or polling for POLLOUT
 *                             after EAGAIN; prints "sent K" after each, then
 *                             "sent K eagain E end ok|ENAME"; exit status
 *                             as seqsend
 *   abi VNI TC                check the ioctl ABI rules on one endpoint
 *                             (TAP lines; exit 0 when all hold)
 *
 *   cxitool - batch           read "DEV VNI TC ADDR" lines on stdin; for each
 *                             open, allocate, close; print OK or the errno
 *
 * Options: -r FILE  create FILE holding the address once the endpoint is
 * allocated (lets a test wait for a receiver); -v  verbose.
 *
 * Exit status: 0 on success, else the errno of the failing call, and the
 * last line printed is "error: ENAME (description)". Usage errors exit 255.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>
#include <libssns.h>

#define EXIT_USAGE	255
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *ready_file;
static bool verbose;
static int dev_fd = -1;

static void print_usage(void)
{
	fprintf(stderr,
		"usage: cxitool [-r FILE] [-v] DEV COMMAND [ARGS...]\n"
		"commands: open | info | alloc VNI TC ADDR |\n"
		"  hold VNI TC ADDR SECS | pollhold VNI TC ADDR SECS |\n"
		"  park VNI TC ADDR SECS |\n"
		"  send VNI TC SRC DSTDEV DSTADDR MSG |\n"
		"  sendsize VNI TC SRC DSTDEV DSTADDR SIZE |\n"
		"  flood VNI TC SRC DSTDEV DSTADDR N |\n"
		"  recv VNI TC ADDR TIMEOUT_MS [COUNT] |\n"
		"  echo VNI TC ADDR TIMEOUT_MS |\n"
		"  call VNI TC SRC DSTDEV DSTADDR MSG TIMEOUT_MS |\n"
		"  stress VNI TC ADDR SECS [PEER_INDEX] | abi VNI TC |\n"
		"  seqsend VNI TC SRC DSTDEV DSTADDR SECS [PAUSE_US] |\n"
		"  seqrecv VNI TC ADDR SECS |\n"
		"  shaped VNI TC SRC DSTDEV DSTADDR SIZE N wait|poll\n");
	exit(EXIT_USAGE);
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

/* Report errno @err of @what and exit with it. */
static void die(int err, const char *what)
{
	printf("error: %s (%s)\n", errname(err), strerror(err));
	fflush(stdout);
	if (verbose)
		fprintf(stderr, "cxitool: %s: %s\n", what, strerror(err));
	exit(err & 0xff ? err : 1);
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max || s[0] == '-') {
		fprintf(stderr, "cxitool: bad number '%s'\n", s);
		print_usage();
	}
	return v;
}

/* A traffic class by its libssns name, or its number. */
static __u32 parse_tc(const char *s)
{
	int tc = ssns_tc_from_name(s);

	return tc >= 0 ? (__u32)tc : parse_num(s, UINT32_MAX);
}

static __u32 parse_addr(const char *s)
{
	if (!strcmp(s, "any"))
		return SSNS_PID_ANY;
	return parse_num(s, UINT32_MAX);
}

static void dev_open(const char *dev)
{
	char path[PATH_MAX];

	/* "fd:N": use an inherited open file (an fd passed to this process). */
	if (!strncmp(dev, "fd:", 3)) {
		dev_fd = (int)parse_num(dev + 3, INT_MAX);
		return;
	}
	if (strchr(dev, '/'))
		snprintf(path, sizeof(path), "%s", dev);
	else
		snprintf(path, sizeof(path), "/dev/%s", dev);
	dev_fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev_fd < 0)
		die(errno, path);
}

static int do_ioctl(unsigned long cmd, void *arg)
{
	return ioctl(dev_fd, cmd, arg) ? errno : 0;
}

static void get_info(struct ssns_sim_info *info)
{
	int err;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	err = do_ioctl(SSNS_SIM_IOC_INFO, info);
	if (err)
		die(err, "info");
}

/* Allocate an endpoint; returns its handle, stores its address. */
static __u32 ep_alloc(__u32 vni, __u32 tc, __u32 addr, __u32 *out_addr)
{
	struct ssns_sim_ep_alloc a = {
		.size = sizeof(a), .vni = vni, .tc = tc, .addr = addr,
	};
	int err = do_ioctl(SSNS_SIM_IOC_EP_ALLOC, &a);

	if (err)
		die(err, "alloc");
	if (out_addr)
		*out_addr = a.addr;
	if (ready_file) {
		FILE *f = fopen(ready_file, "w");

		if (!f)
			die(errno, ready_file);
		fprintf(f, "%u\n", a.addr);
		fclose(f);
	}
	return a.handle;
}

static int ep_send(__u32 handle, __u32 dst_dev, __u32 dst_addr,
		   const void *buf, size_t len)
{
	struct ssns_sim_send s = {
		.size = sizeof(s), .handle = handle, .dst_dev = dst_dev,
		.dst_addr = dst_addr, .buf = (uintptr_t)buf, .len = len,
	};

	return do_ioctl(SSNS_SIM_IOC_SEND, &s);
}

static int ep_recv(__u32 handle, void *buf, size_t len, __u32 flags,
		   __u32 timeout_ms, struct ssns_sim_recv *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->handle = handle;
	out->buf = (uintptr_t)buf;
	out->len = len;
	out->flags = flags;
	out->timeout_ms = timeout_ms;
	return do_ioctl(SSNS_SIM_IOC_RECV, out);
}

static void fill_pattern(unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7 + 3);
}

static bool check_pattern(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(i * 7 + 3))
			return false;
	return true;
}

static bool is_text(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

static void print_msg(const struct ssns_sim_recv *r, const unsigned char *p)
{
	if (verbose)
		printf("from %u %u len %u: ", r->src_dev, r->src_addr,
		       r->msg_len);
	if (is_text(p, r->msg_len))
		printf("%.*s\n", (int)r->msg_len, (const char *)p);
	else if (check_pattern(p, r->msg_len))
		printf("len %u ok\n", r->msg_len);
	else
		printf("len %u bad\n", r->msg_len);
	fflush(stdout);
}

static void *xmalloc(size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		die(ENOMEM, "malloc");
	return p;
}

static int cmd_info(void)
{
	struct ssns_sim_info info;

	get_info(&info);
	printf("dev_index %u\nmax_addr %u\nrxq_depth %u\nnet_cookie %llu\n",
	       info.dev_index, info.max_addr, info.rxq_depth,
	       (unsigned long long)info.net_cookie);
	return 0;
}

static int cmd_alloc(char **argv)
{
	__u32 addr;

	ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
		 parse_addr(argv[2]), &addr);
	printf("%u\n", addr);
	return 0;
}

static int cmd_hold(char **argv, bool use_poll)
{
	unsigned long secs = parse_num(argv[3], 86400);
	unsigned char *buf = xmalloc(SSNS_SIM_MSG_MAX);
	struct ssns_sim_recv r;
	__u32 handle, addr;
	time_t end;
	int err;

	handle = ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
			  parse_addr(argv[2]), &addr);
	if (verbose)
		fprintf(stderr, "holding address %u\n", addr);
	end = time(NULL) + secs;
	for (;;) {
		long left = end - time(NULL);

		if (left <= 0) {
			printf("timeout\n");
			return 0;
		}
		if (use_poll) {
			struct pollfd pfd = { .fd = dev_fd, .events = POLLIN };
			int n = poll(&pfd, 1, left * 1000);

			if (n < 0)
				die(errno, "poll");
			if (!n)
				continue;
			if (pfd.revents & (POLLERR | POLLHUP)) {
				/* The next call must fail with ENODEV. */
				err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX,
					      SSNS_SIM_RECV_NONBLOCK, 0, &r);
				printf("revoked %s\n", errname(err));
				return err ? err : 1;
			}
			err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX,
				      SSNS_SIM_RECV_NONBLOCK, 0, &r);
		} else {
			err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX, 0,
				      left * 1000, &r);
		}
		if (err == ENODEV) {
			printf("revoked %s\n", errname(err));
			return err;
		}
		if (err == ETIMEDOUT || err == EAGAIN)
			continue;
		if (err)
			die(err, "recv");
		printf("recv ");
		print_msg(&r, buf);
	}
}

static int cmd_park(char **argv)
{
	unsigned long secs = parse_num(argv[3], 86400);
	struct pollfd pfd = { .fd = dev_fd, .events = 0 };
	int n;

	ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
		 parse_addr(argv[2]), NULL);
	/* Only EPOLLERR | EPOLLHUP (revocation) ends the wait early. */
	n = poll(&pfd, 1, secs * 1000);
	if (n < 0)
		die(errno, "poll");
	if (n && (pfd.revents & (POLLERR | POLLHUP))) {
		printf("revoked %s\n", errname(ENODEV));
		exit(ENODEV);
	}
	printf("parked\n");
	return 0;
}

/*
 * many N VNI TC SECS: allocate up to N endpoints (any address) on one open
 * file, print "allocated K" and, if one failed, "error: ENAME"; then keep
 * them until SECS pass or the context is revoked.
 */
static int cmd_many(char **argv)
{
	unsigned long n = parse_num(argv[0], 100000), k;
	unsigned long secs = parse_num(argv[3], 86400);
	struct pollfd pfd = { .fd = dev_fd, .events = 0 };
	int err = 0;

	for (k = 0; k < n; k++) {
		struct ssns_sim_ep_alloc a = {
			.size = sizeof(a),
			.vni = parse_num(argv[1], UINT32_MAX),
			.tc = parse_tc(argv[2]), .addr = SSNS_PID_ANY,
		};

		err = do_ioctl(SSNS_SIM_IOC_EP_ALLOC, &a);
		if (err)
			break;
	}
	printf("allocated %lu\n", k);
	if (err)
		printf("error: %s\n", errname(err));
	if (ready_file) {
		FILE *f = fopen(ready_file, "w");

		if (!f)
			die(errno, ready_file);
		fclose(f);
	}
	if (poll(&pfd, 1, secs * 1000) > 0 &&
	    (pfd.revents & (POLLERR | POLLHUP)))
		printf("revoked ENODEV\n");
	return 0;
}

/* wait SECS: keep the file open, without endpoints, until revoked. */
static int cmd_wait(char **argv)
{
	unsigned long secs = parse_num(argv[0], 86400);
	struct pollfd pfd = { .fd = dev_fd, .events = POLLIN };
	struct ssns_sim_info info;
	int n, err;

	if (ready_file) {
		FILE *f = fopen(ready_file, "w");

		if (!f)
			die(errno, ready_file);
		fclose(f);
	}
	n = poll(&pfd, 1, secs * 1000);
	if (n < 0)
		die(errno, "poll");
	if (!n) {
		printf("timeout\n");
		return 0;
	}
	if (!(pfd.revents & (POLLERR | POLLHUP))) {
		printf("poll 0x%x\n", pfd.revents);
		return 1;
	}
	/* The next call must fail with ENODEV. */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	err = do_ioctl(SSNS_SIM_IOC_INFO, &info);
	printf("revoked %s\n", err ? errname(err) : "but INFO succeeded");
	return err ? err : 1;
}

static int cmd_send(char **argv, int mode)
{
	__u32 handle = ep_alloc(parse_num(argv[0], UINT32_MAX),
				parse_tc(argv[1]), parse_addr(argv[2]), NULL);
	__u32 dst_dev = parse_num(argv[3], UINT32_MAX);
	__u32 dst_addr = parse_num(argv[4], UINT32_MAX);
	unsigned long i, n;
	unsigned char *buf;
	size_t len;
	int err;

	switch (mode) {
	case 0:		/* send MSG */
		err = ep_send(handle, dst_dev, dst_addr, argv[5],
			      strlen(argv[5]));
		break;
	case 1:		/* sendsize SIZE */
		len = parse_num(argv[5], UINT32_MAX);
		buf = xmalloc(len);
		fill_pattern(buf, len);
		err = ep_send(handle, dst_dev, dst_addr, buf, len);
		free(buf);
		break;
	default:	/* flood N */
		n = parse_num(argv[5], 1000000);
		err = 0;
		for (i = 0; i < n && !err; i++) {
			char msg[32];

			snprintf(msg, sizeof(msg), "m%lu", i);
			err = ep_send(handle, dst_dev, dst_addr, msg,
				      strlen(msg));
		}
		printf("sent %lu\n", err ? i - 1 : i);
		break;
	}
	if (err)
		die(err, "send");
	return 0;
}

static int cmd_recv(char **argv, int argc)
{
	unsigned char *buf = xmalloc(SSNS_SIM_MSG_MAX);
	unsigned long timeout = parse_num(argv[3], UINT32_MAX);
	unsigned long i, count = 1;
	struct ssns_sim_recv r;
	__u32 handle;
	int err;

	if (argc > 4)
		count = parse_num(argv[4], 1000000);
	handle = ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
			  parse_addr(argv[2]), NULL);
	for (i = 0; i < count; i++) {
		err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX,
			      timeout ? 0 : SSNS_SIM_RECV_NONBLOCK, timeout,
			      &r);
		if (err)
			die(err, "recv");
		print_msg(&r, buf);
	}
	return 0;
}

static int cmd_echo(char **argv)
{
	unsigned char *buf = xmalloc(SSNS_SIM_MSG_MAX);
	unsigned long timeout = parse_num(argv[3], UINT32_MAX);
	unsigned long echoed = 0;
	struct ssns_sim_recv r;
	__u32 handle;
	int err;

	if (!timeout)
		print_usage();
	handle = ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
			  parse_addr(argv[2]), NULL);
	for (;;) {
		err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX, 0, timeout, &r);
		if (err == ETIMEDOUT)
			break;
		if (err)
			die(err, "recv");
		do {
			err = ep_send(handle, r.src_dev, r.src_addr, buf,
				      r.msg_len);
			if (err == EAGAIN)
				usleep(1000);
		} while (err == EAGAIN);
		if (err)
			die(err, "send");
		echoed++;
	}
	printf("echoed %lu\n", echoed);
	return 0;
}

static int cmd_call(char **argv)
{
	unsigned char *buf = xmalloc(SSNS_SIM_MSG_MAX);
	struct ssns_sim_recv r;
	__u32 handle;
	int err;

	handle = ep_alloc(parse_num(argv[0], UINT32_MAX), parse_tc(argv[1]),
			  parse_addr(argv[2]), NULL);
	err = ep_send(handle, parse_num(argv[3], UINT32_MAX),
		      parse_num(argv[4], UINT32_MAX), argv[5],
		      strlen(argv[5]));
	if (err)
		die(err, "send");
	err = ep_recv(handle, buf, SSNS_SIM_MSG_MAX, 0,
		      parse_num(argv[6], UINT32_MAX), &r);
	if (err)
		die(err, "recv");
	print_msg(&r, buf);
	return 0;
}

/*
 * stress: threads race on one context: one allocates and frees an
 * endpoint at ADDR over and over, two send to it, one receives on it.
 * Only the errnos these races explain are accepted; ENODEV (revocation)
 * ends the run. Prints "stress ok" and counts, or "stress bad ERRNO".
 */
struct stress {
	__u32 vni, tc, addr, dev;
	time_t end;
	atomic_uint handle;		/* current handle at addr, 0: none */
	atomic_int stop;
	atomic_int bad;		/* an errno nobody expects */
	atomic_int revoked;
	atomic_ulong allocs, sends, recvs;
};

static void stress_err(struct stress *st, int err, const int *ok)
{
	for (; *ok; ok++)
		if (err == *ok)
			return;
	if (err == ENODEV)
		st->revoked = 1;
	else
		atomic_compare_exchange_strong(&st->bad, &(int){ 0 }, err);
	st->stop = 1;
}

static bool stress_running(struct stress *st)
{
	return !st->stop && time(NULL) < st->end;
}

static void *stress_alloc(void *arg)
{
	static const int ok[] = { EADDRINUSE, 0 };
	struct stress *st = arg;

	while (stress_running(st)) {
		struct ssns_sim_ep_alloc a = {
			.size = sizeof(a), .vni = st->vni, .tc = st->tc,
			.addr = st->addr,
		};
		struct ssns_sim_ep_free f = { .size = sizeof(f) };
		int err = do_ioctl(SSNS_SIM_IOC_EP_ALLOC, &a);

		if (err) {
			stress_err(st, err, ok);
			continue;
		}
		st->handle = a.handle;
		st->allocs++;
		usleep(200);
		f.handle = a.handle;
		st->handle = 0;
		err = do_ioctl(SSNS_SIM_IOC_EP_FREE, &f);
		if (err)
			stress_err(st, err, ok);
	}
	return NULL;
}

static void *stress_send(void *arg)
{
	static const int ok[] = { EAGAIN, 0 };
	struct stress *st = arg;
	char msg[256];
	__u32 h, addr;
	int err;

	struct ssns_sim_ep_alloc a = {
		.size = sizeof(a), .vni = st->vni, .tc = st->tc,
		.addr = SSNS_PID_ANY,
	};
	err = do_ioctl(SSNS_SIM_IOC_EP_ALLOC, &a);
	if (err) {
		stress_err(st, err, ok + 1);
		return NULL;
	}
	h = a.handle;
	addr = a.addr;
	memset(msg, 'x', sizeof(msg));
	while (stress_running(st)) {
		err = ep_send(h, st->dev, st->addr, msg, 1 + addr % 255);
		if (err)
			stress_err(st, err, ok);
		else
			st->sends++;
	}
	return NULL;
}

static void *stress_recv(void *arg)
{
	static const int ok[] = { EBADF, EAGAIN, ETIMEDOUT, 0 };
	struct stress *st = arg;
	struct ssns_sim_recv r;
	char buf[256];
	int err;

	while (stress_running(st)) {
		__u32 h = st->handle;

		if (!h) {
			sched_yield();
			continue;
		}
		err = ep_recv(h, buf, sizeof(buf), 0, 5, &r);
		if (err)
			stress_err(st, err, ok);
		else
			st->recvs++;
	}
	return NULL;
}

static int cmd_stress(char **argv, const char *peer)
{
	struct stress st = {
		.vni = parse_num(argv[0], UINT32_MAX),
		.tc = parse_tc(argv[1]),
		.addr = parse_num(argv[2], UINT32_MAX),
	};
	void *(*fn[])(void *) = {
		stress_alloc, stress_send, stress_send, stress_recv,
	};
	pthread_t t[ARRAY_SIZE(fn)];
	struct ssns_sim_info info;
	unsigned int i;

	get_info(&info);
	st.dev = peer ? parse_num(peer, UINT32_MAX) : info.dev_index;
	st.end = time(NULL) + parse_num(argv[3], 86400);
	for (i = 0; i < ARRAY_SIZE(fn); i++)
		if (pthread_create(&t[i], NULL, fn[i], &st))
			die(EAGAIN, "pthread_create");
	for (i = 0; i < ARRAY_SIZE(fn); i++)
		pthread_join(t[i], NULL);
	if (st.bad) {
		printf("stress bad %s\n", errname(st.bad));
		return 1;
	}
	printf("stress %s allocs %lu sends %lu recvs %lu\n",
	       st.revoked ? "revoked" : "ok", (unsigned long)st.allocs,
	       (unsigned long)st.sends, (unsigned long)st.recvs);
	return 0;
}

/*
 * seqsend / seqrecv: numbered messages for loss accounting. SIGTERM and
 * SIGINT set seq_stop without SA_RESTART, so a blocked receive returns
 * EINTR and the loops end cleanly with their counts printed.
 */
static volatile sig_atomic_t seq_stop;

static void seq_on_signal(int sig)
{
	(void)sig;
	seq_stop = 1;
}

static void seq_signals(void)
{
	struct sigaction sa = { .sa_handler = seq_on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int cmd_seqsend(char **argv, int argc)
{
	unsigned long pause_us = argc > 6 ? parse_num(argv[6], 1000000) : 0;
	__u32 handle = ep_alloc(parse_num(argv[0], UINT32_MAX),
				parse_tc(argv[1]), parse_addr(argv[2]), NULL);
	__u32 dst_dev = parse_num(argv[3], UINT32_MAX);
	__u32 dst_addr = parse_num(argv[4], UINT32_MAX);
	time_t end = time(NULL) + parse_num(argv[5], 86400);
	unsigned long seq = 0, busy = 0;
	unsigned long run = (unsigned long)getpid() << 20 ^ (unsigned long)time(NULL);
	char msg[64];
	int err = 0;

	seq_signals();
	while (!seq_stop && time(NULL) < end) {
		int len = snprintf(msg, sizeof(msg), "%lu %lu", run, seq);

		err = ep_send(handle, dst_dev, dst_addr, msg, len);
		if (err == EAGAIN) {
			busy++;
			err = 0;
			usleep(200);
			continue;
		}
		if (err)
			break;
		seq++;
		if (pause_us && !(seq % 32))
			usleep(pause_us);
	}
	printf("sent %lu busy %lu end %s\n", seq, busy,
	       err ? errname(err) : "ok");
	return err;
}

static int cmd_shaped(char **argv)
{
	__u32 handle = ep_alloc(parse_num(argv[0], UINT32_MAX),
				parse_tc(argv[1]), parse_addr(argv[2]), NULL);
	struct ssns_sim_send s = {
		.size = sizeof(s), .handle = handle,
		.dst_dev = parse_num(argv[3], UINT32_MAX),
		.dst_addr = parse_num(argv[4], UINT32_MAX),
		.len = parse_num(argv[5], SSNS_SIM_MSG_MAX),
	};
	unsigned long n = parse_num(argv[6], 1000000), sent = 0, eagain = 0;
	struct pollfd pfd = { .fd = dev_fd, .events = POLLOUT };
	bool wait = !strcmp(argv[7], "wait");
	unsigned char *buf;
	int err = 0;

	if (!wait && strcmp(argv[7], "poll"))
		print_usage();
	buf = xmalloc(s.len);
	fill_pattern(buf, s.len);
	s.buf = (uintptr_t)buf;
	s.flags = wait ? SSNS_SIM_SEND_WAIT : 0;
	while (sent < n) {
		err = do_ioctl(SSNS_SIM_IOC_SEND, &s);
		if (err == EAGAIN && !wait) {
			/* Held back: POLLOUT once it may go (or POLLERR). */
			eagain++;
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
				err = errno;
				break;
			}
			continue;
		}
		if (err)
			break;
		printf("sent %lu\n", ++sent);
		fflush(stdout);
	}
	printf("sent %lu eagain %lu end %s\n", sent, eagain,
	       err ? errname(err) : "ok");
	free(buf);
	return err;
}

static int cmd_seqrecv(char **argv)
{
	__u32 handle = ep_alloc(parse_num(argv[0], UINT32_MAX),
				parse_tc(argv[1]), parse_addr(argv[2]), NULL);
	time_t end = time(NULL) + parse_num(argv[3], 86400);
	unsigned long got = 0, gaps = 0, bad = 0, runs = 0;
	unsigned long run = 0, next = 0, r_run, r_seq;
	struct ssns_sim_recv r;
	char buf[128];
	int err = 0;

	seq_signals();
	for (;;) {
		bool draining = seq_stop || time(NULL) >= end;

		err = ep_recv(handle, buf, sizeof(buf) - 1,
			      draining ? SSNS_SIM_RECV_NONBLOCK : 0, 200, &r);
		if (err == ETIMEDOUT || err == EINTR) {
			err = 0;
			continue;
		}
		if (err == EAGAIN && draining) {
			err = 0;
			break;
		}
		if (err)
			break;
		got++;
		buf[r.msg_len] = 0;
		if (sscanf(buf, "%lu %lu", &r_run, &r_seq) != 2) {
			bad++;
			continue;
		}
		if (!runs || r_run != run) {
			/* A new sender run: its numbers start at 0. */
			runs++;
			run = r_run;
			next = 0;
		}
		if (r_seq < next)
			bad++;
		else
			gaps += r_seq - next;
		next = r_seq + 1;
	}
	printf("received %lu gaps %lu bad %lu runs %lu end %s\n", got, gaps,
	       bad, runs, err ? errname(err) : "ok");
	return err;
}

/* abi: one TAP line per rule of uapi/linux/ssns_sim.h. */
static int abi_fail;
static int abi_n;

static void abi_expect(const char *what, int got, int want)
{
	abi_n++;
	if (got == want) {
		printf("ok %d - %s: %s\n", abi_n, what,
		       want ? errname(want) : "success");
	} else {
		printf("not ok %d - %s: got %s, want %s\n", abi_n, what,
		       got ? errname(got) : "success",
		       want ? errname(want) : "success");
		abi_fail++;
	}
}

static int nb_recv(__u32 handle, void *buf, size_t len,
		   struct ssns_sim_recv *r)
{
	return ep_recv(handle, buf, len, SSNS_SIM_RECV_NONBLOCK, 0, r);
}

static int poll_now(void)
{
	struct pollfd pfd = { .fd = dev_fd, .events = POLLIN | POLLOUT };

	return poll(&pfd, 1, 0) == 1 ? pfd.revents : -1;
}

#define IOC(cmd, arg)	do_ioctl(SSNS_SIM_IOC_##cmd, arg)

static void abi_expect_val(const char *what, long got, long want)
{
	abi_n++;
	if (got == want) {
		printf("ok %d - %s: %ld\n", abi_n, what, got);
	} else {
		printf("not ok %d - %s: got %ld, want %ld\n", abi_n, what, got,
		       want);
		abi_fail++;
	}
}

static int cmd_abi(char **argv)
{
	__u32 vni = parse_num(argv[0], UINT32_MAX), tc = parse_tc(argv[1]);
	struct {
		struct ssns_sim_info info;
		__u8 extra[16];
	} big;
	struct ssns_sim_info info;
	struct ssns_sim_ep_alloc a;
	struct ssns_sim_ep_free f;
	struct ssns_sim_send s;
	struct ssns_sim_recv r;
	unsigned char small[4];
	char buf[64] = "";
	__u32 h, addr, dev;
	char msg[] = "hello abi";

	memset(&info, 0, sizeof(info));
	info.size = SSNS_SIM_INFO_SIZE_VER0 - 4;
	abi_expect("info: size below first version", IOC(INFO, &info),
		   EINVAL);
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	abi_expect("info: larger struct, zero tail", IOC(INFO, &big), 0);
	big.extra[7] = 1;
	abi_expect("info: larger struct, non-zero tail", IOC(INFO, &big),
		   E2BIG);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved[2] = 1;
	abi_expect("info: reserved non-zero", IOC(INFO, &info), EINVAL);
	abi_expect("info: bad pointer", IOC(INFO, NULL), EFAULT);
	abi_expect("unknown ioctl",
		   do_ioctl(_IO(SSNS_SIM_IOC_MAGIC, 99), &info), ENOTTY);
	get_info(&info);
	dev = info.dev_index;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.vni = vni;
	a.tc = tc;
	a.addr = SSNS_PID_ANY;
	a.reserved = 1;
	abi_expect("alloc: reserved non-zero", IOC(EP_ALLOC, &a), EINVAL);
	a.reserved = 0;
	a.vni = 0;
	abi_expect("alloc: vni 0", IOC(EP_ALLOC, &a), EINVAL);
	a.vni = 65536;
	abi_expect("alloc: vni 65536", IOC(EP_ALLOC, &a), EINVAL);
	a.vni = vni;
	a.tc = SSNS_TC_MAX + 1;
	abi_expect("alloc: bad tc", IOC(EP_ALLOC, &a), EINVAL);
	a.tc = tc;
	a.addr = info.max_addr + 1;
	abi_expect("alloc: address above max_addr", IOC(EP_ALLOC, &a),
		   EINVAL);
	h = ep_alloc(vni, tc, SSNS_PID_ANY, &addr);
	abi_n++;
	printf("ok %d - alloc: any address gives %u, handle %u\n", abi_n,
	       addr, h);
	a.addr = addr;
	abi_expect("alloc: address in use", IOC(EP_ALLOC, &a), EADDRINUSE);

	abi_expect("recv: empty non-blocking",
		   nb_recv(h, small, sizeof(small), &r), EAGAIN);
	abi_expect("recv: times out",
		   ep_recv(h, small, sizeof(small), 0, 50, &r), ETIMEDOUT);
	abi_expect("recv: unknown flag",
		   ep_recv(h, small, sizeof(small), 1U << 5, 0, &r), EINVAL);
	abi_expect("recv: bad handle",
		   nb_recv(h + 1000, small, sizeof(small), &r), EBADF);

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.handle = h;
	s.dst_dev = dev;
	s.dst_addr = addr;
	s.buf = (uintptr_t)msg;
	s.len = strlen(msg);
	s.flags = ~SSNS_SIM_SEND_WAIT;
	abi_expect("send: unknown flags", IOC(SEND, &s), EINVAL);
	s.flags = 0;
	s.len = SSNS_SIM_MSG_MAX + 1;
	abi_expect("send: above 1 MiB", IOC(SEND, &s), EMSGSIZE);
	s.len = strlen(msg);
	s.buf = 8;
	abi_expect("send: bad buffer", IOC(SEND, &s), EFAULT);
	s.buf = (uintptr_t)msg;
	s.handle = h + 1000;
	abi_expect("send: bad handle", IOC(SEND, &s), EBADF);
	s.handle = h;
	abi_expect("send: to itself", IOC(SEND, &s), 0);

	abi_expect("recv: buffer too small",
		   nb_recv(h, small, sizeof(small), &r), EMSGSIZE);
	abi_expect_val("recv: too small reports msg_len", r.msg_len,
		       strlen(msg));
	abi_expect_val("poll: POLLIN|POLLOUT with a message queued",
		       poll_now(), POLLIN | POLLOUT);
	abi_expect("recv: message kept after EMSGSIZE",
		   nb_recv(h, buf, sizeof(buf), &r), 0);
	abi_expect("recv: payload and source",
		   !strcmp(buf, msg) && r.msg_len == strlen(msg) &&
		   r.src_dev == dev && r.src_addr == addr ? 0 : EBADMSG, 0);
	abi_expect_val("poll: POLLOUT only when nothing is queued",
		       poll_now(), POLLOUT);
	s.len = 0;
	abi_expect("send: empty message", IOC(SEND, &s), 0);
	abi_expect("recv: empty message", nb_recv(h, NULL, 0, &r), 0);
	s.len = strlen(msg);
	s.dst_addr = addr == 0 ? 1 : addr - 1;
	abi_expect("send: to nobody is dropped, not an error",
		   IOC(SEND, &s), 0);
	abi_expect("recv: dropped message never arrives",
		   nb_recv(h, small, sizeof(small), &r), EAGAIN);

	memset(&f, 0, sizeof(f));
	f.size = 4;
	abi_expect("free: size below first version", IOC(EP_FREE, &f),
		   EINVAL);
	f.size = sizeof(f);
	f.handle = h;
	abi_expect("free", IOC(EP_FREE, &f), 0);
	abi_expect("free: twice", IOC(EP_FREE, &f), EBADF);
	abi_expect("recv: freed handle",
		   nb_recv(h, small, sizeof(small), &r), EBADF);
	a.addr = addr;
	abi_expect("alloc: freed address is free again", IOC(EP_ALLOC, &a),
		   0);
	printf("1..%d\n", abi_n);
	return abi_fail ? 1 : 0;
}

/*
 * batch: read "DEV VNI TC ADDR" lines on stdin; for each, open DEV,
 * allocate, close, and print "OK" or the errno name. One process for many
 * admission checks.
 */
static int cmd_batch(void)
{
	char dev[64], tc[32], addr[32];
	unsigned long vni;
	int fd, err;

	while (scanf("%63s %lu %31s %31s", dev, &vni, tc, addr) == 4) {
		struct ssns_sim_ep_alloc a = {
			.size = sizeof(a), .vni = (__u32)vni,
			.tc = parse_tc(tc), .addr = parse_addr(addr),
		};
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "/dev/%s", dev);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			printf("%s\n", errname(errno));
			continue;
		}
		err = ioctl(fd, SSNS_SIM_IOC_EP_ALLOC, &a) ? errno : 0;
		printf("%s\n", err ? errname(err) : "OK");
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	int opt, n;

	while ((opt = getopt(argc, argv, "+r:vh")) != -1) {
		switch (opt) {
		case 'r':
			ready_file = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			print_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		print_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[0], "-") && !strcmp(argv[1], "batch"))
		return cmd_batch();
	dev_open(argv[0]);
	cmd = argv[1];
	argv += 2;
	n = argc - 2;

	if (!strcmp(cmd, "open") && n == 0) {
		printf("ok\n");
		return 0;
	}
	if (!strcmp(cmd, "info") && n == 0)
		return cmd_info();
	if (!strcmp(cmd, "alloc") && n == 3)
		return cmd_alloc(argv);
	if (!strcmp(cmd, "hold") && n == 4)
		return cmd_hold(argv, false);
	if (!strcmp(cmd, "pollhold") && n == 4)
		return cmd_hold(argv, true);
	if (!strcmp(cmd, "many") && n == 4)
		return cmd_many(argv);
	if (!strcmp(cmd, "wait") && n == 1)
		return cmd_wait(argv);
	if (!strcmp(cmd, "park") && n == 4)
		return cmd_park(argv);
	if (!strcmp(cmd, "send") && n == 6)
		return cmd_send(argv, 0);
	if (!strcmp(cmd, "sendsize") && n == 6)
		return cmd_send(argv, 1);
	if (!strcmp(cmd, "flood") && n == 6)
		return cmd_send(argv, 2);
	if (!strcmp(cmd, "recv") && (n == 4 || n == 5))
		return cmd_recv(argv, n);
	if (!strcmp(cmd, "echo") && n == 4)
		return cmd_echo(argv);
	if (!strcmp(cmd, "call") && n == 7)
		return cmd_call(argv);
	if (!strcmp(cmd, "stress") && (n == 4 || n == 5))
		return cmd_stress(argv, n == 5 ? argv[4] : NULL);
	if (!strcmp(cmd, "seqsend") && (n == 6 || n == 7))
		return cmd_seqsend(argv, n);
	if (!strcmp(cmd, "shaped") && n == 8)
		return cmd_shaped(argv);
	if (!strcmp(cmd, "seqrecv") && n == 4)
		return cmd_seqrecv(argv);
	if (!strcmp(cmd, "abi") && n == 2)
		return cmd_abi(argv);
	print_usage();
	return EXIT_USAGE;
}
