# SPDX-License-Identifier: GPL-2.0
#
# What the Makefiles of the runtime library and of the hooks over it
# (../cni, ../oci-hook) share, included from their own directory after
# their first rule: compiler flags, how a program links the runtime
# library and libssns statically (a hook must not depend on where
# libssns.so is installed or on ldconfig having run) with the system's
# json-c and libnl, and how the Check unit test TEST (built from TEST_OBJ)
# runs under valgrind. (The check and valgrind rules stay in each
# Makefile: ../Makefile looks for them there.)

PKG_CONFIG ?= pkg-config
JSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c)
JSON_LIBS := $(shell $(PKG_CONFIG) --libs json-c)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

CC ?= gcc
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -D_GNU_SOURCE \
	-I../lib/include -I../common -I../runtime -I../../uapi $(JSON_CFLAGS)
ifeq ($(WERROR),y)
override CFLAGS += -Werror
endif

LIBRT := ../runtime/libssnsrt.a
LIBSSNS := ../lib/libssns.a
# what a program of the runtime library links after its own objects
RT_LIBS = $(LIBRT) $(LIBSSNS) $(JSON_LIBS) $(NL_LIBS)
RT_HEADERS := ../runtime/runtime.h ../common/quote.h ../lib/include/libssns.h

$(TEST_OBJ): override CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes

VALGRIND := CK_FORK=no valgrind -q --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all --error-exitcode=1
