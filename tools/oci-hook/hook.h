/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns-oci-hook: OCI runtime hook that binds a container's network
 * namespace and cgroup v2 directory to the ssns tenant named in its
 * "ssns.tenant" annotation (createRuntime), and unbinds them (poststop).
 */
#ifndef SSNS_OCI_HOOK_H
#define SSNS_OCI_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include "runtime.h"

#define HOOK_ANNOTATION		"ssns.tenant"
#define HOOK_STATE_DIR		"/run/ssns/oci-hook"
#define HOOK_CGROUP_ROOT	"/sys/fs/cgroup"
#define HOOK_SYSLOG_PATH	"/dev/log"
#define HOOK_KMSG_PATH		"/dev/kmsg"
#define HOOK_LOG_FACILITY	LOG_DAEMON

/* The parts of the OCI state (runtime-spec "State") the hook uses. */
struct oci_state {
	char *oci_version;
	char *id;
	char *status;			/* may be NULL */
	pid_t pid;			/* 0 when absent */
	char *bundle;			/* may be NULL */
	char *tenant;			/* annotations["ssns.tenant"], or NULL */
};

/*
 * Parse the state JSON; need_pid: the stage needs a live process (checked
 * only for an ssns container). A state without the "ssns.tenant"
 * annotation parses with tenant NULL: not an ssns container. On error
 * returns -1 with a message in err; nothing is allocated then.
 */
int oci_state_parse(const char *text, bool need_pid, struct oci_state *st,
		    char *err, size_t errlen);
void oci_state_free(struct oci_state *st);

/*
 * What createRuntime bound, kept for poststop: the record ID.json in the
 * state directory (a record store of the runtime library).
 */
struct hook_rec {
	char *tenant;
	uint64_t netns_cookie;		/* 0: not bound */
	uint64_t cgroup_id;		/* 0: not bound */
	char *cgroup_path;		/* may be NULL */
};

#define HOOK_REC_SUFFIX		".json"

int hook_rec_write(const struct rt_store *s, const char *id,
		   const struct hook_rec *r, struct rt_err *e);
/* 1 when read, 0 when absent, -1 on error (*e says why). */
int hook_rec_read(const struct rt_store *s, const char *id,
		  struct hook_rec *r, struct rt_err *e);
void hook_rec_free(struct hook_rec *r);

struct hook_opts {
	const char *state_dir;
	const char *cgroup_root;
	const char *proc;		/* "/proc" */
};

/*
 * log.c: every message goes to stderr and, by default (auto), to syslog
 * (/dev/log) when something listens there, else to the kernel log
 * (/dev/kmsg). hook_log_context names the container and stage in the
 * system log's lines.
 */
enum hook_log_to {
	HOOK_LOG_AUTO,
	HOOK_LOG_SYSLOG,
	HOOK_LOG_KMSG,
	HOOK_LOG_STDERR,
};

void hook_log_setup(enum hook_log_to to);
int hook_log_parse(const char *s, enum hook_log_to *to);
void hook_log_context(const char *id, const char *stage);
void hook_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A failure of the runtime library: "MSG: DETAILS", level err. */
void hook_log_rt(const struct rt_err *e);

/* hook.c: the stages; 0 on success, else a message (hook_log) and -1. */
int hook_create_runtime(const struct hook_opts *o, const struct oci_state *st);
int hook_poststop(const struct hook_opts *o, const struct oci_state *st);

#endif /* SSNS_OCI_HOOK_H */
