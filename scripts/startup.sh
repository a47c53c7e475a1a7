# Sourced by ./heapscope: a start-up cache for the JVM, made once per jar and JDK.
#   JDK 25+:   -XX:AOTCache, trained in the background on the shipped example the first time a jar runs
#   JDK 21-24: AppCDS, -XX:SharedArchiveFile with -XX:+AutoCreateSharedArchive (the JVM writes it at exit)
# The cache lives beside the jar, or under ${XDG_CACHE_HOME:-~/.cache}/heapscope when that is not writable, and its
# name holds the JDK's version and the jar's time and size, so a rebuilt jar or another JDK gets a new one (the old
# ones of the same jar are deleted). Nothing here may fail the run: without a usable cache the JVM starts as usual.

heapscope_stamp() { # mtime.size of a file, GNU or BSD stat
  stat -c '%Y.%s' "$1" 2>/dev/null || stat -f '%m.%z' "$1" 2>/dev/null
}

heapscope_cache_dir() {
  local jar_dir dir
  jar_dir=$(dirname "$1")
  for dir in "$jar_dir" "${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/heapscope"; do
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] && { printf '%s\n' "$dir"; return 0; }
  done
  return 1
}

# Appends the cache options for running JAR with the JDK at JAVA_HOME to the array jvm_opts; starts the
# training of a JDK 25 cache when there is none yet. EXAMPLE is the example directory to train on.
heapscope_startup_cache() {
  local jar="$1" example="$2" major version dir base stamp cache old
  major=$(heapscope_java_major "$JAVA_HOME/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ] || return 0
  version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null | head -n 1)
  dir=$(heapscope_cache_dir "$jar") || return 0
  stamp=$(heapscope_stamp "$jar") || return 0
  # one family of caches per jar location and JDK installation
  base="heapscope-$(printf '%s\n%s\n' "$jar" "$JAVA_HOME" | cksum | cut -d' ' -f1)"
  if [ "$major" -ge 25 ]; then
    cache="$dir/$base-${version:-$major}-$stamp.aot"
    if [ -f "$cache" ]; then
      jvm_opts+=("-XX:AOTCache=$cache")
      return 0
    fi
    # a training that died without cleaning up leaves its lock; one older than ten minutes is stale
    find "$cache.lock" -maxdepth 0 -mmin +10 -exec rm -rf {} + 2>/dev/null || true
    if [ -d "$example" ] && mkdir "$cache.lock" 2>/dev/null; then
      # In the background, so this run is not slowed; written under another name and moved, so a run never sees
      # half a cache. The previous caches of this jar go once the new one is in place.
      (
        trap 'rm -rf "$cache.lock" "$cache.tmp" "$cache.tmp.config"' EXIT
        if "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$cache.tmp" -cp "$jar" heapscope.startup.Training "$example" &&
           [ -s "$cache.tmp" ] && mv -f "$cache.tmp" "$cache"; then
          for old in "$dir/$base"-*.aot; do
            [ "$old" = "$cache" ] || rm -f "$old"
          done
        fi
      ) </dev/null >/dev/null 2>&1 &
    fi
  else
    cache="$dir/$base-${version:-$major}-$stamp.jsa"
    for old in "$dir/$base"-*.jsa; do
      [ -e "$old" ] && [ "$old" != "$cache" ] && rm -f "$old"
    done
    jvm_opts+=("-XX:SharedArchiveFile=$cache" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}
