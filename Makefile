# brock: see README.md. Every target installs the Debian packages it needs first (scripts/deps.sh):
# build and demo only the build deps, test also the test tools and the oracles' peers.
.PHONY: all configure-release deps deps-build deps-test deps-bench build test unit test-asan demo bench format format-check clean

JOBS ?= $(shell nproc)
# BROCK_WERROR=ON turns compiler warnings in brock's own code into errors (.ci/run sets it).
BROCK_WERROR ?= OFF
CONFIGURE_ARGS = -DBROCK_WERROR=$(BROCK_WERROR)
FORMAT_FILES = $(shell git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 2>/dev/null)

all: build

deps:
	@bash scripts/deps.sh build test bench

deps-build:
	@bash scripts/deps.sh build

deps-test:
	@bash scripts/deps.sh build test

deps-bench:
	@bash scripts/deps.sh build bench

# The release build in build/: brock, brock-emulator and (BROCK_TESTS, on by default) the tests.
configure-release:
	@cmake --preset release $(CONFIGURE_ARGS) >/dev/null

build: deps-build
	@$(MAKE) --no-print-directory configure-release
	@cmake --build --preset release -j $(JOBS)

test: deps-test
	@$(MAKE) --no-print-directory configure-release
	@cmake --build --preset release -j $(JOBS)
	@ctest --preset release -j $(JOBS)

# Unit tests only: builds the unit-test binaries (not brock, the e2e binary or the oracles' needs).
unit: deps-test
	@$(MAKE) --no-print-directory configure-release
	@cmake --build --preset release -j $(JOBS) --target brock_unit_tests
	@ctest --preset release -j $(JOBS) -L unit

test-asan: deps-test
	@cmake --preset asan $(CONFIGURE_ARGS) >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS) -L unit

demo: build
	@bash scripts/demo.sh

# Benchmarks build in build-bench/ (the bench preset), leaving build/ as it was.
bench: deps-bench
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@BUILD=build-bench bash bench/run.sh

# clang-format (.clang-format): format rewrites the files, format-check lists those that differ.
format:
	@bash scripts/deps.sh format
	@clang-format -i $(FORMAT_FILES)

format-check:
	@bash scripts/deps.sh format
	@bash scripts/format-check.sh

clean:
	rm -rf build build-asan build-bench
