/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libssnsrt: what the runtime hooks share. An internal static library,
 * never installed: ssns-cni and ssns-oci-hook link it (and libssns.a), so
 * that each hook stays one self-contained file.
 *
 * The hooks are thin front ends over it: each reads its own input (the
 * CNI configuration and environment; the OCI state) and reports failures
 * its own way (a CNI error document; stderr and the system log). This
 * library does what is the same for both:
 *
 *  - a pod's identity: its network namespace (an open fd and the cookie,
 *    which names it for the kernel after it is gone) and its cgroup v2
 *    directory (path and id);
 *  - the kernel connection, with libssns's errno mapped to the kinds of
 *    failure a front end reports, and the kernel's message kept;
 *  - the record store: a directory of JSON records, each written to a
 *    hidden temporary file and renamed into place, so a reader (or the
 *    next run after a crash) sees the old record or the new, never half;
 *  - attach and detach of a pod: bind its netns and cgroup to a tenant,
 *    undo exactly what was new when a step fails, unbind by cookie and id.
 *
 * Conventions: functions return 0 (or a count, or 1 for "found") on
 * success and -1 with *e filled on failure, unless said otherwise. Input
 * echoed in a message is quoted and cut (../common/quote.h).
 */
#ifndef SSNS_RUNTIME_H
#define SSNS_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include <libssns.h>

/* ------------------------------------------------------------- failures */

/* What kind of failure: each front end maps it to its own codes. */
enum rt_kind {
	RT_OK = 0,
	RT_EIO,			/* local: out of memory, files, directories */
	RT_ENOMOD,		/* the ssns kernel module is not loaded */
	RT_EKERNEL,		/* the kernel refused (its message in details) */
	RT_ENOPOD,		/* the pod's netns or process does not exist */
	RT_ENOTENANT,		/* the tenant does not exist */
	RT_ECORRUPT,		/* a record is not what this library wrote */
};

struct rt_err {
	enum rt_kind kind;
	int err;		/* negative errno, 0 when none applies */
	char msg[256];		/* what failed */
	char details[1024];	/* why, naming the value */
};

/* Fill *e; details_fmt may be NULL. Returns -1. */
int rt_fail(struct rt_err *e, enum rt_kind kind, int err, const char *msg,
	    const char *details_fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * A libssns call on h (NULL: none yet) failed with rc: RT_EKERNEL, msg from
 * the format, details "strerror: the kernel's extended ack". Returns -1.
 */
int rt_kernel_fail(struct rt_err *e, struct ssns_handle *h, int rc,
		   const char *msg_fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The kind of a failure of ssns_connect(): -ENOENT (no generic netlink
 * family "ssns") is RT_ENOMOD, -ENOMEM RT_EIO, anything else RT_EKERNEL.
 */
enum rt_kind rt_connect_kind(int rc);

/* A connected handle in *out (NULL on failure). */
int rt_connect(struct ssns_handle **out, struct rt_err *e);
/*
 * The same with the socket in the network namespace open as nsfd: a device
 * moved into a pod is visible only from there.
 */
int rt_connect_in(int nsfd, struct ssns_handle **out, struct rt_err *e);

/* ------------------------------------------------------------- identity */

/*
 * Names of containers, networks and interfaces, which also name records:
 * 1 to max - 1 bytes of [A-Za-z0-9_.-], not starting with '.' or '-'.
 * (Tenant and device names follow the kernel's rules in libssns:
 * ssns_tenant_name_valid(), ssns_dev_name_valid().)
 */
bool rt_id_valid(const char *s, size_t max);

/* Run fn(arg) in the network namespace nsfd and come back; fn's value. */
int rt_in_netns(int nsfd, int (*fn)(void *arg), void *arg);
/* The cookie of the network namespace open as nsfd; 0 or -errno. */
int rt_netns_cookie(int nsfd, uint64_t *cookie);
/*
 * Open the network namespace at path and read its cookie; the fd, or -1
 * with RT_ENOPOD. label names path in the message ("CNI_NETNS").
 */
int rt_netns_open(const char *path, const char *label, uint64_t *cookie,
		  struct rt_err *e);

/*
 * The cgroup v2 path from the text of /proc/PID/cgroup (its "0::PATH"
 * line): malloc'ed, "/" for the root, NULL when there is none.
 */
char *rt_cgroup_v2_path(const char *proc_cgroup);
/* The id of a cgroup v2 directory (its inode number); 0 or -errno. */
int rt_cgroup_id(const char *dir, uint64_t *id);

/* A pod (or container) to attach: what confines it. */
struct rt_pod {
	int netns_fd;		/* -1: none (the host's network) */
	uint64_t netns_cookie;	/* 0: none */
	char *cgroup_path;	/* malloc'ed; NULL: none (the root) */
	uint64_t cgroup_id;	/* 0: none */
	/* set by rt_attach(): not members before, rt_attach_undo() unbinds */
	bool netns_new;
	bool cgroup_new;
};

void rt_pod_init(struct rt_pod *p);
/* Close and free what the pod holds; it is rt_pod_init()ed again. */
void rt_pod_release(struct rt_pod *p);

/*
 * The pod of process pid, as seen under proc ("/proc"): its network
 * namespace unless it is the host's (that of pid 1), its cgroup v2
 * directory under cgroup_root unless it is the root. When the process has
 * no cgroup v2 membership, *no_cgroup is set (the netns alone confines).
 * RT_ENOPOD when the process or its cgroup directory is gone.
 */
int rt_pod_of_pid(const char *proc, pid_t pid, const char *cgroup_root,
		  struct rt_pod *p, bool *no_cgroup, struct rt_err *e);

/* ------------------------------------------------------- attach, detach */

/*
 * Bind the pod's network namespace and cgroup (those it has) to tenant.
 * Members already stay members, also on failure; on failure, what this
 * call bound is unbound again. noun names the pod in messages ("pod",
 * "container"). RT_ENOTENANT when the tenant does not exist.
 */
int rt_attach(struct ssns_handle *h, const char *tenant, struct rt_pod *p,
	      const char *noun, struct rt_err *e);
/* A later step failed: unbind what rt_attach() bound (p->*_new). */
void rt_attach_undo(struct ssns_handle *h, const char *tenant,
		    const struct rt_pod *p);

/* rc of an unbind: 0 and -ENOENT (not a member, no such tenant) are done. */
bool rt_unbind_done(int rc);

/*
 * Unbind a pod's members by netns cookie and cgroup id (0: none), which
 * works after the namespace and the directory are gone. Members already
 * gone are fine; h NULL (no module loaded: nothing is bound) does nothing.
 * Both are tried; the first failure is reported.
 */
int rt_detach(struct ssns_handle *h, const char *tenant, uint64_t netns_cookie,
	      uint64_t cgroup_id, const char *noun, struct rt_err *e);

/* --------------------------------------------------------- record store */

/*
 * A directory of records, one JSON object a file, named by key and suffix.
 * A key is 1 to RT_KEY_MAX bytes; in the file name '%', '/', blanks,
 * control and non-ASCII bytes and a leading '.' are written %XX, so any
 * tenant name is a key (".." as well) and a name of [A-Za-z0-9_.-] not
 * starting with '.' is its own file name. Names starting with '.' are the
 * store's temporary files, never listed.
 */
#define RT_KEY_MAX	240

struct rt_store {
	char *dir;
	const char *suffix;	/* static, e.g. ".json", or "" */
};

/*
 * Create dir (and its parents) when missing, with mode (0: do not create
 * it; a store that does not exist has no record).
 */
int rt_store_open(struct rt_store *s, const char *dir, const char *suffix,
		  mode_t mode, struct rt_err *e);
void rt_store_close(struct rt_store *s);
/* The path of a key's record, malloc'ed (NULL: bad key or no memory). */
char *rt_store_path(const struct rt_store *s, const char *key);

/*
 * Write o as key's record: to a temporary file, synced, renamed over the
 * record, the directory synced. A failure leaves the old record as it was.
 */
int rt_store_write(const struct rt_store *s, const char *key,
		   json_object *o, struct rt_err *e);
/*
 * Read key's record: 1 and *o (put it), 0 when there is none, -1 on error
 * (RT_ECORRUPT: not a JSON object; RT_EIO: cannot be read).
 */
int rt_store_read(const struct rt_store *s, const char *key,
		  json_object **o, struct rt_err *e);
/* Remove key's record; 0 also when there was none, else -errno. */
int rt_store_remove(const struct rt_store *s, const char *key);
/* The keys of the records (not the temporary files); 0 or -errno. */
int rt_store_keys(const struct rt_store *s, char ***keys, size_t *n);
void rt_strv_free(char **v, size_t n);

/* Record fields: a string (strdup'ed; NULL when absent or not a string). */
char *rt_rec_str(json_object *o, const char *key);
/* An integer field (0 when absent). */
uint64_t rt_rec_u64(json_object *o, const char *key);

/* An exclusive flock() on path (created 0600); the fd, -1 on error. */
int rt_lock(const char *path, struct rt_err *e);
void rt_unlock(int fd);

#endif /* SSNS_RUNTIME_H */
