// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: OCI runtime hook.
 *
 *   ssns-oci-hook [--state-dir DIR] [--cgroup-root DIR] STAGE < state.json
 *
 * STAGE is createRuntime (or prestart, its deprecated equivalent) or
 * poststop. The OCI state comes on stdin; the tenant is the value of the
 * "ssns.tenant" annotation. Errors go to stderr with a non-zero exit.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ssns-oci-hook [--state-dir DIR] [--cgroup-root DIR] {createRuntime|prestart|poststop} < state.json\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "cgroup-root", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hook_opts o = {
		.state_dir = HOOK_STATE_DIR,
		.cgroup_root = HOOK_CGROUP_ROOT,
		.proc = "/proc",
	};
	struct oci_state st;
	char err[512], *text = NULL;
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
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "createRuntime") ||
	    !strcmp(argv[optind], "prestart")) {
		create = true;
	} else if (!strcmp(argv[optind], "poststop")) {
		create = false;
	} else {
		fprintf(stderr, "ssns-oci-hook: unknown stage %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (getdelim(&text, &cap, '\0', stdin) < 0) {
		fprintf(stderr, "ssns-oci-hook: no OCI state on stdin\n");
		free(text);
		return 1;
	}
	rc = oci_state_parse(text, create, &st, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "ssns-oci-hook: %s\n", err);
		return 1;
	}
	rc = create ? hook_create_runtime(&o, &st) : hook_poststop(&o, &st);
	oci_state_free(&st);
	return rc ? 1 : 0;
}
