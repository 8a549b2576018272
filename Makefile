# Build, demo, test and benchmark targets. On a fresh machine use ./dev TARGET, which installs what is missing first.
BUILD ?= build
JOBS ?= 2

.PHONY: all setup build demo test bench bench-http clean

all: build

setup:
	scripts/setup.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

# Leaves the command-line tool at build/tepat.
build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The national demo: real regions, synthetic national TPS and dapil, needs by province.
demo: build
	scripts/demo.sh

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The figures of BENCHMARKS.md.
bench: build
	scripts/bench.sh

# The HTTP figures of BENCHMARKS.md, against a copy of the demo database (make demo first).
bench-http: build
	scripts/bench-http.sh

clean:
	rm -rf $(BUILD) out
