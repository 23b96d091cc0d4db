#!/usr/bin/env bash
# Installs every Debian 12 package Sniper Workbench needs to build, run and test.
# Idempotent: packages already present are skipped; uses apt-get only.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # core
  libtorch-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libopencv-dnn-dev libeigen3-dev libopenblas0-pthread libxgboost-dev
  nlohmann-json3-dev libcli11-dev
  # datasets / devices
  libsqlite3-dev sqlite3 zlib1g-dev libssh-dev openssh-server openssh-client
  # views / app
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev
  libxkbcommon-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgraphviz-dev
  libgl-dev
  # tests and benchmarks
  libbenchmark-dev libonnx-testdata python3-torch python3-torchvision python3-onnx
  python3-numpy python3-sklearn
  # screenshots of the workbench (scripts/screenshots.sh)
  xvfb x11-apps imagemagick
  # partition: network namespaces and tc for the shaped-link test
  iproute2
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
