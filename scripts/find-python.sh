#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what to install and fail.
# Order: $PYTHON, python3.13/python3.12 on PATH, pyenv's installed versions, common prefixes.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.12 python3.13 python3.14 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for d in "$root"/versions/3.12.* "$root"/versions/3.13.* "$root"/versions/3.14.*; do
  for b in "$d"/bin/python3.1[234]; do [ -x "$b" ] && candidates+=("$b"); done
done
for b in /usr/local/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.13; do
  [ -x "$b" ] && candidates+=("$b")
done
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
DânVận cần Python 3.12 trở lên nhưng không tìm thấy trên máy này.
DânVận needs Python 3.12 or newer and none was found. Install one of:
  - Debian/Ubuntu: sudo apt-get install python3.12 python3.12-venv   (Debian 13 / Ubuntu 24.04)
  - pyenv:         pyenv install 3.12
  - or set PYTHON=/path/to/python3.12 and run make again.
MSG
exit 1
