#!/usr/bin/env bash
# Make .venv from requirements.lock (hash-pinned), once: a stamp records the lock it installed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.installed-lock
if [[ -f "$stamp" ]] && cmp -s requirements.lock "$stamp"; then
  exit 0
fi
printf '\033[1;34m==>\033[0m installing Python packages from requirements.lock\n' >&2
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
cp requirements.lock "$stamp"
