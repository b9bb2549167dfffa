# kazami: one non-recursive Makefile (sbase style).
#   make                 build every tool into build/bin
#   make check           unit tests and Bats suite; ends "N passed, N failed"
#   make check SANITIZE=1  the same under ASan+UBSan (objects in build/san)
#   make fuzz            build libFuzzer harnesses; make fuzz-run FUZZ_TIME=30
#   make install PREFIX=/usr/local DESTDIR=
#   make deps            install missing Debian packages
#   make demo            generate a sample day and run the daily report

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra
CPPFLAGS_KZ = -D_GNU_SOURCE -Icommon
LDLIBS_KZ = -Wl,--as-needed -lcsv -ljansson -lz -lmaxminddb -lpsl -lm

ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else
BUILD   ?= build
SANFLAGS =
endif

ALL_CFLAGS = -std=gnu11 $(WARN) $(CPPFLAGS_KZ) $(SANFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

TOOLS   := $(notdir $(patsubst %/,%,$(wildcard cmd/*/)))
BINS    := $(TOOLS:%=$(BUILD)/bin/%)
LIB_SRC := $(wildcard common/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libkazami.a
UNIT_SRC := $(wildcard tests/unit/*.c)
UNITS   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
SCRIPT_C := $(wildcard scripts/*.c)
SCRIPT_BINS := $(SCRIPT_C:scripts/%.c=$(BUILD)/bin/%)
MAN1    := $(wildcard man/*.1)
MAN5    := $(wildcard man/*.5)
MAN7    := $(wildcard man/*.7)

.PHONY: all check unit bats deps install uninstall clean fuzz fuzz-run \
	lint-man demo bench
all: $(BINS) $(SCRIPT_BINS) $(UNITS)

$(BUILD)/%.o: %.c $(wildcard common/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# Each tool: every .c in cmd/NAME/ linked with the common library.
define tool_rule
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard cmd/$(1)/*.c)) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS_KZ) $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

$(BUILD)/bin/%: $(BUILD)/scripts/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_KZ) $(LDLIBS)

$(BUILD)/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_KZ) $(LDLIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The whole suite; the summary line is the last line printed.
check: all
	@KZ_BIN=$(abspath $(BUILD)/bin) KZ_UNIT=$(abspath $(BUILD)/unit) \
	    SANITIZE=$(SANITIZE) scripts/run-tests

unit: $(UNITS)
	@for u in $(UNITS); do $$u || exit 1; done

deps:
	@scripts/deps

install: $(BINS) $(SCRIPT_BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(SCRIPT_BINS) $(DESTDIR)$(BINDIR)
	install -m 755 scripts/daily-report $(DESTDIR)$(BINDIR)/kazami-daily-report
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7)

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
	    $(SCRIPT_BINS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%) \
	    $(DESTDIR)$(BINDIR)/kazami-daily-report
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	    $(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)

lint-man:
	@for m in man/*.[157]; do mandoc -Tlint -Wwarning $$m || exit 1; done

# libFuzzer harnesses: tests/fuzz/TOOL-PART.c links every file of cmd/TOOL
# except TOOL.c (which holds main) plus the common library, built by clang;
# tests/fuzz/common-PART.c links the common library alone.
FUZZ_SRC := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
	$(CPPFLAGS_KZ) $(WARN)
FUZZ_TIME ?= 10
fuzz: $(FUZZ_BINS)
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard cmd/*/*.c) $(wildcard common/*.h)
	@mkdir -p $(dir $@)
	t=$$(echo $* | sed 's/-.*//'); \
	if [ -d cmd/$$t ]; then objs=$$(ls cmd/$$t/*.c | grep -v "cmd/$$t/$$t.c"); \
	else objs=; fi; \
	$(FUZZ_CC) $(FUZZ_FLAGS) -Icmd/$$t -o $@ $< $$objs $(LIB_SRC) $(LDLIBS_KZ)
fuzz-run: fuzz
	@scripts/fuzz-run $(FUZZ_TIME) $(FUZZ_BINS)

demo:
	@scripts/demo

clean:
	rm -rf build
