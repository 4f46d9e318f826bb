#!/usr/bin/env bash
# Install the Debian packages DânVận needs when they are missing:
#   chromium            — the real browser the end-to-end tests drive
#   fonts-liberation2   — Liberation Serif, metric-compatible with Times New Roman (Decree 30 documents)
#   fonts-dejavu-core   — Vietnamese glyphs for screenshots
#   libpango-1.0-0 libpangoft2-1.0-0 — WeasyPrint (PDF)
#   gettext             — msgfmt, to compile and check the translations
# With --bench, also:
#   wrk                 — the HTTP load generator of the one-stop look-up benchmark
set -u
need=()
[ "${1:-}" = "--bench" ] && { command -v wrk >/dev/null || need+=(wrk); }
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Liberation Serif' || need+=(fonts-liberation2)
fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
command -v msgfmt >/dev/null || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
echo "→ Cài gói hệ thống (installing system packages): ${need[*]}"
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "Thiếu gói hệ thống: ${need[*]}. Hãy chạy: sudo apt-get install -y ${need[*]}" >&2
  echo "Missing system packages: ${need[*]}. Please run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; } \
  || { echo "Không cài được: ${need[*]} (could not install)" >&2; exit 1; }
