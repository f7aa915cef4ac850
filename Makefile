# SPDX-License-Identifier: GPL-2.0
#
# ssns top-level build.
#
#   make               modules and tools (KDIR=... to pick a kernel)
#   make check         install deps, build with -Werror, run every test
#   make demo          boot a VM and show ssns at work
#   make install       install tools; modules go through DKMS (see README)

VERSION := 0.1.0

ifeq ($(origin KDIR),undefined)
KDIR := $(shell scripts/kdir)
endif
ifeq ($(KDIR),)
$(error no kernel headers: run scripts/setup or pass KDIR=)
endif
KVER := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# W=1 clean; -Werror when SSNS_WERROR=y (make check sets it).
SSNS_WERROR ?=
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) W=1 SSNS_WERROR=$(SSNS_WERROR)

PREFIX ?= /usr/local
export PREFIX VERSION

.PHONY: all modules tools clean setup check check-unit selftest demo \
	dkms-test install sparse checkpatch clean-modules

all: modules tools

modules:
	@echo "ssns: building modules for $(KVER) against $(KDIR)"
	$(KMAKE) modules

tools:
	$(MAKE) -C tools WERROR=$(SSNS_WERROR)

setup:
	scripts/setup

check:
	scripts/check

check-unit: tools
	$(MAKE) -C tools check

selftest: all
	selftests/vm/run --kver $(KVER) -- $(TESTS)

demo: setup
	$(MAKE) all
	selftests/vm/run --kver $(KVER) --demo

dkms-test: setup
	scripts/dkms-test $(KVER)

sparse:
	$(KMAKE) C=2 modules

checkpatch:
	scripts/checkpatch

install: tools
	$(MAKE) -C tools install

clean-modules:
	$(KMAKE) clean

clean: clean-modules
	$(MAKE) -C tools clean
	rm -rf build
