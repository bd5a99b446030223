# tsr build. `make` builds build/tsr; `make test` builds and runs every test.
#
# CUDA: `auto` (default) builds the real backend when nvcc is found, `none`
# the CPU-only build, `emu` the emulated device used by the test builds
# (kernels/cuda/*.cu compiled by g++ and run on the host; see docs/cuda.md).
CC ?= cc
CXX ?= g++
NVCC ?= $(shell command -v nvcc 2>/dev/null || { test -x /usr/local/cuda/bin/nvcc && echo /usr/local/cuda/bin/nvcc; })
CUDA ?= auto
BUILD ?= build
OPT ?= -O2
# The layers, lowest first. Each folder compiles with the include paths of
# the layers it may use and no others, so an upward include does not compile
# (docs/architecture.md draws the graph; tests/check_includes checks it).
INC_base     = -Iruntime/base
INC_parser   = $(INC_base) -Iparser
INC_kcpu     = $(INC_base) -Ikernels/cpu
INC_kcuda    = $(INC_kcpu) -Ikernels/cuda
INC_tensor   = $(INC_kcuda) -Iruntime/tensor
INC_autograd = $(INC_tensor) -Iruntime/autograd
INC_ops      = $(INC_autograd) -Iruntime/ops
INC_backward = $(INC_ops) -Iruntime/backward
INC_lang     = $(INC_backward) -Iparser -Iruntime/lang
INC_builtins = $(INC_lang) -Iruntime/builtins
INC_repl     = $(INC_base) -Iruntime/lang -Iruntime/builtins -Irepl
INC_tests    = $(INC_builtins)
INCLUDES = $(INC_base)
# -ffp-contract=off: ISO C's default, spelled out: `a * b + c` rounds twice
# unless written as fma() (the optimizers' and GEMMs' exact roundings,
# kernels/cpu/optim.c, kernels/cpu/conv.c, depend on it)
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
              -Wno-missing-field-initializers -Werror=implicit-function-declaration \
              -ffp-contract=off $(INCLUDES) -MMD -MP
CFLAGS ?= $(OPT) -g -march=x86-64-v2
# -llapack: reference LAPACK (liblapack-dev), the torch.linalg decompositions
# (kernels/cpu/lapack.c); its BLAS calls resolve to BLIS as in Debian's PyTorch
LDLIBS = -llapack -lblis -lsleef -lreadline -lm -lpthread

ifeq ($(CUDA),auto)
  CUDA_MODE := $(if $(NVCC),real,none)
else
  CUDA_MODE := $(CUDA)
endif
CUDA_HOME ?= $(patsubst %/bin/nvcc,%,$(NVCC))
CU_SRC = $(wildcard kernels/cuda/*.cu)
ifneq ($(CUDA_MODE),none)
  CFLAGS_BASE += -DTSR_WITH_CUDA
endif
ifeq ($(CUDA_MODE),real)
  CUDA_OBJ = $(CU_SRC:%.cu=$(BUILD)/obj/%.o)
  CUDA_LIBS = -L$(CUDA_HOME)/lib64 -lcudart_static -ldl -lrt -lstdc++
  NVCCFLAGS = -O3 -std=c++17 $(INCLUDES) -Xcompiler -Wall,-Wno-unused-parameter \
              -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90
else ifeq ($(CUDA_MODE),emu)
  CUDA_OBJ = $(filter-out $(BUILD)/obj/kernels/cuda/runtime.o,$(CU_SRC:%.cu=$(BUILD)/obj/%.o)) \
             $(BUILD)/obj/kernels/cuda/emu/runtime_emu.o
  CUDA_LIBS = -lstdc++
else
  # no backend: tsr_cuda is NULL (runtime/tensor/device.c), nothing links
  CUDA_OBJ =
  CUDA_LIBS =
endif
CXXFLAGS_EMU = -std=c++17 -DTSR_CUDA_EMULATE -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
               -Wno-missing-field-initializers $(INCLUDES) -MMD -MP

LIB_SRC = $(wildcard parser/*.c runtime/*/*.c kernels/cpu/*.c)
REPL_SRC = $(wildcard repl/*.c)
# The module sources written in Python (the standard modules, torch's
# classes), embedded as C strings in a generated source
# (scripts/embed_stdlib; runtime/builtins/stdlib_py.h)
STDLIB_PY = $(sort $(wildcard runtime/builtins/stdlib/*.py runtime/builtins/torch/*.py runtime/builtins/numpy/*.py))
STDLIB_GEN = $(BUILD)/gen/stdlib_py.c
STDLIB_OBJ = $(BUILD)/obj/gen/stdlib_py.o
# numpy's vendored SVML (Intel's AVX-512 assembly, kernels/cpu/svml/), for
# numpy's float math loops (kernels/cpu/np_math.h); x86-64 only
ARCH := $(shell $(CC) -dumpmachine 2>/dev/null)
SVML_SRC = $(if $(findstring x86_64,$(ARCH)),$(wildcard kernels/cpu/svml/*.s))
SVML_OBJ = $(SVML_SRC:%.s=$(BUILD)/obj/%.o)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(SVML_OBJ) $(STDLIB_OBJ) $(CUDA_OBJ)
REPL_OBJ = $(REPL_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LDLIBS += $(CUDA_LIBS)


# per-folder include paths (pattern-specific: each object gets its layer's)
$(BUILD)/obj/parser/%.o: INCLUDES = $(INC_parser)
$(BUILD)/obj/kernels/cpu/%.o: INCLUDES = $(INC_kcpu)
# the CPU kernels' loops vectorize at -O3 (without -ffast-math, so no
# floating-point result changes: the same operations, several at a time)
$(BUILD)/obj/kernels/cpu/%.o: OPT = -O3
# ATen's vectorised float math, one object per instruction set
# (kernels/cpu/vec_math.h); only called on a CPU that has it
$(BUILD)/obj/kernels/cpu/vec_math_avx2.o: CFLAGS_BASE += -mavx2 -mfma
$(BUILD)/obj/kernels/cpu/vec_math_avx512.o: CFLAGS_BASE += -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma
# numpy's AVX512_SKX loops (SVML's callers)
$(BUILD)/obj/kernels/cpu/np_math_avx512.o: CFLAGS_BASE += -mavx512f -mavx512cd -mavx512vl -mavx512bw -mavx512dq -mfma -mf16c
# BLIS's reference gemm arithmetic on AVX-512 (-ffp-contract=off still holds)
$(BUILD)/obj/kernels/cpu/gemm_ref_avx512.o: CFLAGS_BASE += -mavx512f
# ATen's activation kernels as its AVX2 build compiles them: GCC fuses
# `a * b + c` there (kernels/cpu/vec_act.h), so this file lets it fuse too
$(BUILD)/obj/kernels/cpu/vec_act_avx2.o: CFLAGS_BASE += -mavx2 -mfma -ffp-contract=fast
$(BUILD)/obj/kernels/cpu/vec_act_avx512.o: CFLAGS_BASE += -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma \
                                             -ffp-contract=fast
# GCC forms fused multiply-adds only from -O2 on: the same -O3 in every
# build (an ASan build's -O1 would round twice and change the bits)
$(BUILD)/obj/kernels/cpu/vec_act_avx2.o: CFLAGS_FORCE = -O3
$(BUILD)/obj/kernels/cpu/vec_act_avx512.o: CFLAGS_FORCE = -O3
# oneDNN's JIT gelu: fused only where its code says so
$(BUILD)/obj/kernels/cpu/vec_act_onednn_avx2.o: CFLAGS_BASE += -mavx2 -mfma
$(BUILD)/obj/kernels/cuda/%.o: INCLUDES = $(INC_kcuda)
$(BUILD)/obj/runtime/base/%.o: INCLUDES = $(INC_base)
$(BUILD)/obj/runtime/tensor/%.o: INCLUDES = $(INC_tensor)
$(BUILD)/obj/runtime/autograd/%.o: INCLUDES = $(INC_autograd)
$(BUILD)/obj/runtime/ops/%.o: INCLUDES = $(INC_ops)
$(BUILD)/obj/runtime/backward/%.o: INCLUDES = $(INC_backward)
$(BUILD)/obj/runtime/lang/%.o: INCLUDES = $(INC_lang)
$(BUILD)/obj/runtime/builtins/%.o: INCLUDES = $(INC_builtins)
$(BUILD)/obj/repl/%.o: INCLUDES = $(INC_repl)

.PHONY: python-export-test alloc-sweep check-saved-with-torch torch-signatures fuzz fuzz-corpus fuzz-run fuzz-smoke process-tests all test check check-includes unit golden asan clean bench cuda-tests golden-cuda cpu-only api-coverage
all: $(BUILD)/tsr

$(BUILD)/tsr: $(LIB_OBJ) $(REPL_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) $(CFLAGS_FORCE) -c $< -o $@

$(BUILD)/obj/%.o: %.s
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

# the list of files itself: a file added with an old mtime (a merge)
# still regenerates the C source
STDLIB_LIST = $(BUILD)/gen/stdlib_py.list
$(STDLIB_LIST): FORCE
	@mkdir -p $(dir $@)
	@echo '$(STDLIB_PY)' | cmp -s - $@ || echo '$(STDLIB_PY)' > $@
.PHONY: FORCE
FORCE:

$(STDLIB_GEN): $(STDLIB_PY) $(STDLIB_LIST) scripts/embed_stdlib
	@mkdir -p $(dir $@)
	scripts/embed_stdlib $(STDLIB_PY) > $@.tmp && mv $@.tmp $@

$(STDLIB_OBJ): INCLUDES = $(INC_builtins)
$(STDLIB_OBJ): $(STDLIB_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c $< -o $@

ifeq ($(CUDA_MODE),real)
$(BUILD)/obj/%.o: %.cu
	@mkdir -p $(dir $@)
	$(NVCC) $(NVCCFLAGS) -MMD -MP -c $< -o $@
else
# emulation: the same kernel sources as C++ on the host (CFLAGS carries the
# sanitizer flags of the test builds)
$(BUILD)/obj/%.o: %.cu
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_EMU) $(filter-out -std=c11 -march=x86-64-v2,$(CFLAGS)) -x c++ -c $< -o $@
endif
$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_EMU) $(filter-out -std=c11 -march=x86-64-v2,$(CFLAGS)) -c $< -o $@

$(BUILD)/libtsr.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtsr.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(INC_tests) $(CFLAGS) -o $@ $< $(BUILD)/libtsr.a -lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# seconds a golden case may take: more under the sanitizers, whose
# slowest cases (deep nesting, the str tables) near 20 s on a loaded machine
GOLDEN_TIMEOUT ?= 20
golden: $(BUILD)/tsr
	tests/run_golden $(BUILD)/tsr tests/golden --timeout $(GOLDEN_TIMEOUT)

# The CUDA suite (tests/cuda/): differential CPU-vs-GPU cases. It runs when
# the binary has a usable device (a GPU, or the emulated one) and says that
# it skipped otherwise.
cuda-tests: $(BUILD)/tsr
	tests/run_cuda $(BUILD)/tsr

# The golden suite on the GPU: every tests/golden case with creation ops
# defaulting to CUDA (TSR_DEFAULT_DEVICE=cuda), compared with its CPU .out
# after normalising the device; a skip list in the script gives the cases
# that legitimately differ. Says it skipped when there is no device.
golden-cuda: $(BUILD)/tsr
	tests/run_golden_on_cuda $(BUILD)/tsr

# The sanitizer build: the same tests under ASan + UBSan, in build-asan/,
# on the emulated CUDA device (so every CUDA kernel runs under them too).
# It runs the golden suite twice: on the CPU and on the emulated GPU.
asan:
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan CUDA=emu OPT=-O1 GOLDEN_TIMEOUT=60 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  unit golden cuda-tests golden-cuda

# The CPU-only build (no nvcc): the golden suite and the no-GPU errors.
cpu-only:
	$(MAKE) BUILD=build-cpu CUDA=none all golden
	tests/run_golden build-cpu/tsr tests/no-cuda

# tsr as a process: failed writes to stdout, a closed pipe, Ctrl-C inside
# long operations (tests/process_test.py says what it checks).
process-tests: $(BUILD)/tsr
	tests/process_test.py $(BUILD)/tsr

# `tsr --python FILE.tsr` of a few golden cases, run by the oracle's Python
# (with torch; skipped without it), prints what the case's .out holds.
python-export-test: $(BUILD)/tsr
	tests/python_export_test.sh $(BUILD)/tsr

# Files tsr's torch.save writes (tests/golden/serialization/save_*.tsr),
# loaded in real PyTorch and compared with PyTorch's own; skipped (with a
# line saying so) where that Python has no torch.
TORCH_PYTHON ?= /usr/bin/python3
# runtime/builtins/torch_signatures.h against PyTorch's parser (needs torch)
torch-signatures: $(BUILD)/tsr
	@if [ -x $(TORCH_PYTHON) ]; then scripts/gen_torch_signatures --check $(BUILD)/tsr; \
	else echo "gen_torch_signatures --check: skipped (no $(TORCH_PYTHON))"; fi

check-saved-with-torch: $(BUILD)/tsr
	@if [ -x $(TORCH_PYTHON) ]; then $(TORCH_PYTHON) scripts/check_saved_with_torch $(BUILD)/tsr; \
	else echo "check_saved_with_torch: skipped (no $(TORCH_PYTHON))"; fi

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang in
# build-fuzz/ (CPU only, ASan + UBSan): the parser alone, whole programs in
# script mode and in console (REPL) mode, torch.load's reader (FUZZ=load,
# seeded with the checkpoints of tests/golden/serialization/). `make fuzz-run FUZZ=script
# FUZZ_SECONDS=3600` runs one over a corpus seeded from the golden cases
# (build-fuzz/corpus-NAME) with tests/fuzz/tsr.dict; `fuzz-smoke` (part of
# `make test` when clang is installed) runs each for a few thousand inputs
# grown from the lang/ golden programs.
# A crash leaves crash-* in build-fuzz/; minimise it into a golden case.
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
FUZZ_LINK = -fsanitize=fuzzer,address,undefined
FUZZ_NAMES = parser script repl load
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 2000
FUZZ_ENV = ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=1024:detect_leaks=1 \
           UBSAN_OPTIONS=print_stacktrace=1
FUZZ_FLAGS = -dict=$(CURDIR)/tests/fuzz/tsr.dict -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
             -close_fd_mask=3 -max_len=4096 -artifact_prefix=$(CURDIR)/build-fuzz/

fuzz:
	$(MAKE) BUILD=build-fuzz CUDA=none CC=clang CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/libtsr.a
	clang $(CFLAGS_BASE) $(INC_tests) $(FUZZ_CFLAGS) -o build-fuzz/fuzz_parser tests/fuzz/fuzz_parser.c \
	  build-fuzz/libtsr.a $(FUZZ_LINK) $(LDLIBS)
	clang $(CFLAGS_BASE) $(INC_tests) $(FUZZ_CFLAGS) -o build-fuzz/fuzz_script tests/fuzz/fuzz_program.c \
	  build-fuzz/libtsr.a $(FUZZ_LINK) $(LDLIBS)
	clang $(CFLAGS_BASE) $(INC_tests) $(FUZZ_CFLAGS) -DFUZZ_REPL -o build-fuzz/fuzz_repl tests/fuzz/fuzz_program.c \
	  build-fuzz/libtsr.a $(FUZZ_LINK) $(LDLIBS)
	clang $(CFLAGS_BASE) $(INC_tests) $(FUZZ_CFLAGS) -o build-fuzz/fuzz_load tests/fuzz/fuzz_load.c \
	  build-fuzz/libtsr.a $(FUZZ_LINK) $(LDLIBS)

# the seed corpus: every golden program (the REPL harness takes .repl too)
fuzz-corpus:
	@for n in $(FUZZ_NAMES); do mkdir -p build-fuzz/corpus-$$n; done
	@for f in $$(find tests/golden -name '*.tsr' -o -name '*.repl'); do \
	  name=$$(echo $${f#tests/golden/} | tr / _); \
	  case $$f in *.tsr) cp $$f build-fuzz/corpus-parser/$$name; cp $$f build-fuzz/corpus-script/$$name;; esac; \
	  cp $$f build-fuzz/corpus-repl/$$name; done
	@cp tests/golden/serialization/*.pt build-fuzz/corpus-load/

fuzz-run: fuzz fuzz-corpus
	cd build-fuzz && $(FUZZ_ENV) ./fuzz_$(FUZZ) $(FUZZ_FLAGS) \
	  -max_total_time=$(FUZZ_SECONDS) $(CURDIR)/build-fuzz/corpus-$(FUZZ)

fuzz-smoke:
	@if command -v clang >/dev/null; then \
	  $(MAKE) fuzz && for n in $(FUZZ_NAMES); do \
	    rm -rf build-fuzz/smoke-$$n && mkdir -p build-fuzz/smoke-$$n && { if [ $$n = load ]; then cp tests/golden/serialization/*.pt build-fuzz/smoke-$$n/; \
	      else cp tests/golden/lang/*.tsr build-fuzz/smoke-$$n/; fi; } && \
	    (cd build-fuzz && $(FUZZ_ENV) ./fuzz_$$n $(FUZZ_FLAGS) -runs=$(FUZZ_RUNS) \
	      $(CURDIR)/build-fuzz/smoke-$$n) > build-fuzz/smoke-$$n.log 2>&1 || { tail -40 build-fuzz/smoke-$$n.log; exit 1; }; \
	    echo "fuzz_$$n: $$(grep -c . build-fuzz/smoke-$$n.log) log lines, no finding"; done; \
	else echo "fuzz-smoke: skipped (no clang)"; fi

# The allocation-failure sweep (tests/alloc_fail_sweep.py): golden programs
# run under the sanitizer build with their Nth allocation failing, for
# ALLOC_SWEEP_RUNS values of N each (0: every N, hours); each must end as
# a Python error, leak nothing, and leave the console alive.
ALLOC_SWEEP_RUNS ?= 40
alloc-sweep:
	$(MAKE) BUILD=build-asan CUDA=emu OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build-asan/tsr
	tests/alloc_fail_sweep.py build-asan/tsr --runs $(ALLOC_SWEEP_RUNS)

# The layer graph of docs/architecture.md, checked edge by edge: includes
# in the sources, and symbols across the objects of this build.
check-includes: $(BUILD)/tsr
	tests/check_includes --objects $(BUILD)

# docs/api-coverage.md against tsr: the names committed there asked again
# (no torch needed); `scripts/api_coverage` regenerates it from PyTorch.
api-coverage: $(BUILD)/tsr
	scripts/api_coverage --check $(BUILD)/tsr

# The quick loop while working: build, the layer check, unit and golden
# tests in build/ only (no sanitizer build, no CPU-only build).
check: all check-includes unit golden process-tests api-coverage python-export-test torch-signatures

test: all check-includes unit golden process-tests api-coverage python-export-test torch-signatures cuda-tests asan cpu-only fuzz-smoke alloc-sweep check-saved-with-torch

bench: $(BUILD)/tsr
	scripts/bench

clean:
	rm -rf build build-asan build-cpu build-emu build-fuzz

-include $(LIB_OBJ:.o=.d) $(REPL_OBJ:.o=.d)
