#!/usr/bin/env bash
# Builds the example firmware (app.elf, RISC-V rv32imc as on the ESP32-P4/C3 family) and records the return
# address of every call in it (callsites.txt: caller callee return-address), from which
# `heapscope simulate connections` writes the example capture with real call stacks of this ELF.
# Needs Debian's gcc-riscv64-unknown-elf. heapscope's tests and README only read the committed results.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/.."
cc=riscv64-unknown-elf-gcc
# Paths in the ELF look like an ESP-IDF project's, wherever the repository is checked out.
"$cc" -march=rv32imc -mabi=ilp32 -O2 -g -gdwarf-5 -ffreestanding -nostdlib -fno-builtin -fno-inline-small-functions -fno-optimize-sibling-calls \
  -ffile-prefix-map="$here"=/project -T "$here/link.ld" -Wl,--build-id=sha1 \
  -o "$out/app.elf" \
  "$here/main/app_main.c" "$here/components/heap/heap_caps.c" "$here/components/freertos/queue.c" \
  "$here/components/pthread/pthread.c" "$here/components/webrtc/peer_connection.c"
# "<addr>:  <bytes>  jal  <target> <callee>" inside "<addr> <caller>:" blocks; return address = addr + size
riscv64-unknown-elf-objdump -d "$out/app.elf" | awk '
  function hex(t,   v, i) { v = 0; for (i = 1; i <= length(t); i++) v = v * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1; return v }
  /^[0-9a-f]+ <.*>:$/ { caller = $2; gsub(/[<>:]/, "", caller); next }
  /\t(jal|jalr|c\.jal|c\.jalr)\t/ && /<[^>+]+>$/ {
    split($0, f, "\t"); addr = f[1]; gsub(/[ :]/, "", addr); bytes = f[2]; gsub(/ /, "", bytes)
    callee = $NF; gsub(/[<>]/, "", callee)
    printf "%s %s 0x%08x\n", caller, callee, hex(addr) + length(bytes) / 2
  }' > "$out/callsites.txt"
echo "wrote $out/app.elf and $out/callsites.txt ($(wc -l < "$out/callsites.txt") call sites)"
