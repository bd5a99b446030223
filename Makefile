# tsr build. `make` builds build/tsr; `make test` builds and runs every test.
CC ?= cc
NVCC ?= $(shell command -v nvcc 2>/dev/null || { test -x /usr/local/cuda/bin/nvcc && echo /usr/local/cuda/bin/nvcc; })
BUILD ?= build
OPT ?= -O2
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
              -Wno-missing-field-initializers -Iparser -Iruntime -Ikernels/cpu -Ikernels/cuda -MMD -MP
CFLAGS ?= $(OPT) -g -march=x86-64-v2
LDLIBS = -lblis -lreadline -lm -lpthread

LIB_SRC = $(wildcard parser/*.c runtime/*.c kernels/cpu/*.c)
REPL_SRC = $(wildcard repl/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
REPL_OBJ = $(REPL_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit golden asan clean bench
all: $(BUILD)/tsr

$(BUILD)/tsr: $(LIB_OBJ) $(REPL_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c $< -o $@

$(BUILD)/libtsr.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtsr.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $< $(BUILD)/libtsr.a -lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

golden: $(BUILD)/tsr
	tests/run_golden $(BUILD)/tsr tests/golden

# The sanitizer build: the same tests under ASan + UBSan, in build-asan/.
asan:
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  unit golden

test: all unit golden asan

bench: $(BUILD)/tsr
	scripts/bench

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(REPL_OBJ:.o=.d)
