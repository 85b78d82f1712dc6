#!/usr/bin/env bash
# Re-pins third-party packages: requirements.lock (what the services need at run time, and
# all the images install) and requirements-dev.lock (that plus the test and lint tools).
# Run through `make lock` after changing a pyproject's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
runtime=$(mktemp -d)
trap 'rm -rf "$runtime"' EXIT
"$python" -m venv "$runtime"
"$runtime/bin/pip" install --quiet --disable-pip-version-check \
  --constraint <(cat requirements.lock requirements-dev.lock 2>/dev/null | grep -E "^[A-Za-z0-9_.-]+==") \
  ./libs/contracts ./libs/servicekit ./services/enterprise ./services/identity ./services/authorization ./services/business ./gateway ./tools/hrssctl 2> >(grep -v "^WARNING: Location" >&2)
{
  echo "# Run-time packages, pinned; installed by every image and by 'make' (via requirements-dev.lock)."
  echo "# Regenerate with 'make lock'."
  "$runtime/bin/pip" freeze | grep -v '^hrss' | grep -v '^-e'
  "$runtime/bin/pip" list --format=freeze 2>/dev/null | grep -E '^setuptools=='
} > requirements.lock
{
  echo "# Test and lint tools on top of the run-time packages; regenerate with 'make lock'."
  echo "-r requirements.lock"
  .venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' | grep -v '^hrss' \
    | grep -v -i -x -F -f <(grep -v '^#' requirements.lock)
  .venv/bin/python -m pip list --format=freeze 2>/dev/null | grep -E '^wheel=='
} > requirements-dev.lock
