#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libfabric provider "ssns" (tools/libfabric) under libfabric's own,
# unmodified clients: fi_info shows what the provider offers and which
# device, VNI and traffic class it picked (from the caller's tenant or
# SLINGSHOT_*); fi_pingpong moves checked data (-c) of every size up to
# 1 MiB and beyond, between two host processes and between two pods of one
# tenant (libfabric_tenants.sh: other tenants, refusals, revocation).
# fi_check, ours, adds the protocol's corners the clients do not reach.
#
# SSNS_LF_ITERS: fi_pingpong iterations per size (3).
. "$(dirname "$0")/lib.sh"
need_progs "$CTL" "$NLRAW"
need_fabric fi_info fi_pingpong
ITERS=${SSNS_LF_ITERS:-3}
# Bound every client: a hang is a failure, not a stuck test.
T=${SSNS_LF_TIMEOUT:-120}

pods="lfa1 lfa2 lfb1 lfn1"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	pod_net_del br77 $pods
	rm -rf "$TMPD"
}
trap cleanup EXIT
check "pods lfa1 lfa2 lfb1 lfn1 on bridge br77 (10.77.0.1-4)" pod_net br77 10.77.0 $pods
check "device lf0" sim_add 1 lf0
check "device lf1" sim_add 2 lf1
i0=$(dev_index lf0)
i1=$(dev_index lf1)
check "tenants alice (VNI 300-301) and bob (VNI 400)" sh -c \
	"$CTL tenant add alice vni 300-301 && $CTL tenant add bob vni 400 &&
	 $CTL tenant set alice netns lfa1 && $CTL tenant set alice netns lfa2 &&
	 $CTL tenant set bob netns lfb1"
for d in lf0 lf1; do
	check "profiles on $d: 300 LL, 301 BE, 400 LL, host 10 LL" sh -c \
		"$CTL profile add dev $d vni 300 tc low_latency &&
		 $CTL profile add dev $d vni 301 tc best_effort &&
		 $CTL profile add dev $d vni 400 tc low_latency &&
		 $CTL profile add dev $d vni 10 tc low_latency"
done

# ---------------------------------------------------------------- fi_info
out=$(fi_info -l 2>&1)
check_eq "fi_info -l lists the provider" yes \
	"$(echo "$out" | grep -qx 'ssns:' && echo yes)"

out=$(fi_info -p ssns 2>&1)
check_eq "fi_info -p ssns: one FI_EP_RDM domain per device" \
	"lf0 lf1 2" \
	"$(echo "$out" | sed -n 's/^ *domain: //p' | tr '\n' ' ')$(echo "$out" | grep -c 'type: *FI_EP_RDM')"
check_eq "fi_info -p ssns: provider and fabric ssns" yes \
	"$(echo "$out" | grep -q 'provider: ssns' && echo "$out" | grep -q 'fabric: ssns' && echo yes)"

v=$(fi_info -p ssns -d lf0 -v 2>&1)
# has RE...: $v matches every RE ("yes"), else nothing.
has() {
	local re
	for re in "$@"; do
		echo "$v" | grep -qE -- "$re" || return 0
	done
	echo yes
}
for want in 'caps: \[.*FI_MSG' 'caps: \[.*FI_TAGGED' 'FI_DIRECTED_RECV' \
	    'FI_SOURCE' 'mem_tag_format: 0xaaaaaaaaaaaaaaaa' \
	    'cq_data_size: 8' 'data_progress: FI_PROGRESS_MANUAL' \
	    'inject_size: 4096' "device: lf0 \(/dev/lf0, fabric index $i0\)" \
	    'vni: 10 \(no tenant: the first tenant-less VNI' \
	    'traffic_class: low_latency' 'tenant: \(none: host\)'; do
	check_eq "fi_info -v (host): $want" yes "$(has "$want")"
done
echo "$v" | sed -n '/ssns:/,$p' | sed 's/^/# /'

log=$(FI_LOG_LEVEL=info fi_info -p ssns 2>&1 > /dev/null)
check_eq "FI_LOG_LEVEL=info names device, VNI and traffic class" yes \
	"$(echo "$log" | grep -qE "ssns:.*lf1 \(fabric index $i1\): VNI 10 .*traffic class low_latency" && echo yes)"

v=$(ip netns exec lfa1 fi_info -p ssns -d lf1 -v 2>&1)
check_eq "in alice's pod: her first VNI with a profile" yes \
	"$(has "vni: 300 \(tenant alice's first VNI with a profile on lf1\)")"
check_eq "in alice's pod: tenant alice, low_latency" yes \
	"$(has 'tenant: alice' 'traffic_class: low_latency$')"
v=$(ip netns exec lfa1 env SLINGSHOT_VNIS=301,300 SLINGSHOT_SVC_IDS=5 \
	fi_info -p ssns -d lf0 -v 2>&1)
check_eq "SLINGSHOT_VNIS=301,300: VNI 301, its profile's class" yes \
	"$(has 'vni: 301 \(SLINGSHOT_VNIS\)' 'traffic_class: best_effort$')"
out=$(ip netns exec lfa1 env SLINGSHOT_DEVICES=lf1 fi_info -p ssns 2>&1)
check_eq "SLINGSHOT_DEVICES=lf1: only lf1" "lf1" \
	"$(echo "$out" | sed -n 's/^ *domain: //p' | tr '\n' ' ' | sed 's/ $//')"
out=$(ip netns exec lfa1 env SLINGSHOT_TCS=4 FI_LOG_LEVEL=info fi_info -p ssns 2>&1)
check_eq "SLINGSHOT_TCS=4 (bulk only): no device, said why" yes \
	"$(echo "$out" | grep -q 'tenant alice has no profile on lf0 for an allowed traffic class' &&
	   echo "$out" | grep -q 'fi_getinfo: -61' && echo yes)"
out=$(ip netns exec lfa1 env SLINGSHOT_VNIS=oops FI_LOG_LEVEL=warn fi_info -p ssns 2>&1)
check_eq "SLINGSHOT_VNIS=oops: refused, the variable named" yes \
	"$(echo "$out" | grep -q 'SLINGSHOT_VNIS="oops"' && echo yes)"
out=$(ip netns exec lfn1 env FI_LOG_LEVEL=info fi_info -p ssns 2>&1)
check_eq "a pod without a tenant gets no device" yes \
	"$(echo "$out" | grep -q 'no tenant-less profile on lf0 is visible' &&
	   echo "$out" | grep -q 'fi_getinfo: -61' && echo yes)"

# ------------------------------------------------------------ fi_pingpong
# pingpong NAME SRV_NS CLI_NS SRV_IP PORT SRV_DEV CLI_DEV [ARGS...]: one run
# (server first); NAME.srv and NAME.cli hold each side's output, then rc=N.
pingpong() {
	local name=$1 sns=$2 cns=$3 ip=$4 port=$5 sdev=$6 cdev=$7
	shift 7
	(in_ns "$sns" timeout "$T" fi_pingpong -p ssns -e rdm -d "$sdev" \
		-B "$port" "$@" > "$TMPD/$name.srv" 2>&1
	 echo "rc=$?" >> "$TMPD/$name.srv") &
	wait_for listening "$sns" "$port"
	in_ns "$cns" timeout "$T" fi_pingpong -p ssns -e rdm -d "$cdev" \
		-P "$port" "$@" "$ip" > "$TMPD/$name.cli" 2>&1
	echo "rc=$?" >> "$TMPD/$name.cli"
	wait
}

# ok_run NAME DESC: both sides exited 0 and went through 1 MiB.
ok_run() {
	local s
	for s in srv cli; do
		if grep -qx 'rc=0' "$TMPD/$1.$s" && grep -qE '^1m +' "$TMPD/$1.$s"; then
			tap_ok "$2 ($s)"
		else
			tap_notok "$2 ($s)"
			tail -n 15 "$TMPD/$1.$s" | sed 's/^/# /'
		fi
	done
}

t0=$SECONDS
pingpong host "" "" 127.0.0.1 47611 lf0 lf0 -S all -c -I "$ITERS"
ok_run host "fi_pingpong between host processes on lf0, FI_MSG, every size checked"
tap_diag "host pair: $((SECONDS - t0)) s"
grep -E '^(8|4k|6k|1m) ' "$TMPD/host.cli" | sed 's/^/# host: /'

# Rendezvous into one buffer, again and again: the kernel keeps its window
# pinned (SSNS_SIM_WINDOW_KEEP) and the data is still checked; without
# FI_SSNS_WINDOW_KEEP each message pins its buffer.
kept() { # FILE -> "SET KEPT" of the endpoint's close report
	sed -n 's/.*closed: \([0-9]*\) receive windows set, \([0-9]*\) of them kept.*/\1 \2/p' "$1" | head -n 1
}
FI_LOG_LEVEL=info pingpong keep "" "" 127.0.0.1 47613 lf0 lf0 -S 1048576 -c -I 20
read -r ks kk <<< "$(kept "$TMPD/keep.srv")"
check_eq "1 MiB x 20, data checked: both sides done" "rc=0 rc=0" \
	"$(grep -h '^rc=' "$TMPD/keep.srv" "$TMPD/keep.cli" | xargs)"
check "...the server set $ks windows, the kernel kept $kk of them" \
	test "${ks:-0}" -ge 20 -a "${kk:-0}" -ge $((${ks:-0} - 2))
FI_LOG_LEVEL=info FI_SSNS_WINDOW_KEEP=0 pingpong nokeep "" "" 127.0.0.1 47614 lf0 lf0 -S 1048576 -c -I 20
read -r ns nk <<< "$(kept "$TMPD/nokeep.srv")"
check "FI_SSNS_WINDOW_KEEP=0: $ns windows set, ${nk:-?} kept, data checked" \
	test "${ns:-0}" -ge 20 -a "${nk:-1}" -eq 0 -a \
	"$(grep -h '^rc=' "$TMPD/nokeep.srv" "$TMPD/nokeep.cli" | xargs)" = "rc=0 rc=0"

# Alice's pods, the server's endpoint on lf1, the client's on lf0.
d0=$(dev_stat lf1 drops)
t0=$SECONDS
pingpong pods lfa2 lfa1 10.77.0.2 47612 lf1 lf0 -S all -c -I "$ITERS" -m tagged
ok_run pods "fi_pingpong between alice's pods, lf0 to lf1, FI_TAGGED, every size checked"
tap_diag "pods pair: $((SECONDS - t0)) s"
grep -E '^(8|4k|6k|1m) ' "$TMPD/pods.cli" | sed 's/^/# pods: /'
check_eq "no drop on lf1 from alice's own traffic" "$d0" "$(dev_stat lf1 drops)"

# ------------------------------------------------------- protocol corners
# fi_check (selftests/progs): truncation, iovecs, two rendezvous at once,
# FI_PEEK/FI_CLAIM, cancel, to oneself, directed receives, a full queue;
# with windows, then with sends only and a 100-byte eager size.
FICHECK=$SSNS_TOP/selftests/progs/fi_check
if [ -x "$FICHECK" ]; then
	for mode in "" "FI_SSNS_WINDOW=0 FI_SSNS_EAGER_SIZE=100"; do
		out=$(env $mode timeout "$T" "$FICHECK" -d lf0 2>&1)
		if [ $? -eq 0 ]; then
			tap_ok "fi_check ${mode:-(windows)}: $(echo "$out" | tail -n 1)"
		else
			tap_notok "fi_check ${mode:-(windows)}"
			echo "$out" | grep -v '^ok' | sed 's/^/# /'
		fi
	done
else
	tap_skip "fi_check" "$FICHECK not built (libfabric-dev)"
fi

tap_plan "$_tap_n"
tap_done
