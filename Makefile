# brock: see README.md. Every target installs what it needs first (scripts/deps.sh).
.PHONY: all deps build test test-asan demo bench clean

JOBS ?= $(shell nproc)

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

test: build
	@ctest --preset release -j $(JOBS)

test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS) -L unit

demo: build
	@bash scripts/demo.sh

bench: build
	@cmake -S . -B build -DBROCK_BENCH=ON >/dev/null
	@cmake --build build -j $(JOBS) --target brock_bench
	@bash bench/run.sh

clean:
	rm -rf build build-asan
