#!/usr/bin/env bash
# Installs the Debian 12 packages LocalLab needs to build, run and test. Packages already present are
# left alone, so running it again is cheap. Needs root or sudo when something is missing.
#   scripts/install-dependencies.sh            build, run and test
#   scripts/install-dependencies.sh --peers    also scikit-learn, scipy and statsmodels, for regenerating
#                                              the test fixtures and timing the peer libraries
set -euo pipefail

packages=(
    cmake g++ make pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-svg-dev qt6-qpa-plugins
    libvtk9-dev libeigen3-dev libnanoflann-dev libspectra-dev libtbb-dev
    libcli11-dev nlohmann-json3-dev libbenchmark-dev libgif-dev
    libgl1-mesa-dri xvfb xauth fonts-dejavu-core
)
if [[ "${1:-}" == "--peers" ]]; then
    packages+=(python3-numpy python3-scipy python3-sklearn python3-statsmodels)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "All build and test dependencies are installed."
    exit 0
fi

echo "Installing: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "These packages are missing and neither root nor sudo is available: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
