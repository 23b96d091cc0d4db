#!/usr/bin/env bash
# Rebuilds the bundled default project (datasets/demo/default-project.sniper.gz): 300 realistic
# generated networks (torchvision block families, seed 2026, 40 M-30 G MACs), 300 Table IV
# networks (seed 2026, at most 100 M MACs) and the bundled torchvision zoo, profiled on the two
# single-thread platforms (torch-cpu-1t, opencv-cpu-1t), then the demo's stored results, so a
# first start shows every view working: an NNS+HRM (PCN) predictor trained on the realistic
# networks, a finished scheduling experiment and an AlexNet partition example. Takes about 40
# minutes; run by hand, then commit the result. The realistic networks and the zoo are measured
# without the contention gate: on 2026-12-06 the host's slow phase (probe 2.1-2.7x its
# calibrated time) left the gate no clean window (docs/runtime.md). The bundle of 2026-12-07 was
# made with --from the working project of docs/predictors.md ("Latest evaluation"), whose zoo is
# the fastest of four passes (sniper profile --refine).
#   scripts/make-demo-project.sh                 measure everything anew
#   scripts/make-demo-project.sh --results-only  keep the bundle's measurements, redo the results
#   scripts/make-demo-project.sh --from P.sniper take the bundle's datasets and their current
#       measurements from a larger working project (one holding realistic-300's networks, e.g.
#       realistic-2000 of seed 2026, generated-300 and the zoo, refined with sniper profile --refine),
#       drop everything else and the history, redo the results
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
elif [ "${1:-}" = "--from" ]; then
  SOURCE="${2:?--from needs a project file}"
  sqlite3 "$SOURCE" ".backup '$OUT'"
  if [ "$(sqlite3 "$OUT" "SELECT count(*) FROM datasets WHERE name IN ('realistic-2000', 'realistic-300')")" = 0 ]; then
    echo "make-demo-project: $SOURCE holds neither realistic-300 nor realistic-2000" >&2
    exit 1
  fi
  # realistic-300 is the first 300 networks of any realistic dataset of seed 2026.
  if [ "$(sqlite3 "$OUT" "SELECT count(*) FROM datasets WHERE name = 'realistic-300'")" = 0 ]; then
    "$SNIPER" generate --db "$OUT" --count 300 --seed 2026 --name realistic-300
  fi
  sqlite3 "$OUT" "PRAGMA foreign_keys = ON;
    DELETE FROM predictors; DELETE FROM experiments; DELETE FROM measurement_history;
    DELETE FROM datasets WHERE name NOT IN ('generated-300', 'realistic-300', 'torchvision-zoo');
    DELETE FROM models WHERE id NOT IN (SELECT model_id FROM dataset_members);
    DELETE FROM runs; DELETE FROM module_samples; DELETE FROM module_sets; DELETE FROM devices;"
else
  "$SNIPER" generate --db "$OUT" --style table4 --count 300 --seed 2026 --max-macs 100000000 --name generated-300
  "$SNIPER" generate --db "$OUT" --count 300 --seed 2026 --name realistic-300
  "$SNIPER" models --db "$OUT" add datasets/models --name torchvision-zoo --kind zoo
  "$SNIPER" profile --db "$OUT" --platforms torch-cpu-1t,opencv-cpu-1t --dataset generated-300 --min-runs 5 \
    --max-runs 40 --max-seconds 1.5
  for d in realistic-300 torchvision-zoo; do
    "$SNIPER" profile --db "$OUT" --platforms torch-cpu-1t,opencv-cpu-1t --dataset "$d" --min-runs 5 --warmup 1 \
      --max-seconds 3 --no-gate
  done
fi
# The stored results: seeded, PCN on one thread.
OMP_NUM_THREADS=1 "$SNIPER" train --db "$OUT" --dataset realistic-300 --name "NNS+HRM (PCN), demo"
"$SNIPER" schedule run --db "$OUT" --nodes torch-cpu-1t:3,opencv-cpu-1t:3 --rate 20 --new-prob 0.2 \
  --duration 60 --seed 1 --save "demo: 6 nodes, T = 20, p = 0.2"
"$SNIPER" partition datasets/models/alexnet.onnx --platform torch-cpu-1t --jobs 20 --bandwidth 4G \
  --db "$OUT" --save "demo: AlexNet on torch-cpu-1t, 20 jobs"
sqlite3 "$OUT" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
gzip -9 -c "$OUT" > "$BUNDLE"
ls -l "$BUNDLE"
