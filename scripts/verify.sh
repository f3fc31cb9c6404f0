#!/usr/bin/env bash
# The README's test command: installs the Debian packages the tests need when they are missing,
# then runs every test with `mvn -B verify` (arguments are passed on to Maven).
#
# What needs what (each test starts its own server on 127.0.0.1; none needs a running service):
#   maven, openjdk-17-jdk-headless  the build itself
#   libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3
#                                   the system libraries of libwebrtc (webrtc-java) interop tests
#   coturn                          TURN tests (turnserver)
#   mosquitto                       MQTT signaling tests (mosquitto, mosquitto_passwd)
#   openssl, gnutls-bin             DTLS interop tests (openssl s_server/s_client, gnutls-cli/-serv)
#   chromium                        browser tests; optional: without it they skip
# A package is taken as present when its program or library is found, so tools installed some
# other way count too. Without root or sudo the script names the packages to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

have_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
have_javac() { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] || have_cmd javac; }
# A shared library the dynamic linker knows (ldconfig's cache), else one in the usual directories.
have_lib() {
  local ldconfig
  ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
  if [ -x "$ldconfig" ] && "$ldconfig" -p 2>/dev/null | grep -qF "$1 ("; then return 0; fi
  local d
  for d in /lib /usr/lib /lib64 /usr/lib64 /lib/*-linux-gnu /usr/lib/*-linux-gnu; do
    [ -e "$d/$1" ] && return 0
  done
  return 1
}

# package|probe: the probe succeeds when what the tests use from the package is there.
required=(
  "maven|have_cmd mvn"
  "openjdk-17-jdk-headless|have_javac"
  "libpulse0|have_lib libpulse.so.0"
  "libudev1|have_lib libudev.so.1"
  "libx11-6|have_lib libX11.so.6"
  "libxfixes3|have_lib libXfixes.so.3"
  "libxrandr2|have_lib libXrandr.so.2"
  "libxcomposite1|have_lib libXcomposite.so.1"
  "libdbus-1-3|have_lib libdbus-1.so.3"
  "coturn|have_cmd turnserver"
  "mosquitto|have_cmd mosquitto"
  "openssl|have_cmd openssl"
  "gnutls-bin|have_cmd gnutls-serv"
)
optional=("chromium|[ -x /usr/bin/chromium ]") # where HeadlessChromium looks (-Djpeer.chromium=...)

missing() { # prints the packages of "$@" whose probe fails
  local entry
  for entry in "$@"; do
    eval "${entry#*|}" || printf '%s ' "${entry%%|*}"
  done
}

need=$(missing "${required[@]}")
need=${need% }
want=$(missing "${optional[@]}")
want=${want% }

if [ -n "$need$want" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
  fi
  if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    if [ -n "$need" ]; then
      echo "scripts/verify.sh: the tests need these Debian packages, which are missing: $need" >&2
      echo "  install them (as root): apt-get install --no-install-recommends $need" >&2
      exit 1
    fi
  else
    export DEBIAN_FRONTEND=noninteractive
    echo "scripts/verify.sh: installing the Debian packages the tests need: $(echo $need $want)" >&2
    $sudo apt-get update -qq || true
    if [ -n "$need" ] && ! $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null; then
      echo "scripts/verify.sh: could not install $need" >&2
      echo "  install them (as root): apt-get install --no-install-recommends $need" >&2
      exit 1
    fi
    # Chromium on its own: a machine without the package still runs everything else.
    if [ -n "$want" ] && ! $sudo apt-get install -y -qq --no-install-recommends $want >/dev/null; then
      echo "scripts/verify.sh: could not install $want: the Chromium tests will skip" >&2
    fi
  fi
fi
if [ -n "$want" ] && [ ! -x /usr/bin/chromium ]; then
  echo "scripts/verify.sh: no chromium: the Chromium tests skip (apt-get install chromium)" >&2
fi

exec mvn -B verify "$@"
