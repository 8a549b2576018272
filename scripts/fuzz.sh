#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/, docs/operations.md "Fuzzing") under libFuzzer with ASan and UBSan: installs clang-14 and
# its fuzzer runtime when missing, builds build-fuzz/ with clang, then fuzzes each target named (all by default) for
# FUZZ_SECONDS (60), FUZZ_JOBS (1) at a time, each from its working corpus build-fuzz/corpus/NAME (seeded from
# fuzz/NAME_fuzzer_seed_corpus and fuzz/corpus/NAME) with its dictionary and options. A crash is saved in
# build-fuzz/artifacts/NAME/. Prints per target the executions, the coverage (cov, ft), the corpus size and whether it
# crashed; exits 1 when one did.
#   scripts/fuzz.sh                 every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh csv tps
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
build=build-fuzz

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The targets: those named, or every fuzz/NAME_fuzzer.cc.
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in fuzz/*_fuzzer.cc; do
    name=${source#fuzz/}
    targets+=("${name%_fuzzer.cc}")
  done
fi
for name in "${targets[@]}"; do
  if [ ! -f "fuzz/${name}_fuzzer.cc" ]; then
    echo "fuzz: there is no target $name (no fuzz/${name}_fuzzer.cc)" >&2
    exit 2
  fi
done

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DTEPAT_FUZZ=ON \
    -DTEPAT_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "${JOBS:-2}" --target "${targets[@]/%/_fuzzer}"

# The [libfuzzer] options of fuzz/NAME_fuzzer.options as -key=value arguments.
options_of() {
  local file="fuzz/$1_fuzzer.options"
  [ -f "$file" ] || return 0
  awk '/^[#;]/ { next }
       /^\[/ { section = $0; next }
       section == "[libfuzzer]" && /=/ { key = $0; sub(/ *=.*/, "", key); value = $0; sub(/^[^=]*= */, "", value);
                                         printf "-%s=%s\n", key, value }' "$file"
}

# Fuzzes one target; its output goes to build-fuzz/logs/NAME.log.
run() {
  local name=$1
  local corpus="$build/corpus/$name" artifacts="$build/artifacts/$name" log="$build/logs/$name.log"
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  for seeds in "fuzz/${name}_fuzzer_seed_corpus" "fuzz/corpus/$name"; do
    [ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  done
  local args=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/")
  [ -f "fuzz/${name}_fuzzer.dict" ] && args+=(-dict="fuzz/${name}_fuzzer.dict")
  mapfile -t -O ${#args[@]} args < <(options_of "$name")
  echo "fuzz: $name for $seconds s (log in $log)"
  "$build/fuzz/${name}_fuzzer" "${args[@]}" "$corpus" > "$log" 2>&1 || true
}

running=0
for name in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run "$name" &
  running=$((running + 1))
done
wait

# The summary: the last stats line (cov, ft, corp), the final counts, and any unit written as a finding.
crashed=0
echo
printf '%-10s %12s %9s %7s %7s %16s  %s\n' target executions exec/s cov ft corpus result
for name in "${targets[@]}"; do
  log="$build/logs/$name.log"
  stats=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$stats")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$stats")
  corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<< "$stats")
  executions=$(sed -nE 's/^stat::number_of_executed_units:[[:space:]]*([0-9]+)/\1/p' "$log" | tail -1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec:[[:space:]]*([0-9]+)/\1/p' "$log" | tail -1)
  finding=$(sed -nE 's/.*Test unit written to (.*)/\1/p' "$log" | tail -1)
  if [ -n "$finding" ]; then
    result="FOUND: $finding"
    crashed=1
  elif ! grep -q '^Done [0-9]* runs' "$log"; then
    result="did not finish: see $log"
    crashed=1
  else
    result="no crash"
  fi
  printf '%-10s %12s %9s %7s %7s %16s  %s\n' "$name" "${executions:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}" "$result"
done
if [ "$crashed" -ne 0 ]; then
  echo
  echo "fuzz: replay a finding with $build/fuzz/NAME_fuzzer FILE; keep its reproducer in fuzz/corpus/NAME/" \
    "once fixed (docs/operations.md, Fuzzing)"
fi
exit "$crashed"
