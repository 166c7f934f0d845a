#!/usr/bin/env bash
# The have_* checks are called through a table, not by name:
# shellcheck disable=SC2317
# Make sure the Debian packages that `make test` needs (and that PyPI cannot
# provide) are installed: a PostgreSQL server, headless Chromium, a CJK font
# and poppler-utils. Idempotent: when everything is present it only checks
# (no apt-get update, no network). As root it installs whatever is missing in
# one apt-get call; as any other user it names the missing packages and fails.
set -euo pipefail

missing_pkgs=()   # Debian packages to install
missing_names=()  # component names, for the report after installing

have_pg_server() {
    # Any major version will do; test-postgres.sh picks the newest one.
    local d
    for d in /usr/lib/postgresql/*/bin; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            return 0
        fi
    done
    return 1
}

have_chromium() {
    [[ -x /usr/bin/chromium ]]
}

have_cjk_font() {
    # No `grep -q`: it would exit on the first match, fc-list could then die
    # of SIGPIPE and pipefail would turn a hit into a miss.
    command -v fc-list >/dev/null 2>&1 \
        && fc-list 2>/dev/null | grep -i 'WenQuanYi Zen Hei' >/dev/null
}

have_pdftoppm() {
    command -v pdftoppm >/dev/null 2>&1
}

# name | check function | Debian package(s)
components=(
    "postgresql|have_pg_server|postgresql"
    "chromium|have_chromium|chromium"
    "fonts-wqy-zenhei|have_cjk_font|fonts-wqy-zenhei"
    "poppler-utils|have_pdftoppm|poppler-utils"
)

for entry in "${components[@]}"; do
    IFS='|' read -r name check pkgs <<<"$entry"
    if "$check"; then
        echo "$name: present"
    else
        echo "$name: missing"
        missing_names+=("$name")
        read -r -a pkg_array <<<"$pkgs"
        missing_pkgs+=("${pkg_array[@]}")
    fi
done

# The font check itself needs fc-list (package fontconfig), which a minimal
# system may lack; bring it along so the check can pass afterwards.
if ! command -v fc-list >/dev/null 2>&1; then
    missing_pkgs+=(fontconfig)
fi

if ((${#missing_pkgs[@]} == 0)); then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    {
        echo "error: missing system packages: ${missing_pkgs[*]}"
        echo "install them with:"
        echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
    } >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/ensure-system-packages.XXXXXX.log)
echo "installing: ${missing_pkgs[*]} (apt-get log: $log)"
start=$SECONDS
# apt output goes to a log that is shown only on failure, to keep CI quiet.
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}"; } >"$log" 2>&1; then
    echo "error: apt-get failed; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
echo "apt-get finished in $((SECONDS - start)) s"

# Re-check, so a package that installed but did not provide what we look for
# is reported here rather than as a puzzling test failure later.
status=0
for entry in "${components[@]}"; do
    IFS='|' read -r name check _ <<<"$entry"
    for m in "${missing_names[@]}"; do
        [[ "$m" == "$name" ]] || continue
        if "$check"; then
            echo "$name: installed"
        else
            echo "error: $name: still missing after apt-get install" >&2
            status=1
        fi
    done
done
rm -f "$log"
exit "$status"
