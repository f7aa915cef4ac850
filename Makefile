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

# HPE's cxi driver: kmod/cxi/ssns_cxi.ko is built when both trees are given
# (docs/hpe-cxi.md, "Building"): HPE_CXI_DIR has include/linux/hpe/cxi/cxi.h,
# HPE_CASSINI_DIR include/ with the cassini headers, HPE_CXI_SYMVERS is
# cxi-ss1's Module.symvers (default: where a build of the tree leaves it).
HPE_CXI_DIR ?=
HPE_CASSINI_DIR ?=
HPE_CXI_SYMVERS ?= $(HPE_CXI_DIR)/drivers/net/ethernet/hpe/ss1/Module.symvers

PREFIX ?= /usr/local
export PREFIX VERSION

.PHONY: all modules tools progs clean setup check check-unit selftest demo \
	dkms-test install sparse checkpatch clean-modules check-debug bench \
	bench-base test-modules

all: modules tools progs test-modules

modules:
	@kd=$(kdir) && $(MAKE) $(KARGS) modules
	@if [ -z "$(HPE_CXI_DIR)" ] || [ -z "$(HPE_CASSINI_DIR)" ]; then \
		echo "ssns: kmod/cxi/ssns_cxi.ko skipped (no HPE_CXI_DIR= and HPE_CASSINI_DIR=: see docs/hpe-cxi.md)"; \
	elif [ ! -r "$(HPE_CXI_DIR)/include/linux/hpe/cxi/cxi.h" ] || \
	     [ ! -r "$(HPE_CASSINI_DIR)/include/cxi_prov_hw.h" ] || \
	     [ ! -r "$(HPE_CXI_SYMVERS)" ]; then \
		echo "ssns: HPE_CXI_DIR=$(HPE_CXI_DIR) (include/linux/hpe/cxi/cxi.h), HPE_CASSINI_DIR=$(HPE_CASSINI_DIR) (include/cxi_prov_hw.h), HPE_CXI_SYMVERS=$(HPE_CXI_SYMVERS): not all there" >&2; \
		exit 1; \
	else \
		kd=$(kdir) && $(MAKE) -C "$$kd" M=$(CURDIR)/kmod/cxi W=1 \
			SSNS_WERROR=$(SSNS_WERROR) HPE_CXI_DIR=$(HPE_CXI_DIR) \
			HPE_CASSINI_DIR=$(HPE_CASSINI_DIR) \
			KBUILD_EXTRA_SYMBOLS="$(CURDIR)/Module.symvers $(HPE_CXI_SYMVERS)" \
			modules; \
	fi

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
# bench-base: the modules of SSNS_BENCH_BASE_REF (main), which
# tools/perf/ssns-bench-bw.sh measures the unshaped data path against.
SSNS_BENCH_BASE_REF ?= main
bench-base:
	rm -rf build/bench-base && mkdir -p build/bench-base
	git archive $(SSNS_BENCH_BASE_REF) Kbuild kmod uapi | tar -x -C build/bench-base
	@kd=$(kdir) && $(MAKE) -C "$$kd" M=$(CURDIR)/build/bench-base modules

bench: setup
	$(MAKE) all
	$(MAKE) bench-base
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
		$(MAKE) -C "$$kd" M=$(CURDIR)/kmod/cxi clean && \
		$(MAKE) -C "$$kd" M=$(CURDIR)/selftests/kmod clean

clean: clean-modules
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/progs clean
	@kd=$(kdir) && $(MAKE) -C selftests/hpe-standin KDIR="$$kd" clean
	rm -rf build
