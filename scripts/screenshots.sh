#!/usr/bin/env bash
# Screenshots of every workbench view for docs/screenshots/ (shown in README.md), made under
# Xvfb by the workbench itself (`sniper-workbench --screenshots DIR MODEL MODEL2`): a fresh copy
# of the default project, ResNet-50 in the model view, MobileNetV2 pinned beside it in the
# features view, KFE on the demo's generated networks.
#   scripts/screenshots.sh [OUT_DIR]      (BUILD=build-dir, default build; LANGUAGE=en|zh_CN)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${1:-docs/screenshots}
LANGUAGE=${LANGUAGE:-en}
BIN="$BUILD/app/sniper-workbench"
[ -x "$BIN" ] || { echo "no $BIN: build the sniper-workbench target first (or set BUILD=...)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export SNIPER_PROJECT="$TMP/default.sniper"   # created from datasets/demo/ on first open
export XDG_CONFIG_HOME="$TMP/config"          # no saved window layout or language
export QT_SCALE_FACTOR=1
mkdir -p "$OUT"
xvfb-run -a -s "-screen 0 1600x1000x24 -dpi 96" \
  "$BIN" --language "$LANGUAGE" --screenshots "$OUT" \
  datasets/models/resnet50.onnx datasets/models/mobilenet_v2.onnx
ls -l "$OUT"/*.png
