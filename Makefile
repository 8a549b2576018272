# Build, demo, test and benchmark targets. On a fresh machine use ./dev TARGET, which installs what is missing first.
BUILD ?= build
JOBS ?= 2

.PHONY: all setup build demo test test-sanitize bench bench-http bench-web fuzz clean

all: build

setup:
	scripts/setup.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

# Leaves the command-line tool at build/tepat and the web application at web/dist (which tepat serve serves).
build: $(BUILD)/build.ninja web/dist/index.html
	cmake --build $(BUILD) -j $(JOBS)

WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js web/package-lock.json
web/dist/index.html: $(WEB_SOURCES)
	cd web && npm run build --silent

# The national demo: real regions, synthetic national TPS and dapil, needs by province.
demo: build
	scripts/demo.sh

# Every test, on SQLite files and on a throwaway PostgreSQL cluster on loopback (scripts/pg.sh), which it leaves
# running for the next run; `scripts/pg.sh stop` stops it.
test: build
	url=$$(scripts/pg.sh start) && cd $(BUILD) && TEPAT_TEST_POSTGRES=$$url TEPAT_REQUIRE_POSTGRES=1 \
	  ctest --output-on-failure -j $(JOBS)

# The C++ tests built with AddressSanitizer and UndefinedBehaviorSanitizer and without jemalloc, in build-sanitize/;
# any report fails its test. Not the browser tests (JavaScript), nor the crash tests, whose hundreds of killed imports
# take past their time limit at the sanitizers' speed (the same imports run under the sanitizers in LedgerCliTest).
SANITIZE_BUILD ?= build-sanitize
test-sanitize: web/dist/index.html
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTEPAT_SANITIZE=ON -DTEPAT_BENCH=OFF
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	url=$$(scripts/pg.sh start) && cd $(SANITIZE_BUILD) && TEPAT_TEST_POSTGRES=$$url TEPAT_REQUIRE_POSTGRES=1 \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -E '^(web_browser|crash_short|crash_short_postgres)$$'

# The figures of BENCHMARKS.md.
bench: build
	scripts/bench.sh

# The HTTP figures of BENCHMARKS.md, against a copy of the demo database (make demo first).
bench-http: build
	scripts/bench-http.sh

# The web application's figures of BENCHMARKS.md, against the demo database (make demo first).
bench-web: build
	scripts/bench-web.sh

# The fuzz targets under libFuzzer, ASan and UBSan, FUZZ_SECONDS (60) each, in build-fuzz/ (docs/operations.md,
# Fuzzing): every target, or those of FUZZ_TARGETS ("csv tps").
fuzz:
	JOBS=$(JOBS) scripts/fuzz.sh $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD) out
