#!/usr/bin/env bash
# Benchmarks `heapscope symbolize` against GNU addr2line and llvm-symbolizer, same inputs, same run.
#   scripts/bench-symbolizer.sh [COUNT]      (default 100000 addresses)
# For the largest committed fixture and for a synthetic ELF with tens of MB of DWARF (generated into
# target/bench by src/test/fixtures/elf/synth/generate.sh on first use), it times, wall clock and
# start-up included, each tool resolving COUNT random instruction-aligned addresses read from stdin
# by one process, and one single address (the worst case: all start-up, no amortization). Each
# measurement is the median of 5 runs. All tools print mangled names with inline frames, so they do
# the same work. heapscope runs as its launcher (./heapscope) starts it, minus the launcher's JDK search;
# the last column is plain `java -jar` with the JVM's default flags, for comparison. Ratios above 1
# mean heapscope is faster. Needs: riscv64-unknown-elf-gcc/binutils, xtensa-lx106-elf-binutils, llvm-symbolizer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-100000}"
bench="$root/target/bench"
mkdir -p "$bench"
LLVM_SYMBOLIZER="${LLVM_SYMBOLIZER:-llvm-symbolizer}"
. "$root/scripts/bench-addresses.sh"

"$root/build" -q -o -DskipTests package >/dev/null 2>&1 || "$root/build" -q -DskipTests package
. "$root/scripts/jdk.sh"
heapscope_find_jdk
jar="$root/target/heapscope.jar"
launcher_opts=(-XX:TieredStopAtLevel=1) # what ./heapscope passes for symbolize

[ -f "$bench/synth/synth.elf" ] || "$root/src/test/fixtures/elf/synth/generate.sh" "$bench/synth" >/dev/null
largest="$(ls -S "$root"/src/test/resources/elf/*.elf | head -n 1)"

# "WALL CPU": medians of 5 runs of CMD < INPUT > /dev/null; CPU is user + system time of all threads.
timed() {
  local input="$1"; shift
  local wall=() cpu=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %U %S' -o "$bench/time" "$@" < "$input" > /dev/null
    read -r e u s < "$bench/time"
    wall+=("$e")
    cpu+=("$(echo "$u + $s" | bc -l)")
  done
  echo "$(printf '%s\n' "${wall[@]}" | sort -g | sed -n 3p) $(printf '%s\n' "${cpu[@]}" | sort -g | sed -n 3p)"
}

row() { # name elf binutils-prefix
  local name="$1" elf="$2" p="$3"
  addresses "$elf" "$p" "$count" > "$bench/$name.many"
  head -n 1 "$bench/$name.many" > "$bench/$name.one"
  for kind in many one; do
    local ours gnu llvm plain
    read -r ours ours_cpu <<< "$(timed "$bench/$name.$kind" "$JAVA_HOME/bin/java" "${launcher_opts[@]}" -jar "$jar" \
      symbolize --exact --no-demangle --elf "$elf")"
    read -r gnu gnu_cpu <<< "$(timed "$bench/$name.$kind" "${p}addr2line" -f -i -e "$elf")"
    read -r llvm llvm_cpu <<< "$(timed "$bench/$name.$kind" "$LLVM_SYMBOLIZER" --inlining --no-demangle --obj="$elf")"
    read -r plain _ <<< "$(timed "$bench/$name.$kind" "$JAVA_HOME/bin/java" -jar "$jar" symbolize --exact --no-demangle --elf "$elf")"
    local n; n=$([ "$kind" = many ] && echo "$count" || echo 1)
    printf '| %s | %s | %.2f s | %.2f s | %.2f s | **%.2f** | **%.2f** | %.2f / %.2f / %.2f s | %.2f s |\n' \
      "$name" "$n" "$ours" "$gnu" "$llvm" "$(echo "$gnu / $ours" | bc -l)" "$(echo "$llvm / $ours" | bc -l)" \
      "$ours_cpu" "$gnu_cpu" "$llvm_cpu" "$plain"
  done
}

debug_mb() { "${2}size" -A "$1" | awk '/^\.debug/ { s += $2 } END { printf "%.2f", s / 1048576 }'; }
echo "largest fixture: $(basename "$largest") ($(debug_mb "$largest" riscv64-unknown-elf-) MB DWARF);" \
  "synthetic: $(debug_mb "$bench/synth/synth.elf" riscv64-unknown-elf-) MB DWARF"
echo "$(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| ELF | addresses | heapscope | addr2line | llvm-symbolizer | addr2line / heapscope | llvm-symbolizer / heapscope | CPU heapscope / addr2line / llvm | heapscope, default JVM flags |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
case "$(basename "$largest")" in
  xtensa*) fixture_prefix=xtensa-lx106-elf- ;;
  *) fixture_prefix=riscv64-unknown-elf- ;;
esac
row "$(basename "$largest" .elf)" "$largest" "$fixture_prefix"
row synthetic "$bench/synth/synth.elf" riscv64-unknown-elf-
