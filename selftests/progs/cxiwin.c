// SPDX-License-Identifier: GPL-2.0
/*
 * cxiwin: TAP test of the receive windows and writes of ssns_sim
 * (SSNS_SIM_IOC_WINDOW, SSNS_SIM_IOC_WRITE), on one device.
 *
 *   cxiwin DEV VNI OTHER_VNI TC
 *
 * Needs host profiles (DEV, VNI, TC) and (DEV, OTHER_VNI, TC), root.
 * Prints TAP; exits 1 when a test point fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>

static int ntest, nfail;

static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		nfail++;
}

/* ok() on an errno result: @ret is 0 or -errno. */
static void ok_err(int ret, int want, const char *what)
{
	ok(ret == -want, "%s: %s (got %s)", what,
	   want ? strerrorname_np(want) : "success",
	   ret ? strerrorname_np(-ret) : "success");
}

static const char *dev;
static unsigned int vni, ovni, tc, dev_index, rxq_depth;

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int dev_open(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("Bail out! open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* An endpoint on @v at any address; its handle, *addr set. */
static unsigned int ep_alloc(int fd, unsigned int v, unsigned int *addr)
{
	struct ssns_sim_ep_alloc a = {
		.size = sizeof(a), .vni = v, .tc = tc, .addr = SSNS_PID_ANY,
	};

	if (xioctl(fd, SSNS_SIM_IOC_EP_ALLOC, &a)) {
		printf("Bail out! EP_ALLOC vni %u: %s\n", v, strerror(errno));
		exit(1);
	}
	*addr = a.addr;
	return a.handle;
}

static int window(int fd, unsigned int h, void *p, uint64_t len)
{
	struct ssns_sim_window w = {
		.size = sizeof(w), .handle = h, .addr = (uintptr_t)p,
		.len = len,
	};

	return xioctl(fd, SSNS_SIM_IOC_WINDOW, &w);
}

/* The same with SSNS_SIM_WINDOW_KEEP: 1 (reused), 0 or -errno. */
static int window_keep(int fd, unsigned int h, void *p, uint64_t len)
{
	struct ssns_sim_window w = {
		.size = sizeof(w), .handle = h, .addr = (uintptr_t)p,
		.len = len, .flags = SSNS_SIM_WINDOW_KEEP,
	};
	int ret = ioctl(fd, SSNS_SIM_IOC_WINDOW, &w);

	return ret < 0 ? -errno : ret;
}

static int wr(int fd, unsigned int h, unsigned int addr, const void *buf,
	      uint32_t len, uint64_t off)
{
	struct ssns_sim_write w = {
		.size = sizeof(w), .handle = h, .dst_dev = dev_index,
		.dst_addr = addr, .buf = (uintptr_t)buf, .offset = off,
		.len = len,
	};

	return xioctl(fd, SSNS_SIM_IOC_WRITE, &w);
}

static int rcv(int fd, unsigned int h, struct ssns_sim_recv *r, void *buf,
	       uint32_t len)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->handle = h;
	r->buf = (uintptr_t)buf;
	r->len = len;
	r->flags = SSNS_SIM_RECV_NONBLOCK;
	return xioctl(fd, SSNS_SIM_IOC_RECV, r);
}

/* Pinned pages of this process (VmPin of /proc/self/status), in kB. */
static long vm_pin_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

struct churn {
	int fd;
	unsigned int h, addr;
	volatile bool stop;
	unsigned long writes, errs[4];
};

static void *writer(void *arg)
{
	struct churn *c = arg;
	static char buf[256 << 10];
	int ret;

	memset(buf, 7, sizeof(buf));
	while (!c->stop) {
		ret = wr(c->fd, c->h, c->addr, buf, sizeof(buf), 0);
		c->writes++;
		if (!ret)
			c->errs[0]++;
		else if (ret == -EREMOTEIO)
			c->errs[1]++;
		else if (ret == -EAGAIN)
			c->errs[2]++;
		else
			c->errs[3]++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	size_t wlen = 1 << 20, pg = sysconf(_SC_PAGESIZE);
	unsigned int ha, hb, hc, aa, ab, ac, i;
	struct ssns_sim_info info = { .size = sizeof(info) };
	struct ssns_sim_recv r;
	unsigned char *win, *src, *ro, *hole;
	long pin0;
	int fa, fb, ret;

	if (argc != 5) {
		fprintf(stderr, "usage: cxiwin DEV VNI OTHER_VNI TC\n");
		return 2;
	}
	dev = argv[1];
	vni = strtoul(argv[2], NULL, 0);
	ovni = strtoul(argv[3], NULL, 0);
	tc = strtoul(argv[4], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	fa = dev_open();
	fb = dev_open();
	if (xioctl(fa, SSNS_SIM_IOC_INFO, &info)) {
		printf("Bail out! INFO: %s\n", strerror(errno));
		return 1;
	}
	dev_index = info.dev_index;
	rxq_depth = info.rxq_depth;
	ha = ep_alloc(fa, vni, &aa);	/* the writer */
	hb = ep_alloc(fb, vni, &ab);	/* the target, another open file */
	hc = ep_alloc(fa, ovni, &ac);	/* another VNI */

	win = mmap(NULL, wlen, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = malloc(wlen);
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (win == MAP_FAILED || !src || ro == MAP_FAILED ||
	    hole == MAP_FAILED) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	munmap(hole + pg, pg);
	memset(win, 0xee, wlen);
	for (i = 0; i < wlen; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	pin0 = vm_pin_kb();

	/* --- the window call ------------------------------------------------ */
	ok_err(wr(fa, ha, ab, src, 64, 0), EREMOTEIO,
	       "write to an endpoint without a window");
	ok_err(window(fb, hb, NULL, 0), ENOENT, "remove a window never set");
	ok_err(window(fb, hb, win, 0), EINVAL, "address without length");
	ok_err(window(fb, hb, NULL, 4096), EINVAL, "length without address");
	ok_err(window(fb, hb, win, SSNS_SIM_WINDOW_MAX + 1ULL), EINVAL,
	       "length over SSNS_SIM_WINDOW_MAX");
	ok_err(window(fb, hb, (void *)0xffff888000000000ULL, 4096), EFAULT,
	       "kernel address");
	ok_err(window(fb, hb, hole, 2 * pg), EFAULT,
	       "range running into an unmapped page");
	ok_err(window(fb, hb, ro, pg), EFAULT, "read-only memory");
	ok_err(window(fb, 999, win, wlen), EBADF, "unknown handle");
	{
		struct ssns_sim_window w = {
			.size = sizeof(w), .handle = hb,
			.addr = (uintptr_t)win, .len = wlen, .reserved = 1,
		};

		ok_err(xioctl(fb, SSNS_SIM_IOC_WINDOW, &w), EINVAL,
		       "reserved field set");
		w.reserved = 0;
		w.flags = SSNS_SIM_WINDOW_KEEP << 1;
		ok_err(xioctl(fb, SSNS_SIM_IOC_WINDOW, &w), EINVAL,
		       "unknown flag");
		w.flags = 0;
		w.size = SSNS_SIM_WINDOW_SIZE_VER0 - 4;
		ok_err(xioctl(fb, SSNS_SIM_IOC_WINDOW, &w), EINVAL,
		       "size below the first version");
	}
	ok(vm_pin_kb() == pin0, "nothing pinned by the refused calls (VmPin %ld kB)",
	   vm_pin_kb());
	ok_err(window(fb, hb, win, wlen), 0, "set a 1 MiB window");
	ok(vm_pin_kb() == pin0 + (long)(wlen >> 10),
	   "VmPin grew by the window (%ld kB)", vm_pin_kb() - pin0);
	ok_err(window(fb, hb, win, wlen), EBUSY, "a second window");

	/* --- writes ------------------------------------------------------------- */
	ok_err(wr(fa, ha, ab, src, 100000, 12345), 0,
	       "write 100000 bytes at offset 12345");
	ret = rcv(fb, hb, &r, NULL, 0);
	ok(!ret && r.msg_flags == SSNS_SIM_MSG_WRITE && r.offset == 12345 &&
	   r.msg_len == 100000 && r.src_dev == dev_index && r.src_addr == aa,
	   "completion: flags %#x offset %llu len %u from %u:%u", r.msg_flags,
	   (unsigned long long)r.offset, r.msg_len, r.src_dev, r.src_addr);
	ok(!memcmp(win + 12345, src, 100000) && all_bytes(win, 12345, 0xee) &&
	   all_bytes(win + 12345 + 100000, wlen - 12345 - 100000, 0xee),
	   "the bytes landed at the offset, nothing else changed");
	ok_err(rcv(fb, hb, &r, NULL, 0), EAGAIN, "one completion only");

	ok_err(wr(fa, ha, ab, src, wlen, 0), 0, "write the whole window");
	ok(!rcv(fb, hb, &r, NULL, 0) && r.msg_len == wlen &&
	   !memcmp(win, src, wlen), "1 MiB landed");
	memset(win, 0xee, wlen);

	ok_err(wr(fa, ha, ab, src, 2, wlen - 1), EREMOTEIO,
	       "write past the end of the window");
	ok_err(wr(fa, ha, ab, src, 1, ~0ULL), EREMOTEIO,
	       "offset near 2^64 (no overflow)");
	ok_err(wr(fa, ha, ab, src, 0, wlen), 0, "empty write at the end");
	ok(!rcv(fb, hb, &r, NULL, 0) && r.msg_len == 0 &&
	   r.msg_flags == SSNS_SIM_MSG_WRITE, "its completion");
	ok_err(wr(fa, ha, ab, src, SSNS_SIM_MSG_MAX + 1, 0), EMSGSIZE,
	       "longer than SSNS_SIM_MSG_MAX");
	ok_err(wr(fa, hc, ab, src, 64, 0), 0,
	       "write from another VNI: accepted by the sender");
	ok_err(rcv(fb, hb, &r, NULL, 0), EAGAIN, "...but dropped");
	ok(all_bytes(win, wlen, 0xee), "nothing written by refused writes");
	ok_err(wr(fa, ha, ab, hole, 2 * pg, 0), EFAULT,
	       "source running into an unmapped page");
	ok_err(rcv(fb, hb, &r, NULL, 0), EAGAIN,
	       "a failed write queues no completion");
	{
		struct ssns_sim_write w = {
			.size = sizeof(w), .handle = ha, .dst_dev = dev_index,
			.dst_addr = ab, .buf = (uintptr_t)src, .len = 8,
			.flags = 2,
		};

		ok_err(xioctl(fa, SSNS_SIM_IOC_WRITE, &w), EINVAL,
		       "write with an unknown flag");
	}

	/* A full queue: writes are refused before anything is written. */
	for (i = 0; i < rxq_depth; i++)
		if (wr(fa, ha, ab, src, 8, 8 * i))
			break;
	ok(i == rxq_depth, "%u writes fill the receive queue", i);
	win[8 * rxq_depth] = 0x11;
	ok_err(wr(fa, ha, ab, src, 8, 8 * rxq_depth), EAGAIN,
	       "the next write: EAGAIN");
	ok(win[8 * rxq_depth] == 0x11, "...and it wrote nothing");
	for (i = 0; !rcv(fb, hb, &r, NULL, 0); i++)
		;
	ok(i == rxq_depth, "%u completions received", i);

	/* Sends and writes share the queue, in order. */
	{
		struct ssns_sim_send s = {
			.size = sizeof(s), .handle = ha, .dst_dev = dev_index,
			.dst_addr = ab, .buf = (uintptr_t)src, .len = 16,
		};
		char buf[64];

		wr(fa, ha, ab, src, 32, 0);
		xioctl(fa, SSNS_SIM_IOC_SEND, &s);
		wr(fa, ha, ab, src, 48, 0);
		ok(!rcv(fb, hb, &r, buf, sizeof(buf)) &&
		   r.msg_flags == (SSNS_SIM_MSG_WRITE | SSNS_SIM_MSG_MORE) &&
		   r.msg_len == 32, "first: the first write, more behind it");
		ok(!rcv(fb, hb, &r, buf, sizeof(buf)) &&
		   r.msg_flags == SSNS_SIM_MSG_MORE &&
		   r.msg_len == 16 && !memcmp(buf, src, 16),
		   "second: the message, with its data, more behind it");
		ok(!rcv(fb, hb, &r, buf, sizeof(buf)) &&
		   r.msg_flags == SSNS_SIM_MSG_WRITE &&
		   r.msg_len == 48, "third: the second write, the last");
	}

	/* A caller of the first recv version sees the length only. */
	wr(fa, ha, ab, src, 24, 0);
	{
		struct ssns_sim_recv r0;

		memset(&r0, 0, sizeof(r0));
		r0.size = SSNS_SIM_RECV_SIZE_VER0;
		r0.handle = hb;
		r0.flags = SSNS_SIM_RECV_NONBLOCK;
		ret = xioctl(fb, SSNS_SIM_IOC_RECV, &r0);
		ok(!ret && r0.msg_len == 24 && !r0.msg_flags && !r0.offset,
		   "recv of the first version: msg_len %u, newer fields untouched",
		   r0.msg_len);
		memset(&r0, 0, sizeof(r0));
		r0.size = sizeof(r0);
		r0.handle = hb;
		r0.flags = SSNS_SIM_RECV_NONBLOCK;
		r0.reserved = 1;
		ok_err(xioctl(fb, SSNS_SIM_IOC_RECV, &r0), EINVAL,
		       "recv with its reserved field set");
	}

	/* Removal unpins. */
	ok_err(window(fb, hb, NULL, 0), 0, "remove the window");
	ok(vm_pin_kb() == pin0, "VmPin back to %ld kB", pin0);
	ok_err(wr(fa, ha, ab, src, 8, 0), EREMOTEIO,
	       "write after removal: EREMOTEIO");

	/* RLIMIT_MEMLOCK without CAP_IPC_LOCK. */
	{
		struct rlimit rl = { 64 << 10, 64 << 10 }, old;
		struct __user_cap_header_struct hdr = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct caps[2], low[2];

		getrlimit(RLIMIT_MEMLOCK, &old);
		syscall(SYS_capget, &hdr, caps);
		memcpy(low, caps, sizeof(low));
		low[0].effective &= ~(1U << CAP_IPC_LOCK);
		if (setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    syscall(SYS_capset, &hdr, low)) {
			printf("ok %d - memlock limit # SKIP cannot lower it\n",
			       ++ntest);
		} else {
			ok_err(window(fb, hb, win, wlen), ENOMEM,
			       "1 MiB over a 64 kB RLIMIT_MEMLOCK");
			ok(vm_pin_kb() == pin0, "...nothing left pinned");
			ok_err(window(fb, hb, win, 32 << 10), 0,
			       "32 kB under it");
			ok_err(window(fb, hb, NULL, 0), 0, "removed");
		}
		syscall(SYS_capset, &hdr, caps);
		setrlimit(RLIMIT_MEMLOCK, &old);
	}

	/* Freeing the endpoint unpins; so does closing the file. */
	ok_err(window(fb, hb, win, wlen), 0, "window again");
	{
		struct ssns_sim_ep_free f = { .size = sizeof(f), .handle = hb };

		ok_err(xioctl(fb, SSNS_SIM_IOC_EP_FREE, &f), 0,
		       "free the endpoint");
	}
	ok(vm_pin_kb() == pin0, "VmPin back after EP_FREE (%ld kB)",
	   vm_pin_kb());
	hb = ep_alloc(fb, vni, &ab);
	ok_err(window(fb, hb, win, wlen), 0, "window on a new endpoint");
	close(fb);
	ok(vm_pin_kb() == pin0, "VmPin back after close (%ld kB)",
	   vm_pin_kb());

	/* Parked windows (SSNS_SIM_WINDOW_KEEP): reused only while valid. */
	{
		size_t off = 3 * pg + 100, n = 4096;
		unsigned char *kb, *q;
		long pinned;
		pid_t pid;

		fb = dev_open();
		hb = ep_alloc(fb, vni, &ab);
		kb = mmap(NULL, wlen, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (kb == MAP_FAILED) {
			printf("Bail out! out of memory\n");
			return 1;
		}
		memset(kb, 0, wlen);
		ret = window_keep(fb, hb, kb, wlen);
		ok(ret == 0, "keep: the first set pins (returned %d)", ret);
		pinned = vm_pin_kb();
		ok(pinned >= pin0 + (long)(wlen >> 10),
		   "keep: VmPin %ld kB with the window", pinned);
		ret = window_keep(fb, hb, NULL, 0);
		ok(ret == 0, "keep: removed (returned %d)", ret);
		ok(vm_pin_kb() == pinned, "keep: the parked window stays pinned");
		ok_err(wr(fa, ha, ab, src, 64, 0), EREMOTEIO,
		       "keep: a parked window takes no write");
		ok_err(window_keep(fb, hb, NULL, 0), ENOENT,
		       "keep: removing it again: no window");
		ret = window_keep(fb, hb, kb, wlen);
		ok(ret == 1, "keep: the same range again is reused (returned %d)",
		   ret);
		ok(vm_pin_kb() == pinned, "keep: ...without pinning more");
		ok_err(wr(fa, ha, ab, src, n, off), 0, "keep: write");
		ok_err(rcv(fb, hb, &r, NULL, 0), 0, "keep: its completion");
		ok(!memcmp(kb + off, src, n),
		   "keep: the write landed in the reused window");
		window_keep(fb, hb, NULL, 0);
		ret = window_keep(fb, hb, kb, wlen / 2);
		ok(ret == 0, "keep: another range is pinned anew (returned %d)",
		   ret);
		ok(vm_pin_kb() == pin0 + (long)(wlen >> 11),
		   "keep: ...and the parked pages unpinned (VmPin %ld kB)",
		   vm_pin_kb());
		window_keep(fb, hb, NULL, 0);
		ok(window_keep(fb, hb, kb, wlen) == 0 &&
		   !window_keep(fb, hb, NULL, 0), "keep: whole range parked");

		/* Unmapped and mapped again at the same address. */
		munmap(kb, wlen);
		q = mmap(kb, wlen, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
			 0);
		if (q != kb) {
			printf("Bail out! mmap at %p: %s\n", (void *)kb,
			       strerror(errno));
			return 1;
		}
		ret = window_keep(fb, hb, kb, wlen);
		ok(ret == 0,
		   "keep: after munmap and mmap at the same address, pinned anew (returned %d)",
		   ret);
		ok_err(wr(fa, ha, ab, src, n, off), 0, "keep: write");
		ok_err(rcv(fb, hb, &r, NULL, 0), 0, "keep: its completion");
		ok(!memcmp(kb + off, src, n),
		   "keep: the write landed in the new mapping");

		/* Pages thrown away under a parked window. */
		window_keep(fb, hb, NULL, 0);
		madvise(kb, wlen, MADV_DONTNEED);
		ret = window_keep(fb, hb, kb, wlen);
		ok(ret == 0, "keep: after MADV_DONTNEED, pinned anew (returned %d)",
		   ret);
		ok_err(wr(fa, ha, ab, src + 1, n, off), 0, "keep: write");
		ok_err(rcv(fb, hb, &r, NULL, 0), 0, "keep: its completion");
		ok(!memcmp(kb + off, src + 1, n),
		   "keep: the write landed in the new pages");

		/* A fork: the parent's pages must still be the window's. */
		window_keep(fb, hb, NULL, 0);
		pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		ret = window_keep(fb, hb, kb, wlen);
		ok(ret == 0 || ret == 1, "keep: set after a fork (returned %d)",
		   ret);
		kb[off] = 0;	/* the parent writes: copy-on-write breaks here */
		ok_err(wr(fa, ha, ab, src + 2, n, off), 0, "keep: write");
		ok_err(rcv(fb, hb, &r, NULL, 0), 0, "keep: its completion");
		ok(!memcmp(kb + off, src + 2, n),
		   "keep: the write landed in the parent's memory");

		/* A removal without the flag unpins the parked pages. */
		window_keep(fb, hb, NULL, 0);
		ok(vm_pin_kb() > pin0, "keep: parked again");
		ok_err(window(fb, hb, NULL, 0), ENOENT,
		       "keep: removal without the flag: no window");
		ok(vm_pin_kb() == pin0, "keep: ...but the parked pages unpinned");
		/* And freeing the endpoint, or closing the file. */
		ok(window_keep(fb, hb, kb, wlen) == 0 &&
		   !window_keep(fb, hb, NULL, 0), "keep: parked again");
		close(fb);
		ok(vm_pin_kb() == pin0, "keep: VmPin back after close (%ld kB)",
		   vm_pin_kb());
		munmap(kb, wlen);
	}

	/* Churn: windows replaced and endpoints freed under a writer. */
	{
		struct churn c = { .fd = fa, .h = ha };
		pthread_t t;
		unsigned int k;

		fb = dev_open();
		hb = ep_alloc(fb, vni, &ab);
		c.addr = ab;
		pthread_create(&t, NULL, writer, &c);
		for (k = 0; k < 300 || c.writes < 3000; k++) {
			if (k >= 100000)
				break;
			window(fb, hb, win, wlen);
			while (!rcv(fb, hb, &r, NULL, 0))
				;
			if (k % 3 == 0) {
				window(fb, hb, NULL, 0);
			} else if (k % 3 == 1) {
				struct ssns_sim_ep_free f = {
					.size = sizeof(f), .handle = hb,
				};

				xioctl(fb, SSNS_SIM_IOC_EP_FREE, &f);
				/* Same address, so the writer finds it. */
				{
					struct ssns_sim_ep_alloc a = {
						.size = sizeof(a), .vni = vni,
						.tc = tc, .addr = ab,
					};

					if (xioctl(fb, SSNS_SIM_IOC_EP_ALLOC, &a))
						break;
					hb = a.handle;
				}
			}
		}
		c.stop = true;
		pthread_join(t, NULL);
		ok(k < 100000 && !c.errs[3] && c.errs[0] && c.errs[1],
		   "churn: %u rounds; %lu writes: %lu done, %lu EREMOTEIO, %lu EAGAIN, %lu other",
		   k, c.writes, c.errs[0], c.errs[1], c.errs[2], c.errs[3]);
		close(fb);
		ok(vm_pin_kb() == pin0, "VmPin back after the churn (%ld kB)",
		   vm_pin_kb());
	}
	close(fa);
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
