#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ABI of libssns.so: every function declared in include/libssns.h is
# exported with a version from libssns.map, and nothing else is exported.
set -euo pipefail
cd "$(dirname "$0")"

declared=$(grep -v '^static' include/libssns.h | sed -n 's/^[a-z].*[ *]\(ssns_[a-z0-9_]*\)(.*/\1/p' |
	   sort -u)
mapped=$(sed -n 's/^\t\(ssns_[a-z0-9_]*\);$/\1/p' libssns.map | sort -u)
exported=$(nm -D --defined-only libssns.so | awk '$2 == "T" { print $3 }' |
	   sed 's/@.*//' | sort -u)
versioned=$(objdump -T libssns.so | awk '/LIBSSNS_/ && $NF ~ /^ssns_/ { print $NF }' |
	    sort -u)

rc=0
diff_sets() {
	if [ "$2" != "$4" ]; then
		echo "libssns ABI: $1 and $3 differ:"
		diff <(echo "$2") <(echo "$4") | sed -n 's/^[<>]/  &/p'
		rc=1
	fi
}
diff_sets "declared in libssns.h" "$declared" "listed in libssns.map" "$mapped"
diff_sets "listed in libssns.map" "$mapped" "exported by libssns.so" "$exported"
diff_sets "exported" "$exported" "versioned" "$versioned"
[ $rc -eq 0 ] && echo "libssns ABI: $(echo "$declared" | wc -l) functions, declared = listed = exported (versioned)"
exit $rc
