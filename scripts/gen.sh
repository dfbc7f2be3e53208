#!/usr/bin/env bash
# Regenerates packages/proto/src/gen from proto/ (buf + protoc-gen-es, both from npm, offline).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
rm -rf packages/proto/src/gen
buf generate
tsx scripts/gen-index.ts
prettier --log-level warn --write packages/proto/src/gen/index.ts
