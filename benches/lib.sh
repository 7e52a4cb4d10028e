# shellcheck shell=bash
# Shared by benches/run.sh and benches/perf.sh (sourced, not run): messages, and installing
# the tools measured against into CACHE (never into postie). Every install is niced and
# timed; its outcome goes to $CACHE/installs.tsv (`tool<TAB>seconds<TAB>ok|failed<TAB>detail`,
# the last line of a tool wins), so a later run without INSTALL=1 can still say how long an
# install took or why a tool is missing.
#
# Needs: CACHE set by the caller.

say() { printf '%s\n' "$*" >&2; }

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_install() { # packages...
  as_root env DEBIAN_FRONTEND=noninteractive nice apt-get install -y "$@" >/dev/null \
    || { as_root apt-get update >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive nice apt-get install -y "$@" >/dev/null; }
}

record_install() { # tool seconds ok|failed detail
  mkdir -p "$CACHE"
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4//$'\t'/ }" >>"$CACHE/installs.tsv"
}

# The last recorded install of a tool: "seconds<TAB>ok|failed<TAB>detail", or nothing.
install_record() { # tool
  [[ -f "$CACHE/installs.tsv" ]] || return 0
  awk -F'\t' -v t="$1" '$1 == t { line = $2 "\t" $3 "\t" $4 } END { if (line) print line }' "$CACHE/installs.tsv"
}

# Why a tool is not there, for a table cell: the recorded failure, or how to install it.
missing_reason() { # tool
  local rec
  rec="$(install_record "$1")"
  if [[ "$rec" == *$'\tfailed\t'* ]]; then
    printf 'install failed: %s' "${rec##*$'\t'}"
  else
    printf 'not installed (INSTALL=1 installs it into %s)' "$CACHE"
  fi
}

apt_install_timed() { # label packages...
  local label=$1 start
  shift
  start=$(date +%s)
  say "installing with apt-get: $*"
  if apt_install "$@"; then
    record_install "$label" "$(($(date +%s) - start))" ok "apt-get install $*"
  else
    record_install "$label" "$(($(date +%s) - start))" failed "apt-get install $* failed"
    say "$label: apt-get install $* failed"
    return 1
  fi
}

npm_install_timed() { # tool package@version (installs into $CACHE/node_modules)
  local tool=$1 pkg=$2 start log
  command -v npm >/dev/null || { record_install "$tool" 0 failed "no npm on this machine"; say "$tool: needs npm"; return 1; }
  mkdir -p "$CACHE"
  start=$(date +%s)
  log="$(mktemp)"
  say "installing $pkg with npm into $CACHE"
  if nice npm install --prefix "$CACHE" "$pkg" >"$log" 2>&1; then
    record_install "$tool" "$(($(date +%s) - start))" ok "npm install $pkg"
    rm -f "$log"
  else
    tail -5 "$log" >&2
    record_install "$tool" "$(($(date +%s) - start))" failed "npm install $pkg: $(tail -1 "$log" | cut -c1-120)"
    rm -f "$log"
    say "$tool: npm install failed"
    return 1
  fi
}

# cargo install --locked --root $CACHE, niced and timed. When the newest release needs a newer
# rustc than installed, cargo names the newest release that fits (`hurl 8.0.1` supports rustc
# 1.89); that one is installed instead.
cargo_install_timed() { # crate (its binary has the same name)
  local crate=$1 start log version why
  command -v cargo >/dev/null || { record_install "$crate" 0 failed "no cargo on this machine"; say "$crate: needs cargo"; return 1; }
  say "installing $crate with cargo into $CACHE (this compiles it; the time is reported)"
  start=$(date +%s)
  log="$(mktemp)"
  if ! nice cargo install "$crate" --locked --root "$CACHE" >"$log" 2>&1; then
    version=$(sed -n "s/.*\`$crate \([0-9][0-9.]*\)\` supports rustc.*/\1/p" "$log" | head -1)
    if [[ -n "$version" ]]; then
      say "$crate: the newest release needs a newer rustc; installing $crate $version, which cargo names as fitting"
    fi
    if [[ -z "$version" ]] || ! nice cargo install "$crate" --version "$version" --locked --root "$CACHE" >"$log" 2>&1; then
      tail -5 "$log" >&2
      why="$(grep -m1 '^error' "$log" | cut -c1-160)"
      record_install "$crate" "$(($(date +%s) - start))" failed "cargo install $crate${version:+ --version $version}: ${why:-see its output}"
      rm -f "$log"
      say "$crate: cargo install failed"
      return 1
    fi
  fi
  rm -f "$log"
  record_install "$crate" "$(($(date +%s) - start))" ok "$("$CACHE/bin/$crate" --version 2>/dev/null | head -1 | cut -d' ' -f1-2)"
  say "$crate installed in $(($(date +%s) - start)) s"
}

install_hurl() {
  # libclang: the libxml crate generates its bindings with bindgen.
  apt_install libcurl4-openssl-dev libxml2-dev pkg-config libclang-dev || true
  cargo_install_timed hurl
}

# Installs what benches/run.sh measures with: nginx, GNU time, hyperfine (apt-get), newman (npm),
# hurl (cargo). Tools already there are left alone.
install_run_tools() {
  local pkgs=()
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || pkgs+=(nginx-light)
  [[ -x /usr/bin/time ]] || pkgs+=(time)
  command -v hyperfine >/dev/null || pkgs+=(hyperfine)
  if ((${#pkgs[@]})); then apt_install_timed apt "${pkgs[@]}" || true; fi
  mkdir -p "$CACHE"
  [[ -x "$CACHE/node_modules/.bin/newman" ]] || npm_install_timed newman newman@6 || true
  [[ -x "$CACHE/bin/hurl" ]] || install_hurl || true
}
