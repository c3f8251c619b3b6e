#!/bin/sh
# Install the Debian packages cassim needs (if missing) and build it.
# Idempotent: re-running only rebuilds what changed.
set -e
cd "$(dirname "$0")/.."
PKGS="build-essential autoconf automake pkg-config libhwloc-dev hwloc libgsl-dev libjansson-dev libcsv-dev check libnuma-dev gnuplot-nox python3 parallel pandoc"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing >/dev/null
fi
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
