package heapscope.demangle;

/**
 * Legacy Rust symbols ({@code _ZN...17h<hash>E}) look like C++ nested names, and c++filt tries
 * Rust first: the path segments are unescaped ({@code $LT$} is {@code <}, {@code ..} is
 * {@code ::}) and a {@code .suffix} after the final {@code E} is dropped. ESP-IDF applications
 * can link Rust code, so these reach us as well.
 */
final class RustLegacyDemangler {
  private RustLegacyDemangler() {}

  /** The Rust reading of {@code sym}, or null when it is not a legacy Rust symbol. */
  static String demangle(String sym) {
    if (!sym.startsWith("_ZN")) {
      return null;
    }
    for (int i = 3; i < sym.length(); i++) {
      char c = sym.charAt(i);
      if (!(c == '_' || Character.isLetterOrDigit(c) && c < 128 || c == '$' || c == '.' || c == ':'
          || c == '@')) {
        return null;
      }
    }
    // Ends with E, possibly followed by a ".suffix", which is ignored.
    int end = sym.length();
    boolean dotSuffix = true;
    while (end > 3 && !(dotSuffix && sym.charAt(end - 1) == 'E')) {
      dotSuffix = sym.charAt(end - 1) == '.';
      end--;
    }
    if (end <= 3 || sym.charAt(end - 1) != 'E') {
      return null;
    }
    end--;
    if (end - 3 <= 19 || !sym.startsWith("17h", end - 19)) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int pos = 3;
    String last = null;
    while (pos < end) {
      if (!Character.isDigit(sym.charAt(pos))) {
        return null;
      }
      long len = sym.charAt(pos) - '0';
      pos++;
      if (len != 0) {
        while (pos < end && Character.isDigit(sym.charAt(pos))) {
          len = len * 10 + (sym.charAt(pos++) - '0');
          if (len > end) {
            return null;
          }
        }
      }
      if (len == 0 || pos + len > end) {
        return null;
      }
      last = sym.substring(pos, pos + (int) len);
      pos += (int) len;
      if (!out.isEmpty()) {
        out.append("::");
      }
      appendIdentifier(out, last);
    }
    return isHash(last) ? out.toString() : null;
  }

  /** 'h' and 16 lowercase hex digits, at least 5 of them distinct (libiberty's test). */
  private static boolean isHash(String segment) {
    if (segment == null || segment.length() != 17 || segment.charAt(0) != 'h') {
      return false;
    }
    int seen = 0;
    for (int i = 1; i < 17; i++) {
      int nibble = Character.digit(segment.charAt(i), 16);
      if (nibble < 0 || Character.isUpperCase(segment.charAt(i))) {
        return false;
      }
      seen |= 1 << nibble;
    }
    return Integer.bitCount(seen) >= 5;
  }

  private static void appendIdentifier(StringBuilder out, String id) {
    // The mangler prefixes '_' so that an identifier never starts with an escape.
    if (id.length() >= 2 && id.charAt(0) == '_' && id.charAt(1) == '$') {
      id = id.substring(1);
    }
    int i = 0;
    while (i < id.length()) {
      char c = id.charAt(i);
      if (c == '$') {
        int close = escapeEnd(id, i);
        if (close < 0) {
          out.append(id, i, id.length());
          return;
        }
        out.append(unescape(id.substring(i + 1, close)));
        i = close + 1;
      } else if (c == '.') {
        if (i + 1 < id.length() && id.charAt(i + 1) == '.') {
          out.append("::");
          i += 2;
        } else {
          out.append('.');
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
  }

  /** Index of the '$' closing a known escape starting at {@code start}, or -1. */
  private static int escapeEnd(String id, int start) {
    String rest = id.substring(start + 1);
    int len;
    if (rest.startsWith("C")) {
      len = 1;
    } else if (rest.length() > 2 && rest.charAt(0) == 'u' && rest.length() > 3) {
      len = 3;
    } else if (rest.length() > 2) {
      len = 2;
    } else {
      return -1;
    }
    if (rest.length() <= len || rest.charAt(len) != '$' || unescape(rest.substring(0, len)) == 0) {
      return -1;
    }
    return start + 1 + len;
  }

  private static char unescape(String code) {
    return switch (code) {
      case "C" -> ',';
      case "SP" -> '@';
      case "BP" -> '*';
      case "RF" -> '&';
      case "LT" -> '<';
      case "GT" -> '>';
      case "LP" -> '(';
      case "RP" -> ')';
      default -> {
        if (code.length() == 3 && code.charAt(0) == 'u') {
          int hi = lowerHex(code.charAt(1));
          int lo = lowerHex(code.charAt(2));
          if (hi >= 0 && hi <= 7 && lo >= 0 && (hi << 4 | lo) >= 0x20) {
            yield (char) (hi << 4 | lo);
          }
        }
        yield 0;
      }
    };
  }

  private static int lowerHex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
