// SPDX-License-Identifier: GPL-2.0
/*
 * tprovtool: drive the test provider ssns_tprov through /dev/ssns_tprov.
 *
 *   tprovtool [-r READY] DEVINDEX alloc VNI TC ADDR
 *   tprovtool [-r READY] DEVINDEX hold VNI TC ADDR SECS
 *   tprovtool DEVINDEX bind
 *
 * ADDR is a number or "any". alloc prints "addr N"; hold allocates, writes
 * READY, then waits until the context is revoked ("revoked", exit 0, after
 * checking that a further allocation fails with ENODEV) or SECS pass
 * ("held"). A failure prints "error: ENAME (text)" and exits with the errno,
 * as cxitool does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../kmod/tprov/ssns_tprov.h"

static void die(int err, const char *what)
{
	const char *n = strerrorname_np(err);

	printf("error: %s (%s)\n", n ? n : "E?", strerror(err));
	fprintf(stderr, "tprovtool: %s\n", what);
	exit(err & 0xff ? err : 1);
}

static void usage(void)
{
	fprintf(stderr, "usage: tprovtool [-r READY] DEVINDEX bind | alloc VNI TC ADDR | hold VNI TC ADDR SECS\n");
	exit(2);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "any"))
		return 0xffffffffUL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s)
		usage();
	return v;
}

static int bound(const char *devindex)
{
	struct tprov_bind b = { .dev_index = (__u32)num(devindex) };
	int fd = open("/dev/ssns_tprov", O_RDWR);

	if (fd < 0)
		die(errno, "open /dev/ssns_tprov");
	if (ioctl(fd, TPROV_IOC_BIND, &b))
		die(errno, "bind");
	return fd;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	struct tprov_ep e = { 0 };
	int fd, opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			usage();
		ready = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	fd = bound(argv[0]);
	if (!strcmp(argv[1], "bind")) {
		printf("bound\n");
		return 0;
	}
	if (argc < 5 || (strcmp(argv[1], "alloc") && strcmp(argv[1], "hold")))
		usage();
	e.vni = (__u32)num(argv[2]);
	e.tc = (__u32)num(argv[3]);
	e.addr = (__u32)num(argv[4]);
	if (ioctl(fd, TPROV_IOC_EP_ALLOC, &e))
		die(errno, "alloc");
	printf("addr %u\n", e.addr);
	fflush(stdout);
	if (!strcmp(argv[1], "alloc"))
		return 0;
	if (argc < 6)
		usage();
	if (ready) {
		int r = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (r < 0)
			die(errno, "ready file");
		close(r);
	}
	for (unsigned long i = 0; i < num(argv[5]) * 10; i++) {
		struct tprov_ep again = { .vni = e.vni, .tc = e.tc,
					  .addr = 0xffffffffU };
		int rv = ioctl(fd, TPROV_IOC_REVOKED);

		if (rv < 0)
			die(errno, "revoked?");
		if (rv == 1) {
			if (!ioctl(fd, TPROV_IOC_EP_ALLOC, &again) ||
			    errno != ENODEV)
				die(errno ? errno : EPROTO,
				    "allocation after revocation");
			printf("revoked\n");
			return 0;
		}
		usleep(100000);
	}
	printf("held\n");
	return 0;
}
