#!/usr/bin/env bash
# Start-up benchmark, wall clock with start-up included, with hyperfine (apt-get install hyperfine), in one run:
#   1. symbolize of a 20-address panic backtrace (goal <= 0.15 s), against addr2line and llvm-symbolizer
#   2. analyze of the shipped example with its ELF and cycles (goal <= 0.5 s)
#   3. 100,000 addresses on stdin (goal: faster than addr2line and llvm-symbolizer) on examples/connection/app.elf
#      and on the real ESP-IDF ELFs in ../shared/corpus/esp-coredump/ when it is there
# heapscope runs three ways: the unpacked distribution (bin/heapscope: jlink runtime and its AOT cache),
# ./heapscope (the checkout's launcher, with its cache trained), and plain `java -jar` without any cache.
# Needs ./build dist first; binutils for riscv32 and xtensa (Debian: gcc-riscv64-unknown-elf, binutils-xtensa-lx106)
# and llvm-symbolizer (Debian: llvm). Writes target/bench-startup/*.md; prints the tables.
#   scripts/bench-startup.sh [RUNS]      (default 10 runs per command)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-10}"
out="$root/target/bench-startup"
LLVM_SYMBOLIZER="${LLVM_SYMBOLIZER:-llvm-symbolizer}"
. "$root/scripts/bench-addresses.sh"
. "$root/scripts/jdk.sh"
heapscope_find_jdk
cd "$root"

tarball=$(ls dist/heapscope-*-linux-x64.tar.gz 2>/dev/null | head -n 1) || true
[ -n "$tarball" ] || { echo "bench-startup: run ./build dist first" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/unpacked"
tar -C "$out/unpacked" -xzf "$tarball"
dist=$(ls -d "$out"/unpacked/heapscope-*)/bin/heapscope
# ./heapscope trains its cache in the background on first use of a jar: wait for it
./heapscope -V >/dev/null
for _ in $(seq 120); do ls target/heapscope-*.aot.lock >/dev/null 2>&1 || break; sleep 1; done
jar=target/heapscope.jar

prefix() { # binutils prefix for an ELF's machine
  case "$(file -b "$1")" in
    *RISC-V*) echo riscv64-unknown-elf- ;;
    *Xtensa*|*Tensilica*) echo xtensa-lx106-elf- ;;
    *) echo "" ;;
  esac
}

bench() { # NAME, then hyperfine's commands
  local name="$1"; shift
  hyperfine -w 2 -r "$runs" -S bash --export-csv "$out/$name.csv" --style none "$@" >/dev/null 2>"$out/$name.err" ||
    { cat "$out/$name.err" >&2; exit 1; }
  # columns: command,mean,stddev,median,user,system,min,max (seconds); the first command is heapscope's distribution
  echo "### $name"
  echo
  echo "| command | median | min | max | CPU (user + system) | median / distribution's |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F, 'NR == 2 { base = $4 } NR > 1 {
    printf "| %s | %.3f s | %.3f s | %.3f s | %.3f s | %.2f |\n", $1, $4, $7, $8, $5 + $6, $4 / base }' "$out/$name.csv" |
    tee "$out/$name.md"
  echo
}

echo "$(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg); JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
echo

elf=examples/connection/app.elf
p=$(prefix "$elf")
addresses "$elf" "$p" 20 > "$out/backtrace.addrs"
{ printf 'Backtrace:'; sed 's/$/:0x3fc8f000/' "$out/backtrace.addrs" | tr '\n' ' ' | sed 's/^/ /'; echo; } > "$out/backtrace.txt"
bench symbolize-backtrace \
  -n "dist bin/heapscope" "$dist symbolize --elf $elf < $out/backtrace.txt" \
  -n "./heapscope" "./heapscope symbolize --elf $elf < $out/backtrace.txt" \
  -n "java -jar (no cache)" "$JAVA_HOME/bin/java -XX:TieredStopAtLevel=1 -jar $jar symbolize --elf $elf < $out/backtrace.txt" \
  -n "addr2line -pfiaC" "${p}addr2line -pfiaC -e $elf $(tr '\n' ' ' < "$out/backtrace.addrs")" \
  -n "llvm-symbolizer" "$LLVM_SYMBOLIZER --inlining --demangle --obj=$elf < $out/backtrace.addrs"

example=(examples/connection/cpu0.svdat examples/connection/cpu1.svdat --elf "$elf" --cycle "'New connection'")
bench analyze-example \
  -n "dist bin/heapscope" "$dist analyze ${example[*]}" \
  -n "./heapscope" "./heapscope analyze ${example[*]}" \
  -n "java -jar (no cache)" "$JAVA_HOME/bin/java -jar $jar analyze ${example[*]}"

elfs=("$elf")
for f in ../shared/corpus/esp-coredump/*.elf "$root"/../../shared/corpus/esp-coredump/*.elf; do
  [ -f "$f" ] && elfs+=("$f")
done
for f in "${elfs[@]}"; do
  p=$(prefix "$f")
  n=$(basename "$f" .elf)
  addresses "$f" "$p" 100000 > "$out/$n.many"
  bench "100k-$n" \
    -n "dist bin/heapscope" "$dist symbolize --no-demangle --elf $f < $out/$n.many" \
    -n "./heapscope" "./heapscope symbolize --no-demangle --elf $f < $out/$n.many" \
    -n "addr2line -fi" "${p}addr2line -f -i -e $f < $out/$n.many" \
    -n "llvm-symbolizer" "$LLVM_SYMBOLIZER --inlining --no-demangle --obj=$f < $out/$n.many"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
