# Sourced by ./heapscope, ./build and scripts/dist.sh: which Maven to run, and a quiet build for first-time users.

# Sets HEAPSCOPE_MVN to the Maven on PATH, or to the project's Maven Wrapper (./mvnw, the version pinned in
# .mvn/wrapper/maven-wrapper.properties, downloaded from Maven Central on first use) when there is none.
heapscope_maven() {
  local root="$1"
  if command -v mvn >/dev/null 2>&1; then
    HEAPSCOPE_MVN=mvn
  else
    HEAPSCOPE_MVN="$root/mvnw"
  fi
}

# The Maven the wrapper would download, if it has not yet: its version, else nothing.
heapscope_wrapper_pending() {
  local root="$1" url version
  [ "$HEAPSCOPE_MVN" = "$root/mvnw" ] || return 0
  url=$(sed -n 's/^distributionUrl=//p' "$root/.mvn/wrapper/maven-wrapper.properties")
  version=$(printf '%s\n' "$url" | sed -n 's:.*/apache-maven-\([^/]*\)-bin\..*:\1:p')
  [ -d "${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists/apache-maven-$version" ] || printf '%s\n' "$version"
}

# Runs Maven with ARGS in ROOT, printing one progress line per phase on standard error instead of Maven's log;
# the whole log when the build fails. Returns Maven's status.
heapscope_quiet_build() {
  local root="$1"; shift
  local log pending status
  mkdir -p "$root/target"
  log="$root/target/build.log"
  pending=$(heapscope_wrapper_pending "$root")
  [ -z "$pending" ] || echo "heapscope: downloading Maven $pending from Maven Central (first build only)" >&2
  set +e
  (cd "$root" && "$HEAPSCOPE_MVN" -B -Dstyle.color=never "$@") 2>&1 | awk -v logfile="$log" '
    # Maven 3.8 prints colour resets even with style.color=never: kept out of the log.
    { gsub(/\033\[[0-9;]*m/, ""); print > logfile }
    # Maven 3.8 names plugins "maven-compiler-plugin:3.13.0:compile", 3.9 "compiler:3.13.0:compile".
    function say(text) { if (!(text in said)) { said[text] = 1; print "heapscope: " text " ..." > "/dev/stderr"; fflush("/dev/stderr") } }
    /^\[INFO\] Download(ing|ed) from / { say("fetching plugins and libraries from Maven Central (first build only)") }
    /^\[INFO\] --- / {
      split($3, part, ":"); goal = part[3]
      if (goal == "resources") say("copying resources")
      else if (goal == "compile") say("compiling")
      else if (goal == "shade" || goal == "jar") say("packaging")
    }'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
    echo "heapscope: build failed (log above, also in $log)" >&2
  fi
  return "$status"
}
