# SPDX-License-Identifier: GPL-2.0
#
# Shared by selftests/hpe_cxi.sh and hpe_cxi_hook.sh (sourced after
# lib.sh): finds the stand-in and ssns_cxi modules, skips when they are
# not there, and has the helpers that read the stand-in's state.
kver=$(uname -r)
sd_stock=${SSNS_HPE_STANDIN_STOCK_DIR:-$SSNS_TOP/build/hpe-standin/$kver-stock}
sd_patched=${SSNS_HPE_STANDIN_DIR:-$SSNS_TOP/build/hpe-standin/$kver-patched}
cx_stock=${SSNS_HPE_CXI_STOCK_DIR:-$SSNS_TOP/build/hpe-cxi/$kver-stock}
cx_patched=${SSNS_HPE_CXI_DIR:-$SSNS_TOP/build/hpe-cxi/$kver-patched}
for ko in "$sd_stock/cxi_standin.ko" "$sd_patched/cxi_standin.ko" \
	  "$sd_patched/cxi_testclient.ko" "$cx_stock/ssns_cxi.ko" \
	  "$cx_patched/ssns_cxi.ko"; do
	if [ ! -r "$ko" ]; then
		echo "1..0 # SKIP $ko not built (scripts/hpe-prepare)"
		exit $KSFT_SKIP
	fi
	if [ "$(modinfo -F vermagic "$ko" | awk '{ print $1 }')" != "$kver" ]; then
		echo "1..0 # SKIP $ko is not built for $kver"
		exit $KSFT_SKIP
	fi
done
if grep -q '^cxi_ss1 ' /proc/modules; then
	echo "1..0 # SKIP cxi-ss1 is loaded: the stand-in has its symbols"
	exit $KSFT_SKIP
fi
if ! grep -q '^ssns ' /proc/modules; then
	echo "1..0 # SKIP ssns.ko is not loaded"
	exit $KSFT_SKIP
fi

SD=/sys/kernel/debug/cxi_standin
TC=/sys/kernel/debug/cxi_testclient
NETNS="p1 p2 p3 p9 q1"
sim_was_loaded=0
grep -q '^ssns_sim ' /proc/modules && sim_was_loaded=1

cleanup() {
	local t
	for t in $($CTL -j tenant show 2>/dev/null |
		   python3 -c 'import json,sys; [print(t["name"]) for t in json.load(sys.stdin)]' 2>/dev/null); do
		$CTL tenant del "$t"
	done
	for t in $NETNS; do ip netns del "$t"; done
	for t in $(seq 1 6); do
		for p in 1 2 3; do ip netns del "m$t-$p"; done
	done
	grep -q '^cxi_testclient ' /proc/modules && rmmod cxi_testclient
	grep -q '^ssns_cxi ' /proc/modules && rmmod ssns_cxi
	grep -q '^cxi_standin ' /proc/modules && rmmod cxi_standin
	if [ $sim_was_loaded = 1 ] && ! grep -q '^ssns_sim ' /proc/modules; then
		insmod "$(echo "${SSNS_MODULES:-}" | tr ' ' '\n' | grep '/ssns_sim\.ko$' | head -n 1)"
	fi
}
trap 'cleanup > /dev/null 2>&1' EXIT

ctl() { local f=$1; shift; echo "$*" > "$SD/$f"; }
# lni NETNS DEV SVC: take an LNI as a task of NETNS ("" for init_net).
lni() { in_ns "$1" bash -c "echo '$2 $3' >&3" 3> $SD/lni_alloc; }
lni_ids() { awk '{ print $1 ":" $2 }' $SD/lnis | sort; }
mark() { before=$(lni_ids); }
new_lni() { comm -13 <(echo "$before") <(lni_ids) | cut -d: -f2; }
inum() { stat -L -c %i "/run/netns/$1"; }
cookie() { ip netns exec "$1" python3 -c 'import socket; s=socket.socket(); print(int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 71, 8), "little"))'; }
svc_line() { awk -v d="$1" -v i="$2" '$1 == d && $2 == i' $SD/services; }
field() { svc_line "$1" "$2" | tr ' ' '\n' | sed -n "s/^$3=//p"; }
# ssns's services (named ssns-*) of DEV restricted to netns inode INUM.
svcs_of() {
	awk -v d="$1" -v n="netns=$2" '$1 == d && $0 ~ / name=ssns-/ {
		for (i = 3; i <= NF; i++) if ($i == n) print $2 }' $SD/services
}
nsvcs() { awk -v d="$1" '$1 == d && / name=ssns-/' $SD/services | wc -l; }
# vnis/tcs of DEV's services for INUM, one "VNIS TCS" a line, sorted
svc_shape() {
	awk -v d="$1" -v n="netns=$2" '$1 == d && / name=ssns-/ {
		ok = 0
		for (i = 3; i <= NF; i++) {
			if ($i == n) ok = 1
			if ($i ~ /^vnis=/) v = substr($i, 6)
			if ($i ~ /^tcs=/) t = substr($i, 5)
			if ($i ~ /^enabled=/) e = substr($i, 9)
		}
		if (ok) print v " " t " en=" e }' $SD/services | sort | paste -sd' '
}
counter() {
	$CTL stats dev "$1" | tr ' ' '\n' | grep -A1 -x "$2" | tail -n 1
}
# The service ids ssnsctl shows for netns NS on DEV, comma separated.
shown() {
	$CTL -j tenant services "$1" | python3 -c '
import json, sys
c, d = int(sys.argv[1]), sys.argv[2]
print(",".join(str(i) for e in json.load(sys.stdin)
	       if e["netns_cookie"] == c and e["dev"] == d for i in e["services"]))' \
		"$(cookie "$2")" "$3"
}
ids_of() { svcs_of "$1" "$2" | sort -n | paste -sd,; }

