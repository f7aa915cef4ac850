/* SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0 */
/*
 * Echoing user input in error messages: quoted, with control and non-ASCII
 * bytes escaped (\xHH), and cut after SSNS_QUOTE_SHOW bytes with a note of
 * how long it was, so that a 5 000-character name does not come back whole
 * and a name with escape sequences cannot rewrite the admin's terminal or
 * log. Shared by libssns, ssnsctl, ssns-cni and ssns-oci-hook; internal,
 * not installed.
 *
 *	fail("tenant name %s too long", SSNS_QUOTE(name));
 *	-> tenant name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"...
 *	   (5000 bytes, cut to 48) too long
 */
#ifndef SSNS_QUOTE_H
#define SSNS_QUOTE_H

#include <stdio.h>
#include <string.h>

#define SSNS_QUOTE_SHOW	48
/* quotes, every shown byte escaped, the note, NUL */
#define SSNS_QUOTE_LEN	(2 + 4 * SSNS_QUOTE_SHOW + 48)

/* s quoted into buf (at least SSNS_QUOTE_LEN bytes); returns buf. */
static inline const char *ssns_quote(char *buf, size_t len, const char *s)
{
	size_t n, i, o = 0;

	if (!buf || len < SSNS_QUOTE_LEN)
		return "\"?\"";
	if (!s)
		s = "";
	n = strlen(s);
	buf[o++] = '"';
	for (i = 0; i < n && i < SSNS_QUOTE_SHOW; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	if (n > SSNS_QUOTE_SHOW)
		snprintf(buf + o, len - o, "... (%zu bytes, cut to %d)", n,
			 SSNS_QUOTE_SHOW);
	return buf;
}

/* For a printf argument: a buffer that lives until the end of the block. */
#define SSNS_QUOTE(s) \
	ssns_quote((char[SSNS_QUOTE_LEN]){ 0 }, SSNS_QUOTE_LEN, (s))

#endif /* SSNS_QUOTE_H */
