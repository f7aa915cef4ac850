#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libfabric provider "ssns" (tools/libfabric) under libfabric's own,
# unmodified clients: fi_info shows what the provider offers and which
# device, VNI and traffic class it picked (from the caller's tenant or
# SLINGSHOT_*); fi_pingpong moves checked data (-c) of every size up to
# 1 MiB and beyond, between two host processes and between two pods of one
# tenant; a pod of another tenant reaches nothing (the fabric drops and
# counts it) and is refused alice's VNI; a revoked endpoint (device moved
# away, tenant deleted) ends the client with an error, not a hang.
# fi_check, ours, adds the protocol's corners the clients do not reach.
#
# SSNS_LF_ITERS: fi_pingpong iterations per size (3).
. "$(dirname "$0")/lib.sh"
need_progs "$CTL" "$NLRAW"
PROV=$SSNS_TOP/tools/libfabric
if [ ! -e "$PROV/libssns-fi.so" ]; then
	echo "1..0 # SKIP $PROV/libssns-fi.so not built"
	exit $KSFT_SKIP
fi
for p in fi_info fi_pingpong; do
	if ! command -v $p > /dev/null; then
		echo "1..0 # SKIP $p not installed (libfabric-bin)"
		exit $KSFT_SKIP
	fi
done
export FI_PROVIDER_PATH=$PROV
unset SLINGSHOT_VNIS SLINGSHOT_DEVICES SLINGSHOT_TCS SLINGSHOT_SVC_IDS
ITERS=${SSNS_LF_ITERS:-3}
# Bound every client: a hang is a failure, not a stuck test.
T=${SSNS_LF_TIMEOUT:-120}

pods="lfa1 lfa2 lfb1 lfn1"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	for ns in $pods lfx; do ip netns del $ns 2>/dev/null; done
	ip link del br77 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# Pods on a bridge for fi_pingpong's TCP rendezvous (10.77.0.N).
ip link add br77 type bridge && ip addr add 10.77.0.254/24 dev br77 &&
	ip link set br77 up || exit 1
n=0
for ns in $pods; do
	n=$((n + 1))
	ip netns add $ns
	ip link add v$ns type veth peer name eth0 netns $ns
	ip link set v$ns master br77 up
	ip -n $ns addr add 10.77.0.$n/24 dev eth0
	ip -n $ns link set eth0 up
	ip -n $ns link set lo up
done
ip link set lo up

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
# listening NS PORT: a TCP socket listens on PORT in netns NS ("": here).
listening() {
	in_ns "$1" cat /proc/net/tcp |
		awk -v p="$(printf ':%04X' "$2")" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }'
}

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

# --------------------------------------------------- another tenant's pod
# bob's client is handed alice's address (fi_pingpong's TCP exchange) and
# sends on his own VNI: the fabric drops it, alice's server sees nothing.
d0=$(dev_stat lf1 drops)
# (ip netns exec execs timeout: $! is the process to stop.)
ip netns exec lfa2 timeout "$T" fi_pingpong -p ssns -e rdm -B 47614 -d lf1 \
	-S 64 -I 1 > "$TMPD/x.srv" 2>&1 &
srv=$!
wait_for listening lfa2 47614
ip netns exec lfb1 timeout 10 fi_pingpong -p ssns -e rdm -P 47614 -d lf0 \
	-S 64 -I 1 10.77.0.2 > "$TMPD/x.cli" 2>&1
echo "rc=$?" >> "$TMPD/x.cli"
check_eq "bob's client gets no answer from alice's server" "rc=124" \
	"$(tail -n 1 "$TMPD/x.cli")"
check "the drop is counted on lf1" test "$(dev_stat lf1 drops)" -gt "$d0"
kill $srv 2>/dev/null
wait
check_eq "alice's server received nothing" "" \
	"$(grep -E '^64 ' "$TMPD/x.srv")"

# bob's pod asking for alice's VNI: refused in the kernel, at once.
(ip netns exec lfb1 env SLINGSHOT_VNIS=300 timeout "$T" fi_pingpong -p ssns \
	-e rdm -B 47615 -S 64 -I 1 > "$TMPD/r.srv" 2>&1; echo "rc=$?" >> "$TMPD/r.srv") &
wait_for listening lfb1 47615
ip netns exec lfb1 timeout 30 fi_pingpong -p ssns -e rdm -P 47615 -S 64 \
	-I 1 10.77.0.3 > "$TMPD/r.cli" 2>&1
wait
rc=$(tail -n 1 "$TMPD/r.srv")
check "SLINGSHOT_VNIS=300 in bob's pod: fi_pingpong fails, not hangs" \
	test "$rc" != rc=0 -a "$rc" != rc=124
check_eq "the refusal names EACCES, VNI, tenant" yes \
	"$(grep -q 'lf0: endpoint on VNI 300, traffic class low_latency refused: EACCES (.*another tenant.*); tenant of this process: bob' "$TMPD/r.srv" && echo yes)"
grep 'ssns' "$TMPD/r.srv" | sed 's/^/# /'

# ----------------------------------------------------------------- revocation
# runpair NAME PORT: a long run between alice's pods, both on lf1, in the
# background; NAME.srv and NAME.cli get their output, then rc=N.
runpair() {
	(ip netns exec lfa2 timeout "$T" fi_pingpong -p ssns -e rdm -B "$2" \
		-d lf1 -S 8 -I 100000000 > "$TMPD/$1.srv" 2>&1
	 echo "rc=$?" >> "$TMPD/$1.srv") &
	wait_for listening lfa2 "$2"
	(ip netns exec lfa1 timeout "$T" fi_pingpong -p ssns -e rdm -P "$2" \
		-d lf1 -S 8 -I 100000000 10.77.0.2 > "$TMPD/$1.cli" 2>&1
	 echo "rc=$?" >> "$TMPD/$1.cli") &
	# Until messages flow (both started: libfabric's start is slow here).
	wait_for flowing $(($(dev_stat lf1 rx_msgs) + 50))
}
flowing() { [ "$(dev_stat lf1 rx_msgs)" -gt "$1" ]; }

# ended_in_error NAME DESC: both sides exited non-zero, by themselves
# (not killed by the timeout or a signal), naming the missing device.
ended_in_error() {
	local s rc
	wait
	for s in srv cli; do
		rc=$(tail -n 1 "$TMPD/$1.$s")
		case $rc in
		rc=0|rc=124|rc=1[2-9][0-9]|"")
			tap_notok "$2: the $s ends with an error ($rc)"
			tail -n 5 "$TMPD/$1.$s" | sed 's/^/# /' ;;
		*)
			if grep -qE 'No such device|revoked' "$TMPD/$1.$s"; then
				tap_ok "$2: the $s ends with an error ($rc)"
			else
				tap_notok "$2: the $s names no revocation"
				tail -n 5 "$TMPD/$1.$s" | sed 's/^/# /'
			fi ;;
		esac
	done
	grep -hE 'revoked|No such' "$TMPD/$1.srv" "$TMPD/$1.cli" |
		head -n 2 | sed 's/^/# /'
}

# lf1 moves into another netns: contexts opened elsewhere are revoked.
ip netns add lfx
runpair v 47616
check "lf1 moves into another netns while they run" $CTL dev set lf1 netns lfx
ended_in_error v "device moved away"
ip netns del lfx
check "lf1 comes back when that netns goes" wait_for dev_listed lf1

# The tenant deleted under a running pair.
runpair w 47617
check "tenant alice deleted while they run" $CTL tenant del alice
ended_in_error w "tenant deleted"

tap_plan "$_tap_n"
tap_done
