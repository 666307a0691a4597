# Sourced by setup-debian.sh and install-code-server.sh: which Debian packages
# are missing, and installing them.

# Sets `missing` to those of the packages named that are not installed
# (one dpkg-query for all of them: one per package is slow).
find_missing_packages() {
  local installed p
  installed=" $(dpkg-query -W -f='${Package}=${Status}\n' "$@" 2>/dev/null |
    sed -n 's/=install ok installed$//p' | tr '\n' ' ' || true) "
  missing=()
  for p in "$@"; do
    [[ "$installed" == *" $p "* ]] || missing+=("$p")
  done
}

# apt-get install, through sudo unless root.
apt_install() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@"
}
