#!/usr/bin/env bash
# Compiles infra/main.bicep to .tools/infra/main.json (git-ignored) and lints
# every Bicep file of infra/ with infra/bicepconfig.json. Fails on any error
# and on any warning. Needs the Bicep CLI: scripts/install-bicep.sh.
# The policy tests (test/infra/, run by npm test) then check the HDS rules on
# the compiled template.
# Usage: scripts/check-infra.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BICEP="${BICEP_CLI:-$ROOT/.tools/bicep/bicep}"
OUT="$ROOT/.tools/infra"

[[ -x "$BICEP" ]] || { echo "check-infra: no Bicep CLI at $BICEP: run bash scripts/install-bicep.sh" >&2; exit 1; }
cd "$ROOT"
mkdir -p "$OUT"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0

run() {
  # Bicep prints diagnostics as "<file>(<line>,<col>) : Warning|Error <code>: <message>".
  if ! "$BICEP" "$@" >"$log" 2>&1; then failed=1; fi
  if grep -Eq ' : (Warning|Error) ' "$log"; then failed=1; fi
  cat "$log"
}

echo "check-infra: $("$BICEP" --version)"
echo "check-infra: bicep build infra/main.bicep -> .tools/infra/main.json"
run build infra/main.bicep --outfile "$OUT/main.json"
echo "check-infra: bicep lint infra/**/*.bicep"
run lint --pattern 'infra/**/*.bicep'

if ((failed)); then
  echo "check-infra: FAILED (errors or warnings above)" >&2
  exit 1
fi
echo "check-infra: OK (no error, no warning)"
