# Sourced by ./hookwire and ./test: finds a JDK 21 or newer and exports JAVA_HOME for it.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_java() {
  local candidates=() candidate major
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for dir in /usr/lib/jvm/*/ /opt/java/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/; do
    [[ -x "$dir/bin/java" ]] && candidates+=("$dir/bin/java")
  done
  for candidate in "${candidates[@]}"; do
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "${major%%.*}" -ge 21 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! java_bin="$(find_java)"; then
  echo "hookwire: needs a JDK 21 or newer; none found in JAVA_HOME, on the PATH or in /usr/lib/jvm." >&2
  echo "hookwire: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME." >&2
  exit 1
fi
JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
export JAVA_HOME
