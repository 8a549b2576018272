#!/usr/bin/env bash
# A small world for the web application's tests and for working on it: the real Kemendagri regions, the synthetic
# TPS of two regencies (Kota Surabaya 35.78 and Kabupaten Jember 35.09, about 9,000 TPS), the national dapil, the
# distribution played to H-2 (so that TPS are still waiting and problems show), a saved live projection of the
# distribution plan (tepat simulate) and one account per role. Takes a few
# seconds.
#   scripts/web-world.sh DIR   writes DIR/world.db and prints nothing else on success
#   TEPAT_WORLD_PASSWORD       the accounts' password (default web-test-password-1)
# Accounts: admin (admin), kpu-surabaya (kpu of 35.78), bawaslu-jatim (bawaslu of 35), bawaslu-jember (bawaslu of
# 35.09). Serve it with: build/tepat --db DIR/world.db serve --static-dir web/dist
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=$PWD/build/tepat
dir=${1:?usage: scripts/web-world.sh DIR}
password=${TEPAT_WORLD_PASSWORD:-web-test-password-1}
mkdir -p "$dir"
db=$dir/world.db
rm -f "$db" "$db-wal" "$db-shm"
run() { "$tepat" --db "$db" "$@" > "$dir/world.log" 2>&1 || { cat "$dir/world.log" >&2; exit 1; }; }
run init
run import regions data/node_modules/idn-area-data/data
"$tepat" --db "$db" generate tps --election pemilu-2024 --out "$dir/all-tps.csv" > /dev/null
awk -F, 'NR == 1 || $1 ~ /^35\.(78|09)\./' "$dir/all-tps.csv" > "$dir/tps.csv"
rm "$dir/all-tps.csv"
run import tps --election pemilu-2024 "$dir/tps.csv"
run generate dapil --election pemilu-2024 --out "$dir/dapil.csv"
run import dapil --election pemilu-2024 "$dir/dapil.csv"
run scenario play --election pemilu-2024 --seed 7 --until H-2 --truth "$dir/truth.csv"
# The distribution plan and a live projection from the ledger at H-2, saved for the projection pages.
run plan generate --election pemilu-2024
run simulate --election pemilu-2024 --scenarios 500 --live --save
for account in "admin admin" "kpu-surabaya kpu 35.78" "bawaslu-jatim bawaslu 35" "bawaslu-jember bawaslu 35.09"; do
  set -- $account
  printf '%s\n' "$password" | "$tepat" --db "$db" user add "$1" --role "$2" ${3:+--scope "$3"} --password-stdin \
    > /dev/null
done
