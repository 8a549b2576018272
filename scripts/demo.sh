#!/usr/bin/env bash
# The national demo on SQLite: `tepat demo` imports the real Kemendagri regions, generates and imports synthetic
# national TPS and dapil, prints the needs by province, plays the distribution through the ledger to H-2, generates
# the distribution plan and saves a projection from where the ledger stands (tepat simulate), and makes three demo
# accounts with fresh passwords; then `tepat serve` serves it until Ctrl-C. Run again at will: every step
# is idempotent.
#   TEPAT_DEMO_DB        the database (default out/demo.db)
#   TEPAT_DEMO_ELECTION  pemilu-2024 (default) or pilkada-2024
#   TEPAT_DEMO_LISTEN    where to serve (default 127.0.0.1:8080)
#   TEPAT_DEMO_SERVE=0   prepare only, do not serve
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=build/tepat
db=${TEPAT_DEMO_DB:-out/demo.db}
election=${TEPAT_DEMO_ELECTION:-pemilu-2024}
listen=${TEPAT_DEMO_LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")" out

$tepat --db "$db" demo --election "$election" --listen "$listen"
echo
echo "The TPS, dapil and the distribution are synthetic (docs/formats.md, docs/ledger.md); the injected problems:"
echo "out/$election-truth.csv. The API is described in docs/api.md and at /api/v1/openapi.json."
if [ "${TEPAT_DEMO_SERVE:-1}" = 0 ]; then exit 0; fi
echo "Serving the demo at http://$listen/ (Ctrl-C stops it). Open it in a browser: Indonesia's readiness, live, down"
echo "to every TPS; log in (Masuk) as kpu-surabaya to record a receipt, or as bawaslu-jatim to supervise."
exec $tepat --db "$db" serve --listen "$listen" --elections "$election"
