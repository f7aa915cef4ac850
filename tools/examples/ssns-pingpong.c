// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-pingpong: two pods of one tenant talking over a cxi NIC.
 *
 * Usage:
 *   ssns-pingpong server DEV VNI TC ADDR [IDLE_MS]
 *   ssns-pingpong client DEV VNI TC ADDR PEER_INDEX PEER_ADDR [COUNT [SIZE]]
 *
 * The server allocates an endpoint at ADDR on (DEV, VNI, TC), prints
 * "server: dev index I addr A", and echoes every message back to its sender
 * until nothing comes for IDLE_MS (default: forever). The client allocates
 * an endpoint at ADDR ("any" for any free address), sends COUNT (10)
 * messages of SIZE (64) bytes to (PEER_INDEX, PEER_ADDR), checks each echo
 * and prints the round-trip times.
 *
 * DEV is "cxi0" or a path; TC is a traffic class name or number. Both pods
 * use the same VNI: it must belong to their tenant and a profile (DEV, VNI,
 * TC) must exist, e.g.
 *
 *   ssnsctl tenant add alice vni 100
 *   ssnsctl tenant set alice netns pod1
 *   ssnsctl tenant set alice netns pod2
 *   ssnsctl profile add dev cxi0 vni 100 tc low_latency
 *   ip netns exec pod1 ssns-pingpong server cxi0 100 low_latency 7 &
 *   ip netns exec pod2 ssns-pingpong client cxi0 100 low_latency any 0 7
 *
 * A pod of another tenant cannot even allocate an endpoint on VNI 100; the
 * kernel refuses it (EACCES). Exit status: 0, or the errno that stopped
 * the program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>

#define ECHO_TIMEOUT_MS	10000
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const tc_names[] = {
	"dedicated_access", "low_latency", "bulk_data", "best_effort",
};

static int fd = -1;

static void print_usage(void)
{
	fprintf(stderr,
		"usage: ssns-pingpong server DEV VNI TC ADDR [IDLE_MS]\n"
		"       ssns-pingpong client DEV VNI TC ADDR PEER_INDEX PEER_ADDR [COUNT [SIZE]]\n");
	exit(EINVAL);
}

static int fail(int err, const char *what)
{
	fprintf(stderr, "ssns-pingpong: %s: %s\n", what, strerror(err));
	exit(err);
}

static unsigned long num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max || *s == '-')
		print_usage();
	return v;
}

static __u32 parse_tc(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tc_names); i++)
		if (!strcmp(s, tc_names[i]))
			return i;
	return num(s, SSNS_TC_MAX);
}

static void open_dev(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", strchr(dev, '/') ? "" : "/dev/",
		 dev);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail(errno, path);
}

static __u32 alloc_ep(__u32 vni, __u32 tc, __u32 addr, __u32 *got)
{
	struct ssns_sim_ep_alloc a = {
		.size = sizeof(a), .vni = vni, .tc = tc, .addr = addr,
	};

	if (ioctl(fd, SSNS_SIM_IOC_EP_ALLOC, &a))
		fail(errno, "allocate endpoint");
	*got = a.addr;
	return a.handle;
}

static int send_msg(__u32 h, __u32 dev, __u32 addr, const void *buf,
		    __u32 len)
{
	struct ssns_sim_send s = {
		.size = sizeof(s), .handle = h, .dst_dev = dev,
		.dst_addr = addr, .buf = (uintptr_t)buf, .len = len,
	};

	/* A full receive queue pushes back: wait a little and retry. */
	while (ioctl(fd, SSNS_SIM_IOC_SEND, &s)) {
		if (errno != EAGAIN)
			return errno;
		usleep(100);
	}
	return 0;
}

static int recv_msg(__u32 h, void *buf, __u32 len, __u32 timeout_ms,
		    struct ssns_sim_recv *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->handle = h;
	r->buf = (uintptr_t)buf;
	r->len = len;
	r->timeout_ms = timeout_ms;
	return ioctl(fd, SSNS_SIM_IOC_RECV, r) ? errno : 0;
}

static __u32 dev_index(void)
{
	struct ssns_sim_info info = { .size = sizeof(info) };

	if (ioctl(fd, SSNS_SIM_IOC_INFO, &info))
		fail(errno, "device info");
	return info.dev_index;
}

static int run_server(__u32 vni, __u32 tc, __u32 addr, __u32 idle_ms)
{
	void *buf = malloc(SSNS_SIM_MSG_MAX);
	unsigned long n = 0;
	struct ssns_sim_recv r;
	__u32 h, got;
	int err;

	if (!buf)
		fail(ENOMEM, "malloc");
	h = alloc_ep(vni, tc, addr, &got);
	printf("server: dev index %u addr %u\n", dev_index(), got);
	fflush(stdout);
	for (;;) {
		err = recv_msg(h, buf, SSNS_SIM_MSG_MAX, idle_ms, &r);
		if (err == ETIMEDOUT)
			break;
		if (err)
			fail(err, "receive");
		err = send_msg(h, r.src_dev, r.src_addr, buf, r.msg_len);
		if (err)
			fail(err, "echo");
		n++;
	}
	printf("server: echoed %lu messages\n", n);
	free(buf);
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int run_client(__u32 vni, __u32 tc, __u32 addr, __u32 peer_dev,
		      __u32 peer_addr, unsigned long count, __u32 size)
{
	unsigned char *out = malloc(size ? size : 1);
	unsigned char *in = malloc(size ? size : 1);
	double t, min = 0, max = 0, sum = 0;
	struct ssns_sim_recv r;
	unsigned long i;
	__u32 h, got, j;
	int err;

	if (!out || !in)
		fail(ENOMEM, "malloc");
	h = alloc_ep(vni, tc, addr, &got);
	printf("client: dev index %u addr %u -> %u:%u, %lu x %u bytes\n",
	       dev_index(), got, peer_dev, peer_addr, count, size);
	for (i = 0; i < count; i++) {
		for (j = 0; j < size; j++)
			out[j] = (unsigned char)(i + j);
		t = now_us();
		err = send_msg(h, peer_dev, peer_addr, out, size);
		if (err)
			fail(err, "send");
		err = recv_msg(h, in, size, ECHO_TIMEOUT_MS, &r);
		if (err == ETIMEDOUT) {
			/* The fabric drops what no peer of the VNI gets. */
			fprintf(stderr,
				"ssns-pingpong: no echo for message %lu: no server on this VNI at %u:%u?\n",
				i, peer_dev, peer_addr);
			fail(ETIMEDOUT, "receive");
		}
		if (err)
			fail(err, "receive");
		t = now_us() - t;
		if (r.msg_len != size || memcmp(in, out, size) ||
		    r.src_dev != peer_dev || r.src_addr != peer_addr)
			fail(EBADMSG, "echo differs from message");
		sum += t;
		min = i == 0 || t < min ? t : min;
		max = t > max ? t : max;
	}
	if (count)
		printf("client: %lu round trips, min %.1f avg %.1f max %.1f us\n",
		       count, min, sum / count, max);
	free(out);
	free(in);
	return 0;
}

int main(int argc, char **argv)
{
	__u32 vni, tc, addr;

	if (argc < 6)
		print_usage();
	open_dev(argv[2]);
	vni = num(argv[3], SSNS_VNI_MAX);
	tc = parse_tc(argv[4]);
	addr = strcmp(argv[5], "any") ? num(argv[5], UINT32_MAX) :
					 SSNS_PID_ANY;

	if (!strcmp(argv[1], "server") && argc <= 7)
		return run_server(vni, tc, addr,
			      argc > 6 ? num(argv[6], UINT32_MAX) : 0);
	if (!strcmp(argv[1], "client") && argc >= 8 && argc <= 10)
		return run_client(vni, tc, addr, num(argv[6], UINT32_MAX),
			      num(argv[7], UINT32_MAX),
			      argc > 8 ? num(argv[8], 100000000) : 10,
			      argc > 9 ? num(argv[9], SSNS_SIM_MSG_MAX) : 64);
	print_usage();
	return 1;
}
