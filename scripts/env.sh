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

# True when this toolchain can rebuild std for the web build: rust-src is installed and rustc
# knows `-Cpanic=immediate-abort` (unstable, hence RUSTC_BOOTSTRAP for the probe and the build).
small_std_supported() {
  [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ] &&
    RUSTC_BOOTSTRAP=1 rustc -Zunstable-options -Cpanic=immediate-abort \
      --target wasm32-unknown-unknown --print cfg >/dev/null 2>&1
}

# The release site in dist/. When the toolchain can, std is compiled with the app (opt-level z,
# LTO across it) and a panic is a bare trap with no message formatting: about 33 KB less gzip
# (README, "Size and speed"). The page loses nothing by it: a panic message had nowhere to go on
# wasm32-unknown-unknown, and a trap reaches the page as the worker's `error` event either way.
# Otherwise the stock std is used, and a line says so.
build_site() {
  if small_std_supported; then
    echo "std rebuilt for size (-Zbuild-std, -Cpanic=immediate-abort)"
    RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
      trunk build --release
  else
    echo "note: stock std (no rust-src, or rustc lacks -Cpanic=immediate-abort): about 33 KB more gzip"
    trunk build --release
  fi
}
