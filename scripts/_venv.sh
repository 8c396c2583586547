# Sourced by scripts/run and scripts/test: make .venv and install a requirements file into it,
# then the project itself (editable: engine, web, simulator, harness), each only when its file
# changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CODEBOOK_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

ensure_venv() {  # $1: requirements file (requirements-dev.txt includes requirements.txt)
  local req="$ROOT/$1" stamp="$VENV/.installed-$(basename "$1")" want
  want="$(cat "$req" "$ROOT/requirements.txt")"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
    "$PY" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    printf '%s' "$want" > "$stamp"
  fi
  ensure_project
}

ensure_project() {  # the project, editable (no download when the venv can build it as it is)
  local stamp="$VENV/.installed-pyproject.toml" want
  want="$(printf '# %s\n' "$ROOT"; cat "$ROOT/pyproject.toml")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    local pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps)
    "${pip[@]}" --no-build-isolation -e "$ROOT" >/dev/null 2>&1 || "${pip[@]}" -e "$ROOT"
    printf '%s' "$want" > "$stamp"
  fi
}
