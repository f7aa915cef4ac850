// SPDX-License-Identifier: GPL-2.0
/* Batch mode: one command a line, like `ip -batch`. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

int ssnsctl_split_line(char *line, char **argv, int max, char *err,
		       size_t errlen)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			break;
		if (argc >= max)
			return fail(err, errlen, "too many words (max %d)",
				    max);
		argv[argc++] = w;
		/* copy one word, removing quotes and escapes */
		while (*r) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					r++;
				} else if (*r == '\\' && quote == '"' &&
					   (r[1] == '"' || r[1] == '\\')) {
					*w++ = r[1];
					r += 2;
				} else {
					*w++ = *r++;
				}
			} else if (blank(*r)) {
				break;
			} else if (*r == '"' || *r == '\'') {
				quote = *r++;
			} else if (*r == '\\' && r[1]) {
				*w++ = r[1];
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		if (quote)
			return fail(err, errlen, "unbalanced quote %c", quote);
		if (*r)
			r++;	/* the blank that ended the word */
		*w++ = '\0';
		/* w never passes r: quotes and escapes only shrink a word */
	}
	return argc;
}

#define BATCH_MAXARGS 128

int ssnsctl_batch(FILE *in, const char *name, ssnsctl_run_fn run, void *arg,
		  bool force, FILE *errf)
{
	char *line = NULL, *argv[BATCH_MAXARGS + 1];
	char err[SSNSCTL_ERRLEN];
	unsigned long lineno = 0;
	size_t cap = 0;
	int ret = 0;

	while (getline(&line, &cap, in) >= 0) {
		int argc, rc;

		lineno++;
		argc = ssnsctl_split_line(line, argv, BATCH_MAXARGS, err,
					  sizeof(err));
		if (argc < 0) {
			fprintf(errf, "error: %s\n", err);
			rc = 2;
		} else if (argc == 0) {
			continue;
		} else {
			argv[argc] = NULL;
			rc = run(argc, argv, arg);
		}
		if (rc) {
			fprintf(errf, "Command failed %s:%lu\n", name, lineno);
			if (!ret)
				ret = rc;
			if (!force)
				break;
		}
	}
	free(line);
	return ret;
}
