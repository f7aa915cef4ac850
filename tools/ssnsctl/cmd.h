/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssnsctl: command line -> struct ssnsctl_cmd, without any kernel contact,
 * so that the grammar is unit-tested on its own.
 */
#ifndef SSNSCTL_CMD_H
#define SSNSCTL_CMD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libssns.h"

#define SSNSCTL_ERRLEN		256
#define SSNSCTL_NETNS_RUN_DIR	"/run/netns"
#define SSNSCTL_CGROUP_MNT	"/sys/fs/cgroup"

enum ssnsctl_obj {
	SSNSCTL_OBJ_NONE,
	SSNSCTL_OBJ_SYSTEM,
	SSNSCTL_OBJ_DEV,
	SSNSCTL_OBJ_TENANT,
	SSNSCTL_OBJ_PROFILE,
	SSNSCTL_OBJ_EP,
	SSNSCTL_OBJ_MONITOR,
	SSNSCTL_OBJ_STATS,
	SSNSCTL_OBJ_CDI,
	SSNSCTL_OBJ_HELP,
};

enum ssnsctl_verb {
	SSNSCTL_SHOW,
	SSNSCTL_SET,
	SSNSCTL_ADD,
	SSNSCTL_DEL,
	SSNSCTL_HELP,
	SSNSCTL_SERVICES,	/* tenant services NAME */
};

/* What a `set` changes. */
enum ssnsctl_what {
	SSNSCTL_WHAT_NONE,
	SSNSCTL_WHAT_MODE,	/* system set netns MODE */
	SSNSCTL_WHAT_NETNS,	/* dev set DEV netns NS, tenant set T netns NS */
	SSNSCTL_WHAT_VNI,	/* tenant set T vni LIST */
	SSNSCTL_WHAT_CGROUP,	/* tenant set T cgroup PATH */
	SSNSCTL_WHAT_COOKIE,	/* tenant set T netns_cookie N del */
	SSNSCTL_WHAT_CGROUP_ID,	/* tenant set T cgroup_id N del */
	SSNSCTL_WHAT_DELEGATE,	/* tenant set T delegate USERNS [cgroup P] */
	SSNSCTL_WHAT_BW,	/* tenant set T bw ... (bw.c) */
};

/* What `tenant set T bw` does, and to which member. */
enum ssnsctl_bw_op {
	SSNSCTL_BW_SHARE = 1,	/* bw share N [dev DEV] */
	SSNSCTL_BW_MAX,		/* bw max RATE|none [dev DEV|netns NS|cgroup P] */
	SSNSCTL_BW_CLEAR,	/* bw clear [dev DEV|netns NS|cgroup P] */
};

enum ssnsctl_bw_member {
	SSNSCTL_BW_NO_MEMBER,
	SSNSCTL_BW_NETNS,	/* arg: the netns */
	SSNSCTL_BW_CGROUP,	/* arg: the cgroup */
};

struct ssnsctl_cmd {
	enum ssnsctl_obj obj;
	enum ssnsctl_verb verb;
	enum ssnsctl_what what;
	bool has_dev;
	char dev[SSNS_NAME_MAX];
	bool has_tenant;
	char tenant[SSNS_NAME_MAX];
	uint8_t mode;			/* enum ssns_netns_mode */
	char arg[PATH_MAX];		/* netns NAME|PID|PATH or cgroup PATH */
	bool del;			/* trailing `del` of tenant set */
	struct ssns_vni_range *ranges;	/* sorted, merged */
	size_t nranges;
	bool has_vni;
	uint32_t vni;
	bool has_tc;
	uint8_t tc;
	uint64_t cookie;		/* netns_cookie or cgroup_id */
	bool has_parent;		/* tenant add T parent P */
	char parent[SSNS_NAME_MAX];
	bool delegate_none;		/* tenant set T delegate none */
	char arg2[PATH_MAX];		/* delegate ... cgroup PATH, or "" */
	/* cdi generate: -o FILE in arg ("" or "-": stdout), --hook in arg2 */
	bool watch;			/* cdi generate --watch */
	uint8_t bw_op;			/* enum ssnsctl_bw_op */
	uint8_t bw_member;		/* enum ssnsctl_bw_member */
	uint32_t bw_share;
	uint64_t bw_max;		/* bit/s, 0: none */
};

struct ssnsctl_opts {
	bool json;
	bool pretty;
	bool force;		/* batch: go on after errors */
	bool help;
	bool version;
	const char *batch;	/* -b FILE, "-" for stdin */
	const char *netns;	/* -n NETNS: run inside it */
};

/* Is arg a non-empty prefix of keyword? (iproute2's abbreviation rule) */
bool ssnsctl_matches(const char *arg, const char *keyword);

/*
 * Global options. Returns the index of the first non-option argument
 * (argv[0] is the program name and is skipped), or -EINVAL with err set.
 */
int ssnsctl_parse_opts(int argc, char *const *argv, struct ssnsctl_opts *o,
		       char *err, size_t errlen);

/*
 * OBJECT COMMAND ... (argv[0] is the object). Returns 0 or -EINVAL with a
 * message in err. Free with ssnsctl_cmd_free() in every case.
 */
int ssnsctl_parse_cmd(int argc, char *const *argv, struct ssnsctl_cmd *cmd,
		      char *err, size_t errlen);
void ssnsctl_cmd_free(struct ssnsctl_cmd *cmd);

/* "100-199,300" -> sorted, merged ranges (malloc'ed). 0 or -EINVAL. */
int ssnsctl_parse_vni_list(const char *s, struct ssns_vni_range **ranges,
			   size_t *n, char *err, size_t errlen);
/* One VNI, decimal, 1..65535. */
int ssnsctl_parse_vni(const char *s, uint32_t *vni, char *err,
		      size_t errlen);
/* Traffic class: full name ('-' or '_'), or an unambiguous prefix. */
int ssnsctl_parse_tc(const char *s, uint8_t *tc, char *err, size_t errlen);

/*
 * RATE of `bw max`: iproute2's units ("10gbit", "500mbit", "1.5gbit"), or
 * "none" (0). 0 or -EINVAL with a message naming the value.
 */
int ssnsctl_parse_rate(const char *s, uint64_t *bits, char *err,
		       size_t errlen);
/* A share: 1..SSNS_BW_SHARE_MAX. */
int ssnsctl_parse_share(const char *s, uint32_t *share, char *err,
			size_t errlen);
/*
 * The words of `tenant set NAME bw ...` after "bw", from argv[*i] on (*i
 * moves past them). 0 or -EINVAL.
 */
int ssnsctl_parse_bw(int argc, char *const *argv, int *i,
		     struct ssnsctl_cmd *c, char *err, size_t errlen);

/*
 * Resolve a network namespace argument to a path:
 *  - anything with a '/' is a path, taken as is;
 *  - NAME is RUNDIR/NAME when that exists (as `ip netns` names);
 *  - a number is a pid: /proc/PID/ns/net.
 * Returns 0, -ENOENT (unknown name), -ESRCH (no such pid), -EINVAL.
 */
int ssnsctl_netns_path(const char *arg, const char *rundir, char *buf,
		       size_t len, char *err, size_t errlen);

/*
 * Resolve a cgroup v2 directory: an existing absolute path below mnt or on
 * a cgroup2 file system as is, else relative to the cgroup2 mount point
 * mnt ("/kubepods/pod1" is MNT/kubepods/pod1). 0, -ENOENT, -ENOTDIR or
 * -EINVAL.
 */
int ssnsctl_cgroup_path(const char *arg, const char *mnt, char *buf,
			size_t len, char *err, size_t errlen);

/*
 * Split one batch line into words in place: blanks separate words, "..."
 * and '...' group, backslash escapes the next character outside single
 * quotes, '#' at the start of a word begins a comment. Returns the word
 * count (0 for a blank or comment line) or -EINVAL (unbalanced quote, too
 * many words; message in err).
 */
int ssnsctl_split_line(char *line, char **argv, int max, char *err,
		       size_t errlen);

/* Runs one command of a batch; returns 0 or non-zero on failure. */
typedef int (*ssnsctl_run_fn)(int argc, char **argv, void *arg);

/*
 * Read commands from in, one a line, and run them. Stops at the first
 * failure (unless force), reporting "NAME:LINE" on errf. Returns 0 or the
 * first failure's value.
 */
int ssnsctl_batch(FILE *in, const char *name, ssnsctl_run_fn run, void *arg,
		  bool force, FILE *errf);

#endif /* SSNSCTL_CMD_H */
