#!/usr/bin/env bash
# The national demo on SQLite: imports the real Kemendagri regions, generates and imports synthetic national TPS and
# dapil for Pemilu 2024, and prints the needs by province. Run again at will: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=build/tepat
db=${TEPAT_DEMO_DB:-out/demo.db}
regions=data/node_modules/idn-area-data/data
election=${TEPAT_DEMO_ELECTION:-pemilu-2024}
mkdir -p "$(dirname "$db")" out

$tepat --db "$db" init
$tepat --db "$db" import regions "$regions"
$tepat --db "$db" generate tps --election "$election" --seed 1 --out "out/$election-tps.csv"
$tepat --db "$db" import tps --election "$election" "out/$election-tps.csv"
if $tepat election show "$election" | grep -q "dapil (within"; then
  $tepat --db "$db" generate dapil --election "$election" --seed 1 --out "out/$election-dapil.csv"
  $tepat --db "$db" import dapil --election "$election" "out/$election-dapil.csv"
fi
echo
$tepat --db "$db" needs --election "$election" --level province
$tepat --db "$db" needs --election "$election" --level district --format csv --out "out/$election-needs.csv"

# The distribution, played through the ledger: every BTTB, sortir-lipat, kit, BAST and receipt down to each TPS,
# with anomalies near the 2024 figures; readiness is then derived from the ledger alone and checked against the truth.
$tepat --db "$db" scenario play --election "$election" --seed 1 --truth "out/$election-truth.csv"
echo
$tepat --db "$db" readiness --election "$election" --level province
echo
echo "The TPS, dapil and the distribution are synthetic (docs/formats.md, docs/ledger.md). Needs down to districts:"
echo "out/$election-needs.csv; the injected problems: out/$election-truth.csv. Try:"
echo "  $tepat --db $db readiness --election $election --region 35.78"
echo "  $tepat --db $db readiness tps 35.78.01.1001.001 --election $election"
echo "  $tepat --db $db readiness problems --election $election --region 35.78"
echo "  $tepat --db $db ledger verify"
