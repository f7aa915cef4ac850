// SPDX-License-Identifier: GPL-2.0
/*
 * nlraw: send one hand-built generic netlink request to the "ssns" family
 * and print the reply, for selftests that need requests ssnsctl would never
 * build: missing or wrongly typed attributes, out-of-range values, bad
 * nests, truncated messages.
 *
 *   nlraw [-D] [-t BYTES] [-n NETNS] CMD [ATTR...]
 *
 *   CMD    a command number or name (sys_get, dev_set, tenant_new, ...;
 *          names are libssns's ssns_cmd_name())
 *   ATTR   TYPE:ID=VALUE  with TYPE u8, u16, u32, u64, s32, str, strz
 *                         (string without its NUL), hex (raw bytes)
 *          flag:ID        an attribute without payload
 *          nest:ID        open a nest, closed by "end"
 *          ID is an attribute number or name (dev_index, vni, ...: libssns's
 *          ssns_attr_name(), in any case)
 *   -D     a dump request
 *   -t N   cut N bytes off the end of the message (a truncated request)
 *   -n NS  send from network namespace NS (/run/netns/NS)
 *   -g     join the "monitor" multicast group first; a refused join
 *          prints "error=ENAME extack=join monitor group" and exits
 *   nlraw -i   requests on stdin, one a line, each answered by its
 *              output and a line "end rc=STATUS" (see serve())
 *
 *   -F N   fault injection: write N to /proc/thread-self/fail-nth right
 *          before sending the request, so that the N-th slab or page
 *          allocation of this thread fails (the request is handled in the
 *          sender's context); print "fail-nth: hit" or "fail-nth: not
 *          reached" once it is handled. A send that fails prints
 *          "error=ENAME extack=sendmsg"; an acknowledgement the kernel
 *          could not allocate prints "error=ENOBUFS extack=reply lost".
 *
 * Prints each reply message as "cmd=N" then "  ATTR=value" lines (names in
 * lower case; strings, nests and numbers as the family's table types them,
 * counters of STATS by ssns_stat_name(), a provider's counters as
 * "NAME=VALUE"), and a last line "ok" or "error=ERRNO_NAME extack=MESSAGE".
 * Exit status is 0 or the positive errno.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ssns.h>

#include <libssns.h>

#include "ssns_nl_abi.h"

/*
 * Names are libssns's: commands as ssns_cmd_name() gives them, attributes
 * as ssns_attr_name() in lower case, counters as ssns_stat_name().
 */
static const char *lower(const char *s)
{
	static char buf[64];
	size_t i;

	for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = '\0';
	return buf;
}

/* A command or attribute given by name (any case) or number. */
static long lookup(const char *(*name)(unsigned int), unsigned int max,
		   const char *s)
{
	unsigned int i;
	char *end;
	long v;

	for (i = 0; i <= max; i++)
		if (name(i) && !strcasecmp(name(i), s))
			return (long)i;
	v = strtol(s, &end, 0);
	if (*s && !*end && v >= 0 && v <= 0xffff)
		return v;
	fprintf(stderr, "nlraw: unknown name '%s'\n", s);
	exit(2);
}

static unsigned long long number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "nlraw: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static int family_id;

/* /proc/thread-self/fail-nth, opened before arming (opening allocates). */
static int fail_fd = -1;

static void fail_nth_arm(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(fail_fd, b, (size_t)len, 0) != len) {
		perror("nlraw: fail-nth");
		exit(1);
	}
}

/* Disarm; print whether the armed allocation was reached. */
static void fail_nth_report(void)
{
	char b[16] = "";
	ssize_t n = pread(fail_fd, b, sizeof(b) - 1, 0);

	fail_nth_arm(0);
	if (n <= 0) {
		perror("nlraw: fail-nth");
		exit(1);
	}
	printf("fail-nth: %s\n", atoi(b) == 0 ? "hit" : "not reached");
}

static unsigned int monitor_grp;

/* The id of the "monitor" group in a CTRL_ATTR_MCAST_GROUPS nest. */
static void find_monitor_grp(const struct nlattr *groups)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, groups) {
		const char *name = NULL;
		unsigned int id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, SSNS_GENL_MCGRP_MONITOR))
			monitor_grp = id;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family_id = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			find_monitor_grp(a);
	}
	return MNL_CB_OK;
}

/* A provider's counters: "NAME=VALUE" a line, like the core's stats. */
static void print_counters(const struct nlattr *nest, int depth)
{
	const struct nlattr *c, *a;

	mnl_attr_for_each_nested(c, nest) {
		const char *name = "?";
		unsigned long long v = 0;

		mnl_attr_for_each_nested(a, c) {
			if (mnl_attr_get_type(a) == SSNS_ATTR_COUNTER_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == SSNS_ATTR_COUNTER_VALUE)
				v = mnl_attr_get_u64(a);
		}
		printf("%*s%s=%llu\n", 2 * depth, "", name, v);
	}
}

/* The name of attribute @t, or of counter @t of STATS, or its number. */
static const char *attr_label(unsigned int t, bool stats, char *buf,
			      size_t len)
{
	const char *n = stats && t != SSNS_STAT_PAD ? ssns_stat_name(t) :
			ssns_attr_name(t);

	if (n)
		return lower(n);
	snprintf(buf, len, "%u", t);
	return buf;
}

static void print_attrs(const struct nlattr *start, size_t len, int depth,
			bool stats)
{
	const struct nlattr *a;
	char buf[64];

	for (a = start;
	     mnl_attr_ok(a, (int)len - (int)((const char *)a - (const char *)start));
	     a = mnl_attr_next(a)) {
		unsigned int t = mnl_attr_get_type(a);
		unsigned int pl = mnl_attr_get_payload_len(a);
		const struct nl_attr_desc *d = stats ? NULL : nl_abi_attr(t);
		enum nl_kind kind = d ? d->kind : NK_NONE;

		printf("%*s%s=", 2 * depth, "",
		       attr_label(t, stats, buf, sizeof(buf)));
		if (!stats && t == SSNS_ATTR_DEV_COUNTERS) {
			printf("{\n");
			print_counters(a, depth + 1);
			printf("%*s}\n", 2 * depth, "");
		} else if (stats) {
			printf("%llu\n", pl == 8 ? (unsigned long long)
			       mnl_attr_get_u64(a) : 0ULL);
		} else if ((a->nla_type & NLA_F_NESTED) || kind == NK_NEST) {
			printf("{\n");
			print_attrs(mnl_attr_get_payload(a), pl, depth + 1,
				    d && d->nest == NS_STATS);
			printf("%*s}\n", 2 * depth, "");
		} else if (kind == NK_STRING) {
			printf("%.*s\n", (int)strnlen(mnl_attr_get_payload(a), pl),
			       (const char *)mnl_attr_get_payload(a));
		} else if (pl == 1) {
			printf("%u\n", mnl_attr_get_u8(a));
		} else if (pl == 2) {
			printf("%u\n", mnl_attr_get_u16(a));
		} else if (pl == 4) {
			printf("%u\n", mnl_attr_get_u32(a));
		} else if (pl == 8) {
			printf("%llu\n", (unsigned long long)mnl_attr_get_u64(a));
		} else {
			printf("%.*s\n", (int)pl, (const char *)mnl_attr_get_payload(a));
		}
	}
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	(void)data;
	printf("cmd=%u\n", g->cmd);
	print_attrs(mnl_nlmsg_get_payload_offset(nlh, sizeof(*g)),
		    mnl_nlmsg_get_payload_len(nlh) - sizeof(*g), 1, false);
	return MNL_CB_OK;
}

/* Error (and extack) of an NLMSG_ERROR or NLMSG_DONE message. */
static int report(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = "";
	const struct nlattr *a;
	size_t off;
	int err;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		err = *(const int *)mnl_nlmsg_get_payload(nlh);
		off = sizeof(int);
	} else {
		err = e->error;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += mnl_nlmsg_get_payload_len(&e->msg);
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each(a, nlh, off)
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				msg = mnl_attr_get_str(a);
	if (!err) {
		printf("ok\n");
		return 0;
	}
	printf("error=%s extack=%s\n", errname(-err), msg);
	return -err;
}

/* Move this process into /run/netns/@name (before its socket is opened). */
static int enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nlraw: netns %s: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int run(int argc, char **argv)
{
	char buf[65536] __attribute__((aligned(8)));
	struct nlattr *nests[16];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	unsigned int seq, portid;
	int depth = 0, dump = 0, cut = 0, join = 0, opt, one = 1, ret;
	unsigned int fail_nth = 0;
	ssize_t n;

	while ((opt = getopt(argc, argv, "Dgt:F:n:")) != -1) {
		if (opt == 'D')
			dump = 1;
		else if (opt == 'g')
			join = 1;
		else if (opt == 't')
			cut = (int)number(optarg);
		else if (opt == 'F')
			fail_nth = (unsigned int)number(optarg);
		else if (opt != 'n')
			return 2;
		else if (enter_netns(optarg))
			return 1;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: nlraw [-D] [-g] [-t N] [-F N] [-n NETNS] CMD [TYPE:ATTR=VALUE...]\n");
		return 2;
	}

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlraw: socket");
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);

	/* Resolve the family. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SSNS_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return 1;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, n, seq, portid, family_cb, NULL);
		if (ret <= 0)
			break;
	}
	if (!family_id) {
		printf("error=ENOENT extack=family %s not registered\n",
		       SSNS_GENL_NAME);
		return ENOENT;
	}
	if (join && (!monitor_grp ||
		     mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP,
					   &monitor_grp,
					   sizeof(monitor_grp)) < 0)) {
		ret = monitor_grp ? errno : ENOENT;
		printf("error=%s extack=join monitor group\n",
		       errname(ret));
		return ret;
	}

	/* Build the request. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = (unsigned char)lookup(ssns_cmd_name, SSNS_CMD_MAX,
				       argv[optind]);
	g->version = SSNS_GENL_VERSION;
	for (int i = optind + 1; i < argc; i++) {
		char *spec = strdup(argv[i]), *colon, *eq, *val = NULL;
		unsigned short type;

		if (!strcmp(spec, "end")) {
			if (!depth) {
				fprintf(stderr, "nlraw: 'end' without nest\n");
				return 2;
			}
			mnl_attr_nest_end(nlh, nests[--depth]);
			free(spec);
			continue;
		}
		colon = strchr(spec, ':');
		if (!colon) {
			fprintf(stderr, "nlraw: bad attribute '%s'\n", spec);
			return 2;
		}
		*colon = '\0';
		eq = strchr(colon + 1, '=');
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		}
		type = (unsigned short)lookup(ssns_attr_name, SSNS_ATTR_MAX,
					      colon + 1);
		if (!strcmp(spec, "nest")) {
			if (depth == 16)
				return 2;
			nests[depth++] = mnl_attr_nest_start(nlh, type);
		} else if (!strcmp(spec, "flag")) {
			mnl_attr_put(nlh, type, 0, NULL);
		} else if (!val) {
			fprintf(stderr, "nlraw: '%s' needs a value\n", argv[i]);
			return 2;
		} else if (!strcmp(spec, "u8")) {
			mnl_attr_put_u8(nlh, type, (uint8_t)number(val));
		} else if (!strcmp(spec, "u16")) {
			mnl_attr_put_u16(nlh, type, (uint16_t)number(val));
		} else if (!strcmp(spec, "u32")) {
			mnl_attr_put_u32(nlh, type, (uint32_t)number(val));
		} else if (!strcmp(spec, "s32")) {
			mnl_attr_put_u32(nlh, type, (uint32_t)strtol(val, NULL, 0));
		} else if (!strcmp(spec, "u64")) {
			mnl_attr_put_u64(nlh, type, number(val));
		} else if (!strcmp(spec, "str")) {
			mnl_attr_put_strz(nlh, type, val);
		} else if (!strcmp(spec, "strz")) {
			mnl_attr_put(nlh, type, strlen(val), val);
		} else if (!strcmp(spec, "hex")) {
			unsigned char raw[4096];
			size_t len = strlen(val) / 2, k;

			if (len > sizeof(raw))
				return 2;
			for (k = 0; k < len; k++) {
				unsigned int byte;

				if (sscanf(val + 2 * k, "%2x", &byte) != 1)
					return 2;
				raw[k] = (unsigned char)byte;
			}
			mnl_attr_put(nlh, type, len, raw);
		} else {
			fprintf(stderr, "nlraw: unknown type '%s'\n", spec);
			return 2;
		}
		free(spec);
	}
	while (depth)
		mnl_attr_nest_end(nlh, nests[--depth]);
	if (cut) {
		if ((unsigned int)cut > nlh->nlmsg_len - sizeof(*nlh))
			cut = (int)(nlh->nlmsg_len - sizeof(*nlh));
		nlh->nlmsg_len -= (unsigned int)cut;
	}

	if (fail_nth) {
		fail_fd = open("/proc/thread-self/fail-nth", O_RDWR);
		if (fail_fd < 0) {
			perror("nlraw: /proc/thread-self/fail-nth");
			return 1;
		}
		fflush(stdout);
		fail_nth_arm(fail_nth);
		n = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
		ret = errno;
		fail_nth_report();
		if (n < 0) {
			printf("error=%s extack=sendmsg\n", errname(ret));
			return ret;
		}
	} else if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nlraw: send");
		return 1;
	}
	for (;;) {
		const struct nlmsghdr *m;
		int left;

		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == ENOBUFS && fail_nth) {
			printf("error=ENOBUFS extack=reply lost\n");
			return ENOBUFS;
		}
		if (n <= 0) {
			perror("nlraw: recv");
			return 1;
		}
		left = (int)n;
		for (m = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_type == NLMSG_ERROR ||
			    m->nlmsg_type == NLMSG_DONE)
				return report(m);
			reply_cb(m, NULL);
		}
	}
}

/*
 * nlraw -i: read requests on stdin, one a line ("[-D] [-t N] [-F N] [-n NS] CMD
 * ATTR..."), run each as if given on the command line (in a child, so
 * fail-nth and its exit status are its own), then print "end rc=STATUS".
 * Saves starting a program per request where that is slow.
 */
static int serve(void)
{
	char line[8192];

	while (fgets(line, sizeof(line), stdin)) {
		char *av[512], *save = NULL, *w;
		int ac = 0, st = 0;
		pid_t pid;

		av[ac++] = "nlraw";
		for (w = strtok_r(line, " \t\n", &save); w && ac < 511;
		     w = strtok_r(NULL, " \t\n", &save))
			av[ac++] = w;
		av[ac] = NULL;
		if (ac == 1)
			continue;
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid) {
			optind = 1;
			st = run(ac, av);
			fflush(stdout);
			_exit(st);
		}
		waitpid(pid, &st, 0);
		printf("end rc=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "-i"))
		return serve();
	return run(argc, argv);
}
