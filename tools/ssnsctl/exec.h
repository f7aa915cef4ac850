/* SPDX-License-Identifier: GPL-2.0 */
/* ssnsctl: running a parsed command through libssns. */
#ifndef SSNSCTL_EXEC_H
#define SSNSCTL_EXEC_H

#include "cmd.h"
#include "output.h"

struct ssnsctl_ctx {
	struct ssns_handle *h;	/* connected on first use */
	bool connected;
	struct ssnsctl_out out;
	FILE *err;		/* where errors go (stderr) */
	const char *netns_dir;	/* NULL: SSNSCTL_NETNS_RUN_DIR */
	const char *cgroup_mnt;	/* NULL: SSNSCTL_CGROUP_MNT */
};

/* Exit codes. */
#define SSNSCTL_EXIT_OK		0
#define SSNSCTL_EXIT_FAIL	1	/* the operation failed */
#define SSNSCTL_EXIT_USAGE	2	/* the command line is wrong */

/* Run cmd; prints errors on ctx->err; returns an exit code. */
int ssnsctl_exec(struct ssnsctl_ctx *ctx, const struct ssnsctl_cmd *cmd);

/* Usage of one object, or of everything (SSNSCTL_OBJ_NONE/HELP). */
void ssnsctl_usage(FILE *f, enum ssnsctl_obj obj);

#endif /* SSNSCTL_EXEC_H */
