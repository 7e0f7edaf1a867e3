#!/bin/sh
# Install the triple store servers the `server` tests start (tests/servers.py starts,
# waits for and stops them itself, on free 127.0.0.1 ports; nothing is left running).
#   - Oxigraph server: the `oxigraph` package from PyPI, in the test extras (see below).
#   - Virtuoso 7: Debian's virtuoso-opensource (virtuoso-t, isql-vt, /etc/virtuoso-opensource-7/virtuoso.ini).
# Idempotent: does nothing (in milliseconds) when Virtuoso is already installed.
# A machine where Virtuoso cannot be installed still passes: those tests skip with the reason.
set -eu

# The Oxigraph server needs nothing here: `pip install -e '.[test]'` installs the `oxigraph`
# package (and its `oxigraph` command) into the venv.

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 \
        && [ -f /etc/virtuoso-opensource-7/virtuoso.ini ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "servers.sh: not root and no sudo: Virtuoso not installed; its tests will skip" >&2
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

echo "servers.sh: installing Virtuoso (virtuoso-opensource) with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -q >/dev/null \
        || ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource >/dev/null; then
    echo "servers.sh: apt-get could not install virtuoso-opensource; its tests will skip" >&2
    exit 0
fi
# Debian may start its own service on 1111/8890; the tests use their own ports and database, so it is harmless.
command -v virtuoso-t >/dev/null 2>&1 && echo "servers.sh: $(virtuoso-t -? 2>&1 | head -n 2 | tail -n 1)" >&2
exit 0
