/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns-cni: CNI plugin that binds a pod's network namespace to an ssns
 * tenant (shared mode) or moves whole NICs into it (exclusive mode).
 *
 * The parts that need no kernel (configuration, CNI_ARGS, result and error
 * JSON) are in conf.c and result.c and are unit tested; the kernel side is
 * in plugin.c, the on-disk bookkeeping in state.c. What it shares with the
 * OCI hook (a pod's identity, the kernel connection, the record store,
 * attach and detach) is the runtime library, ../runtime.
 */
#ifndef SSNS_CNI_H
#define SSNS_CNI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <libssns.h>

#include "runtime.h"

/* Error codes of the CNI specification. */
enum {
	CNI_ERR_VERSION = 1,		/* incompatible CNI version */
	CNI_ERR_UNSUPPORTED_FIELD = 2,	/* unsupported field in network config */
	CNI_ERR_UNKNOWN_CONTAINER = 3,	/* container unknown or does not exist */
	CNI_ERR_ENV = 4,		/* invalid necessary environment variables */
	CNI_ERR_IO = 5,			/* I/O failure */
	CNI_ERR_DECODE = 6,		/* failed to decode content */
	CNI_ERR_CONFIG = 7,		/* invalid network config */
	CNI_ERR_TRY_AGAIN = 11,		/* try again later */
	CNI_ERR_NOT_AVAILABLE = 50,	/* STATUS: plugin not available */
	/* Plugin-specific codes (>= 100). */
	CNI_ERR_KERNEL = 100,		/* the kernel refused a request */
	CNI_ERR_NOT_BOUND = 101,	/* CHECK: pod not bound as configured */
	CNI_ERR_NO_MODULE = 102,	/* the ssns module is not loaded */
};

struct cni_err {
	int code;			/* 0: no error */
	char msg[256];
	char details[1024];
};

void cni_err_set(struct cni_err *e, int code, const char *msg,
		 const char *details_fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A failure of the runtime library as a CNI error; returns -1. */
int cni_err_rt(struct cni_err *e, const struct rt_err *re);

enum cni_mode {
	CNI_MODE_SHARED = 0,
	CNI_MODE_EXCLUSIVE,
};

#define CNI_MAX_DEVICES		64
#define CNI_MAX_TCS		4
#define CNI_MAX_PROFILES	1024	/* devices x VNIs x TCs on one ADD */

struct cni_attachment {
	char *container_id;
	char *ifname;
};

#define CNI_ENV_MAX	3

struct cni_conf {
	json_object *root;		/* the whole config (owned) */
	const char *cni_version;	/* all strings point into root... */
	const char *name;
	const char *type;
	/* ...except these, owned (args and runtimeConfig may set them) */
	char *tenant;
	struct ssns_vni_range *ranges;
	size_t nranges;
	char *devices[CNI_MAX_DEVICES];
	size_t ndevices;
	int tcs[CNI_MAX_TCS];		/* enum ssns_tc */
	size_t ntcs;
	enum cni_mode mode;
	bool cleanup;			/* undo what ADD created after last DEL */
	const char *state_dir;
	json_object *prev_result;	/* borrowed from root, or NULL */
	/*
	 * runtimeConfig.bandwidth.egressRate (the CNI bandwidth capability,
	 * bit/s): the ceiling of the pod's netns as a tenant member; 0: none
	 */
	uint64_t egress_rate;
	/* runtimeConfig.ssns, applied after CNI_ARGS by cni_conf_finish() */
	char *rt_tenant;
	struct ssns_vni_range *rt_ranges;
	size_t rt_nranges;
	/* ADD: the Slingshot environment of the pod, "NAME=VALUE" (owned) */
	char *env[CNI_ENV_MAX];
	size_t nenv;
	/* GC: cni.dev/valid-attachments */
	bool has_valid;
	struct cni_attachment *valid;
	size_t nvalid;
};

#define CNI_DEFAULT_STATE_DIR	"/run/ssns/cni"
#define CNI_LATEST_VERSION	"1.1.0"

/* conf.c */
bool cni_version_supported(const char *v);
/* Compare two "x.y.z" versions like strcmp. */
int cni_version_cmp(const char *a, const char *b);
int cni_conf_parse(const char *text, struct cni_conf *c, struct cni_err *e);
/* Apply CNI_ARGS (may be NULL) then runtimeConfig, and validate. */
int cni_conf_finish(struct cni_conf *c, const char *cni_args,
		    struct cni_err *e);
void cni_conf_free(struct cni_conf *c);
/* "100-199,250" -> ranges (malloc'ed). */
int cni_vnis_parse(const char *s, struct ssns_vni_range **out, size_t *n,
		   struct cni_err *e);
/* The VNIs of a JSON value: a string as above, a number, or an array. */
int cni_vnis_from_json(json_object *v, struct ssns_vni_range **out,
		       size_t *n, struct cni_err *e);

/* result.c: JSON documents to print on stdout, malloc'ed. */
char *cni_error_json(const char *cni_version, const struct cni_err *e);
char *cni_version_json(const char *cni_version);
char *cni_result_json(const struct cni_conf *c);
/*
 * The Slingshot environment of a pod after ADD, the same that `ssnsctl cdi
 * generate` gives the tenant's CDI device when this network's profiles are
 * the tenant's: SLINGSHOT_VNIS (the VNIs given profiles), SLINGSHOT_DEVICES
 * (devs), SLINGSHOT_TCS (the traffic classes' bit mask). Into c->env; 0 or
 * -ENOMEM.
 */
int cni_slingshot_env(struct cni_conf *c, const struct ssns_vni_range *vr,
		      size_t nvr, char *const *devs, size_t ndevs);

/*
 * state.c: bookkeeping under <state_dir> (record stores att/ and tenant/),
 * serialized by the lock file <state_dir>.lock.
 */
struct cni_att_rec {
	char *network;
	char *container_id;
	char *ifname;
	char *tenant;			/* NULL: none */
	uint64_t netns_cookie;		/* 0: unknown */
	char *netns;			/* CNI_NETNS at ADD */
	enum cni_mode mode;
	char *devices[CNI_MAX_DEVICES];	/* moved devices (exclusive) */
	size_t ndevices;
};

struct cni_profile_key {
	char dev[SSNS_NAME_MAX];
	uint32_t vni;
	int tc;
};

struct cni_tenant_rec {
	bool created;			/* the plugin created the tenant */
	struct ssns_vni_range *added;	/* VNIs the plugin added to it */
	size_t nadded;
	struct cni_profile_key *profiles; /* profiles the plugin created */
	size_t nprofiles;
};

struct cni_state {
	struct rt_store att;		/* attachments, by cni_att_key() */
	struct rt_store tenant;		/* tenant records, by tenant name */
	int lock;
};

/* Create the stores when missing and take the lock. */
int cni_state_open(struct cni_state *st, const char *dir, struct cni_err *e);
void cni_state_close(struct cni_state *st);

/* "NETWORK.CONTAINERID.IFNAME", malloc'ed. */
char *cni_att_key(const char *network, const char *cid, const char *ifname);
int cni_att_write(const struct cni_state *st, const struct cni_att_rec *r,
		  struct cni_err *e);
/* 1 when read, 0 when absent, -1 on error (*e says why). */
int cni_att_read(const struct cni_state *st, const char *key,
		 struct cni_att_rec *r, struct rt_err *e);
void cni_att_free(struct cni_att_rec *r);
int cni_att_remove(const struct cni_state *st, const struct cni_att_rec *r);
/* Attachments of a tenant (any network). */
size_t cni_att_count_tenant(const struct cni_state *st, const char *tenant);

/* 1 when read, 0 when absent, -1 when unreadable. */
int cni_tenant_read(const struct cni_state *st, const char *tenant,
		    struct cni_tenant_rec *r);
int cni_tenant_write(const struct cni_state *st, const char *tenant,
		     const struct cni_tenant_rec *r, struct cni_err *e);
int cni_tenant_remove(const struct cni_state *st, const char *tenant);
void cni_tenant_rec_free(struct cni_tenant_rec *r);

/* plugin.c */
struct cni_env {
	const char *command;
	const char *container_id;
	const char *netns;
	const char *ifname;
	const char *args;
	const char *path;
};

int cni_cmd_add(struct cni_conf *c, const struct cni_env *env,
		struct cni_err *e);
int cni_cmd_del(struct cni_conf *c, const struct cni_env *env,
		struct cni_err *e);
int cni_cmd_check(struct cni_conf *c, const struct cni_env *env,
		  struct cni_err *e);
int cni_cmd_gc(struct cni_conf *c, struct cni_err *e);
int cni_cmd_status(struct cni_conf *c, struct cni_err *e);

#endif /* SSNS_CNI_H */
