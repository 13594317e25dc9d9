#!/usr/bin/env bash
# Optional system libraries, installed when this user can (root with apt-get); never fatal.
# - libharfbuzz-subset0: WeasyPrint subsets the embedded fonts with HarfBuzz (C) instead of
#   fontTools (Python), about 1 s faster per PDF. Without it the PDF is the same, only slower.
set -u
if ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing libharfbuzz-subset0 (faster PDF font subsetting)"
  { apt-get install -y -qq libharfbuzz-subset0 || { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0; }; } >/dev/null 2>&1 \
    || echo "note: could not install libharfbuzz-subset0; PDFs will be built more slowly" >&2
else
  echo "note: libharfbuzz-subset0 is not installed; PDFs are built more slowly (sudo apt-get install libharfbuzz-subset0)" >&2
fi
exit 0
