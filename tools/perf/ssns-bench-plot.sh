#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pictures of a make bench run, with gnuplot (Debian's gnuplot-nox):
#   ssns-bench-plot.sh RESULTS.tsv OUTDIR
# writes into OUTDIR, as PNG and SVG:
#   bench-latency    one-way latency over message size: pods, host, and
#                    the A/A band (host x [min..max] of host2 / host over
#                    the launches); writes; MPI (NetPIPE) beside them
#   bench-bandwidth  bandwidth over message size, the same lines, and the
#                    kernel's copy rate (the limit) at the sizes measured
#   bench-admission  admission rate (alloc+free/s) over the tenant count,
#                    and with the live endpoints held
set -u
res=$1
out=$2
command -v gnuplot > /dev/null || { echo "plot: gnuplot not installed (scripts/setup)"; exit 1; }
tmp=$(mktemp -d /tmp/ssns-plot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# series PREFIX: "bytes value min max" for the figures PREFIX.SIZE.
series() {
	awk -F'\t' -v p="$1" '
	function bytes(s,   n) {
		n = s + 0
		if (s ~ /K$/) n *= 1024
		if (s ~ /M$/) n *= 1048576
		return n
	}
	index($1, p ".") == 1 {
		s = substr($1, length(p) + 2)
		if (s ~ /^[0-9]+[KM]?$/) print bytes(s), $2, $4, $5
	}' "$res" | sort -n
}

series dp.pods.lat_med > "$tmp/lat_pods"
series dp.host.lat_med > "$tmp/lat_host"
series dpw.pods.lat_med > "$tmp/wlat_pods"
series dpw.host.lat_med > "$tmp/wlat_host"
series dp.pods.bw > "$tmp/bw_pods"
series dp.host.bw > "$tmp/bw_host"
series dpw.pods.bw > "$tmp/wbw_pods"
series dpw.host.bw > "$tmp/wbw_host"
series kcopy.in.bw > "$tmp/kcopy_in"
series kcopy.nocache.bw > "$tmp/kcopy_nc"
# The A/A band around the host line: host x min..max of host2 / host.
band() { # HOSTFILE AAPREFIX
	series "$2" > "$tmp/aa"
	awk 'NR == FNR { lo[$1] = $3; hi[$1] = $4; next }
	     ($1 in lo) { print $1, $2, $2 * lo[$1], $2 * hi[$1] }' "$tmp/aa" "$1"
}
band "$tmp/lat_host" dp.aa_lat_ratio > "$tmp/lat_band"
band "$tmp/bw_host" dp.aa_bw_ratio > "$tmp/bw_band"
awk -F'\t' '$1 == "mpi.np.pods.lat.8" { print 8, $2 }' "$res" > "$tmp/mpi_lat"
awk -F'\t' '$1 == "mpi.np.pods.bw.1M" { print 1048576, $2 }' "$res" > "$tmp/mpi_bw"
awk -F'\t' '$1 ~ /^admit\.[0-9]+t$/ { n = $1; gsub(/[^0-9]/, "", n); print n, $2, $4, $5 }' \
	"$res" | sort -n > "$tmp/admit"
awk -F'\t' '$1 ~ /^admit\.[0-9]+ep$/ { n = $1; gsub(/[^0-9]/, "", n); print n, $2, $4, $5 }
	    $1 == "admit.1ep" { print 1, $2, $4, $5 }' "$res" | sort -n > "$tmp/admit_ep"

# plot FILE-STEM GNUPLOT-COMMANDS: the same picture as PNG and SVG.
plot() {
	local t
	for t in "pngcairo size 900,600|png" "svg size 900,600|svg"; do
		gnuplot <<-GP || return 1
		set terminal ${t%|*} font "sans,10"
		set output "$out/$1.${t#*|}"
		set grid
		set key top left
		$2
		GP
	done
}

has() { [ -s "$tmp/$1" ]; }
cmd="set logscale xy; set xlabel 'message size (bytes)'; set ylabel 'one-way latency (us)'"
cmd="$cmd; set title 'Latency: pods vs host (A/A band: host2 / host over launches)'"
p="plot"
has lat_band && p="$p '$tmp/lat_band' using 1:3:4 with filledcurves lc rgb '#d0d0d0' title 'A/A band (host2 / host)',"
has lat_host && p="$p '$tmp/lat_host' using 1:2 with linespoints lw 2 title 'send/recv, host',"
has lat_pods && p="$p '$tmp/lat_pods' using 1:2 with linespoints lw 2 title 'send/recv, pods',"
has wlat_host && p="$p '$tmp/wlat_host' using 1:2 with linespoints title 'write, host',"
has wlat_pods && p="$p '$tmp/wlat_pods' using 1:2 with linespoints title 'write, pods',"
has mpi_lat && p="$p '$tmp/mpi_lat' using 1:2 with points pt 7 ps 1.5 title 'MPI (NetPIPE), pods',"
[ "$p" = plot ] || plot bench-latency "$cmd; ${p%,}" || exit 1

cmd="set logscale xy; set xlabel 'message size (bytes)'; set ylabel 'bandwidth (MB/s)'"
cmd="$cmd; set title 'Bandwidth: pods vs host, and the kernel copy rate (the limit)'"
p="plot"
has bw_band && p="$p '$tmp/bw_band' using 1:3:4 with filledcurves lc rgb '#d0d0d0' title 'A/A band (host2 / host)',"
has bw_host && p="$p '$tmp/bw_host' using 1:2 with linespoints lw 2 title 'send/recv, host',"
has bw_pods && p="$p '$tmp/bw_pods' using 1:2 with linespoints lw 2 title 'send/recv, pods',"
has wbw_host && p="$p '$tmp/wbw_host' using 1:2 with linespoints title 'write, host',"
has wbw_pods && p="$p '$tmp/wbw_pods' using 1:2 with linespoints title 'write, pods',"
has kcopy_in && p="$p '$tmp/kcopy_in' using 1:2 with linespoints dt 2 title 'kernel copy\\_from\\_user',"
has kcopy_nc && p="$p '$tmp/kcopy_nc' using 1:2 with linespoints dt 2 title 'kernel non-temporal copy',"
has mpi_bw && p="$p '$tmp/mpi_bw' using 1:2 with points pt 7 ps 1.5 title 'MPI (NetPIPE), pods',"
[ "$p" = plot ] || plot bench-bandwidth "$cmd; ${p%,}" || exit 1

cmd="set logscale x; set xlabel 'tenants (live endpoints)'; set ylabel 'endpoint alloc+free per second'"
cmd="$cmd; set title 'Admission rate over tenant count and live endpoints'; set yrange [0:*]"
p="plot"
has admit && p="$p '$tmp/admit' using 1:2:3:4 with yerrorlines lw 2 title 'over tenants',"
has admit_ep && p="$p '$tmp/admit_ep' using 1:2:3:4 with yerrorlines lw 2 title 'over live endpoints',"
if [ "$p" != plot ]; then
	plot bench-admission "$cmd; ${p%,}" || exit 1
fi
ls "$out"/bench-*.png "$out"/bench-*.svg 2>/dev/null | sed 's/^/plot: wrote /'
