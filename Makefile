# SPDX-License-Identifier: GPL-2.0
#
# ssns top-level build.
#
#   make               modules and tools (KDIR=... to pick a kernel)
#   make check         install deps, build with -Werror, run every test
#   make check-debug   the selftests again under a KASAN/lockdep/kmemleak kernel
#   make demo          boot a VM and show ssns at work
#   make bench         boot a VM, run the benchmarks, write bench-results.json
#   make install       install tools; modules go through DKMS (see README)

VERSION := 0.1.0

# The kernel to build against: KDIR when given, else what scripts/kdir
# finds (running kernel's headers, else the newest installed). Resolved in
# the recipes that need it, so that `make check` can install headers first.
KDIR ?=
kdir = $$(KDIR="$(KDIR)" $(CURDIR)/scripts/kdir)

# W=1 clean; -Werror when SSNS_WERROR=y (make check sets it).
# $(MAKE) must appear in the recipes themselves, not through a variable:
# only then does make hand its jobserver to kbuild (DKMS runs make -jN).
SSNS_WERROR ?=
KARGS = -C "$$kd" M=$(CURDIR) W=1 SSNS_WERROR=$(SSNS_WERROR)

PREFIX ?= /usr/local
export PREFIX VERSION

.PHONY: all modules tools progs clean setup check check-unit selftest demo \
	dkms-test install sparse checkpatch clean-modules check-debug bench \
	test-modules

all: modules tools progs test-modules

modules:
	@kd=$(kdir) && $(MAKE) $(KARGS) modules

# Kernel modules of the selftests only (selftests/kmod), never installed.
test-modules: modules
	@kd=$(kdir) && $(MAKE) -C "$$kd" M=$(CURDIR)/selftests/kmod W=1 \
		SSNS_WERROR=$(SSNS_WERROR) \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

tools:
	$(MAKE) -C tools WERROR=$(SSNS_WERROR)

# Helper programs of the selftests; they link libssns.a.
progs: tools
	$(MAKE) -C selftests/progs

setup:
	scripts/setup

check:
	scripts/check

check-debug:
	scripts/check-debug

check-unit: tools
	$(MAKE) -C tools check

selftest: all
	selftests/vm/run -- $(TESTS)

demo: setup
	$(MAKE) all
	selftests/vm/run --demo

# The benchmarks (tools/perf/ssns-bench.sh); SSNS_BENCH_* tune them.
bench: setup
	$(MAKE) all
	selftests/vm/run --bench --mem 3072 --timeout $${SSNS_BENCH_TIMEOUT:-3600}

dkms-test: setup
	scripts/dkms-test

sparse:
	@kd=$(kdir) && $(MAKE) $(KARGS) C=2 modules && \
		$(MAKE) -C "$$kd" M=$(CURDIR)/selftests/kmod C=2 \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

checkpatch:
	scripts/checkpatch

install: tools
	$(MAKE) -C tools install

clean-modules:
	@kd=$(kdir) && $(MAKE) $(KARGS) clean && \
		$(MAKE) -C "$$kd" M=$(CURDIR)/selftests/kmod clean

clean: clean-modules
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/progs clean
	@kd=$(kdir) && $(MAKE) -C selftests/hpe-standin KDIR="$$kd" clean
	rm -rf build
