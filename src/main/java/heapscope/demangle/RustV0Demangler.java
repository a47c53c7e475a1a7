package heapscope.demangle;

import java.util.ArrayList;
import java.util.List;

/**
 * Rust v0 symbols ({@code _R...}), the default mangling of current rustc, printed as c++filt
 * prints them (verbosely: crate roots carry their disambiguator, {@code core[c1f1a4ba060b9bfa]},
 * and constants their type). Works in a single pass over the input, printing as it parses;
 * back references re-read an earlier position.
 */
final class RustV0Demangler {
  private static final int MAX_RECURSION = 500;
  private static final int MAX_OUTPUT = 1 << 18;
  private static final int MAX_STEPS = 1 << 18;

  private final String sym;
  private final int end;
  private int pos;
  private int recursion;
  private int steps;
  private boolean skipping;
  private int boundLifetimes;
  private final StringBuilder out = new StringBuilder();

  private RustV0Demangler(String sym, int end) {
    this.sym = sym;
    this.end = end;
  }

  /** The Rust reading of {@code mangled}, or null when it is not a v0 symbol we can print. */
  static String demangle(String mangled) {
    if (!mangled.startsWith("_R") || mangled.length() < 3 || !isUpper(mangled.charAt(2))) {
      return null;
    }
    // A '.suffix' (LLVM clones) is ignored; before it only [_0-9a-zA-Z] may appear.
    int end = mangled.indexOf('.');
    end = end < 0 ? mangled.length() : end;
    for (int i = 2; i < end; i++) {
      char c = mangled.charAt(i);
      if (!(c == '_' || c < 128 && Character.isLetterOrDigit(c))) {
        return null;
      }
    }
    RustV0Demangler d = new RustV0Demangler(mangled.substring(2, end), end - 2);
    try {
      d.path(true);
      if (d.pos < d.end) {
        // The instantiating crate is parsed but not printed.
        d.skipping = true;
        d.path(false);
      }
      return d.pos == d.end ? d.out.toString() : null;
    } catch (Failure | StackOverflowError e) {
      return null;
    }
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private void print(String s) {
    if (!skipping) {
      out.append(s);
      if (out.length() > MAX_OUTPUT) {
        throw new Failure();
      }
    }
  }

  private char peek() {
    return pos < end ? sym.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= end) {
      throw new Failure();
    }
    return sym.charAt(pos++);
  }

  private boolean eat(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** Prints the items of a list that ends with {@code E}, with the separator between them. */
  private void list(String separator, Runnable item) {
    for (int i = 0; !eat('E'); i++) {
      if (i > 0) {
        print(separator);
      }
      item.run();
    }
  }

  private void enter() {
    // Back references can make the printed tree exponential: cap depth and total work.
    if (++recursion > MAX_RECURSION || ++steps > MAX_STEPS) {
      throw new Failure();
    }
  }

  /** {@code _} is 0, otherwise base-62 digits then {@code _}, plus one (unsigned 64-bit). */
  private long base62() {
    if (eat('_')) {
      return 0;
    }
    long x = 0;
    while (!eat('_')) {
      char c = next();
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (isLower(c)) {
        digit = 10 + c - 'a';
      } else if (isUpper(c)) {
        digit = 36 + c - 'A';
      } else {
        throw new Failure();
      }
      // Wraps like libiberty's uint64_t: crate disambiguators use all 64 bits.
      x = x * 62 + digit;
    }
    return x + 1;
  }

  private long disambiguator() {
    return eat('s') ? base62() + 1 : 0;
  }

  /** The identifier's text, or "" when empty; {@code u}-prefixed ones are punycode. */
  private String identifier() {
    boolean punycode = eat('u');
    char c = next();
    if (c < '0' || c > '9') {
      throw new Failure();
    }
    long len = c - '0';
    if (c != '0') {
      while (peek() >= '0' && peek() <= '9') {
        len = len * 10 + (next() - '0');
        if (len > end) {
          throw new Failure();
        }
      }
    }
    eat('_');
    if (pos + len > end) {
      throw new Failure();
    }
    String id = sym.substring(pos, pos + (int) len);
    pos += (int) len;
    return punycode ? decodePunycode(id) : id;
  }

  /**
   * RFC 3492 punycode with '_' as the delimiter between the ASCII part and the encoded
   * insertions, as Rust writes non-ASCII identifiers.
   */
  private static String decodePunycode(String id) {
    int split = id.lastIndexOf('_');
    String encoded = id.substring(split + 1);
    if (encoded.isEmpty()) {
      throw new Failure();
    }
    List<Integer> out = new ArrayList<>();
    (split < 0 ? "" : id.substring(0, split)).codePoints().forEach(out::add);
    long n = 128;
    long i = 0;
    long bias = 72;
    int at = 0;
    while (at < encoded.length()) {
      long oldI = i;
      long w = 1;
      for (long k = 36; ; k += 36) {
        if (at >= encoded.length()) {
          throw new Failure();
        }
        char c = encoded.charAt(at++);
        int digit = c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? c - '0' + 26 : -1;
        if (digit < 0) {
          throw new Failure();
        }
        i += digit * w;
        long t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (i > 0x10FFFF * 64L || digit < t) {
          break;
        }
        w *= 36 - t;
      }
      long points1 = out.size() + 1;
      long delta = i - oldI;
      delta = oldI == 0 ? delta / 700 : delta / 2;
      delta += delta / points1;
      long k = 0;
      while (delta > 35 * 26 / 2) {
        delta /= 35;
        k += 36;
      }
      bias = k + 36 * delta / (delta + 38);
      n += i / points1;
      i %= points1;
      if (n > 0x10FFFF || n >= 0xD800 && n <= 0xDFFF) {
        throw new Failure();
      }
      out.add((int) i, (int) n);
      i++;
    }
    StringBuilder text = new StringBuilder();
    for (int p : out) {
      text.appendCodePoint(p);
    }
    return text.toString();
  }

  /** Jumps to an earlier position for a back reference, then comes back. */
  private int backref() {
    int at = pos - 1;
    long target = base62();
    if (Long.compareUnsigned(target, at) >= 0) {
      throw new Failure();
    }
    return (int) target;
  }

  private void path(boolean inValue) {
    enter();
    try {
      char tag = next();
      switch (tag) {
        case 'C' -> {
          long dis = disambiguator();
          print(identifier());
          print("[" + Long.toHexString(dis) + "]");
        }
        case 'N' -> {
          char ns = next();
          if (!isLower(ns) && !isUpper(ns)) {
            throw new Failure();
          }
          path(inValue);
          long dis = disambiguator();
          String name = identifier();
          if (isUpper(ns)) {
            print("::{" + (ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns)));
            if (!name.isEmpty()) {
              print(":" + name);
            }
            print("#" + Long.toUnsignedString(dis) + "}");
          } else if (!name.isEmpty()) {
            print("::" + name);
          }
        }
        case 'M', 'X', 'Y' -> {
          if (tag != 'Y') {
            // The impl's own path is not printed.
            disambiguator();
            boolean was = skipping;
            skipping = true;
            path(inValue);
            skipping = was;
          }
          print("<");
          type();
          if (tag != 'M') {
            print(" as ");
            path(false);
          }
          print(">");
        }
        case 'I' -> {
          path(inValue);
          if (inValue) {
            print("::");
          }
          print("<");
          list(", ", this::genericArg);
          print(">");
        }
        case 'B' -> {
          int target = backref();
          if (!skipping) {
            int saved = pos;
            pos = target;
            path(inValue);
            pos = saved;
          }
        }
        default -> throw new Failure();
      }
    } finally {
      recursion--;
    }
  }

  private void genericArg() {
    if (eat('L')) {
      lifetime(base62());
    } else if (eat('K')) {
      constant();
    } else {
      type();
    }
  }

  private void lifetime(long index) {
    print("'");
    if (index == 0) {
      print("_");
      return;
    }
    long depth = boundLifetimes - index;
    if (Long.compareUnsigned(depth, 26) < 0) {
      print(String.valueOf((char) ('a' + depth)));
    } else {
      print("_" + Long.toUnsignedString(depth));
    }
  }

  private void binder() {
    if (!eat('G')) {
      return;
    }
    long count = base62() + 1;
    if (Long.compareUnsigned(count, 1000) > 0) {
      throw new Failure();
    }
    if (count > 0) {
      print("for<");
      for (long i = 0; i < count; i++) {
        if (i > 0) {
          print(", ");
        }
        boundLifetimes++;
        lifetime(1);
      }
      print("> ");
    }
  }

  private static String basicType(char c) {
    return switch (c) {
      case 'a' -> "i8";
      case 'b' -> "bool";
      case 'c' -> "char";
      case 'd' -> "f64";
      case 'e' -> "str";
      case 'f' -> "f32";
      case 'h' -> "u8";
      case 'i' -> "isize";
      case 'j' -> "usize";
      case 'l' -> "i32";
      case 'm' -> "u32";
      case 'n' -> "i128";
      case 'o' -> "u128";
      case 's' -> "i16";
      case 't' -> "u16";
      case 'u' -> "()";
      case 'v' -> "...";
      case 'x' -> "i64";
      case 'y' -> "u64";
      case 'z' -> "!";
      case 'p' -> "_";
      default -> null;
    };
  }

  private void type() {
    enter();
    try {
      char tag = next();
      String basic = basicType(tag);
      if (basic != null) {
        print(basic);
        return;
      }
      switch (tag) {
        case 'R', 'Q' -> {
          print("&");
          if (eat('L')) {
            long lt = base62();
            if (lt != 0) {
              lifetime(lt);
              print(" ");
            }
          }
          if (tag == 'Q') {
            print("mut ");
          }
          type();
        }
        case 'P', 'O' -> {
          print(tag == 'P' ? "*const " : "*mut ");
          type();
        }
        case 'A', 'S' -> {
          print("[");
          type();
          if (tag == 'A') {
            print("; ");
            constant();
          }
          print("]");
        }
        case 'T' -> {
          print("(");
          int i = 0;
          for (; !eat('E'); i++) {
            if (i > 0) {
              print(", ");
            }
            type();
          }
          if (i == 1) {
            print(",");
          }
          print(")");
        }
        case 'F' -> {
          int saved = boundLifetimes;
          binder();
          if (eat('U')) {
            print("unsafe ");
          }
          if (eat('K')) {
            String abi = eat('C') ? "C" : identifier();
            if (abi.isEmpty()) {
              throw new Failure();
            }
            // The mangler turned '-' into '_'.
            print("extern \"" + abi.replace('_', '-') + "\" ");
          }
          print("fn(");
          list(", ", this::type);
          print(")");
          if (!eat('u')) {
            print(" -> ");
            type();
          }
          boundLifetimes = saved;
        }
        case 'D' -> {
          print("dyn ");
          int saved = boundLifetimes;
          binder();
          list(" + ", this::dynTrait);
          boundLifetimes = saved;
          if (!eat('L')) {
            throw new Failure();
          }
          long lt = base62();
          if (lt != 0) {
            print(" + ");
            lifetime(lt);
          }
        }
        case 'B' -> {
          int target = backref();
          if (!skipping) {
            int saved = pos;
            pos = target;
            type();
            pos = saved;
          }
        }
        default -> {
          pos--;
          path(false);
        }
      }
    } finally {
      recursion--;
    }
  }

  private void dynTrait() {
    boolean open = pathMaybeOpenGenerics();
    while (eat('p')) {
      print(open ? ", " : "<");
      open = true;
      print(identifier());
      print(" = ");
      type();
    }
    if (open) {
      print(">");
    }
  }

  /** A trait path whose generic argument list is left open for associated type bindings. */
  private boolean pathMaybeOpenGenerics() {
    enter();
    try {
      if (eat('B')) {
        int target = backref();
        if (skipping) {
          return false;
        }
        int saved = pos;
        pos = target;
        boolean open = pathMaybeOpenGenerics();
        pos = saved;
        return open;
      }
      if (eat('I')) {
        path(false);
        print("<");
        list(", ", this::genericArg);
        return true;
      }
      path(false);
      return false;
    } finally {
      recursion--;
    }
  }

  private void constant() {
    enter();
    try {
      if (eat('B')) {
        int target = backref();
        if (!skipping) {
          int saved = pos;
          pos = target;
          constant();
          pos = saved;
        }
        return;
      }
      char type = next();
      switch (type) {
        case 'p' -> {
          print("_");
          return;
        }
        case 'h', 't', 'm', 'y', 'o', 'j' -> unsignedConstant();
        case 'a', 's', 'l', 'x', 'n', 'i' -> {
          if (eat('n')) {
            print("-");
          }
          unsignedConstant();
        }
        case 'b' -> {
          String hex = hexNibbles();
          if (hex.equals("0")) {
            print("false");
          } else if (hex.equals("1")) {
            print("true");
          } else {
            throw new Failure();
          }
        }
        case 'c' -> charConstant();
        default -> throw new Failure();
      }
      print(": " + basicType(type));
    } finally {
      recursion--;
    }
  }

  private String hexNibbles() {
    int start = pos;
    while (!eat('_')) {
      char c = next();
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new Failure();
      }
    }
    return sym.substring(start, pos - 1);
  }

  private void unsignedConstant() {
    String hex = hexNibbles();
    if (hex.isEmpty()) {
      throw new Failure();
    }
    if (hex.length() > 16) {
      // c++filt prints this text shifted by one: without the first digit, with the '_'.
      print("0x" + sym.substring(pos - hex.length(), pos));
    } else {
      print(Long.toUnsignedString(Long.parseUnsignedLong(hex, 16)));
    }
  }

  private void charConstant() {
    String hex = hexNibbles();
    if (hex.isEmpty() || hex.length() > 8) {
      throw new Failure();
    }
    long value = Long.parseLong(hex, 16);
    print("'");
    if (value == '\t') {
      print("\\t");
    } else if (value == '\r') {
      print("\\r");
    } else if (value == '\n') {
      print("\\n");
    } else if (value > ' ' && value < '~') {
      print(String.valueOf((char) value));
    } else {
      print("\\u{" + Long.toHexString(value) + "}");
    }
    print("'");
  }
}
