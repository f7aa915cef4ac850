// SPDX-License-Identifier: GPL-2.0
/*
 * The name rules of libssns against the kernel's: a table of cases, and
 * every byte in every position against a transcription of the kernel's
 * checks (ssns_tenant_name_ok() in kmod/core/tenant_change.c, the policy
 * of SSNS_ATTR_TENANT_NAME and SSNS_ATTR_DEV_NAME in kmod/core/nl.c, and
 * ssns_dev_pick_name() in kmod/core/dev.c).
 */
#include <ctype.h>
#include <string.h>

#include "libssns.h"
#include "tests.h"

/* The kernel's checks as written there; ctype in the "C" locale. */
static bool kernel_tenant_ok(const char *name)
{
	if (strlen(name) > SSNS_NAME_MAX - 1)	/* NLA_NUL_STRING .len */
		return false;
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isascii(*name) ||
		    (!isalnum(*name) && !strchr("._-", *name)))
			return false;
	return true;
}

static bool kernel_dev_ok(const char *name)
{
	if (strlen(name) > SSNS_NAME_MAX - 1)
		return false;
	return *name && !strpbrk(name, "/ \t\n");
}

START_TEST(test_tenant_names)
{
	static const struct { const char *name; bool ok; } t[] = {
		{ "alice", true },
		{ ".x-1", true },		/* a leading '.' or '-' is fine */
		{ "-a", true },
		{ ".", true },
		{ "..", true },
		{ "_", true },
		{ "k8s_ns-1.a", true },
		{ "", false },
		{ "a b", false },
		{ "a/b", false },
		{ "../etc", false },
		{ "a\tb", false },
		{ "a\n", false },
		{ "a:b", false },
		{ "a%d", false },
		{ "caf\xc3\xa9", false },	/* UTF-8 */
		{ "\xe9t\xe9", false },		/* Latin-1 letters */
		{ "x\xaa", false },		/* Latin-1 ordinal */
		{ "0123456789012345678901234567890", true },	/* 31 */
		{ "01234567890123456789012345678901", false },	/* 32 */
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(ssns_tenant_name_valid(t[i].name) == t[i].ok,
			      "tenant name \"%s\": want %d", t[i].name,
			      t[i].ok);
		ck_assert_msg(kernel_tenant_ok(t[i].name) == t[i].ok,
			      "the kernel's rule, \"%s\": want %d", t[i].name,
			      t[i].ok);
	}
	ck_assert(!ssns_tenant_name_valid(NULL));
}
END_TEST

START_TEST(test_dev_names)
{
	static const struct { const char *name; bool ok; } t[] = {
		{ "cxi0", true },
		{ ".c-0", true },
		{ "n\xc3\xa9", true },		/* any other byte */
		{ "a:b", true },
		{ "", false },
		{ "a b", false },
		{ "a/b", false },
		{ "a\tb", false },
		{ "a\n", false },
		{ "0123456789012345678901234567890", true },	/* 31 */
		{ "01234567890123456789012345678901", false },	/* 32 */
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(ssns_dev_name_valid(t[i].name) == t[i].ok,
			      "device name \"%s\": want %d", t[i].name,
			      t[i].ok);
		ck_assert_msg(kernel_dev_ok(t[i].name) == t[i].ok,
			      "the kernel's rule, \"%s\": want %d", t[i].name,
			      t[i].ok);
	}
	ck_assert(!ssns_dev_name_valid(NULL));
}
END_TEST

/* Every byte, first, in the middle and last, and every length. */
START_TEST(test_names_every_byte)
{
	char name[48];
	int c, pos, len;

	for (c = 1; c < 256; c++)
		for (pos = 0; pos < 3; pos++) {
			strcpy(name, "ab");
			if (pos == 0)
				memmove(name + 1, name, 3);
			else if (pos == 1)
				memmove(name + 2, name + 1, 2);
			name[pos] = (char)c;
			ck_assert_msg(ssns_tenant_name_valid(name) ==
				      kernel_tenant_ok(name),
				      "tenant: byte 0x%02x at %d", c, pos);
			ck_assert_msg(ssns_dev_name_valid(name) ==
				      kernel_dev_ok(name),
				      "device: byte 0x%02x at %d", c, pos);
		}
	for (len = 0; len < (int)sizeof(name); len++) {
		memset(name, '.', (size_t)len);
		name[len] = '\0';
		ck_assert_msg(ssns_tenant_name_valid(name) ==
			      kernel_tenant_ok(name), "tenant: %d bytes", len);
		ck_assert_msg(ssns_dev_name_valid(name) == kernel_dev_ok(name),
			      "device: %d bytes", len);
		ck_assert_msg(ssns_tenant_name_valid(name) ==
			      (len >= 1 && len <= SSNS_NAME_MAX - 1),
			      "tenant: %d bytes", len);
	}
}
END_TEST

Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_tenant_names);
	tcase_add_test(tc, test_dev_names);
	tcase_add_test(tc, test_names_every_byte);
	suite_add_tcase(s, tc);
	return s;
}
