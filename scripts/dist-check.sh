#!/usr/bin/env bash
# Builds the distribution (./build dist) and checks it as a user would get it: the tarball unpacked into an empty
# directory runs the README's example with an empty environment (no JAVA_HOME, no java on PATH) and prints the
# same report as ./heapscope; its start-up cache is accepted by the JVM where it was unpacked; completion, man
# pages, the plain jar and the Windows launcher are there. ./test runs this when CI=true or HEAPSCOPE_DIST_CHECK=1.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
fail() { echo "dist-check: FAILED: $*" >&2; exit 1; }

./build dist
tarball=$(ls dist/heapscope-*-linux-x64.tar.gz)
name=$(basename "$tarball" -linux-x64.tar.gz)
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xzf "$tarball"
home="$unpacked/$name"

example=(analyze examples/connection/cpu0.svdat examples/connection/cpu1.svdat --elf examples/connection/app.elf
  --cycle 'New connection')
./heapscope "${example[@]}" > "$unpacked/expected.txt"
env -i "$home/bin/heapscope" "${example[@]}" > "$unpacked/actual.txt" || fail "the unpacked launcher exited with $?"
diff -u "$unpacked/expected.txt" "$unpacked/actual.txt" >&2 || fail "the distribution's report differs from ./heapscope's"
grep -q 'Steady leak: 8,628 bytes per cycle' "$unpacked/actual.txt" || fail "the report lacks the example's steady leak"

# the launcher needs no PATH at all; through a symbolic link it needs readlink
env -i PATH=/nonexistent "$home/bin/heapscope" symbolize --elf "$home/examples/connection/app.elf" 0x400000fa \
  > "$unpacked/sym.txt" || fail "symbolize without PATH exited with $?"
grep -q 'at /project/' "$unpacked/sym.txt" || fail "symbolize printed no source line"
ln -s "$home/bin/heapscope" "$unpacked/hs"
env -i "$unpacked/hs" -V | grep -q '^heapscope ' || fail "the launcher does not run through a symbolic link"

# the JVM refuses to start with AOTMode=on unless it can map the cache that ships
cache=
for f in "$home"/lib/heapscope.aot "$home"/lib/heapscope.jsa; do [ -f "$f" ] && cache=$f; done
[ -n "$cache" ] || fail "no start-up cache in lib/"
case "$cache" in
  *.aot) mode=(-XX:AOTMode=on "-XX:AOTCache=$cache") ;;
  *) mode=(-Xshare:on "-XX:SharedArchiveFile=$cache") ;;
esac
env -i "$home/lib/runtime/bin/java" "${mode[@]}" -jar "$home/lib/heapscope.jar" -V >/dev/null ||
  fail "the JVM cannot use $(basename "$cache") where the tarball was unpacked"

# completion (bash; zsh through bashcompinit) proposes the commands, man pages exist for each command
completion="$home/share/bash-completion/completions/heapscope"
words=$(bash -c 'source "$1"; COMP_WORDS=(heapscope ana); COMP_CWORD=1; _complete_heapscope; echo "${COMPREPLY[*]}"' _ "$completion")
[ "$words" = analyze ] || fail "completion of 'heapscope ana' gave '$words'"
for page in heapscope heapscope-analyze heapscope-symbolize heapscope-monitor; do
  [ -s "$home/share/man/man1/$page.1" ] || fail "no man page $page.1"
done
grep -q '^\.SH "OPTIONS"' "$home/share/man/man1/heapscope-analyze.1" || fail "heapscope-analyze.1 has no OPTIONS section"

# the plain jar and the Windows launcher beside it
. scripts/jdk.sh
heapscope_find_jdk
"$JAVA_HOME/bin/java" -jar "dist/$name.jar" -V | grep -q "^heapscope " || fail "java -jar dist/$name.jar -V"
grep -q "%~dp0$name.jar" dist/heapscope.cmd || fail "heapscope.cmd does not run $name.jar"
echo "dist-check: the unpacked distribution ran the README's example with an empty environment: same report as ./heapscope"
