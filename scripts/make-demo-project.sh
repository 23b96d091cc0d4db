#!/usr/bin/env bash
# Rebuilds the bundled default project (datasets/demo/default-project.sniper.gz): 300 generated
# networks (Ace-Sniper Table IV ranges, seed 2026, at most 100 M MACs) and the bundled
# torchvision zoo, profiled on the two single-thread platforms (torch-cpu-1t, opencv-cpu-1t).
# Takes about ten minutes; run by hand on an idle machine, then commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD_DIR:-build}"
SNIPER="$BUILD/app/sniper"
OUT="${1:-$BUILD/default-project.sniper}"
cmake --build "$BUILD" --target sniper
rm -f "$OUT" "$OUT-wal" "$OUT-shm"
"$SNIPER" generate --db "$OUT" --count 300 --seed 2026 --max-macs 100000000 --name generated-300
"$SNIPER" models --db "$OUT" add datasets/models --name torchvision-zoo --kind zoo
"$SNIPER" profile --db "$OUT" --platforms torch-cpu-1t,opencv-cpu-1t --min-runs 5 --max-runs 40 --max-seconds 1.5
sqlite3 "$OUT" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
gzip -9 -c "$OUT" > datasets/demo/default-project.sniper.gz
ls -l datasets/demo/default-project.sniper.gz
