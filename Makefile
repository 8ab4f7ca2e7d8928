# mutls — convenience targets around CMake. See README.md.
#   make demo     install deps, build, run `mutls demo`
#   make check    install deps, build, run every test stage (scripts/check.sh)
#   make fuzz     run each fuzzer for FUZZ_SECONDS (default 600)
#   make install  build and install under PREFIX (default /usr/local)

PREFIX       ?= /usr/local
BUILD_TYPE   ?= RelWithDebInfo
FUZZ_SECONDS ?= 600
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo check fuzz install clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build build -j$(JOBS)

demo: build
	./build/mutls demo

check: build
	scripts/check.sh

fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DMUTLS_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS)
	@set -e; found=0; \
	export ASAN_OPTIONS="detect_leaks=1$${ASAN_OPTIONS:+:$$ASAN_OPTIONS}"; \
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1$${UBSAN_OPTIONS:+:$$UBSAN_OPTIONS}"; \
	for f in build-fuzz/fuzz/fuzz_*; do \
	    [ -x "$$f" ] || continue; found=1; \
	    name=$$(basename "$$f"); name=$${name#fuzz_}; \
	    bash build-fuzz/run-fuzzer.sh "$$f" "$$name" $(FUZZ_SECONDS); \
	done; \
	[ $$found -eq 1 ] || { echo "no fuzzers (fuzz/fuzz_*.c)"; exit 1; }; \
	echo "new corpus entries: build-fuzz/fuzz-work/<name>/corpus (copy the useful ones into fuzz/corpus/<name>/)"

install: build
	cmake --install build
	@if [ "$$(id -u)" -eq 0 ] && [ -z "$${DESTDIR:-}" ] && command -v ldconfig >/dev/null; then ldconfig; fi

clean:
	rm -rf build build-asan build-fuzz

# ---- bench (appended; see docs/benchmarks.md) -----------------------------
#   make bench    Release build in build-bench/, then run mutls-bench
#                 against OpenSSL's libssl; BENCH_ARGS="--quick" for a short
#                 run, e.g. BENCH_ARGS="--seconds 5 --only hs"
BENCH_ARGS ?=
BENCH_DIR  ?= build-bench

.PHONY: bench
bench: deps
	cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
	cmake --build $(BENCH_DIR) -j$(JOBS) --target mutls-bench
	$(BENCH_DIR)/bench/mutls-bench $(BENCH_ARGS)
