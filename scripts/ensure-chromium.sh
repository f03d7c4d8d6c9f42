#!/bin/sh
# Installs Debian's chromium for the browser tests when it is missing.
# Never fails: the browser tests skip with a printed reason if chromium is still absent afterwards.
set -u
CHROMIUM="${EARSHOT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: $CHROMIUM missing and not root; browser tests will skip" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM missing and apt-get unavailable; browser tests will skip" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium (one-time, a few minutes)..." >&2
start=$(date +%s)
# stdout goes to stderr so callers that parse our output see nothing unexpected.
if apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 && [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: installed $CHROMIUM in $(( $(date +%s) - start ))s" >&2
else
  echo "ensure-chromium: $CHROMIUM still missing after apt-get ($(( $(date +%s) - start ))s); browser tests will skip" >&2
fi
exit 0
