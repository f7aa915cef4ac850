// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: OCI runtime hook.
 *
 *   ssns-oci-hook [--state-dir DIR] [--cgroup-root DIR] [--tenant NAME]
 *                 [--log auto|syslog|kmsg|stderr] STAGE < state.json
 *
 * STAGE is createRuntime (or prestart, its deprecated equivalent) or
 * poststop. The OCI state comes on stdin; the tenant is the value of the
 * "ssns.tenant" annotation, or of --tenant (the form of the hook in a CDI
 * spec, `ssnsctl cdi generate`, where no annotation is set; both may be
 * given if they agree). A container without either is left alone (exit 0),
 * so the hook may run for every container. A container that an instance of
 * the hook bound already (hooks.d and CDI both apply) is not bound again. Errors go to
 * stderr and the system log (see log.c) with a non-zero exit.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "quote.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ssns-oci-hook [--state-dir DIR] [--cgroup-root DIR] [--tenant NAME] [--log auto|syslog|kmsg|stderr] {createRuntime|prestart|poststop} < state.json\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "cgroup-root", required_argument, NULL, 'c' },
		{ "log", required_argument, NULL, 'l' },
		{ "tenant", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hook_opts o = {
		.state_dir = HOOK_STATE_DIR,
		.cgroup_root = HOOK_CGROUP_ROOT,
		.proc = "/proc",
	};
	enum hook_log_to to;
	struct oci_state st;
	char err[512], *text = NULL;
	const char *stage, *tenant = NULL;
	size_t cap = 0;
	bool create;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.state_dir = optarg;
			break;
		case 'c':
			o.cgroup_root = optarg;
			break;
		case 't':
			tenant = optarg;
			break;
		case 'l':
			if (hook_log_parse(optarg, &to)) {
				hook_log(LOG_ERR, "--log %s: want auto, syslog, kmsg or stderr",
					 SSNS_QUOTE(optarg));
				return 2;
			}
			hook_log_setup(to);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		hook_log(LOG_ERR, "want one stage argument, got %d", argc - optind);
		usage(stderr);
		return 2;
	}
	stage = argv[optind];
	if (!strcmp(stage, "createRuntime") || !strcmp(stage, "prestart")) {
		create = true;
	} else if (!strcmp(stage, "poststop")) {
		create = false;
	} else {
		hook_log(LOG_ERR, "unknown stage %s", SSNS_QUOTE(stage));
		usage(stderr);
		return 2;
	}
	hook_log_context(NULL, stage);
	if (getdelim(&text, &cap, '\0', stdin) < 0) {
		hook_log(LOG_ERR, "no OCI state on stdin");
		free(text);
		return 1;
	}
	rc = oci_state_parse(text, create, &st, err, sizeof(err));
	free(text);
	if (rc) {
		hook_log(LOG_ERR, "%s", err);
		return 1;
	}
	hook_log_context(st.id, stage);
	if (tenant && oci_state_set_tenant(&st, tenant, err, sizeof(err))) {
		hook_log(LOG_ERR, "%s", err);
		oci_state_free(&st);
		return 1;
	}
	if (tenant && create && st.pid <= 0) {
		hook_log(LOG_ERR, "the OCI state has no pid: the container has no process");
		oci_state_free(&st);
		return 1;
	}
	if (!st.tenant && create)
		rc = 0;		/* not an ssns container: nothing to do */
	else
		rc = create ? hook_create_runtime(&o, &st) :
			      hook_poststop(&o, &st);
	oci_state_free(&st);
	return rc ? 1 : 0;
}
