#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libssns.so against the real module (see libssns-test.c). Runs in the VM:
#
#   selftests/vm/run -- tools/tests/vm/libssns.sh
. "$(dirname "$0")/../../../selftests/lib.sh"
need_progs
prog=$(dirname "$0")/libssns-test
if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built (make -C tools)"
	exit $KSFT_SKIP
fi

sim_add 1 cxi0
sim_add 2 cxi1
ip netns add libns
trap 'jobs -p | xargs -r kill 2>/dev/null; ip netns del libns 2>/dev/null; rm -rf "$TMPD"' EXIT
pid=$(in_ns_pid libns)

if command -v valgrind > /dev/null; then
	valgrind -q --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --error-exitcode=99 \
		"$prog" /run/netns/libns "$pid"
else
	"$prog" /run/netns/libns "$pid"
fi
