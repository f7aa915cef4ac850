// SPDX-License-Identifier: GPL-2.0
/*
 * ssnsctl: configure ssns (multi-tenant isolation of cxi-style RDMA NICs).
 * The grammar follows iproute2's rdma tool: ssnsctl [OPTIONS] OBJECT CMD.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "quote.h"

#ifndef SSNS_VERSION
#define SSNS_VERSION "unknown"
#endif

static int run_args(int argc, char **argv, void *arg)
{
	struct ssnsctl_ctx *c = arg;
	struct ssnsctl_cmd cmd;
	char err[SSNSCTL_ERRLEN];
	int rc;

	rc = ssnsctl_parse_cmd(argc, argv, &cmd, err, sizeof(err));
	if (rc) {
		fprintf(c->err, "error: %s\n", err);
		ssnsctl_cmd_free(&cmd);
		return SSNSCTL_EXIT_USAGE;
	}
	rc = ssnsctl_exec(c, &cmd);
	ssnsctl_cmd_free(&cmd);
	fflush(c->out.f);
	return rc;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX], err[SSNSCTL_ERRLEN];
	int fd, rc;

	rc = ssnsctl_netns_path(name, NULL, path, sizeof(path), err,
				sizeof(err));
	if (rc) {
		fprintf(stderr, "error: %s (%s)\n", err, strerror(-rc));
		return SSNSCTL_EXIT_FAIL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		const char *why = strerror(errno);

		fprintf(stderr, "error: cannot enter netns %s (%s)\n",
			SSNS_QUOTE(path), why);
		if (fd >= 0)
			close(fd);
		return SSNSCTL_EXIT_FAIL;
	}
	close(fd);
	return 0;
}

static int run_batch(struct ssnsctl_ctx *c, const char *name, bool force)
{
	FILE *in;
	int rc;

	if (!strcmp(name, "-")) {
		in = stdin;
		name = "-";
	} else {
		in = fopen(name, "r");
		if (!in) {
			const char *why = strerror(errno);

			fprintf(stderr, "error: cannot open batch file %s "
				"(%s)\n", SSNS_QUOTE(name), why);
			return SSNSCTL_EXIT_FAIL;
		}
	}
	rc = ssnsctl_batch(in, name, run_args, c, force, c->err);
	if (in != stdin)
		fclose(in);
	return rc;
}

int main(int argc, char **argv)
{
	struct ssnsctl_ctx c = { .out = { .f = stdout }, .err = stderr };
	struct ssnsctl_opts o;
	char err[SSNSCTL_ERRLEN];
	int first, rc;

	first = ssnsctl_parse_opts(argc, argv, &o, err, sizeof(err));
	if (first < 0) {
		fprintf(stderr, "error: %s\n", err);
		return SSNSCTL_EXIT_USAGE;
	}
	if (o.version) {
		printf("ssnsctl %s (libssns %d.%d)\n", SSNS_VERSION,
		       LIBSSNS_VERSION_MAJOR, LIBSSNS_VERSION_MINOR);
		return 0;
	}
	if (o.help) {
		ssnsctl_usage(stdout, SSNSCTL_OBJ_NONE);
		return 0;
	}
	c.out.json = o.json;
	c.out.pretty = o.pretty;

	if (o.batch && first < argc) {
		fprintf(stderr, "error: -batch takes no command arguments\n");
		return SSNSCTL_EXIT_USAGE;
	}
	if (!o.batch && first >= argc) {
		ssnsctl_usage(stderr, SSNSCTL_OBJ_NONE);
		return SSNSCTL_EXIT_USAGE;
	}
	if (o.netns && (rc = enter_netns(o.netns)))
		return rc;

	if (o.batch)
		rc = run_batch(&c, o.batch, o.force);
	else
		rc = run_args(argc - first, argv + first, &c);
	ssns_free(c.h);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "error: cannot write output\n");
		return SSNSCTL_EXIT_FAIL;
	}
	return rc;
}
