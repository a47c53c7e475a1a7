#!/usr/bin/env bash
# Builds the example firmware as ESP-IDF does, one static library per component (app.elf, app.map; RISC-V
# rv32imc, ESP32-P4 layout), and records the return address of every call in it (callsites.txt: caller callee
# return-address), from which `heapscope simulate connections` writes the example capture with real call
# stacks of this ELF. Needs Debian's gcc-riscv64-unknown-elf. heapscope's tests and README only read the
# committed results.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/.."
cd "$here" # relative paths only, so neither the ELF nor the map names this machine's directories
rm -rf build
trap 'rm -rf "$here/build"' EXIT
cc=riscv64-unknown-elf-gcc
flags=(-march=rv32imc -mabi=ilp32 -O2 -g -gdwarf-5 -ffreestanding -nostdlib -fno-builtin -fno-inline-small-functions
  -fno-optimize-sibling-calls -ffunction-sections -ffile-prefix-map="$here"=/project)
for component in heap freertos pthread webrtc; do
  mkdir -p "build/esp-idf/$component"
  objects=()
  for source in components/"$component"/*.c; do
    object="build/esp-idf/$component/$(basename "$source").obj"
    "$cc" "${flags[@]}" -c "$source" -o "$object"
    objects+=("$object")
  done
  riscv64-unknown-elf-ar rcsD "build/esp-idf/$component/lib$component.a" "${objects[@]}"
done
mkdir -p build/esp-idf/main
"$cc" "${flags[@]}" -c main/app_main.c -o build/esp-idf/main/app_main.c.obj
riscv64-unknown-elf-ar rcsD build/esp-idf/main/libmain.a build/esp-idf/main/app_main.c.obj
(cd build && "$cc" "${flags[@]}" -T ../link.ld -Wl,--build-id=sha1 -Wl,-Map=app.map -Wl,--whole-archive \
  esp-idf/main/libmain.a -Wl,--no-whole-archive esp-idf/webrtc/libwebrtc.a esp-idf/pthread/libpthread.a \
  esp-idf/freertos/libfreertos.a esp-idf/heap/libheap.a -o app.elf)
cp build/app.elf build/app.map "$out/"
# "<addr>:  <bytes>  jal  <target> <callee>" inside "<addr> <caller>:" blocks; return address = addr + size
riscv64-unknown-elf-objdump -d "$out/app.elf" | awk '
  function hex(t,   v, i) { v = 0; for (i = 1; i <= length(t); i++) v = v * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1; return v }
  /^[0-9a-f]+ <.*>:$/ { caller = $2; gsub(/[<>:]/, "", caller); next }
  /\t(jal|jalr|c\.jal|c\.jalr)\t/ && /<[^>+]+>$/ {
    split($0, f, "\t"); addr = f[1]; gsub(/[ :]/, "", addr); bytes = f[2]; gsub(/ /, "", bytes)
    callee = $NF; gsub(/[<>]/, "", callee)
    printf "%s %s 0x%08x\n", caller, callee, hex(addr) + length(bytes) / 2
  }' > "$out/callsites.txt"
echo "wrote app.elf, app.map and callsites.txt ($(wc -l < "$out/callsites.txt") call sites)"
