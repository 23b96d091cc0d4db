#!/usr/bin/env bash
# Builds Sniper Workbench (installing missing Debian packages) and starts the desktop
# workbench. With no arguments it opens the bundled ResNet-50 (structure only).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

BUILD="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD" -j "$(nproc)" --target sniper-workbench sniper

if [ $# -eq 0 ]; then
  set -- "datasets/models/resnet50.onnx"
fi
exec "$BUILD/app/sniper-workbench" "$@"
