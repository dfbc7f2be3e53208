#!/usr/bin/env bash
# Runs one benchmark program: `npm run bench -- <name> [args…]` → `tsx bench/<name>.ts [args…]`.
# Each program runs its own baseline in the same run and prints, as its last line, one JSON object.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:-}"
if [ -z "$name" ] || [ ! -f "$ROOT/bench/$name.ts" ]; then
  echo "usage: npm run bench -- <name>   (one of: $(cd "$ROOT/bench" && ls ./*.ts | sed 's#^\./##; s#\.ts$##' | tr '\n' ' '))" >&2
  exit 2
fi
shift
cd "$ROOT"
exec npx --no-install tsx "bench/$name.ts" "$@"
