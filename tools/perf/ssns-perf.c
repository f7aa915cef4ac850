// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-perf: benchmarks of ssns on the simulated cxi NIC.
 *
 *   ssns-perf pair   [-B] [-w] [-c CPU] [-s SIZES] [-r REPS] [-t MS] [-o FILE] CFG [CFG...]
 *   ssns-perf admit  [-n NETNS] [-r REPS] [-t MS] [-o FILE] [-N NAME] DEV VNI TC
 *   ssns-perf memcpy [-s SIZES] [-r REPS] [-t MS] [-o FILE]
 *   ssns-perf bw     [-t MS] [-W MS] [-S MS] [-R A/B] [-o FILE] [-N PREFIX] FLOW...
 *   ssns-perf kcopy  [-s SIZES] [-r REPS] [-t MS] [-o FILE]
 *   ssns-perf members -n COUNT -T PREFIX [-k TENANTS] [-o FILE] [-- CMD...]
 *   ssns-perf epmem  [-o FILE] [-n MAX] [-N NAME] DEV TC VNI_FIRST VNI_LAST [-- CMD...]
 *   ssns-perf attach -p PLUGIN -c CONF [-B BRIDGE_CONF [-T TUNING_CONF]] [-n PODS] [-P PARALLEL] [-e] [-L TENANT] [-o FILE]
 *   ssns-perf kmem
 *
 * pair: bandwidth, message rate and latency (median, p99) between two
 * endpoints, for each configuration CFG = NAME,CDEV,SDEV,VNI,TC,CNS,SNS:
 * a client process in network namespace CNS (a path such as
 * /run/netns/pod1, or "-" for the caller's) on device CDEV and a server
 * process in SNS on SDEV, both on (VNI, TC). Every configuration keeps its
 * two processes for the whole run; the repetitions of each size are
 * interleaved across configurations (in alternating order), so that they
 * share the machine's drifts. The first two configurations are compared:
 * ratios of the first to the second, repetition by repetition; a third
 * one is the A/A control: its ratio to the second (*.aa_*_ratio.*) is
 * what two configurations that differ in nothing give.
 *   Bandwidth: the client sends messages back to back (retrying while
 *   the receive queue pushes back), the server receives them and returns
 *   one 8-byte acknowledgement at the end. The client times windows of
 *   W messages (64, or 4 MiB of large ones, at least 4); message rate is
 *   the median rate over the windows (the whole test's rate when it has
 *   fewer than 3), bandwidth = size * message rate. A median over short
 *   windows, like the latency's median, leaves out the windows in which
 *   the VM was not running at all (its host is shared).
 *   Latency: ping-pong of one message; one-way latency = round trip / 2.
 *   Receivers poll (non-blocking receive, yielding the CPU in between), as
 *   RDMA benchmarks poll their completion queue; -B makes them block.
 *   -w moves the data with writes into the peer's receive window
 *   (SSNS_SIM_IOC_WRITE: one copy, as cxi_write_bw and ib_write_bw do
 *   RDMA writes) instead of send/receive (two copies); the receiver takes
 *   a completion per write.
 *   Each test runs for half of -t MS, after one untimed round of each
 *   configuration at that size; -c CPU pins every process to CPU.
 *
 * admit: endpoint allocation + free per second on one open context,
 *   alternating with a control loop (device info ioctl, no admission) so
 *   that the ratio admission / control cancels the machine's drift.
 * bw: flows at the same time (bandwidth sharing, ceilings, latency under
 *   load; see the comment before cmd_bw()).
 * memcpy: memcpy bandwidth between two buffers of each size, and the same
 *   copy with "rep movsb" (what the kernel's user copies use with ERMS).
 * kcopy: the kernel's copy rate with the simulated NIC's copy loops, through
 *   the test module selftests/kmod/kcopy (copy-in, copy-out, non-temporal).
 * members: create COUNT network namespaces, bind namespace i to tenant
 *   PREFIX followed by (i mod TENANTS) through libssns, run CMD while they exist, and
 *   report the times and the kernel memory the bindings took.
 * epmem: allocate every endpoint address of (DEV, VNI, TC) for each VNI of
 *   the range on one context (at most MAX), report the kernel memory per
 *   endpoint and run CMD while they are held (admission with many live
 *   endpoints).
 * attach: pod attach cost. Per pod, "base" creates a network namespace
 *   (unshare + bind mount, as a container runtime does) and deletes it;
 *   "cni" does the same with the CNI plugin's ADD and DEL in between
 *   (network configuration CONF on stdin, CNI_* in the environment); with
 *   -e, "exec" runs /bin/true twice in their place (the cost of two
 *   process executions); with -L, "lib" binds and unbinds the netns to
 *   TENANT through libssns in process (the kernel's part of an attach).
 *   With -B, the pod's network is a CNI chain as a runtime runs it:
 *   "chain" is Debian's bridge plugin (with host-local, configuration
 *   BRIDGE_CONF) ADD and DEL, "chain_aa" the same again (the A/A control),
 *   "chain_ssns" bridge then PLUGIN with the bridge's result as prevResult
 *   (DEL in reverse), and with -T "chain_tuning" the same with Debian's
 *   tuning plugin (TUNING_CONF) in PLUGIN's place. Per pod: the median. Sequential pods alternate the modes pod by pod;
 *   with -P, batches of pods run PARALLEL at a time, the modes alternating
 *   batch by batch.
 * kmem: the kernel memory figure used by all of the above, in kB.
 *
 * Kernel memory is SUnreclaim + SReclaimable + Percpu + VmallocUsed of
 * /proc/meminfo: what ssns allocates is slab (the xarrays' nodes are
 * reclaimable slab), per-cpu or vmalloc memory.
 *
 * Every figure goes to stdout in words and, with -o FILE, is appended to
 * FILE as one tab-separated line: name, value, unit, min, max, samples.
 * SIZES is a comma-separated list of sizes (K and M suffixes) or a range
 * A..B of powers of -x FACTOR (default 2), e.g. 8..1M.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>
#include <libssns.h>

#define MAX_SIZES	64
#define MAX_CFGS	4
#define ACK_LEN		8
#define RECV_TIMEOUT_MS	30000

static const char *out_path;
static const char *const tc_names[] = {
	"dedicated_access", "low_latency", "bulk_data", "best_effort",
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ssns-perf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
	fprintf(stderr,
		"usage: ssns-perf pair [-B] [-w] [-c CPU] [-s SIZES] [-r REPS] [-t MS] [-o FILE] CFG [CFG...]\n"
		"         CFG = NAME,CLIENT_DEV,SERVER_DEV,VNI,TC,CLIENT_NETNS,SERVER_NETNS\n"
		"       ssns-perf admit [-n NETNS] [-r REPS] [-t MS] [-o FILE] [-N NAME] DEV VNI TC\n"
		"       ssns-perf memcpy [-s SIZES] [-r REPS] [-t MS] [-o FILE]\n"
		"       ssns-perf bw [-t MS] [-W MS] [-S MS] [-R A/B] [-o FILE] [-N PREFIX] FLOW [FLOW...]\n"
		"         FLOW = dev=DEV,vni=VNI[,peer=DEV][,tc=TC][,ns=NETNS][,peerns=NETNS]\n"
		"                [,size=SIZE][,mode=write|send|lat][,cpu=N][,wait=0|1][,name=NAME]\n"
		"       ssns-perf kcopy [-s SIZES] [-r REPS] [-t MS] [-o FILE]\n"
		"       ssns-perf members -n COUNT -T PREFIX [-k TENANTS] [-o FILE] [-- CMD...]\n"
		"       ssns-perf epmem [-o FILE] [-n MAX] [-N NAME] DEV TC VNI_FIRST VNI_LAST [-- CMD...]\n"
		"       ssns-perf attach -p PLUGIN -c CONF [-B BRIDGE_CONF [-T TUNING_CONF]] [-n PODS] [-P PARALLEL] [-e] [-L TENANT] [-o FILE]\n"
		"       ssns-perf kmem\n");
	exit(2);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Summary of n samples (sorted in place). */
struct summary {
	double med, min, max, p99;
	int n;
};

static struct summary summarize(double *v, int n)
{
	struct summary s = { 0 };
	int k;

	if (n <= 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.n = n;
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	k = (int)ceil(0.99 * n) - 1;
	s.p99 = v[k < 0 ? 0 : k];
	return s;
}

/* One result line in the output file. */
static void record(const char *name, double value, const char *unit,
		   const struct summary *s)
{
	FILE *f;

	if (!out_path)
		return;
	f = fopen(out_path, "a");
	if (!f)
		die("%s: %s", out_path, strerror(errno));
	if (s)
		fprintf(f, "%s\t%.6g\t%s\t%.6g\t%.6g\t%d\n", name, value, unit,
			s->min, s->max, s->n);
	else
		fprintf(f, "%s\t%.6g\t%s\t%.6g\t%.6g\t1\n", name, value, unit,
			value, value);
	fclose(f);
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	unsigned long v, mul = 1;
	char *end;

	errno = 0;
	if (*s == '-' || !*s)
		die("bad number '%s'", s);
	v = strtoul(s, &end, 0);
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024, end++;
	if (errno || end == s || *end || v > max / mul)
		die("bad number '%s'", s);
	return v * mul;
}

static int parse_sizes(const char *arg, unsigned long factor,
		       unsigned long max, unsigned long *sizes)
{
	char *copy = strdup(arg), *tok, *save = NULL, *dots;
	int n = 0;

	if (!copy)
		die("out of memory");
	dots = strstr(copy, "..");
	if (dots) {
		unsigned long a, b, v;

		*dots = 0;
		a = parse_num(copy, max);
		b = parse_num(dots + 2, max);
		if (!a || a > b || factor < 2)
			die("bad size range '%s'", arg);
		for (v = a; v <= b && n < MAX_SIZES; v *= factor) {
			sizes[n++] = v;
			if (v > b / factor)
				break;
		}
		/* The range always ends with its upper bound. */
		if (sizes[n - 1] != b && n < MAX_SIZES)
			sizes[n++] = b;
	} else {
		for (tok = strtok_r(copy, ",", &save); tok && n < MAX_SIZES;
		     tok = strtok_r(NULL, ",", &save))
			sizes[n++] = parse_num(tok, max);
	}
	free(copy);
	if (!n)
		die("no sizes in '%s'", arg);
	return n;
}

static unsigned int parse_tc(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(tc_names) / sizeof(tc_names[0]); i++)
		if (!strcmp(s, tc_names[i]))
			return i;
	return parse_num(s, SSNS_TC_MAX);
}

static void enter_netns(const char *path)
{
	int fd;

	if (!path || !*path || !strcmp(path, "-"))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", path, strerror(errno));
	close(fd);
}

static int open_dev(const char *dev)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s%s", strchr(dev, '/') ? "" : "/dev/",
		 dev);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static unsigned int dev_index(int fd)
{
	struct ssns_sim_info info = { .size = sizeof(info) };

	if (ioctl(fd, SSNS_SIM_IOC_INFO, &info))
		die("device info: %s", strerror(errno));
	return info.dev_index;
}

/* Allocate an endpoint; its handle, or a negative errno. */
static int ep_alloc(int fd, unsigned int vni, unsigned int tc,
		    unsigned int addr, unsigned int *got)
{
	struct ssns_sim_ep_alloc a = {
		.size = sizeof(a), .vni = vni, .tc = tc, .addr = addr,
	};

	if (ioctl(fd, SSNS_SIM_IOC_EP_ALLOC, &a))
		return -errno;
	if (got)
		*got = a.addr;
	return a.handle;
}

static int ep_free(int fd, unsigned int handle)
{
	struct ssns_sim_ep_free f = { .size = sizeof(f), .handle = handle };

	return ioctl(fd, SSNS_SIM_IOC_EP_FREE, &f) ? -errno : 0;
}

static void send_msg(int fd, unsigned int h, unsigned int dev,
		     unsigned int addr, const void *buf, unsigned int len)
{
	struct ssns_sim_send s = {
		.size = sizeof(s), .handle = h, .dst_dev = dev,
		.dst_addr = addr, .buf = (uintptr_t)buf, .len = len,
	};

	/* A full receive queue pushes back: let the receiver run. */
	while (ioctl(fd, SSNS_SIM_IOC_SEND, &s)) {
		if (errno != EAGAIN && errno != EINTR)
			die("send: %s", strerror(errno));
		sched_yield();
	}
}

/* Receive by polling (the default, as RDMA benchmarks poll their CQ). */
static bool blocking_recv;
/* Move the data with writes into the peer's window (-w). */
static bool use_write;

static void write_msg(int fd, unsigned int h, unsigned int dev,
		      unsigned int addr, const void *buf, unsigned int len)
{
	struct ssns_sim_write w = {
		.size = sizeof(w), .handle = h, .dst_dev = dev,
		.dst_addr = addr, .buf = (uintptr_t)buf, .len = len,
	};

	/* A full receive queue pushes back: let the receiver run. */
	while (ioctl(fd, SSNS_SIM_IOC_WRITE, &w)) {
		if (errno != EAGAIN && errno != EINTR)
			die("write: %s", strerror(errno));
		sched_yield();
	}
}

/* Receive one message; its length. */
static unsigned int recv_msg(int fd, unsigned int h, void *buf,
			     unsigned int len)
{
	struct ssns_sim_recv r;
	double deadline = 0;

	for (;;) {
		memset(&r, 0, sizeof(r));
		r.size = sizeof(r);
		r.handle = h;
		r.buf = (uintptr_t)buf;
		r.len = len;
		r.flags = blocking_recv ? 0 : SSNS_SIM_RECV_NONBLOCK;
		r.timeout_ms = RECV_TIMEOUT_MS;
		if (!ioctl(fd, SSNS_SIM_IOC_RECV, &r))
			return r.msg_len;
		if (errno == EAGAIN && !blocking_recv) {
			if (!deadline)
				deadline = now_ns() + RECV_TIMEOUT_MS * 1e6;
			else if (now_ns() > deadline)
				die("recv: nothing for %d ms", RECV_TIMEOUT_MS);
			sched_yield();
			continue;
		}
		if (errno != EINTR)
			die("recv: %s", strerror(errno));
	}
}

/* Kernel memory in kB: Slab (both kinds) + Percpu + VmallocUsed. */
static long kmem_kb(void)
{
	char line[256];
	long total = 0, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SUnreclaim: %ld", &v) == 1 ||
		    sscanf(line, "SReclaimable: %ld", &v) == 1 ||
		    sscanf(line, "Percpu: %ld", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld", &v) == 1)
			total += v;
	}
	fclose(f);
	return total;
}

static void write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("pipe write: %s", strerror(errno));
		p += n;
		len -= n;
	}
}

/* false on end of file before anything was read. */
static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("pipe read: %s", strerror(errno));
		if (n == 0) {
			if (!got)
				return false;
			die("pipe read: short");
		}
		got += n;
	}
	return true;
}

/* ------------------------------------------------------------------ pair */

enum { OP_BW = 1, OP_LAT };

struct cmd {
	int op;
	unsigned int size;
	unsigned int iters;	/* at most */
	unsigned int warm;	/* latency: untimed round trips first */
	double ms;		/* duration */
};

struct result {
	unsigned long count;	/* messages (bandwidth), round trips (latency) */
	double elapsed_ns;
	double rate_med;	/* bandwidth: median messages/s over windows */
	double lat_med_ns;
	double lat_p99_ns;
};

struct addr {
	unsigned int dev, addr;
};

struct cfg {
	char name[32];
	const char *cdev, *sdev, *cns, *sns;
	unsigned int vni, tc;
	/* cmd pipe (write end) and result pipe (read end) of each side */
	int ccmd, cres, scmd, sres;
	pid_t cpid, spid;
};

struct side {
	int fd;
	int handle;
	struct addr self, peer;
	char *buf;
	double *samples;
	unsigned int nsamples;
};

/* One message of the test: a send, or a write with -w. */
static void xfer(struct side *s, unsigned int len)
{
	if (use_write)
		write_msg(s->fd, s->handle, s->peer.dev, s->peer.addr, s->buf,
			  len);
	else
		send_msg(s->fd, s->handle, s->peer.dev, s->peer.addr, s->buf,
			 len);
}

/*
 * Both tests run for c->ms milliseconds (at most c->iters messages), then
 * the client sends an empty message that ends the server's loop.
 */
static void ensure_samples(struct side *s, unsigned long n)
{
	if (n <= s->nsamples)
		return;
	free(s->samples);
	s->samples = calloc(n, sizeof(double));
	if (!s->samples)
		die("out of memory");
	s->nsamples = n;
}

/*
 * Messages per bandwidth window: one receive queue (64) of small messages,
 * 4 MiB of large ones, at least 4.
 */
static unsigned long bw_window(unsigned int size)
{
	unsigned long w = size ? (4UL << 20) / size : 64;

	return w > 64 ? 64 : w < 4 ? 4 : w;
}

static void side_bw(struct side *s, const struct cmd *c, bool client,
		    struct result *r)
{
	double t0, end, tw, t;
	unsigned long i = 0, n = 0;

	if (!client) {
		while (recv_msg(s->fd, s->handle, s->buf, SSNS_SIM_MSG_MAX))
			;
		send_msg(s->fd, s->handle, s->peer.dev, s->peer.addr, s->buf,
			 ACK_LEN);
		return;
	}
	ensure_samples(s, c->iters / bw_window(c->size) + 1);
	t0 = now_ns();
	end = t0 + c->ms * 1e6;
	tw = t0;
	do {
		xfer(s, c->size);
		i++;
		if (!(i % bw_window(c->size))) {
			t = now_ns();
			s->samples[n++] = bw_window(c->size) / (t - tw) * 1e9;
			tw = t;
		}
	} while (i < c->iters && now_ns() < end);
	send_msg(s->fd, s->handle, s->peer.dev, s->peer.addr, s->buf, 0);
	recv_msg(s->fd, s->handle, s->buf, SSNS_SIM_MSG_MAX);
	r->elapsed_ns = now_ns() - t0;
	r->count = i;
	/* Too few windows: the rate of the whole test. */
	r->rate_med = n >= 3 ? summarize(s->samples, n).med :
			       i / r->elapsed_ns * 1e9;
}

static void side_lat(struct side *s, const struct cmd *c, bool client,
		     struct result *r)
{
	unsigned long i = 0, n = 0;
	double t0, t1, start = 0, end = 0;
	struct summary st;

	if (!client) {
		while (recv_msg(s->fd, s->handle, s->buf, SSNS_SIM_MSG_MAX))
			xfer(s, c->size);
		return;
	}
	ensure_samples(s, c->iters);
	for (i = 0;; i++) {
		t0 = now_ns();
		if (i == c->warm) {
			start = t0;
			end = t0 + c->ms * 1e6;
		}
		if (i > c->warm && (n >= c->iters || t0 >= end))
			break;
		xfer(s, c->size);
		recv_msg(s->fd, s->handle, s->buf, SSNS_SIM_MSG_MAX);
		t1 = now_ns();
		if (i >= c->warm)
			s->samples[n++] = (t1 - t0) / 2;
	}
	send_msg(s->fd, s->handle, s->peer.dev, s->peer.addr, s->buf, 0);
	r->elapsed_ns = now_ns() - start;
	r->count = n;
	st = summarize(s->samples, n);
	r->lat_med_ns = st.med;
	r->lat_p99_ns = st.p99;
}

static int pin_cpu = -1;

static void side_main(const struct cfg *g, bool client, int cmdfd, int resfd)
{
	struct side s = { 0 };
	struct result r;
	struct cmd c;
	unsigned int addr = 0;

	/* Hold no end of another configuration's pipes: they must see EOF. */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != cmdfd && fd != resfd)
			close(fd);
	if (pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("pin to CPU %d: %s", pin_cpu, strerror(errno));
	}
	enter_netns(client ? g->cns : g->sns);
	s.fd = open_dev(client ? g->cdev : g->sdev);
	s.handle = ep_alloc(s.fd, g->vni, g->tc, SSNS_PID_ANY, &addr);
	if (s.handle < 0)
		die("%s %s: allocate endpoint on vni %u: %s", g->name,
		    client ? "client" : "server", g->vni, strerror(-s.handle));
	s.self.dev = dev_index(s.fd);
	s.self.addr = addr;
	s.buf = malloc(SSNS_SIM_MSG_MAX);
	if (!s.buf)
		die("out of memory");
	memset(s.buf, 0x5a, SSNS_SIM_MSG_MAX);
	if (use_write) {
		struct ssns_sim_window w = {
			.size = sizeof(w), .handle = s.handle,
			.addr = (uintptr_t)s.buf, .len = SSNS_SIM_MSG_MAX,
		};

		if (ioctl(s.fd, SSNS_SIM_IOC_WINDOW, &w))
			die("%s: receive window: %s", g->name, strerror(errno));
	}
	write_full(resfd, &s.self, sizeof(s.self));
	if (!read_full(cmdfd, &s.peer, sizeof(s.peer)))
		exit(0);
	while (read_full(cmdfd, &c, sizeof(c))) {
		memset(&r, 0, sizeof(r));
		if (c.op == OP_BW)
			side_bw(&s, &c, client, &r);
		else
			side_lat(&s, &c, client, &r);
		write_full(resfd, &r, sizeof(r));
	}
	exit(0);
}

static pid_t spawn_side(struct cfg *g, bool client, int *cmdw, int *resr)
{
	int cmdp[2], resp[2];
	pid_t pid;

	if (pipe2(cmdp, O_CLOEXEC) || pipe2(resp, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(cmdp[1]);
		close(resp[0]);
		side_main(g, client, cmdp[0], resp[1]);
	}
	close(cmdp[0]);
	close(resp[1]);
	*cmdw = cmdp[1];
	*resr = resp[0];
	return pid;
}

static void parse_cfg(const char *arg, struct cfg *g)
{
	char *copy = strdup(arg), *f[7], *save = NULL, *tok;
	int n = 0;

	if (!copy)
		die("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && n < 7;
	     tok = strtok_r(NULL, ",", &save))
		f[n++] = tok;
	if (n != 7 || tok)
		die("bad configuration '%s'", arg);
	snprintf(g->name, sizeof(g->name), "%s", f[0]);
	g->cdev = f[1];
	g->sdev = f[2];
	g->vni = parse_num(f[3], SSNS_VNI_MAX);
	g->tc = parse_tc(f[4]);
	g->cns = f[5];
	g->sns = f[6];
}

/* Run one test on one configuration; both sides, then the client's result. */
static struct result run_cfg(struct cfg *g, const struct cmd *c)
{
	struct result r, dummy;

	write_full(g->scmd, c, sizeof(*c));
	write_full(g->ccmd, c, sizeof(*c));
	if (!read_full(g->cres, &r, sizeof(r)) ||
	    !read_full(g->sres, &dummy, sizeof(dummy)))
		die("%s: a benchmark process died", g->name);
	return r;
}

static const char *size_name(unsigned long size, char *buf, size_t len)
{
	if (size >= 1048576 && !(size % 1048576))
		snprintf(buf, len, "%luM", size / 1048576);
	else if (size >= 1024 && !(size % 1024))
		snprintf(buf, len, "%luK", size / 1024);
	else
		snprintf(buf, len, "%lu", size);
	return buf;
}

static int cmd_pair(int argc, char **argv)
{
	unsigned long sizes[MAX_SIZES], factor = 2;
	const char *size_arg = "8..1M";
	struct cfg cfgs[MAX_CFGS];
	double ms = 200;
	int reps = 5, nsizes, ncfg, opt, i, j, r;
	const char *pfx;

	while ((opt = getopt(argc, argv, "s:x:r:t:o:Bwc:")) != -1) {
		switch (opt) {
		case 'w': use_write = true; break;
		case 's': size_arg = optarg; break;
		case 'x': factor = parse_num(optarg, 1024); break;
		case 'r': reps = parse_num(optarg, 1000); break;
		case 't': ms = parse_num(optarg, 600000); break;
		case 'o': out_path = optarg; break;
		case 'B': blocking_recv = true; break;
		case 'c': pin_cpu = parse_num(optarg, CPU_SETSIZE - 1); break;
		default: usage();
		}
	}
	/* Figures of the write path are named dpw.*, of send/recv dp.*. */
	pfx = use_write ? "dpw" : "dp";
	ncfg = argc - optind;
	if (ncfg < 1 || ncfg > MAX_CFGS || reps < 1)
		usage();
	nsizes = parse_sizes(size_arg, factor, SSNS_SIM_MSG_MAX, sizes);
	memset(cfgs, 0, sizeof(cfgs));
	for (j = 0; j < ncfg; j++)
		parse_cfg(argv[optind + j], &cfgs[j]);

	for (j = 0; j < ncfg; j++) {
		struct cfg *g = &cfgs[j];
		struct addr ca, sa;

		g->spid = spawn_side(g, false, &g->scmd, &g->sres);
		g->cpid = spawn_side(g, true, &g->ccmd, &g->cres);
		if (!read_full(g->sres, &sa, sizeof(sa)) ||
		    !read_full(g->cres, &ca, sizeof(ca)))
			die("%s: a benchmark process failed to start", g->name);
		write_full(g->scmd, &ca, sizeof(ca));
		write_full(g->ccmd, &sa, sizeof(sa));
		printf("# %s: client %s (dev %u addr %u, netns %s) -> server %s (dev %u addr %u, netns %s), vni %u tc %s\n",
		       g->name, g->cdev, ca.dev, ca.addr, g->cns, g->sdev,
		       sa.dev, sa.addr, g->sns, g->vni,
		       g->tc < 4 ? tc_names[g->tc] : "?");
	}
	printf("# %d repetitions per size, interleaved; about %.0f ms per test; medians, [min..max]\n",
	       reps, ms);
	printf("%-6s %-8s %12s %12s %10s %10s\n", "size", "config",
	       "MB/s", "msg/s", "lat_us", "p99_us");
	fflush(stdout);

	for (i = 0; i < nsizes; i++) {
		unsigned long size = sizes[i];
		unsigned long nbw[1000], nlat[1000];
		double bw[MAX_CFGS][1000], rate[MAX_CFGS][1000];
		double lat[MAX_CFGS][1000], p99[MAX_CFGS][1000];
		double rbw[1000], rlat[1000], abw[1000], alat[1000];
		char sn[24], name[512];

		size_name(size, sn, sizeof(sn));
		/* One untimed round per configuration: buffers, caches. */
		for (j = 0; j < ncfg; j++) {
			struct cmd wb = { OP_BW, size, 1000000, 0, ms / 8 };
			struct cmd wl = { OP_LAT, size, 100000, 3, ms / 8 };

			run_cfg(&cfgs[j], &wb);
			run_cfg(&cfgs[j], &wl);
		}
		for (r = 0; r < reps; r++) {
			for (j = 0; j < ncfg; j++) {
				int k = r % 2 ? ncfg - 1 - j : j;
				struct cmd cb = { OP_BW, size, 1000000, 0, ms / 2 };
				struct cmd cl = { OP_LAT, size, 100000, 3, ms / 2 };
				struct result res;

				res = run_cfg(&cfgs[k], &cb);
				bw[k][r] = size * res.rate_med / 1e6;
				rate[k][r] = res.rate_med;
				if (!k)
					nbw[r] = res.count;
				res = run_cfg(&cfgs[k], &cl);
				if (!k)
					nlat[r] = res.count;
				lat[k][r] = res.lat_med_ns / 1e3;
				p99[k][r] = res.lat_p99_ns / 1e3;
			}
			if (ncfg >= 2) {
				rbw[r] = bw[0][r] / bw[1][r];
				rlat[r] = lat[0][r] / lat[1][r];
			}
			/* A/A: the third configuration against the second. */
			if (ncfg >= 3) {
				abw[r] = bw[2][r] / bw[1][r];
				alat[r] = lat[2][r] / lat[1][r];
			}
		}
		for (j = 0; j < ncfg; j++) {
			struct summary sb = summarize(bw[j], reps);
			struct summary sr = summarize(rate[j], reps);
			struct summary sl = summarize(lat[j], reps);
			struct summary sp = summarize(p99[j], reps);

			printf("%-6s %-8s %12.3f %12.0f %10.2f %10.2f   bw [%.3f..%.3f] lat [%.2f..%.2f]\n",
			       sn, cfgs[j].name, sb.med, sr.med, sl.med, sp.med,
			       sb.min, sb.max, sl.min, sl.max);
			snprintf(name, sizeof(name), "%s.%s.bw.%s", pfx, cfgs[j].name, sn);
			record(name, sb.med, "MB/s", &sb);
			snprintf(name, sizeof(name), "%s.%s.rate.%s", pfx, cfgs[j].name, sn);
			record(name, sr.med, "msg/s", &sr);
			snprintf(name, sizeof(name), "%s.%s.lat_med.%s", pfx, cfgs[j].name, sn);
			record(name, sl.med, "us", &sl);
			snprintf(name, sizeof(name), "%s.%s.lat_p99.%s", pfx, cfgs[j].name, sn);
			record(name, sp.med, "us", &sp);
		}
		if (ncfg >= 2) {
			struct summary sb = summarize(rbw, reps);
			struct summary sl = summarize(rlat, reps);

			printf("%-6s %-8s bw ratio %.4f [%.4f..%.4f]  lat ratio %.4f [%.4f..%.4f]  (%lu messages, %lu round trips in the last test of %s)\n",
			       sn, "ratio", sb.med, sb.min, sb.max, sl.med,
			       sl.min, sl.max, nbw[reps - 1], nlat[reps - 1],
			       cfgs[0].name);
			snprintf(name, sizeof(name), "%s.bw_ratio.%s", pfx, sn);
			record(name, sb.med, "ratio", &sb);
			snprintf(name, sizeof(name), "%s.lat_ratio.%s", pfx, sn);
			record(name, sl.med, "ratio", &sl);
		}
		if (ncfg >= 3) {
			struct summary sb = summarize(abw, reps);
			struct summary sl = summarize(alat, reps);

			printf("%-6s %-8s bw ratio %.4f [%.4f..%.4f]  lat ratio %.4f [%.4f..%.4f]  (A/A: %s over %s)\n",
			       sn, "a/a", sb.med, sb.min, sb.max, sl.med, sl.min,
			       sl.max, cfgs[2].name, cfgs[1].name);
			snprintf(name, sizeof(name), "%s.aa_bw_ratio.%s", pfx, sn);
			record(name, sb.med, "ratio", &sb);
			snprintf(name, sizeof(name), "%s.aa_lat_ratio.%s", pfx, sn);
			record(name, sl.med, "ratio", &sl);
		}
		fflush(stdout);
	}

	for (j = 0; j < ncfg; j++) {
		close(cfgs[j].ccmd);
		close(cfgs[j].scmd);
		waitpid(cfgs[j].cpid, NULL, 0);
		waitpid(cfgs[j].spid, NULL, 0);
	}
	return 0;
}

/* ----------------------------------------------------------------- admit */

/*
 * Run @op for @ms milliseconds; operations per second: the median over
 * windows of 128 (512) operations, so that the times the VM was not
 * running at all are left out. @op 0 is an
 * endpoint allocation + free, @op 1 the control: a device info ioctl,
 * which crosses the same system call and char-device path without any
 * admission, so that admit / control is free of the machine's drift.
 */
static double admit_run(int fd, int op, unsigned int vni, unsigned int tc,
			double ms)
{
	static double win[1 << 16];
	const unsigned long w = op ? 512 : 128;
	struct ssns_sim_info info;
	double t0 = now_ns(), end = t0 + ms * 1e6, t, tw = t0;
	unsigned long n = 0, nw = 0;
	int h;

	do {
		if (op == 0) {
			h = ep_alloc(fd, vni, tc, SSNS_PID_ANY, NULL);
			if (h < 0)
				die("allocate endpoint on vni %u: %s", vni,
				    strerror(-h));
			if ((h = ep_free(fd, h)))
				die("free endpoint: %s", strerror(-h));
		} else {
			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (ioctl(fd, SSNS_SIM_IOC_INFO, &info))
				die("device info: %s", strerror(errno));
		}
		n++;
		t = now_ns();
		if (!(n % w) && nw < sizeof(win) / sizeof(win[0])) {
			win[nw++] = w / (t - tw) * 1e9;
			tw = t;
		}
	} while (t < end);
	/* The median window, as for bandwidth; else the whole run. */
	return nw >= 3 ? summarize(win, nw).med : n / (t - t0) * 1e9;
}

static int cmd_admit(int argc, char **argv)
{
	const char *ns = NULL, *name = "admit";
	double ms = 1000, *rates, *ctl, *norm;
	unsigned int vni, tc;
	int reps = 5, opt, fd, r;
	struct summary s, sc, sn;
	char n2[256];

	while ((opt = getopt(argc, argv, "n:r:t:o:N:")) != -1) {
		switch (opt) {
		case 'n': ns = optarg; break;
		case 'r': reps = parse_num(optarg, 1000); break;
		case 't': ms = parse_num(optarg, 600000); break;
		case 'o': out_path = optarg; break;
		case 'N': name = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 3 || reps < 1)
		usage();
	vni = parse_num(argv[optind + 1], SSNS_VNI_MAX);
	tc = parse_tc(argv[optind + 2]);
	enter_netns(ns);
	fd = open_dev(argv[optind]);
	rates = calloc(reps, sizeof(*rates));
	ctl = calloc(reps, sizeof(*ctl));
	norm = calloc(reps, sizeof(*norm));
	if (!rates || !ctl || !norm)
		die("out of memory");
	/* Warm-up, not counted. */
	admit_run(fd, 0, vni, tc, ms / 10);
	for (r = 0; r < reps; r++) {
		/* Admission and control alternate, in alternating order. */
		if (r % 2) {
			ctl[r] = admit_run(fd, 1, vni, tc, ms / 2);
			rates[r] = admit_run(fd, 0, vni, tc, ms / 2);
		} else {
			rates[r] = admit_run(fd, 0, vni, tc, ms / 2);
			ctl[r] = admit_run(fd, 1, vni, tc, ms / 2);
		}
		norm[r] = rates[r] / ctl[r];
	}
	s = summarize(rates, reps);
	sc = summarize(ctl, reps);
	sn = summarize(norm, reps);
	printf("%s: %.0f alloc+free/s [%.0f..%.0f]; control (info ioctl) %.0f/s [%.0f..%.0f]; admission/control %.5f [%.5f..%.5f]; %d x %.0f ms\n",
	       name, s.med, s.min, s.max, sc.med, sc.min, sc.max, sn.med,
	       sn.min, sn.max, reps, ms);
	record(name, s.med, "op/s", &s);
	snprintf(n2, sizeof(n2), "%s.control", name);
	record(n2, sc.med, "op/s", &sc);
	snprintf(n2, sizeof(n2), "%s.norm", name);
	record(n2, sn.med, "ratio", &sn);
	close(fd);
	return 0;
}

/* ---------------------------------------------------------------- memcpy */

static int cmd_memcpy(int argc, char **argv)
{
	unsigned long sizes[MAX_SIZES], factor = 2;
	const char *size_arg = "1M";
	double ms = 200, *v;
	int reps = 5, opt, nsizes, i, r;
	char *src, *dst, sn[24], name[64];

	while ((opt = getopt(argc, argv, "s:x:r:t:o:")) != -1) {
		switch (opt) {
		case 's': size_arg = optarg; break;
		case 'x': factor = parse_num(optarg, 1024); break;
		case 'r': reps = parse_num(optarg, 1000); break;
		case 't': ms = parse_num(optarg, 600000); break;
		case 'o': out_path = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || reps < 1)
		usage();
	nsizes = parse_sizes(size_arg, factor, 1UL << 30, sizes);
	v = calloc(reps, sizeof(*v));
	if (!v)
		die("out of memory");
	for (i = 0; i < nsizes; i++) {
		unsigned long size = sizes[i], iters = 1, k;
		double t0, el = 0;
		struct summary s;

		src = malloc(size);
		dst = malloc(size);
		if (!src || !dst)
			die("out of memory");
		memset(src, 1, size);
		memset(dst, 2, size);
		/* Calibrate to about ms per repetition. */
		for (;;) {
			t0 = now_ns();
			for (k = 0; k < iters; k++) {
				memcpy(dst, src, size);
				__asm__ __volatile__("" : : "r"(dst) : "memory");
			}
			el = now_ns() - t0;
			if (el >= ms * 1e6 / 8)
				break;
			iters *= 4;
		}
		iters = (unsigned long)(iters * ms * 1e6 / el) + 1;
		for (r = 0; r < reps; r++) {
			t0 = now_ns();
			for (k = 0; k < iters; k++) {
				memcpy(dst, src, size);
				__asm__ __volatile__("" : : "r"(dst) : "memory");
			}
			v[r] = size * (double)iters / (now_ns() - t0) * 1e3;
		}
		s = summarize(v, reps);
		size_name(size, sn, sizeof(sn));
		printf("memcpy %s: %.1f MB/s [%.1f..%.1f]\n", sn, s.med, s.min,
		       s.max);
		snprintf(name, sizeof(name), "memcpy.bw.%s", sn);
		record(name, s.med, "MB/s", &s);
		/*
		 * The same copy with "rep movsb", the instruction the kernel's
		 * copy_to_user()/copy_from_user() use on CPUs with ERMS.
		 */
		for (r = 0; r < reps; r++) {
			t0 = now_ns();
			for (k = 0; k < iters; k++) {
				void *d = dst;
				const void *sp = src;
				unsigned long c = size;

				__asm__ __volatile__("rep movsb"
						     : "+D"(d), "+S"(sp), "+c"(c)
						     : : "memory");
			}
			v[r] = size * (double)iters / (now_ns() - t0) * 1e3;
			/* Slower by far under emulation: keep it short. */
			if (now_ns() - t0 > ms * 4e6)
				iters = iters / 4 + 1;
		}
		s = summarize(v, reps);
		printf("rep movsb %s: %.1f MB/s [%.1f..%.1f]\n", sn, s.med,
		       s.min, s.max);
		snprintf(name, sizeof(name), "movsb.bw.%s", sn);
		record(name, s.med, "MB/s", &s);
		free(src);
		free(dst);
	}
	return 0;
}

/* ------------------------------------------------------------------- bw */

/*
 * Flows running at the same time, each a sender and a receiver process:
 * the rate each sender gets (bulk flows) or the round trips of a
 * ping-pong (latency flows) while the others run. A flow is a list of
 * KEY=VALUE separated by commas:
 *   name=NAME       its name in the figures (default f1, f2...)
 *   dev=DEV         the sender's device (required)
 *   peer=DEV        the receiver's device (default: dev)
 *   vni=VNI         (required), tc=TC (default bulk_data)
 *   ns=NETNS        the sender's network namespace (a path, "-": ours)
 *   peerns=NETNS    the receiver's (default: ns)
 *   size=SIZE       message size (default 64K; 8 for latency flows)
 *   mode=MODE       write (default: writes into the receiver's window),
 *                   send, or lat (a ping-pong of sends, polled receives)
 *   cpu=N           pin both processes to CPU N
 *   wait=0|1        senders sleep while the shaper holds a message back
 *                   (SSNS_SIM_SEND_WAIT, the default), or poll() for
 *                   EPOLLOUT after -EAGAIN
 * All flows start together, run -t MS (default 5000) and are measured
 * after -W MS of warm-up (default 500); a sender's message has left once
 * its call returned. The measured time is cut in slots of -S MS (default
 * 250): a flow's rate is the median of its slots' rates, so that slots in
 * which the VM did not run at all (its host is shared) are left out, as
 * the latency is a median of round trips. Prints one line per flow,
 *   flow NAME rate_bps R mean_bps M bytes B secs S slots N
 *   flow NAME rtt_med_us M rtt_p99_us P rounds N
 * and, for each -R A/B (bulk flows A and B), the median over the slots of
 * the ratio of their rates:
 *   ratio A/B R min X max Y slots N
 * With -o, records PREFIX.NAME.rate (Mbit/s, the median), or
 * PREFIX.NAME.rtt_med and .rtt_p99 (us), and PREFIX.ratio.A_B; -N PREFIX
 * (default "bw").
 */

#define BW_MAX_FLOWS	8
#define BW_MAX_SLOTS	1024
#define BW_MAX_RATIOS	4

enum { BW_WRITE, BW_SEND, BW_LAT };

struct bw_flow {
	char name[32];
	const char *dev, *peer, *ns, *peerns;
	unsigned int vni, tc, size, mode;
	int cpu;
	bool wait;
	int cmd[2], res[2];	/* per side: parent's write and read ends */
	pid_t pid[2];
};

struct bw_res {
	double bytes, secs;
	double rtt_med, rtt_p99;
	unsigned long rounds;
	unsigned int nslots;
	double slot[BW_MAX_SLOTS];	/* bytes sent in each slot */
};

static void bw_parse(const char *arg, struct bw_flow *f, int idx)
{
	char *copy = strdup(arg), *tok, *save = NULL, *eq;

	if (!copy)
		die("out of memory");
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "f%d", idx + 1);
	f->tc = SSNS_TC_BULK_DATA;
	f->cpu = -1;
	f->wait = true;
	f->size = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			die("flow '%s': '%s' is not KEY=VALUE", arg, tok);
		*eq++ = '\0';
		if (!strcmp(tok, "name"))
			snprintf(f->name, sizeof(f->name), "%s", eq);
		else if (!strcmp(tok, "dev"))
			f->dev = eq;
		else if (!strcmp(tok, "peer"))
			f->peer = eq;
		else if (!strcmp(tok, "vni"))
			f->vni = parse_num(eq, SSNS_VNI_MAX);
		else if (!strcmp(tok, "tc"))
			f->tc = parse_tc(eq);
		else if (!strcmp(tok, "ns"))
			f->ns = eq;
		else if (!strcmp(tok, "peerns"))
			f->peerns = eq;
		else if (!strcmp(tok, "size"))
			f->size = parse_num(eq, SSNS_SIM_MSG_MAX);
		else if (!strcmp(tok, "cpu"))
			f->cpu = parse_num(eq, CPU_SETSIZE - 1);
		else if (!strcmp(tok, "wait"))
			f->wait = parse_num(eq, 1);
		else if (!strcmp(tok, "mode"))
			f->mode = !strcmp(eq, "write") ? BW_WRITE :
				  !strcmp(eq, "send") ? BW_SEND :
				  !strcmp(eq, "lat") ? BW_LAT :
				  (die("flow '%s': mode %s", arg, eq), 0);
		else
			die("flow '%s': unknown key '%s'", arg, tok);
	}
	if (!f->dev || !f->vni)
		die("flow '%s': dev= and vni= are required", arg);
	if (!f->peer)
		f->peer = f->dev;
	if (!f->peerns)
		f->peerns = f->ns;
	if (!f->size)
		f->size = f->mode == BW_LAT ? 8 : 65536;
	/* the strings point into copy, kept for the run */
}

/* One shaped transfer: wait in the kernel, or poll for EPOLLOUT. */
static void bw_xfer(struct side *s, const struct bw_flow *f, unsigned int len,
		    bool write)
{
	struct ssns_sim_write w = {
		.size = sizeof(w), .handle = s->handle, .dst_dev = s->peer.dev,
		.dst_addr = s->peer.addr, .buf = (uintptr_t)s->buf, .len = len,
		.flags = f->wait ? SSNS_SIM_SEND_WAIT : 0,
	};
	struct ssns_sim_send m = {
		.size = sizeof(m), .handle = s->handle, .dst_dev = s->peer.dev,
		.dst_addr = s->peer.addr, .buf = (uintptr_t)s->buf, .len = len,
		.flags = f->wait ? SSNS_SIM_SEND_WAIT : 0,
	};
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

	for (;;) {
		if (!ioctl(s->fd, write ? SSNS_SIM_IOC_WRITE : SSNS_SIM_IOC_SEND,
			   write ? (void *)&w : (void *)&m))
			return;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			die("%s: %s: %s", f->name, write ? "write" : "send",
			    strerror(errno));
		/* Shaped (POLLOUT comes) or a full receive queue (it does not). */
		if (poll(&pfd, 1, 1) < 0 && errno != EINTR)
			die("%s: poll: %s", f->name, strerror(errno));
	}
}

/* The receiver: take messages until the empty one that ends the run. */
static void bw_receiver(struct side *s, const struct bw_flow *f)
{
	struct ssns_sim_recv r;

	for (;;) {
		memset(&r, 0, sizeof(r));
		r.size = sizeof(r);
		r.handle = s->handle;
		r.buf = (uintptr_t)s->buf;
		r.len = SSNS_SIM_MSG_MAX;
		if (f->mode == BW_LAT)
			r.flags = SSNS_SIM_RECV_NONBLOCK;
		r.timeout_ms = RECV_TIMEOUT_MS;
		if (ioctl(s->fd, SSNS_SIM_IOC_RECV, &r)) {
			if (errno == EAGAIN) {
				sched_yield();
				continue;
			}
			if (errno == EINTR)
				continue;
			die("%s: recv: %s", f->name, strerror(errno));
		}
		if (!(r.msg_flags & SSNS_SIM_MSG_WRITE) && !r.msg_len)
			return;
		if (f->mode == BW_LAT)
			bw_xfer(s, f, r.msg_len, false);
	}
}

static void bw_sender(struct side *s, const struct bw_flow *f, double t0,
		      double warm, double end, double slot, struct bw_res *res)
{
	double t, from = t0 + warm, *rtt = NULL;
	unsigned long n = 0, cap = 0;
	struct summary st;
	unsigned int k;

	res->nslots = (unsigned int)((end - from) / slot);
	if (res->nslots > BW_MAX_SLOTS)
		res->nslots = BW_MAX_SLOTS;
	/* Whole slots only: the last one ends the measurement. */
	end = from + res->nslots * slot;

	while (now_ns() < t0)
		;
	for (;;) {
		double a = now_ns();

		if (a >= end)
			break;
		if (f->mode == BW_LAT) {
			bw_xfer(s, f, f->size, false);
			recv_msg(s->fd, s->handle, s->buf, SSNS_SIM_MSG_MAX);
			t = now_ns();
			if (a < from)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				rtt = realloc(rtt, cap * sizeof(*rtt));
				if (!rtt)
					die("out of memory");
			}
			rtt[n++] = (t - a) / 1e3;
			continue;
		}
		bw_xfer(s, f, f->size, f->mode == BW_WRITE);
		t = now_ns();
		if (t < from || t >= end)
			continue;
		res->bytes += f->size;
		k = (unsigned int)((t - from) / slot);
		if (k < res->nslots)
			res->slot[k] += f->size;
	}
	res->secs = (end - from) / 1e9;
	if (f->mode == BW_LAT) {
		st = summarize(rtt, n);
		res->rtt_med = st.med;
		res->rtt_p99 = st.p99;
		res->rounds = n;
		free(rtt);
	}
	/* The end of the run, past any shaping. */
	s->buf[0] = 0;
	bw_xfer(s, f, 0, false);
}

static void bw_side(struct bw_flow *f, bool sender, int cmdfd, int resfd)
{
	struct side s = { 0 };
	static struct bw_res res;
	unsigned int addr = 0;
	double times[4];

	for (int fd = 3; fd < 1024; fd++)
		if (fd != cmdfd && fd != resfd)
			close(fd);
	if (f->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(f->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("pin to CPU %d: %s", f->cpu, strerror(errno));
	}
	enter_netns(sender ? f->ns : f->peerns);
	s.fd = open_dev(sender ? f->dev : f->peer);
	s.handle = ep_alloc(s.fd, f->vni, f->tc, SSNS_PID_ANY, &addr);
	if (s.handle < 0)
		die("%s %s: allocate endpoint on vni %u: %s", f->name,
		    sender ? "sender" : "receiver", f->vni,
		    strerror(-s.handle));
	s.self.dev = dev_index(s.fd);
	s.self.addr = addr;
	s.buf = malloc(SSNS_SIM_MSG_MAX);
	if (!s.buf)
		die("out of memory");
	memset(s.buf, 0x5a, SSNS_SIM_MSG_MAX);
	if (!sender && f->mode == BW_WRITE) {
		struct ssns_sim_window w = {
			.size = sizeof(w), .handle = s.handle,
			.addr = (uintptr_t)s.buf, .len = SSNS_SIM_MSG_MAX,
		};

		if (ioctl(s.fd, SSNS_SIM_IOC_WINDOW, &w))
			die("%s: receive window: %s", f->name, strerror(errno));
	}
	write_full(resfd, &s.self, sizeof(s.self));
	if (!read_full(cmdfd, &s.peer, sizeof(s.peer)) ||
	    !read_full(cmdfd, times, sizeof(times)))
		exit(0);
	if (sender)
		bw_sender(&s, f, times[0], times[1], times[2], times[3], &res);
	else
		bw_receiver(&s, f);
	write_full(resfd, &res, sizeof(res));
	exit(0);
}

static pid_t bw_spawn(struct bw_flow *f, bool sender, int *cmdw, int *resr)
{
	int cmdp[2], resp[2];
	pid_t pid;

	if (pipe2(cmdp, O_CLOEXEC) || pipe2(resp, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(cmdp[1]);
		close(resp[0]);
		bw_side(f, sender, cmdp[0], resp[1]);
	}
	close(cmdp[0]);
	close(resp[1]);
	*cmdw = cmdp[1];
	*resr = resp[0];
	return pid;
}

/* The slot rates of flow @r, in bit/s: their summary. */
static struct summary bw_slots(const struct bw_res *r, double slot_s)
{
	double v[BW_MAX_SLOTS];
	unsigned int k;

	for (k = 0; k < r->nslots; k++)
		v[k] = r->slot[k] * 8 / slot_s;
	return summarize(v, r->nslots);
}

static int bw_find(const struct bw_flow *flows, int nf, const char *name)
{
	int i;

	for (i = 0; i < nf; i++)
		if (!strcmp(flows[i].name, name))
			return i;
	die("-R: no flow %s", name);
}

static int cmd_bw(int argc, char **argv)
{
	static struct bw_res res[BW_MAX_FLOWS], dummy;
	struct bw_flow flows[BW_MAX_FLOWS];
	struct addr a[BW_MAX_FLOWS][2];
	const char *pfx = "bw", *ratios[BW_MAX_RATIOS];
	double ms = 5000, warm = 500, slot = 250, times[4];
	int nf, nr = 0, opt, i, k, status;
	char name[1024];

	while ((opt = getopt(argc, argv, "t:W:S:R:o:N:")) != -1) {
		switch (opt) {
		case 't': ms = parse_num(optarg, 3600000); break;
		case 'W': warm = parse_num(optarg, 3600000); break;
		case 'S': slot = parse_num(optarg, 3600000); break;
		case 'R':
			if (nr == BW_MAX_RATIOS || !strchr(optarg, '/'))
				usage();
			ratios[nr++] = optarg;
			break;
		case 'o': out_path = optarg; break;
		case 'N': pfx = optarg; break;
		default: usage();
		}
	}
	if (strlen(pfx) > 64)
		die("-N %s: at most 64 characters", pfx);
	nf = argc - optind;
	if (nf < 1 || nf > BW_MAX_FLOWS || warm >= ms || !slot ||
	    slot > ms - warm)
		usage();
	for (i = 0; i < nf; i++)
		bw_parse(argv[optind + i], &flows[i], i);
	/* Receivers first: a sender's address is its peer's. */
	for (k = 1; k >= 0; k--)
		for (i = 0; i < nf; i++) {
			flows[i].pid[k] = bw_spawn(&flows[i], k == 0,
						   &flows[i].cmd[k],
						   &flows[i].res[k]);
			if (!read_full(flows[i].res[k], &a[i][k], sizeof(a[i][k])))
				die("%s: a process failed to start",
				    flows[i].name);
		}
	times[0] = now_ns() + 200e6;
	times[1] = warm * 1e6;
	times[2] = times[0] + ms * 1e6;
	times[3] = slot * 1e6;
	for (i = 0; i < nf; i++)
		for (k = 0; k < 2; k++) {
			write_full(flows[i].cmd[k], &a[i][!k], sizeof(a[i][!k]));
			write_full(flows[i].cmd[k], times, sizeof(times));
		}
	for (i = 0; i < nf; i++) {
		struct bw_flow *f = &flows[i];
		struct bw_res *r = &res[i];
		struct summary st;

		if (!read_full(f->res[0], r, sizeof(*r)) ||
		    !read_full(f->res[1], &dummy, sizeof(dummy)))
			die("%s: a benchmark process died", f->name);
		for (k = 0; k < 2; k++)
			if (waitpid(f->pid[k], &status, 0) < 0 ||
			    !WIFEXITED(status) || WEXITSTATUS(status))
				die("%s: a benchmark process failed", f->name);
		if (f->mode == BW_LAT) {
			printf("flow %s rtt_med_us %.2f rtt_p99_us %.2f rounds %lu\n",
			       f->name, r->rtt_med, r->rtt_p99, r->rounds);
			snprintf(name, sizeof(name), "%s.%s.rtt_med", pfx,
				 f->name);
			record(name, r->rtt_med, "us", NULL);
			snprintf(name, sizeof(name), "%s.%s.rtt_p99", pfx,
				 f->name);
			record(name, r->rtt_p99, "us", NULL);
			continue;
		}
		st = bw_slots(r, slot / 1e3);
		printf("flow %s rate_bps %.0f mean_bps %.0f bytes %.0f secs %.3f slots %u min_bps %.0f max_bps %.0f\n",
		       f->name, st.med, r->bytes * 8 / r->secs, r->bytes,
		       r->secs, r->nslots, st.min, st.max);
		snprintf(name, sizeof(name), "%s.%s.rate", pfx, f->name);
		st.med /= 1e6;
		st.min /= 1e6;
		st.max /= 1e6;
		record(name, st.med, "Mbit/s", &st);
	}
	for (k = 0; k < nr; k++) {
		char an[64], *bn;
		double v[BW_MAX_SLOTS];
		unsigned int j, n = 0;
		struct summary st;
		int x, y;

		snprintf(an, sizeof(an), "%s", ratios[k]);
		bn = strchr(an, '/');
		*bn++ = '\0';
		x = bw_find(flows, nf, an);
		y = bw_find(flows, nf, bn);
		for (j = 0; j < res[x].nslots && j < res[y].nslots; j++)
			if (res[y].slot[j] > 0)
				v[n++] = res[x].slot[j] / res[y].slot[j];
		if (!n)
			die("-R %s: flow %s sent nothing", ratios[k], bn);
		st = summarize(v, n);
		printf("ratio %s/%s %.4f min %.4f max %.4f slots %u\n", an, bn,
		       st.med, st.min, st.max, n);
		snprintf(name, sizeof(name), "%s.ratio.%s_%s", pfx, an, bn);
		record(name, st.med, "ratio", &st);
	}
	return 0;
}

/* ----------------------------------------------------------------- kcopy */

/* One copy of @size bytes through the test module's device @fd. */
static void kcopy_once(int fd, bool out, char *buf, unsigned long size)
{
	ssize_t n = out ? read(fd, buf, size) : write(fd, buf, size);

	if (n != (ssize_t)size)
		die("kcopy: %s", n < 0 ? strerror(errno) : "short copy");
}

/*
 * The kernel's own copy rate, with the loops of the simulated NIC
 * (selftests/kmod/kcopy): "in" is copy_from_user() into a kernel buffer
 * (a send's copy-in), "out" copy_to_user() out of it (a receive's
 * copy-out), "nocache" the window write's page-by-page non-temporal copy.
 */
static int cmd_kcopy(int argc, char **argv)
{
	static const struct {
		const char *name, *dev;
		bool out;
	} modes[] = {
		{ "in", "/dev/ssns_kcopy_user", false },
		{ "out", "/dev/ssns_kcopy_user", true },
		{ "nocache", "/dev/ssns_kcopy_nocache", false },
	};
	unsigned long sizes[MAX_SIZES], factor = 2;
	const char *size_arg = "1M";
	struct side ws = { 0 };
	double ms = 200, *v;
	int reps = 5, opt, nsizes, i, m, r;
	char *buf, sn[24], name[64];

	while ((opt = getopt(argc, argv, "s:x:r:t:o:")) != -1) {
		switch (opt) {
		case 's': size_arg = optarg; break;
		case 'x': factor = parse_num(optarg, 1024); break;
		case 'r': reps = parse_num(optarg, 1000); break;
		case 't': ms = parse_num(optarg, 600000); break;
		case 'o': out_path = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || reps < 1)
		usage();
	nsizes = parse_sizes(size_arg, factor, SSNS_SIM_MSG_MAX, sizes);
	v = calloc(reps, sizeof(*v));
	buf = malloc(SSNS_SIM_MSG_MAX);
	if (!v || !buf)
		die("out of memory");
	memset(buf, 0x5a, SSNS_SIM_MSG_MAX);
	for (m = 0; m < (int)(sizeof(modes) / sizeof(modes[0])); m++) {
		int fd = open(modes[m].dev, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			die("%s: %s (load selftests/kmod/kcopy/ssns_kcopy.ko)",
			    modes[m].dev, strerror(errno));
		for (i = 0; i < nsizes; i++) {
			unsigned long size = sizes[i], iters = 1, k;
			double t0, el;
			struct summary s;

			for (;;) {
				t0 = now_ns();
				for (k = 0; k < iters; k++)
					kcopy_once(fd, modes[m].out, buf, size);
				el = now_ns() - t0;
				if (el >= ms * 1e6 / 8)
					break;
				iters *= 4;
			}
			iters = (unsigned long)(iters * ms * 1e6 / el) + 1;
			/*
			 * As the pairs' bandwidth: the median rate over
			 * windows of bw_window() copies, so that the times
			 * the VM was not running are left out alike.
			 */
			ensure_samples(&ws, iters / bw_window(size) + 2);
			for (r = 0; r < reps; r++) {
				unsigned long nw = 0;
				double tw;

				t0 = now_ns();
				tw = t0;
				for (k = 1; k <= iters; k++) {
					kcopy_once(fd, modes[m].out, buf, size);
					if (!(k % bw_window(size))) {
						double t = now_ns();

						ws.samples[nw++] = size * (double)bw_window(size) / (t - tw) * 1e3;
						tw = t;
					}
				}
				v[r] = nw >= 3 ? summarize(ws.samples, nw).med :
					size * (double)iters / (now_ns() - t0) * 1e3;
			}
			s = summarize(v, reps);
			size_name(size, sn, sizeof(sn));
			printf("kernel copy %s %s: %.1f MB/s [%.1f..%.1f]\n",
			       modes[m].name, sn, s.med, s.min, s.max);
			snprintf(name, sizeof(name), "kcopy.%s.bw.%s",
				 modes[m].name, sn);
			record(name, s.med, "MB/s", &s);
		}
		close(fd);
	}
	free(buf);
	free(v);
	return 0;
}

/* --------------------------------------------------------------- members */

static void raise_nofile(unsigned long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("cannot raise the open file limit to %lu: %s", want,
		    strerror(errno));
}

static int run_cmd(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "ssns-perf: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cmd_members(int argc, char **argv)
{
	unsigned long count = 0, tenants = 1, i;
	const char *fmt = NULL;
	struct ssns_handle *h;
	double t0, t_create, t_bind;
	long kb0, kb1;
	int opt, self, *fds, rc = 0, err;
	char tname[SSNS_NAME_MAX];

	while ((opt = getopt(argc, argv, "n:T:k:o:")) != -1) {
		switch (opt) {
		case 'n': count = parse_num(optarg, 1000000); break;
		case 'T': fmt = optarg; break;
		case 'k': tenants = parse_num(optarg, 1000000); break;
		case 'o': out_path = optarg; break;
		default: usage();
		}
	}
	if (!count || !fmt || !tenants)
		usage();
	raise_nofile(count + 64);
	h = ssns_new();
	if (!h || (err = ssns_connect(h)))
		die("cannot connect to ssns");
	fds = calloc(count, sizeof(*fds));
	if (!fds)
		die("out of memory");
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		die("/proc/self/ns/net: %s", strerror(errno));

	t0 = now_ns();
	for (i = 0; i < count; i++) {
		if (unshare(CLONE_NEWNET))
			die("unshare (netns %lu): %s", i, strerror(errno));
		fds[i] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die("/proc/self/ns/net: %s", strerror(errno));
	}
	if (setns(self, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
	t_create = now_ns() - t0;

	kb0 = kmem_kb();
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		snprintf(tname, sizeof(tname), "%s%lu", fmt, i % tenants);
		err = ssns_tenant_netns_fd(h, tname, fds[i], SSNS_OP_ADD);
		if (err)
			die("bind netns %lu to %s: %s", i, tname, ssns_errmsg(h));
	}
	t_bind = now_ns() - t0;
	kb1 = kmem_kb();

	printf("members: %lu netns created in %.2f s, bound to %lu tenants in %.2f s (%.0f binds/s); kernel memory +%ld kB, %.0f B per member\n",
	       count, t_create / 1e9, tenants < count ? tenants : count,
	       t_bind / 1e9, count / t_bind * 1e9, kb1 - kb0,
	       (kb1 - kb0) * 1024.0 / count);
	record("members.create_s", t_create / 1e9, "s", NULL);
	record("members.bind_s", t_bind / 1e9, "s", NULL);
	record("mem.member", (kb1 - kb0) * 1024.0 / count, "B", NULL);

	if (optind < argc)
		rc = run_cmd(argv + optind);

	t0 = now_ns();
	for (i = 0; i < count; i++) {
		snprintf(tname, sizeof(tname), "%s%lu", fmt, i % tenants);
		err = ssns_tenant_netns_fd(h, tname, fds[i], SSNS_OP_DEL);
		if (err)
			die("unbind netns %lu from %s: %s", i, tname,
			    ssns_errmsg(h));
		close(fds[i]);
	}
	printf("members: unbound and released in %.2f s\n",
	       (now_ns() - t0) / 1e9);
	ssns_free(h);
	free(fds);
	return rc;
}

/* ----------------------------------------------------------------- epmem */

static int cmd_epmem(int argc, char **argv)
{
	unsigned int tc, first, last, vni, n = 0, cap = 0, i;
	unsigned long max = ULONG_MAX;
	unsigned int *handles = NULL;
	const char *name = "mem.endpoint";
	char n2[256];
	long kb0, kb1, kb2;
	int opt, fd, hd, rc = 0;
	double per;

	while ((opt = getopt(argc, argv, "+o:n:N:")) != -1) {
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'n': max = parse_num(optarg, 1UL << 30); break;
		case 'N': name = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 4 ||
	    (argc - optind > 4 && strcmp(argv[optind + 4], "--")))
		usage();
	tc = parse_tc(argv[optind + 1]);
	first = parse_num(argv[optind + 2], SSNS_VNI_MAX);
	last = parse_num(argv[optind + 3], SSNS_VNI_MAX);
	if (first > last)
		usage();
	fd = open_dev(argv[optind]);
	kb0 = kmem_kb();
	for (vni = first; vni <= last && n < max; vni++) {
		while (n < max) {
			hd = ep_alloc(fd, vni, tc, SSNS_PID_ANY, NULL);
			if (hd == -ENOSPC)
				break;
			if (hd < 0)
				die("allocate endpoint %u on vni %u: %s", n,
				    vni, strerror(-hd));
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				handles = realloc(handles, cap * sizeof(*handles));
				if (!handles)
					die("out of memory");
			}
			handles[n++] = hd;
		}
	}
	kb1 = kmem_kb();
	if (!n)
		die("no endpoint could be allocated");
	per = (kb1 - kb0) * 1024.0 / n;
	printf("epmem: %u endpoints on vni %u-%u: kernel memory +%ld kB, %.0f B per endpoint\n",
	       n, first, vni - 1, kb1 - kb0, per);
	if (max != ULONG_MAX && n < max)
		die("only %u of %lu endpoints could be allocated", n, max);
	record(name, per, "B", NULL);
	snprintf(n2, sizeof(n2), "%s_count", name);
	record(n2, n, "endpoints", NULL);
	/* Run the command while the endpoints are held. */
	if (argc - optind > 5) {
		fflush(stdout);
		rc = run_cmd(argv + optind + 5);
	}
	for (i = 0; i < n; i++)
		if ((hd = ep_free(fd, handles[i])))
			die("free endpoint: %s", strerror(-hd));
	/* Endpoints are freed after an RCU grace period. */
	usleep(200000);
	kb2 = kmem_kb();
	printf("epmem: after freeing them %+ld kB\n", kb2 - kb0);
	free(handles);
	close(fd);
	return rc;
}

/* ---------------------------------------------------------------- attach */

enum {
	M_BASE, M_CNI, M_EXEC, M_LIB,
	M_CHAIN, M_CHAIN_SSNS, M_CHAIN_AA, M_CHAIN_TUNING, M_NUM
};
static const char *const mode_names[M_NUM] = {
	"base", "cni", "exec", "lib",
	"chain", "chain_ssns", "chain_aa", "chain_tuning",
};

struct attach {
	const char *plugin, *conf, *cni_path, *dir, *tenant;
	const char *bridge, *bconf, *tuning, *tconf;
	struct ssns_handle *h;
	size_t conf_len, bconf_len, tconf_len;
	int self;
};

static void netns_create(struct attach *a, const char *path)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	if (unshare(CLONE_NEWNET))
		die("unshare: %s", strerror(errno));
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL))
		die("bind mount %s: %s", path, strerror(errno));
	if (setns(a->self, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
}

static void netns_delete(const char *path)
{
	if (umount2(path, MNT_DETACH))
		die("umount %s: %s", path, strerror(errno));
	if (unlink(path))
		die("unlink %s: %s", path, strerror(errno));
}

/*
 * Run CNI plugin @prog with @command, configuration @conf on stdin; its
 * stdout (the result) into @res (at most @reslen - 1 bytes) when given.
 */
static void cni_run(struct attach *a, const char *prog, const char *command,
		    const char *id, const char *nspath, const char *ifname,
		    const char *conf, size_t conf_len, char *res,
		    size_t reslen)
{
	char e_cmd[64], e_id[128], e_ns[PATH_MAX + 16], e_path[PATH_MAX + 16];
	char e_if[64];
	char *env[] = { e_cmd, e_id, e_ns, e_if, e_path,
			"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	int p[2], o[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	snprintf(e_cmd, sizeof(e_cmd), "CNI_COMMAND=%s", command);
	snprintf(e_id, sizeof(e_id), "CNI_CONTAINERID=%s", id);
	snprintf(e_ns, sizeof(e_ns), "CNI_NETNS=%s", nspath);
	snprintf(e_if, sizeof(e_if), "CNI_IFNAME=%s", ifname);
	snprintf(e_path, sizeof(e_path), "CNI_PATH=%s", a->cni_path);
	if (pipe2(p, O_CLOEXEC) || pipe2(o, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(p[0], 0);
		if (res)
			dup2(o[1], 1);
		else if (null >= 0)
			dup2(null, 1);
		execve(prog, (char *[]){ (char *)prog, NULL }, env);
		_exit(127);
	}
	close(p[0]);
	close(o[1]);
	/* The plugin may not read it all (/bin/true): ignore EPIPE. */
	if (write(p[1], conf, conf_len) < 0 && errno != EPIPE)
		die("write to %s: %s", prog, strerror(errno));
	close(p[1]);
	while ((n = read(o[0], res ? res + got : e_cmd,
			 res ? reslen - 1 - got : sizeof(e_cmd))) > 0)
		if (res)
			got += n;
	if (res)
		res[got] = 0;
	close(o[0]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("%s %s for %s failed (status %d)%s%s", prog, command, id,
		    status, res ? ": " : "", res ? res : "");
}

static void cni_exec(struct attach *a, const char *prog, const char *command,
		     const char *id, const char *nspath)
{
	cni_run(a, prog, command, id, nspath, "ssns0", a->conf, a->conf_len,
		NULL, 0);
}

/*
 * A chained plugin's configuration: @conf with the previous plugin's
 * result as "prevResult", as a CNI runtime passes it.
 */
static size_t chain_conf(char *buf, size_t len, const char *conf,
			 size_t conf_len, const char *prev)
{
	size_t end = conf_len;
	int n;

	while (end && conf[end - 1] != '}')
		end--;
	if (!end)
		die("bad plugin configuration");
	n = snprintf(buf, len, "%.*s,\"prevResult\":%s}", (int)(end - 1),
		     conf, prev);
	if (n < 0 || (size_t)n >= len)
		die("plugin configuration too long");
	return n;
}

/*
 * A pod on the CNI chain: bridge (+ host-local), then @prog (ssns-cni or
 * tuning, NULL for none) with the bridge's result; DEL in reverse order.
 */
static void chain_cycle(struct attach *a, const char *prog, const char *conf,
			size_t conf_len, const char *id, const char *path)
{
	static char res[16384], cc[32768];
	size_t n;

	cni_run(a, a->bridge, "ADD", id, path, "eth0", a->bconf, a->bconf_len,
		res, sizeof(res));
	if (prog) {
		n = chain_conf(cc, sizeof(cc), conf, conf_len, res);
		cni_run(a, prog, "ADD", id, path, "eth0", cc, n, NULL, 0);
		cni_run(a, prog, "DEL", id, path, "eth0", cc, n, NULL, 0);
	}
	cni_run(a, a->bridge, "DEL", id, path, "eth0", a->bconf, a->bconf_len,
		NULL, 0);
}

/* Bind or unbind a pod's netns through libssns, in process. */
static void lib_bind(struct attach *a, const char *path, enum ssns_op op)
{
	int err;

	if (!a->h) {
		a->h = ssns_new();
		if (!a->h || ssns_connect(a->h))
			die("cannot connect to ssns");
	}
	err = ssns_tenant_netns_path(a->h, a->tenant, path, op);
	if (err)
		die("%s %s to tenant %s: %s", op == SSNS_OP_ADD ? "bind" : "unbind",
		    path, a->tenant, ssns_errmsg(a->h));
}

/* One pod cycle in @mode; its duration in ns. */
static double pod_cycle(struct attach *a, int mode, unsigned long pod)
{
	char path[PATH_MAX], id[64];
	double t0 = now_ns();

	snprintf(path, sizeof(path), "%s/bench-%lu", a->dir, pod);
	snprintf(id, sizeof(id), "bench-%lu", pod);
	netns_create(a, path);
	if (mode == M_CNI) {
		cni_exec(a, a->plugin, "ADD", id, path);
		cni_exec(a, a->plugin, "DEL", id, path);
	} else if (mode == M_EXEC) {
		cni_exec(a, "/bin/true", "ADD", id, path);
		cni_exec(a, "/bin/true", "DEL", id, path);
	} else if (mode == M_LIB) {
		lib_bind(a, path, SSNS_OP_ADD);
		lib_bind(a, path, SSNS_OP_DEL);
	} else if (mode == M_CHAIN || mode == M_CHAIN_AA) {
		chain_cycle(a, NULL, NULL, 0, id, path);
	} else if (mode == M_CHAIN_SSNS) {
		chain_cycle(a, a->plugin, a->conf, a->conf_len, id, path);
	} else if (mode == M_CHAIN_TUNING) {
		chain_cycle(a, a->tuning, a->tconf, a->tconf_len, id, path);
	}
	netns_delete(path);
	return now_ns() - t0;
}

/* @n pods from @first, @par at a time; wall time in ns. */
static double pod_batch(struct attach *a, int mode, unsigned long first,
			unsigned long n, int par)
{
	double t0 = now_ns();
	unsigned long i;
	int w, status, bad = 0;
	pid_t pid;

	fflush(stdout);
	for (w = 0; w < par; w++) {
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid) {
			/* Its own netlink socket, never the parent's. */
			a->h = NULL;
			for (i = w; i < n; i += par)
				pod_cycle(a, mode, first + i);
			_exit(0);
		}
	}
	while ((pid = wait(&status)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	if (bad)
		die("a parallel pod worker failed");
	return now_ns() - t0;
}

static const char *read_conf(const char *path, size_t *len)
{
	static char confs[3][65536];
	static int used;
	ssize_t n;
	int fd;

	if (used == 3)
		die("too many configurations");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	n = read(fd, confs[used], sizeof(confs[used]) - 1);
	if (n <= 0)
		die("%s: cannot read", path);
	close(fd);
	*len = n;
	return confs[used++];
}

static int cmd_attach(int argc, char **argv)
{
	struct attach a = { .cni_path = "/usr/lib/cni", .dir = "/run/netns" };
	unsigned long pods = 500, i, pod = 0;
	int par = 8, opt, m, nmodes = 2, modes[M_NUM] = { M_BASE, M_CNI };
	double *v[M_NUM], *bv[M_NUM], wall[M_NUM] = { 0 };
	const char *conf_path = NULL, *bconf = NULL, *tconf = NULL;
	static char bpath[PATH_MAX], tpath[PATH_MAX];
	bool exec = false, lib = false;
	char name[64];

	while ((opt = getopt(argc, argv, "p:c:C:d:n:P:eL:o:B:T:")) != -1) {
		switch (opt) {
		case 'p': a.plugin = optarg; break;
		case 'c': conf_path = optarg; break;
		case 'C': a.cni_path = optarg; break;
		case 'd': a.dir = optarg; break;
		case 'n': pods = parse_num(optarg, 1000000); break;
		case 'P': par = parse_num(optarg, 256); break;
		case 'e': exec = true; break;
		case 'L': a.tenant = optarg; lib = true; break;
		case 'o': out_path = optarg; break;
		case 'B': bconf = optarg; break;
		case 'T': tconf = optarg; break;
		default: usage();
		}
	}
	if (!a.plugin || !conf_path || !pods || par < 1 || optind != argc)
		usage();
	a.conf = read_conf(conf_path, &a.conf_len);
	if (bconf) {
		/* The chain: bridge alone, twice (A/A), then with the plugin. */
		a.bconf = read_conf(bconf, &a.bconf_len);
		snprintf(bpath, sizeof(bpath), "%s/bridge", a.cni_path);
		a.bridge = bpath;
		modes[nmodes++] = M_CHAIN;
		modes[nmodes++] = M_CHAIN_SSNS;
		modes[nmodes++] = M_CHAIN_AA;
		if (tconf) {
			a.tconf = read_conf(tconf, &a.tconf_len);
			snprintf(tpath, sizeof(tpath), "%s/tuning", a.cni_path);
			a.tuning = tpath;
			modes[nmodes++] = M_CHAIN_TUNING;
		}
	}
	if (exec)
		modes[nmodes++] = M_EXEC;
	if (lib)
		modes[nmodes++] = M_LIB;
	mkdir(a.dir, 0755);
	a.self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (a.self < 0)
		die("/proc/self/ns/net: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	for (m = 0; m < M_NUM; m++) {
		v[m] = calloc(pods, sizeof(double));
		bv[m] = calloc(pods, sizeof(double));
		if (!v[m] || !bv[m])
			die("out of memory");
	}

	/* Sequential: the modes alternate pod by pod, in rotating order. */
	for (i = 0; i < pods; i++)
		for (m = 0; m < nmodes; m++) {
			int k = (m + i) % nmodes;

			v[k][i] = pod_cycle(&a, modes[k], pod++) / 1e6;
		}
	for (m = 0; m < nmodes; m++) {
		double sum = 0;
		struct summary s;

		for (i = 0; i < pods; i++)
			sum += v[m][i];
		s = summarize(v[m], pods);
		printf("attach sequential %-12s: %lu pods in %.1f s, per pod median %.2f ms [%.2f..%.2f] mean %.2f p99 %.2f ms\n",
		       mode_names[modes[m]], pods, sum / 1e3, s.med, s.min, s.max,
		       sum / pods, s.p99);
		snprintf(name, sizeof(name), "attach.seq.%s.per_pod",
			 mode_names[modes[m]]);
		record(name, s.med, "ms", &s);
	}

	/*
	 * A burst: batches of 4 * par pods, par at a time, the modes
	 * alternating batch by batch; per pod: the batch's wall time over
	 * its pods, the median over batches.
	 */
	if (par > 1) {
		unsigned long batch = 4UL * par, done = 0, b = 0, nb;

		while (done < pods) {
			nb = pods - done < batch ? pods - done : batch;
			for (m = 0; m < nmodes; m++) {
				int k = (m + b) % nmodes;
				double w = pod_batch(&a, modes[k], pod, nb, par) / 1e6;

				wall[k] += w;
				bv[k][b] = w / nb;
				pod += nb;
			}
			done += nb;
			b++;
		}
		for (m = 0; m < nmodes; m++) {
			struct summary s = summarize(bv[m], b);

			printf("attach %d parallel %-12s: %lu pods in %.1f s, per pod median %.2f ms over %lu batches, %.1f pods/s\n",
			       par, mode_names[modes[m]], pods, wall[m] / 1e3,
			       s.med, b, pods / wall[m] * 1e3);
			snprintf(name, sizeof(name), "attach.par%d.%s.per_pod",
				 par, mode_names[modes[m]]);
			record(name, s.med, "ms", &s);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	argv++;
	argc--;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "pair"))
		return cmd_pair(argc, argv);
	if (!strcmp(cmd, "admit"))
		return cmd_admit(argc, argv);
	if (!strcmp(cmd, "memcpy"))
		return cmd_memcpy(argc, argv);
	if (!strcmp(cmd, "bw"))
		return cmd_bw(argc, argv);
	if (!strcmp(cmd, "kcopy"))
		return cmd_kcopy(argc, argv);
	if (!strcmp(cmd, "members"))
		return cmd_members(argc, argv);
	if (!strcmp(cmd, "epmem"))
		return cmd_epmem(argc, argv);
	if (!strcmp(cmd, "attach"))
		return cmd_attach(argc, argv);
	if (!strcmp(cmd, "kmem")) {
		printf("%ld\n", kmem_kb());
		return 0;
	}
	usage();
}
