/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer with escaping and optional pretty output. */
#ifndef SSNSCTL_JSON_H
#define SSNSCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct jw;

/* NULL when out of memory. */
struct jw *jw_new(FILE *f, bool pretty);
/* Closes what is still open, ends the document with a newline. */
void jw_free(struct jw *w);

/* key is the member name inside an object, NULL inside an array. */
void jw_obj_open(struct jw *w, const char *key);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w, const char *key);
void jw_arr_close(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *s); /* NULL: null */
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_i64(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);

/* Write s as a JSON string (quotes included) to f. */
void jw_escape(FILE *f, const char *s);

#endif /* SSNSCTL_JSON_H */
