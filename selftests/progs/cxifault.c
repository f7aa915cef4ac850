// SPDX-License-Identifier: GPL-2.0
/*
 * cxifault: step a simulated cxi NIC (/dev/cxiN) one call at a time, with
 * fault injection armed right before a chosen call, for selftests/faults.sh.
 *
 *   cxifault
 *
 * Reads commands on stdin, one a line, runs each and answers one line on
 * stdout (flushed), so a test can look at the system between two calls:
 *
 *   arm N                 the next command writes N to
 *                         /proc/thread-self/fail-nth right before its
 *                         system call, and its answer ends with
 *                         " fail-nth=hit" or " fail-nth=not-reached"
 *   open DEV              open /dev/DEV (or a path): "ok"
 *   close                 close it: "ok"
 *   alloc VNI TC ADDR     SSNS_SIM_IOC_EP_ALLOC (ADDR a number or "any"):
 *                         "ok addr=A handle=H"; the handle is remembered
 *   free                  SSNS_SIM_IOC_EP_FREE of the last handle: "ok"
 *   info                  SSNS_SIM_IOC_INFO: "ok dev_index=N"
 *   send DSTDEV DSTADDR MSG
 *                         SSNS_SIM_IOC_SEND from the last handle: "ok"
 *   recv                  non-blocking SSNS_SIM_IOC_RECV on the last handle:
 *                         "ok len=N from=DEV/ADDR msg=TEXT"
 *   write FILE STRING     open FILE, then write STRING to it (a sysfs
 *                         file, say) in one write(): "ok"
 *   state [WHAT...]       a snapshot to compare, many lines then "end":
 *                         the replies (attributes in hex) of SYS_GET and of
 *                         the DEV, TENANT, PROFILE and EP dumps of the
 *                         "ssns" family from this netns; then per WHAT:
 *                         "ns:NAME" the DEV dump from /run/netns/NAME, a
 *                         directory its sorted names, a file its text.
 *                         Much cheaper than a dozen processes per snapshot.
 *
 * A failing command answers "error=ENAME" (and leaves the state as it was:
 * a failed open leaves no file, a failed alloc no handle). "quit" or the
 * end of stdin ends the program, closing the file. Everything runs in the
 * one thread that fail-nth is armed in. Exit status 0, 2 on a bad command.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>
#include <libssns.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "EINVAL"; "E<n>" for an errno without a name. */
static const char *errname(int e)
{
	static char buf[16];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int fail_fd = -1;
static unsigned int armed;

static void fail_set(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(fail_fd, b, (size_t)len, 0) != len) {
		perror("cxifault: fail-nth");
		exit(1);
	}
}

/* Arm right before the system call (nothing else may run in between). */
static void arm(void)
{
	if (armed)
		fail_set(armed);
}

/* Right after the system call: disarm; the text to append to the answer. */
static const char *disarm(void)
{
	char b[16] = "";
	ssize_t n;

	if (!armed)
		return "";
	n = pread(fail_fd, b, sizeof(b) - 1, 0);
	fail_set(0);
	armed = 0;
	if (n <= 0) {
		perror("cxifault: fail-nth");
		exit(1);
	}
	return atoi(b) == 0 ? " fail-nth=hit" : " fail-nth=not-reached";
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	if (!s)
		return 0;
	v = strtoul(s, &end, 0);
	return *s && !*end ? v : 0;
}

/* A traffic class by its libssns name, or its number. */
static unsigned int tc_of(const char *s)
{
	int tc = ssns_tc_from_name(s);

	return tc >= 0 ? (unsigned int)tc : (unsigned int)num(s);
}

/* --- state snapshot ------------------------------------------------------- */
static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(int *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int print_cb(const struct nlmsghdr *nlh, void *data)
{
	const unsigned char *p = mnl_nlmsg_get_payload(nlh);
	size_t i, len = mnl_nlmsg_get_payload_len(nlh);

	printf("%s ", (const char *)data);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
	return MNL_CB_OK;
}

/* One request (a dump if @dump) of @cmd; print each reply message. */
static void nl_req(struct mnl_socket *nl, int family, int cmd, int dump,
		   const char *tag)
{
	static char buf[65536] __attribute__((aligned(8)));
	unsigned int portid = mnl_socket_get_portid(nl);
	static unsigned int seq = 1;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	ssize_t n;
	int ret;

	nlh->nlmsg_type = (unsigned short)family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = (unsigned char)cmd;
	g->version = family == GENL_ID_CTRL ? 1 : SSNS_GENL_VERSION;
	if (family == GENL_ID_CTRL)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SSNS_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		printf("%s error=%s\n", tag, errname(errno));
		return;
	}
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, (size_t)n, seq, portid,
				 family == GENL_ID_CTRL ? family_cb : print_cb,
				 family == GENL_ID_CTRL ? (void *)tag :
				 (void *)tag);
		if (ret < 0)
			printf("%s error=%s\n", tag, errname(errno));
		if (ret <= 0)
			break;
	}
}

static struct mnl_socket *nl_open(int *family)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);

	*family = 0;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	nl_req(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, (char *)family);
	return nl;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void state_of(const char *what)
{
	struct mnl_socket *nl;
	int family, self, nsfd;
	char path[512], line[1024];
	DIR *d;
	FILE *f;

	if (!strncmp(what, "ns:", 3)) {
		snprintf(path, sizeof(path), "/run/netns/%s", what + 3);
		nsfd = open(path, O_RDONLY);
		self = open("/proc/thread-self/ns/net", O_RDONLY);
		if (nsfd < 0 || self < 0 || setns(nsfd, CLONE_NEWNET)) {
			printf("%s error=%s\n", what, errname(errno));
		} else {
			nl = nl_open(&family);
			if (setns(self, CLONE_NEWNET))
				exit(1);
			if (nl && family)
				nl_req(nl, family, SSNS_CMD_DEV_GET, 1, what);
			if (nl)
				mnl_socket_close(nl);
		}
		if (nsfd >= 0)
			close(nsfd);
		if (self >= 0)
			close(self);
		return;
	}
	d = opendir(what);
	if (d) {
		char *names[1024];
		struct dirent *e;
		size_t k = 0, i;

		while ((e = readdir(d)) && k < ARRAY_SIZE(names))
			if (e->d_name[0] != '.')
				names[k++] = strdup(e->d_name);
		closedir(d);
		qsort(names, k, sizeof(names[0]), name_cmp);
		printf("%s:", what);
		for (i = 0; i < k; i++) {
			printf(" %s", names[i]);
			free(names[i]);
		}
		printf("\n");
		return;
	}
	f = fopen(what, "r");
	if (!f) {
		printf("%s error=%s\n", what, errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("%s: %s", what, line);
	fclose(f);
}

static void state(char *args)
{
	static const struct { int cmd, dump; const char *tag; } reqs[] = {
		{ SSNS_CMD_SYS_GET, 0, "sys" },
		{ SSNS_CMD_DEV_GET, 1, "dev" },
		{ SSNS_CMD_TENANT_GET, 1, "tenant" },
		{ SSNS_CMD_PROFILE_GET, 1, "profile" },
		{ SSNS_CMD_EP_GET, 1, "ep" },
	};
	struct mnl_socket *nl;
	char *w, *save = NULL;
	int family;
	size_t i;

	nl = nl_open(&family);
	if (!nl || !family)
		printf("state: no ssns family\n");
	for (i = 0; nl && family && i < ARRAY_SIZE(reqs); i++)
		nl_req(nl, family, reqs[i].cmd, reqs[i].dump, reqs[i].tag);
	if (nl)
		mnl_socket_close(nl);
	for (w = args ? strtok_r(args, " ", &save) : NULL; w;
	     w = strtok_r(NULL, " ", &save))
		state_of(w);
	printf("end\n");
	fflush(stdout);
}

int main(void)
{
	char line[4096], path[256];
	int fd = -1, ret, err;
	unsigned int handle = 0;

	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	/* Without fault injection, "arm" fails; everything else works. */

	while (fgets(line, sizeof(line), stdin)) {
		char *cmd, *a1, *a2, *a3, *save = NULL;
		char extra[128] = "";
		const char *fi;

		line[strcspn(line, "\n")] = '\0';
		cmd = strtok_r(line, " ", &save);
		if (!cmd)
			continue;
		a1 = strtok_r(NULL, " ", &save);
		a2 = strtok_r(NULL, " ", &save);
		a3 = strtok_r(NULL, "", &save);
		ret = 0;
		err = 0;

		if (!strcmp(cmd, "quit")) {
			break;
		} else if (!strcmp(cmd, "state")) {
			/* Arguments again, with their spaces. */
			if (a2)
				a1[strlen(a1)] = ' ';
			if (a3)
				a2[strlen(a2)] = ' ';
			state(a1);
			continue;
		} else if (!strcmp(cmd, "arm")) {
			if (fail_fd < 0) {
				printf("error=%s\n", errname(ENOENT));
			} else {
				armed = (unsigned int)num(a1);
				printf("ok\n");
			}
			fflush(stdout);
			continue;
		} else if (!strcmp(cmd, "open")) {
			int nfd;

			if (!a1)
				return 2;
			if (strchr(a1, '/'))
				snprintf(path, sizeof(path), "%s", a1);
			else
				snprintf(path, sizeof(path), "/dev/%s", a1);
			arm();
			nfd = open(path, O_RDWR);
			err = errno;
			fi = disarm();
			if (nfd < 0) {
				ret = -1;
			} else {
				if (fd >= 0)
					close(fd);
				fd = nfd;
			}
		} else if (!strcmp(cmd, "close")) {
			arm();
			ret = close(fd);
			err = errno;
			fi = disarm();
			fd = -1;
		} else if (!strcmp(cmd, "alloc")) {
			struct ssns_sim_ep_alloc a = { .size = sizeof(a) };

			a.vni = (unsigned int)num(a1);
			a.tc = tc_of(a2);
			a.addr = a3 && strcmp(a3, "any") ? (unsigned int)num(a3) :
				 SSNS_PID_ANY;
			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_EP_ALLOC, &a);
			err = errno;
			fi = disarm();
			if (!ret) {
				handle = a.handle;
				snprintf(extra, sizeof(extra), " addr=%u handle=%u",
					 a.addr, a.handle);
			}
		} else if (!strcmp(cmd, "free")) {
			struct ssns_sim_ep_free a = { .size = sizeof(a) };

			a.handle = handle;
			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_EP_FREE, &a);
			err = errno;
			fi = disarm();
		} else if (!strcmp(cmd, "info")) {
			struct ssns_sim_info a = { .size = sizeof(a) };

			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_INFO, &a);
			err = errno;
			fi = disarm();
			if (!ret)
				snprintf(extra, sizeof(extra), " dev_index=%u",
					 a.dev_index);
		} else if (!strcmp(cmd, "send")) {
			struct ssns_sim_send a = { .size = sizeof(a) };

			a.handle = handle;
			a.dst_dev = (unsigned int)num(a1);
			a.dst_addr = (unsigned int)num(a2);
			a.buf = (unsigned long)(a3 ? a3 : "");
			a.len = a3 ? (unsigned int)strlen(a3) : 0;
			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_SEND, &a);
			err = errno;
			fi = disarm();
		} else if (!strcmp(cmd, "recv")) {
			static char buf[1024];
			struct ssns_sim_recv a = { .size = sizeof(a) };

			a.handle = handle;
			a.buf = (unsigned long)buf;
			a.len = sizeof(buf) - 1;
			a.flags = SSNS_SIM_RECV_NONBLOCK;
			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_RECV, &a);
			err = errno;
			fi = disarm();
			if (!ret) {
				buf[a.msg_len < sizeof(buf) ? a.msg_len : 0] = '\0';
				snprintf(extra, sizeof(extra),
					 " len=%u from=%u/%u msg=%.64s", a.msg_len,
					 a.src_dev, a.src_addr, buf);
			}
		} else if (!strcmp(cmd, "window") ||
			   !strcmp(cmd, "unwindow")) {
			/* window LEN [keep] | unwindow [keep] */
			static char *wbuf;
			struct ssns_sim_window a = { .size = sizeof(a) };
			const char *flag = cmd[0] == 'w' ? a2 : a1;

			if (!wbuf) {
				/* Mapped and touched outside the armed call. */
				wbuf = mmap(NULL, SSNS_SIM_WINDOW_MAX,
					    PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (wbuf == MAP_FAILED)
					return 2;
				memset(wbuf, 0, SSNS_SIM_WINDOW_MAX);
			}
			a.handle = handle;
			if (cmd[0] == 'w') {
				if (!a1 || num(a1) > SSNS_SIM_WINDOW_MAX)
					return 2;
				a.addr = (unsigned long)wbuf;
				a.len = num(a1);
			}
			if (flag && !strcmp(flag, "keep"))
				a.flags = SSNS_SIM_WINDOW_KEEP;
			arm();
			ret = ioctl(fd, SSNS_SIM_IOC_WINDOW, &a);
			err = errno;
			fi = disarm();
			if (ret > 0) {
				snprintf(extra, sizeof(extra), " reused");
				ret = 0;
			}
		} else if (!strcmp(cmd, "write")) {
			int wfd;
			size_t len;
			ssize_t n;

			if (!a1 || !a2)
				return 2;
			/* The rest of the line, spaces included. */
			if (a3)
				a2[strlen(a2)] = ' ';
			len = strlen(a2);
			wfd = open(a1, O_WRONLY);
			if (wfd < 0) {
				printf("error=%s\n", errname(errno));
				fflush(stdout);
				armed = 0;
				continue;
			}
			arm();
			n = write(wfd, a2, len);
			err = errno;
			fi = disarm();
			ret = n == (ssize_t)len ? 0 : -1;
			if (n >= 0 && n != (ssize_t)len)
				err = EIO;
			close(wfd);
		} else {
			fprintf(stderr, "cxifault: unknown command '%s'\n", cmd);
			return 2;
		}
		if (ret)
			printf("error=%s%s\n", errname(err), fi);
		else
			printf("ok%s%s\n", extra, fi);
		fflush(stdout);
	}
	if (fd >= 0)
		close(fd);
	return 0;
}
