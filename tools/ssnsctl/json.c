// SPDX-License-Identifier: GPL-2.0
/* Streaming JSON writer. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JW_DEPTH 32

struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JW_DEPTH];	/* no member written yet at this level */
	char close[JW_DEPTH];	/* '}' or ']' */
};

struct jw *jw_new(FILE *f, bool pretty)
{
	struct jw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->f = f;
	w->pretty = pretty;
	return w;
}

static void indent(struct jw *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("    ", w->f);
}

/* Length of a valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void jw_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if (*s >= 0x80) {
				n = utf8_len(s);
				if (!n) {
					/* not UTF-8: the replacement char */
					fputs("\\ufffd", f);
				} else {
					fwrite(s, 1, n, f);
					s += n;
					continue;
				}
			} else {
				fputc(*s, f);
			}
		}
		s++;
	}
	fputc('"', f);
}

/* Separator and key before a value. */
static void member(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		w->first[w->depth] = false;
		indent(w);
		if (w->close[w->depth] == '}') {
			jw_escape(w->f, key ? key : "");
			fputs(w->pretty ? ": " : ":", w->f);
		}
	}
}

static void after(struct jw *w)
{
	/* every top-level document ends its line (JSON lines) */
	if (w->depth == 0) {
		fputc('\n', w->f);
		fflush(w->f);
	}
}

static void open_c(struct jw *w, const char *key, char o, char c)
{
	member(w, key);
	fputc(o, w->f);
	if (w->depth + 1 >= JW_DEPTH)
		abort();	/* a bug in the caller: nesting this deep */
	w->depth++;
	w->first[w->depth] = true;
	w->close[w->depth] = c;
}

static void close_c(struct jw *w)
{
	bool empty;

	if (w->depth == 0)
		return;
	empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		indent(w);
	fputc(w->close[w->depth + 1], w->f);
	after(w);
}

void jw_obj_open(struct jw *w, const char *key)
{
	open_c(w, key, '{', '}');
}

void jw_arr_open(struct jw *w, const char *key)
{
	open_c(w, key, '[', ']');
}

void jw_obj_close(struct jw *w)
{
	close_c(w);
}

void jw_arr_close(struct jw *w)
{
	close_c(w);
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	member(w, key);
	if (s)
		jw_escape(w->f, s);
	else
		fputs("null", w->f);
	after(w);
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	member(w, key);
	fprintf(w->f, "%" PRIu64, v);
	after(w);
}

void jw_i64(struct jw *w, const char *key, int64_t v)
{
	member(w, key);
	fprintf(w->f, "%" PRId64, v);
	after(w);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->f);
	after(w);
}

void jw_null(struct jw *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
	after(w);
}

void jw_free(struct jw *w)
{
	if (!w)
		return;
	while (w->depth > 0)
		close_c(w);
	free(w);
}
