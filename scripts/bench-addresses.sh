# Sourced by the symbolizer benchmarks.

# addresses ELF PREFIX COUNT: random addresses inside sized function symbols, 2-byte aligned.
addresses() {
  "${2}nm" -S --defined-only "$1" | awk '$3 ~ /^[tTwW]$/ && $2 != "" { print $1, $2 }' |
    awk -v n="$3" '
      function hex(t,   v, i) { v = 0; t = tolower(t); for (i = 1; i <= length(t); i++) v = v * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1; return v }
      { s[NR] = hex($1); z[NR] = hex($2) }
      END { srand(11); for (i = 0; i < n; i++) { f = 1 + int(rand() * NR); a = s[f] + 2 * int(rand() * z[f] / 2); printf "0x%08x\n", a } }'
}
