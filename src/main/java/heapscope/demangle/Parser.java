package heapscope.demangle;

import heapscope.demangle.Node.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parses one Itanium C++ ABI mangled name into a {@link Node} tree. Substitution candidates are
 * recorded exactly where GNU libiberty records them, since any deviation shifts every later
 * {@code S<n>_} and changes the output. Throws {@link Failure} on anything it cannot parse.
 */
final class Parser {
  /** Deep enough for real names, shallow enough for the default thread stack. */
  private static final int MAX_DEPTH = 300;

  private final String in;
  private int pos;
  private int depth;
  /**
   * Parsing is linear except where a conversion operator's template arguments are re-read
   * (libiberty backtracks there too); nesting that makes it exponential, so work is capped
   * relative to the input length.
   */
  private int steps;
  private final int maxSteps;
  private final List<Node> subs = new ArrayList<>();
  /** Last source name seen: constructors and destructors are printed with it. */
  private Node lastName;
  private boolean inConversion;
  private boolean inExpression;
  /** 1: not met yet, -1: read the ambiguous form the new way, 0: read it the old way. */
  private int unresolvedState;

  Parser(String in) {
    this(in, true);
  }

  /** {@code newUnresolvedSyntax}: false for the second attempt at an ambiguous name. */
  Parser(String in, boolean newUnresolvedSyntax) {
    this.in = in;
    this.maxSteps = 10_000 + 64 * in.length();
    this.unresolvedState = newUnresolvedSyntax ? 1 : 0;
  }

  /** Whether a failed parse read an ambiguous {@code sr} name the new way and may be retried. */
  boolean usedNewUnresolvedSyntax() {
    return unresolvedState == -1;
  }

  /** Parses a whole symbol: {@code _Z<encoding>[clone suffixes]} or a global ctor/dtor name. */
  Node parseSymbol() {
    if (in.startsWith("_Z")) {
      pos = 2;
      Node result = encoding();
      while (peek() == '.' && (isLower(peek(1)) || isDigit(peek(1)) || peek(1) == '_')) {
        result = cloneSuffix(result);
      }
      if (pos != in.length()) {
        throw new Failure();
      }
      return result;
    }
    if (in.length() > 11 && in.startsWith("_GLOBAL_") && "._$".indexOf(in.charAt(8)) >= 0
        && (in.charAt(9) == 'I' || in.charAt(9) == 'D') && in.charAt(10) == '_') {
      String prefix = in.charAt(9) == 'I' ? "global constructors keyed to " : "global destructors keyed to ";
      pos = 11;
      // libiberty demangles what follows when it is a mangled name and ignores any rest.
      if (peek() == '_' && peek(1) == 'Z') {
        pos += 2;
        return new Special(prefix, encoding());
      }
      return new Special(prefix, new Name(in.substring(11)));
    }
    throw new Failure();
  }

  // ---------------------------------------------------------------- input helpers

  private char peek() {
    return pos < in.length() ? in.charAt(pos) : '\0';
  }

  private char peek(int ahead) {
    return pos + ahead < in.length() ? in.charAt(pos + ahead) : '\0';
  }

  private char next() {
    if (pos >= in.length()) {
      throw new Failure();
    }
    return in.charAt(pos++);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new Failure();
    }
    pos++;
  }

  private boolean consume(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private void enter() {
    if (++depth > MAX_DEPTH || ++steps > maxSteps) {
      throw new Failure();
    }
  }

  private void leave() {
    depth--;
  }

  private void addSub(Node n) {
    subs.add(n);
  }

  /** {@code [n] <digits>}; the n means negative. */
  private long number() {
    boolean negative = consume('n');
    // No digits at all reads as 0, as in libiberty (a lone '_' discriminator is accepted).
    long value = 0;
    while (isDigit(peek())) {
      value = value * 10 + (next() - '0');
      if (value > Integer.MAX_VALUE) {
        throw new Failure();
      }
    }
    return negative ? -value : value;
  }

  /** {@code _} is 0, {@code <n>_} is n+1 (lambda and unnamed type numbers, template params). */
  private int compactNumber() {
    if (consume('_')) {
      return 0;
    }
    if (peek() == 'n') {
      throw new Failure();
    }
    long n = number();
    expect('_');
    return (int) n + 1;
  }

  /** {@code _<digit>} or {@code __<number>_}: read and ignored, as c++filt does. */
  private void discriminator() {
    if (peek() != '_') {
      return;
    }
    pos++;
    boolean twoUnderscores = consume('_');
    long n = number();
    if (n < 0) {
      throw new Failure();
    }
    if (twoUnderscores && n >= 10) {
      expect('_');
    }
  }

  // ---------------------------------------------------------------- encodings

  private Node cloneSuffix(Node encoding) {
    int start = pos;
    pos += 2;
    while (isLower(peek()) || isDigit(peek()) || peek() == '_') {
      pos++;
    }
    while (peek() == '.' && isDigit(peek(1))) {
      pos += 2;
      while (isDigit(peek())) {
        pos++;
      }
    }
    return new Clone(encoding, in.substring(start, pos));
  }

  private Node encoding() {
    enter();
    try {
      if (peek() == 'G' || peek() == 'T') {
        return specialName();
      }
      Node name = name();
      char c = peek();
      if (c == '\0' || c == 'E') {
        return unwrapQualifiers(name, null, null, false);
      }
      Node ret = hasReturnType(name) ? type() : null;
      List<Node> params = parameterList();
      return unwrapQualifiers(name, ret, params, true);
    } finally {
      leave();
    }
  }

  /** Moves member-function qualifiers from the name onto the function they apply to. */
  private static Node unwrapQualifiers(Node name, Node ret, List<Node> params, boolean function) {
    String quals = "";
    if (name instanceof MethodQualified mq) {
      quals = mq.quals();
      name = mq.name();
    } else if (name instanceof Local local && local.entity() instanceof MethodQualified mq) {
      quals = mq.quals();
      name = new Local(local.function(), mq.name());
    }
    if (function) {
      return new Function(name, ret, params, quals);
    }
    return quals.isEmpty() ? name : new MethodQualified(name, quals);
  }

  private static boolean hasReturnType(Node name) {
    return switch (name) {
      case Local local -> hasReturnType(local.entity());
      case MethodQualified mq -> hasReturnType(mq.name());
      case Template t -> !isStructorOrConversion(t.name());
      default -> false;
    };
  }

  private static boolean isStructorOrConversion(Node name) {
    return switch (name) {
      case Nested n -> isStructorOrConversion(n.name());
      case Local l -> isStructorOrConversion(l.entity());
      case Structor s -> true;
      case Conversion c -> true;
      default -> false;
    };
  }

  /** Parameter types up to the end of the function; a lone {@code void} means none. */
  private List<Node> parameterList() {
    List<Node> params = new ArrayList<>();
    while (true) {
      char c = peek();
      if (c == '\0' || c == 'E' || c == '.' || c == 'Q') {
        break;
      }
      if ((c == 'R' || c == 'O') && peek(1) == 'E') {
        break;
      }
      params.add(type());
    }
    if (params.isEmpty()) {
      throw new Failure();
    }
    if (params.size() == 1 && params.get(0) instanceof Builtin b && b.text().equals("void")) {
      params.clear();
    }
    return params;
  }

  private Node specialName() {
    char c = next();
    char d = next();
    if (c == 'T') {
      return switch (d) {
        case 'V' -> new Special("vtable for ", type());
        case 'T' -> new Special("VTT for ", type());
        case 'I' -> new Special("typeinfo for ", type());
        case 'S' -> new Special("typeinfo name for ", type());
        case 'F' -> new Special("typeinfo fn for ", type());
        case 'J' -> new Special("java Class for ", type());
        case 'h' -> {
          callOffset('h');
          yield new Special("non-virtual thunk to ", encoding());
        }
        case 'v' -> {
          callOffset('v');
          yield new Special("virtual thunk to ", encoding());
        }
        case 'c' -> {
          callOffset(next());
          callOffset(next());
          yield new Special("covariant return thunk to ", encoding());
        }
        case 'C' -> {
          Node derived = type();
          if (number() < 0) {
            throw new Failure();
          }
          expect('_');
          Node base = type();
          yield new ConstructionVtable(base, derived);
        }
        case 'H' -> new Special("TLS init function for ", name());
        case 'W' -> new Special("TLS wrapper function for ", name());
        case 'A' -> new Special("template parameter object for ", templateArg());
        default -> throw new Failure();
      };
    }
    if (c == 'G') {
      return switch (d) {
        case 'V' -> new Special("guard variable for ", name());
        case 'R' -> {
          Node name = name();
          // binutils reads a plain optional number here (no '_'), defaulting to 0.
          long n = 0;
          while (isDigit(peek())) {
            n = n * 10 + (next() - '0');
            if (n > Integer.MAX_VALUE) {
              throw new Failure();
            }
          }
          yield new Special("reference temporary #" + n + " for ", name);
        }
        case 'A' -> new Special("hidden alias for ", encoding());
        case 'T' -> {
          char kind = next();
          if (kind == 'n') {
            yield new Special("non-transaction clone for ", encoding());
          }
          if (kind != 't') {
            throw new Failure();
          }
          yield new Special("transaction clone for ", encoding());
        }
        default -> throw new Failure();
      };
    }
    throw new Failure();
  }

  /** {@code h <offset> _} or {@code v <offset> _ <virtual offset> _}; not printed. */
  private void callOffset(char kind) {
    if (kind == 'h') {
      number();
      expect('_');
    } else if (kind == 'v') {
      number();
      expect('_');
      number();
      expect('_');
    } else {
      throw new Failure();
    }
  }

  // ---------------------------------------------------------------- names

  private Node name() {
    enter();
    try {
      char c = peek();
      switch (c) {
        case 'N':
          return nestedName();
        case 'Z':
          return localName();
        case 'U':
          return unqualifiedName(null);
        default:
          break;
      }
      Node dc = null;
      boolean fromSubstitution = false;
      if (c == 'S') {
        if (peek(1) == 't') {
          pos += 2;
          dc = new Name("std");
        }
        if (peek() == 'S') {
          if (dc != null) {
            throw new Failure();
          }
          dc = substitution();
          fromSubstitution = true;
        }
      }
      if (!fromSubstitution) {
        dc = unqualifiedName(dc);
      }
      if (peek() == 'I') {
        // <unscoped-template-name> is a substitution candidate unless it came from one.
        if (!fromSubstitution) {
          addSub(dc);
        }
        dc = new Template(dc, templateArgs());
      }
      return dc;
    } finally {
      leave();
    }
  }

  private Node nestedName() {
    expect('N');
    String quals = cvQualifiers();
    if (peek() == 'R') {
      pos++;
      quals += " &";
    } else if (peek() == 'O') {
      pos++;
      quals += " &&";
    }
    Node ret = prefix(true);
    expect('E');
    return quals.isEmpty() ? ret : new MethodQualified(ret, quals);
  }

  /** The components of a nested name up to (not including) its 'E'. */
  private Node prefix(boolean substitutable) {
    Node ret = null;
    while (true) {
      char c = peek();
      if (c == 'D' && (peek(1) == 'T' || peek(1) == 't')) {
        if (ret != null) {
          throw new Failure();
        }
        ret = type();
      } else if (c == 'I') {
        if (ret == null) {
          throw new Failure();
        }
        ret = new Template(ret, templateArgs());
      } else if (c == 'T') {
        if (ret != null) {
          throw new Failure();
        }
        ret = templateParam();
      } else if (c == 'M') {
        // Lambda initializer scope; already a substitution candidate.
        pos++;
        continue;
      } else if (c == 'S') {
        if (ret != null) {
          throw new Failure();
        }
        ret = substitution();
        continue;
      } else {
        ret = unqualifiedName(ret);
      }
      if (peek() == 'E') {
        return ret;
      }
      if (substitutable) {
        addSub(ret);
      }
    }
  }

  private Node localName() {
    expect('Z');
    Node function = encoding();
    expect('E');
    Node entity;
    if (peek() == 's') {
      pos++;
      discriminator();
      entity = new Name("string literal");
    } else {
      int defaultArg = -1;
      if (consume('d')) {
        defaultArg = compactNumber();
      }
      entity = name();
      if (!(entity instanceof Lambda) && !(entity instanceof Unnamed)) {
        discriminator();
      }
      if (defaultArg >= 0) {
        // Member-function qualifiers stay outermost, where the encoding looks for them.
        entity = entity instanceof MethodQualified mq
            ? new MethodQualified(new DefaultArg(defaultArg + 1, mq.name()), mq.quals())
            : new DefaultArg(defaultArg + 1, entity);
      }
    }
    // c++filt elides the containing function's return type.
    if (function instanceof Function f && f.ret() != null) {
      function = new Function(f.name(), null, f.params(), f.quals());
    }
    return new Local(function, entity);
  }

  private Node unqualifiedName(Node scope) {
    char c = peek();
    Node ret;
    if (isDigit(c)) {
      ret = sourceName();
    } else if (isLower(c)) {
      boolean wasExpression = inExpression;
      if (c == 'o' && peek(1) == 'n') {
        pos += 2;
        inExpression = false;
      }
      ret = operatorName();
      inExpression = wasExpression;
      if (ret instanceof Operator op && op.code().equals("li")) {
        ret = new LiteralOperator(sourceName());
      }
    } else if (c == 'D' && peek(1) == 'C') {
      pos += 2;
      List<Node> names = new ArrayList<>();
      do {
        names.add(sourceName());
      } while (!consume('E'));
      ret = new StructuredBinding(names);
    } else if (c == 'C' || c == 'D') {
      ret = structorName();
    } else if (c == 'L') {
      pos++;
      ret = sourceName();
      discriminator();
    } else if (c == 'U' && peek(1) == 'l') {
      ret = lambda();
    } else if (c == 'U' && peek(1) == 't') {
      pos += 2;
      ret = new Unnamed(compactNumber() + 1);
      // Unlike lambdas, libiberty records unnamed types as substitution candidates.
      addSub(ret);
    } else {
      throw new Failure();
    }
    if (peek() == 'B') {
      Node keep = lastName;
      while (consume('B')) {
        ret = new AbiTag(ret, ((Name) sourceName()).text());
      }
      lastName = keep;
    }
    return scope == null ? ret : new Nested(scope, ret);
  }

  private Node sourceName() {
    long length = number();
    if (length <= 0 || length > in.length() - pos) {
      throw new Failure();
    }
    String id = in.substring(pos, pos + (int) length);
    pos += (int) length;
    if (id.length() >= 10 && id.startsWith("_GLOBAL_") && "._$".indexOf(id.charAt(8)) >= 0
        && id.charAt(9) == 'N') {
      id = "(anonymous namespace)";
    }
    Node name = new Name(id);
    lastName = name;
    return name;
  }

  private Node structorName() {
    char c = next();
    if (c == 'C') {
      boolean inheriting = consume('I');
      char kind = next();
      if (kind < '1' || kind > '5') {
        throw new Failure();
      }
      if (inheriting) {
        type();
      }
      // Read after the inherited-from type, whose name then is the one printed.
      return new Structor(requireLastName(), false);
    }
    char kind = next();
    if ("01245".indexOf(kind) < 0) {
      throw new Failure();
    }
    return new Structor(requireLastName(), true);
  }

  private Node requireLastName() {
    if (lastName == null) {
      throw new Failure();
    }
    return lastName;
  }

  private Node lambda() {
    pos += 2;
    List<TemplateParamDecl> templateParams = new ArrayList<>();
    while (isTemplateParamDecl()) {
      templateParams.add(templateParamDecl());
    }
    List<Node> params = parameterList();
    expect('E');
    return new Lambda(templateParams, params, compactNumber() + 1);
  }

  private boolean isTemplateParamDecl() {
    return peek() == 'T' && "yntp".indexOf(peek(1)) >= 0;
  }

  /** {@code Ty}, {@code Tn <type>}, {@code Tt <decl>* E}, {@code Tp <decl>}. */
  private TemplateParamDecl templateParamDecl() {
    enter();
    try {
      pos++;
      char kind = next();
      return switch (kind) {
        case 'y' -> new TemplateParamDecl(kind, null, List.of(), null);
        case 'n' -> new TemplateParamDecl(kind, type(), List.of(), null);
        case 't' -> {
          List<TemplateParamDecl> inner = new ArrayList<>();
          while (isTemplateParamDecl()) {
            inner.add(templateParamDecl());
          }
          expect('E');
          yield new TemplateParamDecl(kind, null, inner, null);
        }
        case 'p' -> {
          if (!isTemplateParamDecl()) {
            throw new Failure();
          }
          yield new TemplateParamDecl(kind, null, List.of(), templateParamDecl());
        }
        default -> throw new Failure();
      };
    } finally {
      leave();
    }
  }

  /** Operators by their two-letter code: spelling and arity (for expressions). */
  private record Op(String text, int arity) {}

  private static final Map<String, Op> OPERATORS = Map.ofEntries(
      Map.entry("aN", new Op("&=", 2)), Map.entry("aS", new Op("=", 2)),
      Map.entry("aa", new Op("&&", 2)), Map.entry("ad", new Op("&", 1)),
      Map.entry("an", new Op("&", 2)), Map.entry("at", new Op("alignof ", 1)),
      Map.entry("aw", new Op("co_await ", 1)), Map.entry("az", new Op("alignof ", 1)),
      Map.entry("cc", new Op("const_cast", 2)), Map.entry("cl", new Op("()", 2)),
      Map.entry("cm", new Op(",", 2)), Map.entry("co", new Op("~", 1)),
      Map.entry("dV", new Op("/=", 2)), Map.entry("dX", new Op("[...]=", 3)),
      Map.entry("da", new Op("delete[] ", 1)), Map.entry("dc", new Op("dynamic_cast", 2)),
      Map.entry("de", new Op("*", 1)), Map.entry("di", new Op("=", 2)),
      Map.entry("dl", new Op("delete ", 1)), Map.entry("ds", new Op(".*", 2)),
      Map.entry("dt", new Op(".", 2)), Map.entry("dv", new Op("/", 2)),
      Map.entry("dx", new Op("]=", 2)), Map.entry("eO", new Op("^=", 2)),
      Map.entry("eo", new Op("^", 2)), Map.entry("eq", new Op("==", 2)),
      Map.entry("fL", new Op("...", 3)), Map.entry("fR", new Op("...", 3)),
      Map.entry("fl", new Op("...", 2)), Map.entry("fr", new Op("...", 2)),
      Map.entry("ge", new Op(">=", 2)), Map.entry("gs", new Op("::", 1)),
      Map.entry("gt", new Op(">", 2)), Map.entry("ix", new Op("[]", 2)),
      Map.entry("lS", new Op("<<=", 2)), Map.entry("le", new Op("<=", 2)),
      Map.entry("li", new Op("operator\"\" ", 1)), Map.entry("ls", new Op("<<", 2)),
      Map.entry("lt", new Op("<", 2)), Map.entry("mI", new Op("-=", 2)),
      Map.entry("mL", new Op("*=", 2)), Map.entry("mi", new Op("-", 2)),
      Map.entry("ml", new Op("*", 2)), Map.entry("mm", new Op("--", 1)),
      Map.entry("na", new Op("new[]", 3)), Map.entry("ne", new Op("!=", 2)),
      Map.entry("ng", new Op("-", 1)), Map.entry("nt", new Op("!", 1)),
      Map.entry("nw", new Op("new", 3)),
      Map.entry("oR", new Op("|=", 2)), Map.entry("oo", new Op("||", 2)),
      Map.entry("or", new Op("|", 2)), Map.entry("pL", new Op("+=", 2)),
      Map.entry("pl", new Op("+", 2)), Map.entry("pm", new Op("->*", 2)),
      Map.entry("pp", new Op("++", 1)), Map.entry("ps", new Op("+", 1)),
      Map.entry("pt", new Op("->", 2)), Map.entry("qu", new Op("?", 3)),
      Map.entry("rM", new Op("%=", 2)), Map.entry("rS", new Op(">>=", 2)),
      Map.entry("rc", new Op("reinterpret_cast", 2)), Map.entry("rm", new Op("%", 2)),
      Map.entry("rs", new Op(">>", 2)), Map.entry("sP", new Op("sizeof...", 1)),
      Map.entry("sZ", new Op("sizeof...", 1)), Map.entry("sc", new Op("static_cast", 2)),
      Map.entry("ss", new Op("<=>", 2)), Map.entry("st", new Op("sizeof ", 1)),
      Map.entry("sz", new Op("sizeof ", 1)), Map.entry("tr", new Op("throw", 0)),
      Map.entry("tw", new Op("throw ", 1)));

  private Node operatorName() {
    char c1 = next();
    char c2 = next();
    if (c1 == 'v' && isDigit(c2)) {
      return new Name("operator " + ((Name) sourceName()).text());
    }
    if (c1 == 'c' && c2 == 'v') {
      boolean was = inConversion;
      inConversion = !inExpression;
      try {
        Node type = type();
        return inConversion ? new Conversion(type) : new Cast(null, type, List.of());
      } finally {
        inConversion = was;
      }
    }
    String code = "" + c1 + c2;
    Op op = OPERATORS.get(code);
    if (op == null) {
      throw new Failure();
    }
    return new Operator(code, op.text());
  }

  /** A standard abbreviation: full expansion (c++filt is verbose) and the constructor name. */
  private record StdName(String expansion, String structorName) {}

  private static StdName stdAbbreviation(char c) {
    return switch (c) {
      case 't' -> new StdName("std", null);
      case 'a' -> new StdName("std::allocator", "allocator");
      case 'b' -> new StdName("std::basic_string", "basic_string");
      case 's' -> new StdName(
          "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string");
      case 'i' -> new StdName("std::basic_istream<char, std::char_traits<char> >", "basic_istream");
      case 'o' -> new StdName("std::basic_ostream<char, std::char_traits<char> >", "basic_ostream");
      case 'd' -> new StdName("std::basic_iostream<char, std::char_traits<char> >", "basic_iostream");
      default -> null;
    };
  }

  private Node substitution() {
    expect('S');
    char c = peek();
    if (c == '_' || isDigit(c) || isUpper(c)) {
      long id = 0;
      if (c != '_') {
        while (peek() != '_') {
          char d = next();
          int digit = isDigit(d) ? d - '0' : isUpper(d) ? d - 'A' + 10 : -1;
          if (digit < 0) {
            throw new Failure();
          }
          id = id * 36 + digit;
          if (id > Integer.MAX_VALUE) {
            throw new Failure();
          }
        }
        id++;
      }
      pos++;
      if (id >= subs.size()) {
        throw new Failure();
      }
      return subs.get((int) id);
    }
    StdName std = stdAbbreviation(c);
    if (std == null) {
      throw new Failure();
    }
    pos++;
    if (std.structorName() == null) {
      return new Name(std.expansion());
    }
    lastName = new Name(std.structorName());
    return new StdAbbreviation(std.expansion());
  }

  // ---------------------------------------------------------------- templates

  private Node templateArgs() {
    if (peek() != 'I' && peek() != 'J') {
      throw new Failure();
    }
    pos++;
    // Template arguments never change the name constructors are printed with.
    Node keep = lastName;
    List<Node> args = new ArrayList<>();
    while (!consume('E')) {
      args.add(templateArg());
    }
    lastName = keep;
    return new TemplateArgs(args);
  }

  private Node templateArg() {
    enter();
    try {
      return switch (peek()) {
        case 'X' -> {
          pos++;
          Node e = expression();
          expect('E');
          yield e;
        }
        case 'L' -> exprPrimary();
        case 'I', 'J' -> templateArgs();
        default -> type();
      };
    } finally {
      leave();
    }
  }

  private Node templateParam() {
    expect('T');
    return new ParamRef(compactNumber());
  }

  // ---------------------------------------------------------------- types

  private static String builtin(char c) {
    return switch (c) {
      case 'a' -> "signed char";
      case 'b' -> "bool";
      case 'c' -> "char";
      case 'd' -> "double";
      case 'e' -> "long double";
      case 'f' -> "float";
      case 'g' -> "__float128";
      case 'h' -> "unsigned char";
      case 'i' -> "int";
      case 'j' -> "unsigned int";
      case 'l' -> "long";
      case 'm' -> "unsigned long";
      case 'n' -> "__int128";
      case 'o' -> "unsigned __int128";
      case 's' -> "short";
      case 't' -> "unsigned short";
      case 'v' -> "void";
      case 'w' -> "wchar_t";
      case 'x' -> "long long";
      case 'y' -> "unsigned long long";
      case 'z' -> "...";
      default -> null;
    };
  }

  private static String dBuiltin(char c) {
    return switch (c) {
      case 'd' -> "decimal64";
      case 'e' -> "decimal128";
      case 'f' -> "decimal32";
      case 'h' -> "half";
      case 'i' -> "char32_t";
      case 's' -> "char16_t";
      case 'u' -> "char8_t";
      case 'n' -> "decltype(nullptr)";
      default -> null;
    };
  }

  /** {@code [r][V][K]}, printed in the reverse order: " const volatile restrict". */
  private String cvQualifiers() {
    // Any order is accepted, as in libiberty; the innermost (last) qualifier prints first.
    String quals = "";
    while (true) {
      switch (peek()) {
        case 'r' -> quals = " restrict" + quals;
        case 'V' -> quals = " volatile" + quals;
        case 'K' -> quals = " const" + quals;
        default -> {
          return quals;
        }
      }
      pos++;
    }
  }

  Node type() {
    enter();
    try {
      return typeUnrecorded();
    } finally {
      leave();
    }
  }

  private Node typeUnrecorded() {
    char c = peek();
    String simple = builtin(c);
    if (simple != null) {
      pos++;
      return new Builtin(simple);
    }
    Node ret;
    switch (c) {
      case 'r', 'V', 'K' -> ret = qualifiedType();
      case 'P' -> {
        pos++;
        ret = new Pointer(type());
      }
      case 'R' -> {
        pos++;
        ret = new Reference(type(), false);
      }
      case 'O' -> {
        pos++;
        ret = new Reference(type(), true);
      }
      case 'C' -> {
        pos++;
        ret = new Qualified(type(), " _Complex");
      }
      case 'G' -> {
        pos++;
        ret = new Qualified(type(), " _Imaginary");
      }
      case 'F' -> ret = functionType();
      case 'A' -> ret = arrayType();
      case 'M' -> {
        pos++;
        Node cls = type();
        Node member = type();
        ret = new MemberPointer(cls, member);
      }
      case 'T' -> {
        ret = templateParam();
        if (peek() == 'I') {
          if (!inConversion) {
            addSub(ret);
            ret = new Template(ret, templateArgs());
          } else {
            // In a conversion operator the arguments may belong to the operator instead:
            // they are the param's own only when a second argument list follows.
            int mark = pos;
            int subsMark = subs.size();
            Node args = templateArgs();
            if (peek() == 'I') {
              addSub(ret);
              ret = new Template(ret, args);
            } else {
              pos = mark;
              subs.subList(subsMark, subs.size()).clear();
            }
          }
        }
      }
      case 'S' -> {
        char n = peek(1);
        if (isDigit(n) || n == '_' || isUpper(n)) {
          ret = substitution();
          if (peek() == 'I') {
            ret = new Template(ret, templateArgs());
          } else {
            return ret;
          }
        } else {
          ret = name();
          // A bare std abbreviation (Sa, Ss...) is not a new candidate; St names are.
          if (n != 't' && !(ret instanceof Template)) {
            return ret;
          }
        }
      }
      case 'D' -> {
        char d = peek(1);
        if (d == 'a' || d == 'c') {
          // libiberty makes these plain names, which matters for how "auto..." prints.
          pos += 2;
          return new Name(d == 'a' ? "auto" : "decltype(auto)");
        }
        String db = dBuiltin(d);
        if (db != null) {
          pos += 2;
          return new Builtin(db);
        }
        switch (d) {
          case 'p' -> {
            pos += 2;
            ret = new PackExpansion(type());
          }
          case 't', 'T' -> {
            pos += 2;
            boolean was = inExpression;
            inExpression = true;
            Node e;
            try {
              e = expression();
            } finally {
              inExpression = was;
            }
            expect('E');
            ret = new Decltype(e);
          }
          case 'v' -> {
            pos += 2;
            Node dim;
            if (peek() == '_') {
              pos++;
              dim = expression();
            } else {
              dim = new Name(Long.toString(number()));
            }
            expect('_');
            ret = new Vector(type(), dim);
          }
          case 'F' -> {
            // DF<n>_ is _Float<n>, DF<n>x is _Float<n>x, DF16b is std::bfloat16_t.
            pos += 2;
            long bits = number();
            if (consume('b')) {
              if (bits != 16) {
                throw new Failure();
              }
              return new Builtin("std::bfloat16_t");
            }
            if (consume('x')) {
              return new Builtin("_Float" + bits + "x");
            }
            expect('_');
            return new Builtin("_Float" + bits);
          }
          case 'O', 'w', 'o', 'x' -> ret = qualifiedType();
          default -> throw new Failure();
        }
      }
      case 'u' -> {
        pos++;
        ret = sourceName();
      }
      case 'U' -> {
        pos++;
        Node qualifier = sourceName();
        if (peek() == 'I') {
          qualifier = new Template(qualifier, templateArgs());
        }
        ret = new VendorQualified(type(), qualifier);
      }
      case 'N', 'Z', 'L', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> ret = name();
      default -> {
        // libiberty reads any other lowercase start as a name (an operator name).
        if (!isLower(c)) {
          throw new Failure();
        }
        ret = name();
      }
    }
    addSub(ret);
    return ret;
  }

  private static boolean isTypeQualifier(char c, char next) {
    return c == 'r' || c == 'V' || c == 'K' || c == 'D' && "xoOw".indexOf(next) >= 0;
  }

  /**
   * A run of qualifiers, cv and function ones (Dx transaction_safe, Do noexcept, DO noexcept(e),
   * Dw throw(T...)) alike, then the type: one substitution candidate, as in libiberty, which
   * also keeps the unqualified function type out of the table (the qualifiers apply to 'this').
   */
  private Node qualifiedType() {
    String quals = "";
    ExceptionSpec spec = null;
    while (isTypeQualifier(peek(), peek(1))) {
      char c = next();
      if (c != 'D') {
        quals = (c == 'r' ? " restrict" : c == 'V' ? " volatile" : " const") + quals;
        continue;
      }
      char kind = next();
      switch (kind) {
        case 'x' -> quals = " transaction_safe" + quals;
        case 'o' -> quals = " noexcept" + quals;
        case 'O' -> {
          Node e = expression();
          expect('E');
          spec = new ExceptionSpec("noexcept", List.of(e));
        }
        default -> {
          List<Node> types = new ArrayList<>();
          while (!consume('E')) {
            types.add(type());
          }
          spec = new ExceptionSpec("throw", types);
        }
      }
    }
    Node inner = peek() == 'F' ? functionType() : type();
    if (spec != null) {
      if (!(inner instanceof FunctionType f) || f.exceptionSpec() != null) {
        throw new Failure();
      }
      inner = new FunctionType(f.ret(), f.params(), f.quals(), spec);
    }
    return quals.isEmpty() ? inner : qualify(inner, quals);
  }

  private static Node qualify(Node inner, String quals) {
    if (inner instanceof MethodQualified m && (m.quals().endsWith(" &") || m.quals().endsWith(" &&"))) {
      // libiberty moves a nested name's ref-qualifier outside added cv-qualifiers.
      String ref = m.quals().endsWith(" &&") ? " &&" : " &";
      String cv = m.quals().substring(0, m.quals().length() - ref.length());
      return new MethodQualified(m.name(), cv + quals + ref);
    }
    if (inner instanceof FunctionType f) {
      // Outer qualifiers print after inner ones, but a ref-qualifier always comes last.
      String inside = f.quals();
      String ref = "";
      if (inside.endsWith(" &&")) {
        ref = " &&";
      } else if (inside.endsWith(" &")) {
        ref = " &";
      }
      inside = inside.substring(0, inside.length() - ref.length());
      return new FunctionType(f.ret(), f.params(), inside + quals + ref, f.exceptionSpec());
    }
    return new Qualified(inner, quals);
  }

  private Node functionType() {
    expect('F');
    consume('Y');
    Node ret = type();
    List<Node> params = parameterList();
    String quals = "";
    if (peek() == 'R' && peek(1) == 'E') {
      pos++;
      quals = " &";
    } else if (peek() == 'O' && peek(1) == 'E') {
      pos++;
      quals = " &&";
    }
    expect('E');
    return new FunctionType(ret, params, quals);
  }

  private Node arrayType() {
    expect('A');
    Node dim = null;
    if (isDigit(peek())) {
      int start = pos;
      while (isDigit(peek())) {
        pos++;
      }
      dim = new Name(in.substring(start, pos));
    } else if (peek() != '_') {
      boolean was = inExpression;
      inExpression = true;
      try {
        dim = expression();
      } finally {
        inExpression = was;
      }
    }
    expect('_');
    return new ArrayType(type(), dim);
  }

  // ---------------------------------------------------------------- expressions

  private Node exprPrimary() {
    expect('L');
    if (peek() == '_' || peek() == 'Z') {
      consume('_');
      expect('Z');
      Node e = encoding();
      expect('E');
      return e;
    }
    Node type = type();
    if (type instanceof Builtin b && b.text().equals("decltype(nullptr)") && consume('E')) {
      return type;
    }
    boolean negative = consume('n');
    int start = pos;
    while (peek() != 'E') {
      next();
    }
    String value = in.substring(start, pos);
    pos++;
    return new Literal(type, value, negative);
  }

  private Node expression() {
    enter();
    boolean was = inExpression;
    inExpression = true;
    try {
      return expressionUnchecked();
    } finally {
      inExpression = was;
      leave();
    }
  }

  private Node expressionUnchecked() {
    char c = peek();
    if (c == 'L') {
      return exprPrimary();
    }
    if (c == 'T') {
      return templateParam();
    }
    if (c == 's' && peek(1) == 'r') {
      return unresolvedName();
    }
    if (c == 's' && peek(1) == 'p') {
      pos += 2;
      return new PackExpansion(expression());
    }
    if (c == 'f' && peek(1) == 'p') {
      pos += 2;
      cvQualifiers();
      if (consume('T')) {
        return new FunctionParam(0);
      }
      return new FunctionParam(compactNumber() + 1);
    }
    if ((c == 't' || c == 'i') && peek(1) == 'l') {
      pos += 2;
      Node type = c == 't' ? type() : null;
      return new InitList(type, exprList());
    }
    if (isDigit(c) || (c == 'o' && peek(1) == 'n')) {
      if (c == 'o') {
        pos += 2;
      }
      Node name = unqualifiedName(null);
      return peek() == 'I' ? new Template(name, templateArgs()) : name;
    }
    Node op = operatorName();
    if (op instanceof Cast cast) {
      if (consume('_')) {
        return new Unary(op, new ExprList(exprList()));
      }
      return new Unary(cast, expression());
    }
    if (!(op instanceof Operator operator)) {
      throw new Failure();
    }
    String code = operator.code();
    if (code.equals("st")) {
      return new Unary(op, type());
    }
    int arity = OPERATORS.get(code).arity();
    switch (arity) {
      case 0:
        return new Unary(op, null);
      case 1: {
        if (code.equals("sP")) {
          return new Unary(op, templateArgsUntilE());
        }
        boolean suffix = false;
        if ((code.equals("pp") || code.equals("mm"))) {
          suffix = !consume('_');
        }
        Node operand = expression();
        return suffix ? new Binary(op, operand, null) : new Unary(op, operand);
      }
      case 2: {
        Node left;
        if (code.equals("sc") || code.equals("dc") || code.equals("cc") || code.equals("rc")) {
          left = type();
          return new Cast(operator.text(), left, List.of(expression()));
        }
        if (code.charAt(0) == 'f') {
          // Unary fold: the operator, then the pack expression.
          Node foldOp = operatorName();
          return new Fold(code.charAt(1), foldOp, expression(), null);
        }
        left = code.equals("di") ? unqualifiedName(null) : expression();
        if (code.equals("cl")) {
          return new Call(left, exprList());
        }
        Node right;
        if (code.equals("dt") || code.equals("pt")) {
          right = unqualifiedName(null);
          if (peek() == 'I') {
            right = new Template(right, templateArgs());
          }
        } else {
          right = expression();
        }
        return new Binary(op, left, right);
      }
      case 3: {
        if (code.equals("qu") || code.equals("dX")) {
          Node first = expression();
          Node second = expression();
          Node third = expression();
          return new Trinary(op, first, second, third);
        }
        if (code.equals("fL") || code.equals("fR")) {
          Node foldOp = operatorName();
          Node first = expression();
          Node second = expression();
          return new Fold(code.charAt(1), foldOp, first, second);
        }
        if (code.equals("nw") || code.equals("na")) {
          List<Node> placement = new ArrayList<>();
          while (!consume('_')) {
            placement.add(expression());
          }
          Node type = type();
          if (consume('E')) {
            return new New(placement, type, null);
          }
          if (peek() == 'p' && peek(1) == 'i') {
            pos += 2;
            return new New(placement, type, exprList());
          }
          if (peek() == 'i' && peek(1) == 'l') {
            return new New(placement, type, List.of(expression()));
          }
          throw new Failure();
        }
        throw new Failure();
      }
      default:
        throw new Failure();
    }
  }

  private Node templateArgsUntilE() {
    List<Node> args = new ArrayList<>();
    while (!consume('E')) {
      args.add(templateArg());
    }
    return new TemplateArgs(args);
  }

  private List<Node> exprList() {
    List<Node> items = new ArrayList<>();
    while (!consume('E')) {
      items.add(expression());
    }
    return items;
  }

  /**
   * {@code sr}: gcc's old {@code sr <type> <name>} and the current {@code sr <prefix> E <name>}
   * are ambiguous. Like libiberty, try the current reading first and, when the whole name then
   * fails, demangle again with the old one (see {@link #usedNewUnresolvedSyntax()}).
   */
  private Node unresolvedName() {
    pos += 2;
    char c = peek();
    Node scope;
    // libiberty carries on without a scope when it cannot read one.
    if (unresolvedState != 0 && (isDigit(c) || isLower(c) || c == 'C' || c == 'U' || c == 'L')) {
      unresolvedState = -1;
      scope = scopeOrNull(() -> prefix(false));
      consume('E');
    } else {
      scope = scopeOrNull(this::type);
    }
    Node name = unqualifiedName(scope);
    return peek() == 'I' ? new Template(name, templateArgs()) : name;
  }

  private static Node scopeOrNull(Supplier<Node> parse) {
    try {
      return parse.get();
    } catch (Failure e) {
      return null;
    }
  }
}
