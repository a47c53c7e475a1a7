#!/usr/bin/env bash
# ./build dist: the distribution, in dist/
#   heapscope-VERSION-linux-x64.tar.gz   a Java runtime made by jlink (only the modules the jar uses), the jar, the
#                                        launcher bin/heapscope, a start-up cache trained on the shipped example,
#                                        bash/zsh completion, man pages, the example
#   heapscope-VERSION.jar                the plain jar, for `java -jar` on any OS with a JDK >= 21
#   heapscope.cmd                        the launcher for Windows, beside that jar
# Needs asciidoctor for the man pages (installed with apt-get when missing and run as root).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/maven.sh"
heapscope_find_jdk
heapscope_maven "$root"
step() { echo "dist: $*" >&2; }

if ! command -v asciidoctor >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing asciidoctor (for the man pages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq asciidoctor >/dev/null
  else
    echo "dist: needs asciidoctor for the man pages (apt-get install asciidoctor, brew install asciidoctor)" >&2
    exit 1
  fi
fi

step "building target/heapscope.jar"
heapscope_quiet_build "$root" -Dmaven.test.skip=true package
jar="$root/target/heapscope.jar"
version=$("$JAVA_HOME/bin/java" -jar "$jar" -V | sed -n 's/^heapscope //p')
major=$(heapscope_java_major "$JAVA_HOME/bin/java")
name="heapscope-$version"
work="$root/target/dist"
image="$work/$name"
rm -rf "$work" "$root/dist"
mkdir -p "$image/bin" "$image/lib" "$image/share/man/man1" "$image/share/bash-completion/completions" \
  "$image/examples/connection" "$root/dist"

modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$major" "$jar")
step "Java runtime: jlink of $modules from JDK $major"
# --compress: zip-6 is the spelling of JDK 21+; the runtime's own CDS archive is left out, the app's cache holds it
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$image/lib/runtime"

cp "$jar" "$image/lib/heapscope.jar"
cp "$root/src/dist/heapscope" "$image/bin/heapscope"
chmod 755 "$image/bin/heapscope"
cp "$root/README.md" "$image/README.md"
for f in README.md app.elf cpu0.svdat cpu1.svdat; do
  cp "$root/examples/connection/$f" "$image/examples/connection/$f"
done

# The cache is made by the runtime that ships, from the jar where it ships, so the JVM accepts it after unpacking
# anywhere (it checks the JDK build and the jar, by its path relative to the runtime, size and time).
java_rt="$image/lib/runtime/bin/java"
if [ "$major" -ge 25 ]; then
  step "ahead-of-time cache: training run on examples/connection"
  "$java_rt" -XX:AOTCacheOutput="$image/lib/heapscope.aot" -cp "$image/lib/heapscope.jar" \
    heapscope.startup.Training "$image/examples/connection" >"$work/training.log" 2>&1 ||
    { cat "$work/training.log" >&2; exit 1; }
  rm -f "$image/lib/heapscope.aot.config"
else
  step "class-data archive (AppCDS): training run on examples/connection"
  "$java_rt" -XX:ArchiveClassesAtExit="$image/lib/heapscope.jsa" -cp "$image/lib/heapscope.jar" \
    heapscope.startup.Training "$image/examples/connection" >"$work/training.log" 2>&1 ||
    { cat "$work/training.log" >&2; exit 1; }
fi

step "completion and man pages (picocli)"
codegen="$work/tools"
picocli=$(sed -n 's:.*<picocli.version>\(.*\)</picocli.version>.*:\1:p' "$root/pom.xml")
(cd "$root" && "$HEAPSCOPE_MVN" -q -B -Dstyle.color=never dependency:copy \
  -Dartifact="info.picocli:picocli-codegen:$picocli" -DoutputDirectory="$codegen" >"$work/codegen.log" 2>&1) ||
  { cat "$work/codegen.log" >&2; exit 1; }
"$JAVA_HOME/bin/java" -cp "$jar:$codegen/picocli-codegen-$picocli.jar" "$root/src/dist/Docs.java" "$work/docs"
cp "$work/docs/heapscope.bash" "$image/share/bash-completion/completions/heapscope"
asciidoctor -b manpage -a reproducible -D "$image/share/man/man1" "$work/docs/man"/*.adoc

step "packing"
tarball="$root/dist/$name-linux-x64.tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
cp "$jar" "$root/dist/$name.jar"
sed "s/@VERSION@/$version/g" "$root/src/dist/heapscope.cmd" | sed 's/$/\r/' > "$root/dist/heapscope.cmd"
for f in "$tarball" "$root/dist/$name.jar" "$root/dist/heapscope.cmd"; do
  echo "dist/$(basename "$f")  $(du -h "$f" | cut -f1)"
done
