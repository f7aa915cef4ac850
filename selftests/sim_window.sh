#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns_sim receive windows and writes (the one-copy path): the ABI rules,
# placement at the offset, completions in order with messages, the VNI
# rule, push-back before anything is written, pinning accounted in VmPin
# and RLIMIT_MEMLOCK and undone on removal, free and close, and windows
# replaced or freed under a running writer (selftests/progs/cxiwin).
. "$(dirname "$0")/lib.sh"

CXIWIN=$SSNS_TOP/selftests/progs/cxiwin
need_progs "$CXIWIN" "$NLRAW"
trap 'rm -rf "$TMPD"' EXIT

DBG=/sys/kernel/debug/ssns_sim
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$DBG/$1/stats"; }

sim_add 1 winA
wait_for test -c /dev/winA
for v in 100 200; do
	"$NLRAW" profile_new str:dev_name=winA u32:vni=$v u8:tc=1 > /dev/null ||
		{ echo "1..0 # SKIP cannot create host profiles"; exit $KSFT_SKIP; }
done

d0=$(stat_of winA drops)
# cxiwin prints its own TAP; renumber it into this test's plan.
out=$("$CXIWIN" winA 100 200 1 2>&1)
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) tap_ok "${line#ok [0-9]* - }" ;;
	"not ok "*) tap_notok "${line#not ok [0-9]* - }" ;;
	"1.."*) ;;
	*) tap_diag "$line" ;;
	esac
done <<< "$out"
check_eq "cxiwin exit status" 0 "$rc"
d1=$(stat_of winA drops)
# Refused or dropped writes count as drops: at least the other-VNI write
# and the three EREMOTEIO ones before the churn.
check "drops counted ($d0 -> $d1)" test "$d1" -ge $((d0 + 4))
check "del_device" sim_del 1

tap_plan "$_tap_n"
tap_done
