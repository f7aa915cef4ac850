# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for ssns selftests (sourced). Tests run as root inside the VM
# with ssns.ko and ssns_sim.ko loaded.

SSNS_TOP=${SSNS_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
KSFT_SKIP=4
_tap_n=0
_tap_fail=0

tap_plan() { echo "1..$1"; }
tap_ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
tap_notok() {
	_tap_n=$((_tap_n + 1)); _tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $*"
}
tap_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP ${2:-}"; }
tap_diag() { echo "# $*"; }

# check DESC CMD...: one test point, passing when CMD succeeds.
check() {
	local desc=$1; shift
	if "$@"; then tap_ok "$desc"; else tap_notok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_notok "$1"
		tap_diag "expected '$2', got '$3'"
	fi
}

# check_err DESC ERRNO CMD...: CMD must fail, and its output name ERRNO.
check_err() {
	local desc=$1 want=$2 out; shift 2
	if out=$("$@" 2>&1); then
		tap_notok "$desc"
		tap_diag "succeeded, expected $want: $out"
	elif echo "$out" | grep -q "$want"; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "expected $want, got: $out"
	fi
}

tap_done() {
	[ "$_tap_fail" -eq 0 ] && exit 0
	exit 1
}
