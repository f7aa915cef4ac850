#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The table and bench-results.json of make bench, from its raw figures:
#   ssns-bench-report.sh RESULTS.tsv OUTDIR [TENANTS ENDPOINTS PARALLEL]
# (ssns-bench.sh runs it at the end; it can be run again on a job's
# bench.tsv). Derives the ratios, gives each figure with a target its
# resolution (from its A/A control) and status (met, missed, unresolved).
set -u
res=$1
out=$2
NTENANTS=${3:-10000}
NEPS=${4:-100000}
PAR=${5:-8}
awk -F'\t' -v json="$out/bench-results.json" -v nt="$NTENANTS" -v neps="$NEPS" -v par="$PAR" '
function add(n, v, u, lo, hi, k) {
	if (!(n in val)) order[++cnt] = n
	val[n] = v; unit[n] = u; mn[n] = lo; mx[n] = hi; num[n] = k
}
function target(n) {
	if (n in tgt) return tgt[n]
	if (n ~ /^dpw?\.bw_ratio\./) return ">= 0.99"
	if (n ~ /^dpw?\.lat_ratio\./) return "<= 1.01"
	# The drift-corrected ratio: the levels cannot be interleaved, but
	# the rate of each level is measured beside a control loop.
	if (n == "admit.norm_ratio." nt "t" || n == "admit.norm_ratio." neps "ep")
		return ">= 0.95"
	if (n ~ /^attach\.[a-z0-9]*\.overhead$/) return "<= 0.10"
	if (n ~ /^attach\.[a-z0-9]*\.(chain|plugin)_ratio$/) return "<= 1.10"
	if (n == "sim.kcopy_fraction.write.1M") return ">= 0.80"
	if (n == "sim.kcopy_fraction.send.1M") return ">= 0.40"
	if (n == "mem.endpoint") return "<= 512"
	if (n == "trace.policy_calls_per_msg") return "<= 0"
	return ""
}
function met(n, t,   op, x, w) {
	split(t, w, " "); op = w[1]; x = w[2] + 0
	return op == ">=" ? (val[n] + 0 >= x) : (val[n] + 0 <= x)
}
function ratio(n, a, b) {
	if (!(a in val) || !(b in val) || val[b] + 0 == 0) return
	add(n, val[a] / val[b], "ratio", mn[a] / val[b], mx[a] / val[b], num[a])
}
# The A/A control of figure n: a figure that compares two identical things
# measured the same way in the same run.
function aa(n,   c) {
	c = n
	if (n ~ /^admit\.norm_ratio\./)
		return n ~ /ep$/ ? "admit.norm_ratio.1ep_aa" : "admit.norm_ratio.1t_aa"
	if (n ~ /^admit\.ratio\./)
		return n ~ /ep$/ ? "admit.ratio.1ep_aa" : "admit.ratio.1t_aa"
	if (n == "sim.kcopy_fraction.write.1M") return "dpw.aa_bw_ratio.1M"
	if (n == "sim.kcopy_fraction.send.1M") return "dp.aa_bw_ratio.1M"
	if (n ~ /^mpi\.bw_fraction/) return "mpi.np.aa_bw_ratio.1M"
	if (n == "lf.lat_multiple.8") return "lf.aa_lat_ratio.8"
	if (n ~ /^attach\.[a-z0-9]*\.chain_ratio$/) { sub(/chain_ratio$/, "chain_aa_ratio", c); return c }
	if (n ~ /^attach\.[a-z0-9]*\.plugin_ratio$/) { sub(/plugin_ratio$/, "plugin_aa_ratio", c); return c }
	if (n ~ /\.aa_/) return ""
	if (sub(/\.bw_ratio\./, ".aa_bw_ratio.", c) || sub(/\.lat_ratio\./, ".aa_lat_ratio.", c))
		return c
	return ""
}
# Resolution: how far two identical things measured the same way land
# apart: the A/A offset, or its spread over launches / sqrt(launches).
function resol(n,   c, r, h) {
	if (n ~ /^trace\./ || n ~ /^mem\./) return 0
	c = aa(n)
	if (c == "" || !(c in val)) return -1
	r = val[c] - 1; if (r < 0) r = -r
	h = num[c] > 1 ? (mx[c] - mn[c]) / 2 / sqrt(num[c]) : 0
	return h > r ? h : r
}
# The tolerance of a target: for a ratio to 1 (pods / host, N / 1), its
# distance from 1; for a fraction of a limit, how far the value is from it.
function tol(n, t,   w, x) {
	split(t, w, " "); x = w[2] + 0
	if (n ~ /_ratio\./ || n ~ /^attach\./) return x > 1 ? x - 1 : 1 - x
	if (x == 0) return 1e9
	return val[n] / x > 1 ? val[n] / x - 1 : 1 - val[n] / x
}
{ add($1, $2 + 0, $3, $4 + 0, $5 + 0, $6 + 0); if ($7 != "") tgt[$1] = $7 }
END {
	for (i = 1; i <= cnt; i++) {
		n = order[i]
		if (n ~ /^admit\.[^.]*$/ && n != "admit.1t" && n != "admit.1ep")
			more[++m] = n
	}
	for (i = 1; i <= m; i++) {
		r = more[i]; sub(/^admit\./, "", r)
		b = r ~ /ep(_aa)?$/ ? "admit.1ep" : "admit.1t"
		ratio("admit.ratio." r, more[i], b)
		# Each rate over the control loop run beside it (alternating
		# half-windows), over the same at the base level: the drift of
		# the machine between two levels cancels out.
		ratio("admit.norm_ratio." r, more[i] ".norm", b ".norm")
	}
	# The NIC at 1 MiB over the kernel copy loop each path is made of:
	# a write is one non-temporal copy, a send a copy-in and a copy-out.
	ratio("sim.kcopy_fraction.write.1M", "dpw.host.bw.1M", "kcopy.nocache.bw.1M")
	ratio("sim.kcopy_fraction.write.pods.1M", "dpw.pods.bw.1M", "kcopy.nocache.bw.1M")
	ratio("sim.kcopy_fraction.send.1M", "dp.host.bw.1M", "kcopy.in.bw.1M")
	ratio("sim.kcopy_fraction.send.pods.1M", "dp.pods.bw.1M", "kcopy.in.bw.1M")
	ratio("sim.memcpy_fraction.1M", "dpw.host.bw.1M", "memcpy.bw.1M")
	# attach.X.overhead: what mode M adds to netns create+delete alone.
	split("seq par" par, runs, " ")
	split("cni exec lib", ms, " ")
	for (ri = 1; ri <= 2; ri++) {
		pr = "attach." runs[ri]
		if (!((pr ".base.per_pod") in val)) continue
		b = val[pr ".base.per_pod"]
		for (mi = 1; mi <= 3; mi++) {
			if (!((pr "." ms[mi] ".per_pod") in val)) continue
			on = pr (ms[mi] == "cni" ? "" : "." ms[mi]) ".overhead"
			add(on, val[pr "." ms[mi] ".per_pod"] / b - 1, "fraction", 0, 0, 1)
			mn[on] = mx[on] = val[on]
		}
	}
	# The chain: with ssns-cni over without (A/A: the chain twice), and
	# what ssns-cni adds over what tuning adds, execed the same way.
	for (ri = 1; ri <= 2; ri++) {
		pr = "attach." runs[ri]
		c0 = pr ".chain.per_pod"; cs = pr ".chain_ssns.per_pod"
		ca = pr ".chain_aa.per_pod"; ct = pr ".chain_tuning.per_pod"
		if (!(c0 in val) || !(cs in val)) continue
		ratio(pr ".chain_ratio", cs, c0)
		ratio(pr ".chain_aa_ratio", ca, c0)
		if (!(ct in val) || val[ct] == val[c0]) continue
		add(pr ".plugin_ratio", (val[cs] - val[c0]) / (val[ct] - val[c0]), "ratio", 0, 0, 1)
		mn[pr ".plugin_ratio"] = mx[pr ".plugin_ratio"] = val[pr ".plugin_ratio"]
		if (ca in val) {
			add(pr ".plugin_aa_ratio", 1 + (val[ca] - val[c0]) / (val[ct] - val[c0]), "ratio", 0, 0, 1)
			mn[pr ".plugin_aa_ratio"] = mx[pr ".plugin_aa_ratio"] = val[pr ".plugin_aa_ratio"]
		}
	}
	printf "%-34s %12s %-9s %-24s %-8s %-10s %s\n", "figure", "value", "unit", "spread [min..max] (n)", "target", "resolution", "status"
	printf "%s\n", "---------------------------------------------------------------------------------------------------------------"
	printf "[\n" > json
	nmet = 0; nmiss = 0; nun = 0
	for (i = 1; i <= cnt; i++) {
		n = order[i]; t = target(n)
		sp = num[n] > 1 ? sprintf("%.4g..%.4g (%d)", mn[n], mx[n], num[n]) : ""
		rs = resol(n)
		st = ""
		if (t != "") {
			if (rs < 0) st = met(n, t) ? "met" : "missed"
			else if (rs > tol(n, t)) st = "unresolved"
			else st = met(n, t) ? "met" : "missed"
		}
		if (st == "met") nmet++
		if (st == "missed") nmiss++
		if (st == "unresolved") nun++
		rstr = rs < 0 ? "" : sprintf("%.4f", rs)
		printf "%-34s %12.6g %-9s %-24s %-8s %-10s %s\n", n, val[n], unit[n], sp, t, rstr, st
		printf "  {\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", \"min\": %.6g, \"max\": %.6g, \"n\": %d, \"target\": %s, \"met\": %s, \"resolution\": %s, \"status\": %s}%s\n", \
			n, val[n], unit[n], mn[n], mx[n], num[n], t == "" ? "null" : "\"" t "\"", \
			t == "" ? "null" : (met(n, t) ? "true" : "false"), \
			rs < 0 ? "null" : rstr, st == "" ? "null" : "\"" st "\"", \
			i < cnt ? "," : "" > json
	}
	printf "]\n" > json
	printf "\ntargets: %d met, %d missed, %d unresolved (A/A band wider than the tolerance)\n", nmet, nmiss, nun
}' "$res"
