#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bandwidth benchmarks, in the VM with ssns.ko and ssns_sim.ko loaded
# (selftests/vm/run -- tools/perf/ssns-bench-bw.sh, or from ssns-bench.sh
# with its figures file as $1). Prints its figures; never fails on them.
#
# 1. The policy, on a device with a link rate of $BW_LINK (2gbit; the
#    knobs SSNS_BENCH_BW_LINK and SSNS_BENCH_BW_CEIL): two
#    tenants saturating it with weights 3:1 (their rate ratio), a 1gbit
#    (SSNS_BENCH_BW_CEIL) ceiling on one tenant (its rate), one tenant alone on the shaped link
#    (work conservation: its rate over the link's), and low_latency 8 B
#    round trips of one tenant while the other saturates the link with
#    bulk_data (over the unloaded round trip).
# 2. The unshaped data path against the modules before bandwidth existed
#    ($SSNS_BENCH_BASE/kmod/{core,sim}/*.ko, built from the main branch),
#    side by side: the modules are swapped between rounds (new, old, new,
#    old...), each round measures send/recv 8 B latency and 64 KiB
#    bandwidth of a host pair on two unshaped devices. The A/A control is
#    the new modules against themselves in consecutive rounds: the band a
#    change must leave to count.
set -u
top=${SSNS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
res=${1:-}
PERF=$top/tools/perf/ssns-perf
CTL=$top/tools/ssnsctl/ssnsctl
BASE=${SSNS_BENCH_BASE:-$top/build/bench-base}
ROUNDS=${SSNS_BENCH_BW_ROUNDS:-4}
REPS=${SSNS_BENCH_REPS:-5}
MS=${SSNS_BENCH_MS:-200}
BW_LINK=${SSNS_BENCH_BW_LINK:-2gbit}
BW_CEIL=${SSNS_BENCH_BW_CEIL:-1gbit}
SIMBUS=/sys/bus/ssns_sim
work=$(mktemp -d /tmp/ssns-bench-bw.XXXXXX)

say() { printf '\n## %s\n' "$*"; }
# rec NAME VALUE UNIT [TARGET]
rec() {
	printf '%-34s %12s %s %s\n' "$1" "$2" "$3" "${4:+(target $4)}"
	[ -n "$res" ] && printf '%s\t%s\t%s\t%s\t%s\t1\t%s\n' "$1" "$2" "$3" \
		"$2" "$2" "${4:-}" >> "$res"
}
calc() { python3 -c "print('%.4f' % ($*))"; }
cleanup() {
	for ns in bwp1 bwp2; do ip netns del $ns 2>/dev/null; done
	"$CTL" tenant del bwt1 2>/dev/null
	"$CTL" tenant del bwt2 2>/dev/null
	for id in 61 62 63 64; do echo $id > $SIMBUS/del_device 2>/dev/null; done
}
trap 'cleanup; rm -rf "$work"' EXIT
newdev() { # newdev ID NAME [RATE]
	echo "$*" > $SIMBUS/new_device || exit 1
	for _ in $(seq 50); do [ -c /dev/$2 ] && return; sleep 0.1; done
}

# Run on its own (selftests/vm/run -- tools/perf/ssns-bench-bw.sh): load them.
if [ ! -d $SIMBUS ]; then
	lsmod | grep -q '^ssns ' || insmod "$top/kmod/core/ssns.ko" || exit 1
	insmod "$top/kmod/sim/ssns_sim.ko" || exit 1
fi

say "1. Shares, ceilings, work conservation, latency (link $BW_LINK)"
newdev 61 bwl0 $BW_LINK
newdev 62 bwl1
ip netns add bwp1 && ip netns add bwp2 || exit 1
"$CTL" -b - <<EOF || exit 1
tenant add bwt1 vni 100
tenant add bwt2 vni 200
tenant set bwt1 netns bwp1
tenant set bwt2 netns bwp2
EOF
for d in bwl0 bwl1; do
	for v in 100 200; do
		for tc in bulk_data low_latency; do
			"$CTL" profile add dev $d vni $v tc $tc || exit 1
		done
	done
done
flow() { # flow NAME NS VNI [KEY=VALUE...]
	local f="name=$1,ns=/run/netns/$2,dev=bwl0,peer=bwl1,vni=$3,size=64K"
	shift 3
	for kv in "$@"; do f+=",$kv"; done
	echo "$f"
}
mean() { sed -n "s/^flow $1 rate_bps [0-9]* mean_bps \([0-9]*\) .*/\1/p" "$2"; }
link=$(cat $SIMBUS/devices/ssns_sim61/link_rate)

"$CTL" tenant set bwt1 bw share 3
"$PERF" bw -t 5500 -W 500 -S 500 -R a/b $(flow a bwp1 100) $(flow b bwp2 200) \
	> "$work/share" 2>&1
cat "$work/share"
ra=$(mean a "$work/share") rb=$(mean b "$work/share")
rec bw.share_ratio.3_1 "$(calc "${ra:-0} / max(${rb:-0}, 1)")" ratio
rec bw.share_ratio.err "$(calc "abs(${ra:-0} / max(${rb:-0}, 1) / 3 - 1)")" fraction "<= 0.05"
rec bw.share.link_used "$(calc "(${ra:-0} + ${rb:-0}) / $link")" fraction

"$CTL" tenant set bwt1 bw clear
"$CTL" tenant set bwt2 bw max $BW_CEIL
"$PERF" bw -t 4500 -W 500 $(flow b bwp2 200) > "$work/ceil" 2>&1
cat "$work/ceil"
r=$(mean b "$work/ceil")
ceil=$("$CTL" -j tenant show bwt2 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["bw"]["max"])')
rec bw.ceiling.set "$(calc "$ceil / 1e6")" Mbit/s
rec bw.ceiling.rate "$(calc "${r:-0} / 1e6")" Mbit/s
rec bw.ceiling.err "$(calc "abs(${r:-0} / $ceil - 1)")" fraction "<= 0.05"
"$CTL" tenant set bwt2 bw clear

"$CTL" tenant set bwt2 bw share 3
"$PERF" bw -t 4500 -W 500 $(flow a bwp1 100) > "$work/alone" 2>&1
cat "$work/alone"
r=$(mean a "$work/alone")
rec bw.work_conserving "$(calc "${r:-0} / $link")" fraction ">= 0.95"
"$CTL" tenant set bwt2 bw clear

"$PERF" bw -t 3500 -W 500 $(flow l bwp1 100 tc=low_latency mode=lat cpu=0) \
	> "$work/lat0" 2>&1
"$PERF" bw -t 3500 -W 500 $(flow l bwp1 100 tc=low_latency mode=lat cpu=0) \
	$(flow b bwp2 200 cpu=1) > "$work/lat1" 2>&1
cat "$work/lat0" "$work/lat1"
l0=$(sed -n 's/^flow l rtt_med_us \([0-9.]*\) .*/\1/p' "$work/lat0")
l1=$(sed -n 's/^flow l rtt_med_us \([0-9.]*\) .*/\1/p' "$work/lat1")
rec bw.lat_isolation.alone_us "${l0:-0}" us
rec bw.lat_isolation.loaded_us "${l1:-0}" us
rec bw.lat_isolation.ratio "$(calc "${l1:-0} / max(${l0:-0}, 1e-9)")" ratio "<= 2"
cleanup

say "2. Unshaped data path: these modules (new) vs before bandwidth (old)"
if [ ! -f "$BASE/kmod/core/ssns.ko" ] || [ ! -f "$BASE/kmod/sim/ssns_sim.ko" ]; then
	echo "bench-bw: no modules in $BASE (make -C KDIR M=\$PWD in an export of main); skipped"
	exit 0
fi
load() { # load DIR: swap the modules for DIR's
	rmmod ssns_sim 2>/dev/null
	rmmod ssns 2>/dev/null
	insmod "$1/kmod/core/ssns.ko" && insmod "$1/kmod/sim/ssns_sim.ko" || {
		echo "bench-bw: cannot load the modules of $1"; exit 1; }
	newdev 63 bwu0
	newdev 64 bwu1
	for d in bwu0 bwu1; do
		"$CTL" profile add dev $d vni 10 tc low_latency > /dev/null || exit 1
	done
}
# pair LABEL: one round, "LAT8 BW64K" on stdout
pair() {
	"$PERF" pair -c 1 -s 8,64K -r "$REPS" -t "$MS" \
		"$1,bwu0,bwu1,10,low_latency,-,-" > "$work/pair" 2>&1 || {
		cat "$work/pair" >&2; echo "0 0"; return; }
	awk -v n="$1" '$2 == n && $1 == "8" { lat = $5 }
		$2 == n && $1 == "64K" { bw = $3 }
		END { print lat + 0, bw + 0 }' "$work/pair"
}
: > "$work/rounds"
# The order alternates (new, old / old, new): what the position in a
# round does cancels out.
for r in $(seq "$ROUNDS"); do
	for which in $([ $((r % 2)) = 1 ] && echo new old || echo old new); do
		load "$([ $which = new ] && echo "$top" || echo "$BASE")"
		echo "$which $(pair $which)" | tee -a "$work/rounds"
	done
done
load "$top"
# Ratios per round: after/before (new_i / old_i), and the A/A control
# (new_i / new_i+1, consecutive rounds of the same modules).
python3 - "$work/rounds" <<'EOF' > "$work/fig"
import statistics as st, sys
new, old = [], []
for line in open(sys.argv[1]):
    k, lat, bw = line.split()
    (new if k == "new" else old).append((float(lat), float(bw)))
def band(v):
    return "%.4f %.4f %.4f" % (st.median(v), min(v), max(v))
for i, what in ((0, "lat8"), (1, "bw64K")):
    ab = [n[i] / o[i] for n, o in zip(new, old) if o[i]]
    aa = [new[j][i] / new[j + 1][i] for j in range(len(new) - 1) if new[j + 1][i]]
    print(what, "ab", band(ab) if ab else "0 0 0")
    print(what, "aa", band(aa) if aa else "0 0 0")
    print(what, "new", "%.2f" % st.median(x[i] for x in new))
    print(what, "old", "%.2f" % st.median(x[i] for x in old))
EOF
while read -r what kind a b c; do
	case $kind in
	ab|aa)
		rec "bwdp.$what.${kind/ab/new_over_old}" "$a" ratio
		echo "    band $b..$c"
		;;
	*)
		rec "bwdp.$what.$kind" "$a" "$([ "$what" = lat8 ] && echo us || echo MB/s)"
		;;
	esac
done < "$work/fig"
echo "An unshaped path changes nothing when new/old falls within the A/A band."
exit 0
