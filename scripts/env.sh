# Shared environment for scripts/setup, scripts/serve and scripts/test (sourced, not run).
# Puts the cargo bin dir and npm's binaryen (wasm-opt 132) ahead of Debian's tools on PATH.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
export TRUNK_OFFLINE=true
TRUNK_VERSION=0.21.14 # 0.22.x needs rustc >= 1.96
step() { printf '\n=== %s  [%s]\n' "$*" "$(date +%T)"; }
