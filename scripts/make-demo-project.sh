#!/usr/bin/env bash
# Rebuilds the bundled default project (datasets/demo/default-project.sniper.gz): 300 generated
# networks (Ace-Sniper Table IV ranges, seed 2026, at most 100 M MACs) and the bundled
# torchvision zoo, profiled on the two single-thread platforms (torch-cpu-1t, opencv-cpu-1t),
# then the demo's stored results (issue 10 item 5), so a first start shows every view working:
# a trained NNS+HRM (PCN) predictor, a finished scheduling experiment and an AlexNet partition
# example. Takes about ten minutes; run by hand on an idle machine, then commit the result.
#   scripts/make-demo-project.sh                 measure everything anew
#   scripts/make-demo-project.sh --results-only  keep the bundle's measurements, redo the results
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD_DIR:-build}"
SNIPER="$BUILD/app/sniper"
BUNDLE=datasets/demo/default-project.sniper.gz
OUT="$BUILD/default-project.sniper"
cmake --build "$BUILD" --target sniper
rm -f "$OUT" "$OUT-wal" "$OUT-shm"
if [ "${1:-}" = "--results-only" ]; then
  gunzip -c "$BUNDLE" > "$OUT"
  sqlite3 "$OUT" "DELETE FROM predictors WHERE kind = 'network';
                  DELETE FROM experiments WHERE kind IN ('scheduling', 'partition');"
else
  "$SNIPER" generate --db "$OUT" --count 300 --seed 2026 --max-macs 100000000 --name generated-300
  "$SNIPER" models --db "$OUT" add datasets/models --name torchvision-zoo --kind zoo
  "$SNIPER" profile --db "$OUT" --platforms torch-cpu-1t,opencv-cpu-1t --min-runs 5 --max-runs 40 --max-seconds 1.5
fi
# The stored results: seeded, PCN on one thread.
OMP_NUM_THREADS=1 "$SNIPER" train --db "$OUT" --dataset generated-300 --name "NNS+HRM (PCN), demo"
"$SNIPER" schedule run --db "$OUT" --nodes torch-cpu-1t:3,opencv-cpu-1t:3 --rate 20 --new-prob 0.2 \
  --duration 60 --seed 1 --save "demo: 6 nodes, T = 20, p = 0.2"
"$SNIPER" partition datasets/models/alexnet.onnx --platform torch-cpu-1t --jobs 20 --bandwidth 4G \
  --db "$OUT" --save "demo: AlexNet on torch-cpu-1t, 20 jobs"
sqlite3 "$OUT" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
gzip -9 -c "$OUT" > "$BUNDLE"
ls -l "$BUNDLE"
