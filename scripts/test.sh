#!/usr/bin/env bash
# Builds Sniper Workbench and runs every test: the normal build, then the importer tests
# again under AddressSanitizer + UBSan. Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

JOBS="${JOBS:-$(nproc)}"
BUILD="${BUILD_DIR:-build}"
ASAN_BUILD="${ASAN_BUILD_DIR:-build-asan}"

echo "== build ($BUILD)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD" -j "$JOBS"

echo "== tests"
ctest --test-dir "$BUILD" --output-on-failure --no-tests=error -j "$JOBS"

echo "== importer tests under ASan + UBSan ($ASAN_BUILD)"
cmake -S . -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSNIPER_SANITIZE=ON \
  -DSNIPER_BUILD_GUI=OFF -DSNIPER_BUILD_BENCH=OFF
cmake --build "$ASAN_BUILD" -j "$JOBS" --target tst_graph tst_onnximport
ctest --test-dir "$ASAN_BUILD" -L importer --output-on-failure --no-tests=error
