// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * The kernel's rules for names, so that a caller can refuse a bad name
 * before asking (and say why in its own words). They must stay the
 * kernel's: ssns_tenant_name_ok() in kmod/core/tenant_change.c and
 * ssns_dev_pick_name() in kmod/core/dev.c.
 */
#include <string.h>

#include "internal.h"

SSNS_EXPORT bool ssns_tenant_name_valid(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strlen(name);
	if (!n || n >= SSNS_NAME_MAX)
		return false;
	/* ASCII only, as the kernel: no locale decides what a letter is */
	for (; *name; name++) {
		char c = *name;

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '_' &&
		    c != '-')
			return false;
	}
	return true;
}

SSNS_EXPORT bool ssns_dev_name_valid(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strlen(name);
	return n && n < SSNS_NAME_MAX && !strpbrk(name, "/ \t\n");
}
