package heapscope.demangle;

import heapscope.demangle.Node.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Prints a {@link Node} tree the way GNU c++filt does. Types with declarators (pointers to
 * functions, references to arrays...) are printed in two halves around the declarator, as in
 * {@code int (*)(char)}. Output size and work are capped because substitutions make the tree a DAG
 * whose printed size can grow exponentially with the input.
 */
final class Printer {
  private static final int MAX_OUTPUT = 1 << 18;
  private static final int MAX_DEPTH = 400;
  private static final int MAX_STEPS = 1 << 18;

  private final StringBuilder out = new StringBuilder();
  /** Element of the pack being expanded; c++filt starts at the first element. */
  private int packIndex;
  private int depth;
  private int steps;
  /**
   * Like c++filt, remembers the last character appended even when a trailing ", " is taken back,
   * which decides whether {@code >} gets a separating space.
   */
  private char lastChar;
  /**
   * Template parameters in a lambda's signature print as {@code auto:N}, or by the names of the
   * lambda's explicit template parameters ({@code $T0}) when it has them.
   */
  private boolean inLambdaParams;
  private List<TemplateParamDecl> lambdaTemplateParams = List.of();

  /** Template arguments that T_ resolves against, innermost first. */
  private record Frame(List<Node> args, Frame next) {}

  private Frame templates;
  /** Innermost template being printed: a conversion operator's type resolves against it. */
  private Template currentTemplate;

  /**
   * cv-qualifiers pushed while descending into a type but not yet printed, innermost first, with
   * BARRIER for anything else. c++filt skips a qualifier already pending here, which is how
   * {@code KT_} with T = {@code int const} prints as {@code int const}.
   */
  private Deque<String> pendingQualifiers = new ArrayDeque<>();

  private static final String BARRIER = "";

  /**
   * Declarator text (a function's name and parameters, a pointer's '*') waiting while the type it
   * applies to is printed, innermost first. c++filt lets an array type met inside an expression
   * there (decltype (new int[2]) as a return type) print them in its own declarator; the owner
   * then prints nothing.
   */
  private static final class PendingDeclarator {
    final Runnable emit;
    boolean done;

    PendingDeclarator(Runnable emit) {
      this.emit = emit;
    }
  }

  private Deque<PendingDeclarator> declarators = new ArrayDeque<>();

  /**
   * c++filt remembers the templates in scope the first time a template parameter is printed under
   * a reference, and uses them again when the same parameter node comes back through a
   * substitution elsewhere (keyed by node identity, as substitutions share nodes).
   */
  private final IdentityHashMap<ParamRef, Frame> savedScopes = new IdentityHashMap<>();
  /** Template parameters and references being printed, innermost first. */
  private final Deque<Node> printing = new ArrayDeque<>();

  static String render(Node node) {
    Printer p = new Printer();
    p.print(node);
    return p.out.toString();
  }

  private void append(String s) {
    if (s.isEmpty()) {
      return;
    }
    out.append(s);
    lastChar = s.charAt(s.length() - 1);
    if (out.length() > MAX_OUTPUT) {
      throw new Failure();
    }
  }

  private void append(char c) {
    out.append(c);
    lastChar = c;
    if (out.length() > MAX_OUTPUT) {
      throw new Failure();
    }
  }

  private char last() {
    return lastChar;
  }

  private void enter() {
    if (++depth > MAX_DEPTH || ++steps > MAX_STEPS) {
      throw new Failure();
    }
  }

  /** Prints a type or name completely. */
  private void print(Node node) {
    enter();
    try {
      if (hasPendingDeclarator() && strip(node) instanceof ArrayType) {
        printLeft(node);
        append(" (");
        emitPendingDeclarators();
        append(')');
        printRight(node);
      } else if (isDeclaratorType(node)) {
        printLeft(node);
        printRight(node);
      } else {
        printName(node);
      }
    } finally {
      depth--;
    }
  }

  private static boolean isDeclaratorType(Node node) {
    return node instanceof Pointer || node instanceof Reference || node instanceof FunctionType
        || node instanceof ArrayType || node instanceof MemberPointer || node instanceof Qualified
        || node instanceof ParamRef || node instanceof VendorQualified || node instanceof Vector;
  }

  /** A template argument reference, resolved to the pack element being expanded. */
  private Node resolve(ParamRef ref) {
    if (templates == null || ref.index() >= templates.args().size()) {
      throw new Failure();
    }
    Node target = templates.args().get(ref.index());
    // A negative index (inside a fold expression) stands for the whole pack.
    if (target instanceof TemplateArgs pack && packIndex >= 0) {
      if (packIndex >= pack.args().size()) {
        throw new Failure();
      }
      target = pack.args().get(packIndex);
    }
    return target;
  }

  private Node strip(Node node) {
    return node instanceof ParamRef ref && !inLambdaParams ? resolve(ref) : node;
  }

  private boolean hasRightPart(Node node) {
    return switch (strip(node)) {
      case FunctionType f -> true;
      case ArrayType a -> true;
      case Pointer p -> hasRightPart(p.pointee());
      case Reference r -> hasRightPart(r.pointee());
      case MemberPointer m -> hasRightPart(m.member());
      case Qualified q -> hasRightPart(q.child());
      case VendorQualified v -> hasRightPart(v.child());
      case Vector v -> hasRightPart(v.element());
      default -> false;
    };
  }

  private boolean isArray(Node node) {
    Node n = strip(node);
    return n instanceof ArrayType || n instanceof Qualified q && isArray(q.child());
  }

  private boolean isFunction(Node node) {
    Node n = strip(node);
    return n instanceof FunctionType || n instanceof Qualified q && isFunction(q.child());
  }

  /** Switches to the saved template scope of a reference's parameter; returns the current one. */
  private Frame enterReference(Reference ref) {
    Frame current = templates;
    printing.push(ref);
    if (ref.pointee() instanceof ParamRef param && !inLambdaParams) {
      if (!savedScopes.containsKey(param)) {
        savedScopes.put(param, templates);
      } else if (!isBeingPrinted(param, ref)) {
        templates = savedScopes.get(param);
      }
    }
    return current;
  }

  private void leaveReference(Frame saved) {
    printing.pop();
    templates = saved;
  }

  /** Whether we are inside the parameter itself, or inside another printing of the reference. */
  private boolean isBeingPrinted(ParamRef param, Reference ref) {
    boolean top = true;
    for (Node n : printing) {
      if (n == param || (n == ref && !top)) {
        return true;
      }
      top = false;
    }
    return false;
  }

  /**
   * References to references collapse ({@code T&} with T = {@code int&&} is {@code int&}), one
   * level only, as in c++filt: the reference that results is printed as it is.
   */
  private Reference collapse(Reference ref) {
    Node inner = strip(ref.pointee());
    if (inner instanceof Reference r) {
      if (!r.rvalue() || ref.rvalue()) {
        return new Reference(r.pointee(), r.rvalue(), false);
      }
      return new Reference(r.pointee(), false, false);
    }
    return ref;
  }

  private void printLeft(Node node) {
    enter();
    try {
      switch (node) {
        case ParamRef ref -> {
          if (inLambdaParams) {
            appendLambdaParamName(ref.index());
          } else {
            // The argument itself is printed in the enclosing template's context.
            Node arg = resolve(ref);
            Frame saved = templates;
            templates = templates.next();
            printing.push(ref);
            printLeft(arg);
            printing.pop();
            templates = saved;
          }
        }
        case Pointer p -> {
          if (!printLeftWithDeclarator(p.pointee(), () -> append('*'))) {
            openDeclarator(p.pointee());
            append('*');
          }
        }
        case Reference ref -> {
          Frame saved = enterReference(ref);
          Reference r = ref.collapsible() ? collapse(ref) : ref;
          String text = r.rvalue() ? "&&" : "&";
          if (!printLeftWithDeclarator(r.pointee(), () -> append(text))) {
            openDeclarator(r.pointee());
            append(text);
          }
          leaveReference(saved);
        }
        case MemberPointer m -> {
          printLeftBehindBarrier(m.member());
          if (isArray(m.member()) || isFunction(m.member())) {
            if (last() != ' ' && last() != '(') {
              append(' ');
            }
            append('(');
          } else {
            append(' ');
          }
          // The member pointer itself sits between its class and any pending qualifiers.
          pendingQualifiers.push(BARRIER);
          print(m.cls());
          pendingQualifiers.pop();
          append("::*");
        }
        case FunctionType f -> {
          printLeftBehindBarrier(f.ret());
          if (isArray(f.ret())) {
            append(" (");
          } else if (!hasRightPart(f.ret())) {
            append(' ');
          }
        }
        case ArrayType a -> printLeftBehindBarrier(a.element());
        case Qualified q -> printQualified(q);
        case VendorQualified v -> {
          // Like a declarator: "double* ( foo) []", but plain "int foo" otherwise.
          printLeftBehindBarrier(v.child());
          boolean declarator = isArray(v.child()) || isFunction(v.child());
          if (last() != ' ') {
            append(' ');
          }
          if (declarator) {
            append("( ");
          }
          print(v.qualifier());
          if (declarator) {
            append(')');
          }
        }
        case Vector v -> {
          printLeftBehindBarrier(v.element());
          boolean array = isArray(v.element());
          if (array) {
            append(" (");
          }
          append(" __vector(");
          print(v.dimension());
          append(')');
          if (array) {
            append(')');
          }
        }
        default -> printName(node);
      }
    } finally {
      depth--;
    }
  }

  private boolean hasPendingDeclarator() {
    for (PendingDeclarator d : declarators) {
      if (!d.done) {
        return true;
      }
    }
    return false;
  }

  private void emitPendingDeclarators() {
    Deque<PendingDeclarator> taken = declarators;
    declarators = new ArrayDeque<>();
    for (PendingDeclarator d : taken) {
      if (!d.done) {
        d.done = true;
        d.emit.run();
      }
    }
    declarators = taken;
  }

  /** Prints the left part of a pointee, with the pointer's own text waiting as a declarator. */
  private boolean printLeftWithDeclarator(Node pointee, Runnable declarator) {
    if (isArray(pointee) || isFunction(pointee)) {
      printLeftBehindBarrier(pointee);
      return false;
    }
    PendingDeclarator pending = new PendingDeclarator(declarator);
    declarators.push(pending);
    printLeftBehindBarrier(pointee);
    declarators.pop();
    return pending.done;
  }

  /** Lists that c++filt prints with no declarators pending (arguments, parameters). */
  private void printIsolatedList(List<Node> items) {
    Deque<PendingDeclarator> savedDeclarators = declarators;
    Deque<String> savedQualifiers = pendingQualifiers;
    declarators = new ArrayDeque<>();
    pendingQualifiers = new ArrayDeque<>();
    printList(items);
    declarators = savedDeclarators;
    pendingQualifiers = savedQualifiers;
  }

  private void printLeftBehindBarrier(Node node) {
    pendingQualifiers.push(BARRIER);
    printLeft(node);
    pendingQualifiers.pop();
  }

  /** Prints {@code child quals}, skipping qualifiers an enclosing type is about to print. */
  private void printQualified(Qualified q) {
    String[] words = q.quals().trim().split(" ");
    if (isArray(q.child())) {
      // c++filt prints qualifiers of an array in mangled order: "int volatile const [3]".
      Collections.reverse(Arrays.asList(words));
    }
    List<String> pushed = new ArrayList<>();
    // Words are innermost first; c++filt meets the outermost qualifier first.
    for (int i = words.length - 1; i >= 0; i--) {
      if (!isPending(words[i])) {
        pendingQualifiers.push(words[i]);
        pushed.add(words[i]);
      }
    }
    printLeft(q.child());
    for (int i = pushed.size() - 1; i >= 0; i--) {
      pendingQualifiers.pop();
      append(' ');
      append(pushed.get(i));
    }
  }

  private boolean isPending(String word) {
    for (String pending : pendingQualifiers) {
      if (pending.equals(BARRIER)) {
        return false;
      }
      if (pending.equals(word)) {
        return true;
      }
    }
    return false;
  }

  private void openDeclarator(Node pointee) {
    if (isArray(pointee)) {
      append(" (");
    } else if (isFunction(pointee)) {
      append('(');
    }
  }

  private void closeDeclarator(Node pointee) {
    if (isArray(pointee) || isFunction(pointee)) {
      append(')');
    }
  }

  private void printRight(Node node) {
    enter();
    try {
      switch (node) {
        case ParamRef ref -> {
          if (!inLambdaParams) {
            Node arg = resolve(ref);
            Frame saved = templates;
            templates = templates.next();
            printing.push(ref);
            printRight(arg);
            printing.pop();
            templates = saved;
          }
        }
        case Pointer p -> {
          closeDeclarator(p.pointee());
          printRight(p.pointee());
        }
        case Reference ref -> {
          Frame saved = enterReference(ref);
          Reference r = ref.collapsible() ? collapse(ref) : ref;
          closeDeclarator(r.pointee());
          printRight(r.pointee());
          leaveReference(saved);
        }
        case MemberPointer m -> {
          closeDeclarator(m.member());
          printRight(m.member());
        }
        case FunctionType f -> {
          append('(');
          printIsolatedList(f.params());
          append(')');
          // An exception specification is the innermost qualifier, so it prints first.
          if (f.exceptionSpec() instanceof ExceptionSpec spec) {
            append(' ');
            append(spec.keyword());
            append('(');
            printIsolatedList(spec.args());
            append(')');
          }
          append(f.quals());
          if (isArray(f.ret())) {
            append(')');
          }
          printRight(f.ret());
        }
        case ArrayType a -> {
          if (last() != ']') {
            append(' ');
          }
          append('[');
          if (a.dimension() != null) {
            print(a.dimension());
          }
          append(']');
          printRight(a.element());
        }
        case Qualified q -> printRight(q.child());
        case VendorQualified v -> printRight(v.child());
        case Vector v -> printRight(v.element());
        default -> {}
      }
    } finally {
      depth--;
    }
  }

  /**
   * Comma-separated list. Like c++filt, a trailing run of elements that print nothing (empty
   * packs) also drops the separators before them.
   */
  private void printList(List<Node> items) {
    int[] marks = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        append(", ");
      }
      marks[i] = out.length();
      print(items.get(i));
    }
    for (int i = items.size() - 1; i > 0 && out.length() == marks[i]; i--) {
      out.setLength(marks[i] - 2);
    }
  }

  private void printName(Node node) {
    switch (node) {
      case Name n -> append(n.text());
      case Builtin b -> append(b.text());
      case StdAbbreviation a -> append(a.text());
      case StructuredBinding b -> {
        append('[');
        printList(b.names());
        append(']');
      }
      case Nested n -> {
        print(n.scope());
        append("::");
        print(n.name());
      }
      case Template t -> {
        Template savedTemplate = currentTemplate;
        currentTemplate = t;
        print(t.name());
        if (last() == '<') {
          append(' ');
        }
        append('<');
        printIsolatedList(((TemplateArgs) t.args()).args());
        if (last() == '>') {
          append(' ');
        }
        append('>');
        currentTemplate = savedTemplate;
      }
      case TemplateArgs pack -> printList(pack.args());
      case AbiTag a -> {
        print(a.name());
        append("[abi:");
        append(a.tag());
        append(']');
      }
      case Structor s -> {
        if (s.destructor()) {
          append('~');
        }
        print(s.name());
      }
      case Operator op -> {
        append("operator");
        String text = op.text();
        if (Character.isLowerCase(text.charAt(0))) {
          append(' ');
        }
        append(text.endsWith(" ") ? text.substring(0, text.length() - 1) : text);
      }
      case Conversion c -> {
        append("operator ");
        Frame saved = templates;
        if (currentTemplate != null) {
          templates = new Frame(((TemplateArgs) currentTemplate.args()).args(), templates);
        }
        print(c.type());
        templates = saved;
      }
      case LiteralOperator l -> {
        append("operator\"\" ");
        print(l.name());
      }
      case Lambda l -> {
        append("{lambda");
        List<TemplateParamDecl> decls = l.templateParams();
        if (!decls.isEmpty()) {
          append('<');
          for (int i = 0; i < decls.size(); i++) {
            if (i > 0) {
              append(", ");
            }
            printTemplateParamDecl(decls.get(i));
            append(' ');
            appendDeclName(decls.get(i), i);
          }
          append('>');
        }
        append('(');
        boolean was = inLambdaParams;
        List<TemplateParamDecl> wasDecls = lambdaTemplateParams;
        inLambdaParams = true;
        lambdaTemplateParams = decls;
        printIsolatedList(l.params());
        inLambdaParams = was;
        lambdaTemplateParams = wasDecls;
        append(")#");
        append(Integer.toString(l.number()));
        append('}');
      }
      case Unnamed u -> {
        append("{unnamed type#");
        append(Integer.toString(u.number()));
        append('}');
      }
      case Local l -> {
        print(l.function());
        append("::");
        print(l.entity());
      }
      case DefaultArg d -> {
        append("{default arg#");
        append(Integer.toString(d.number()));
        append("}::");
        print(d.name());
      }
      case Special s -> {
        append(s.prefix());
        print(s.target());
      }
      case ConstructionVtable c -> {
        append("construction vtable for ");
        print(c.base());
        append("-in-");
        print(c.derived());
      }
      case Clone c -> {
        print(c.encoding());
        append(" [clone ");
        append(c.suffix());
        append(']');
      }
      case Function f -> printFunction(f);
      case MethodQualified m -> {
        print(m.name());
        append(m.quals());
      }
      case PackExpansion p -> printPackExpansion(p);
      case Literal l -> printLiteral(l);
      case FunctionParam p -> {
        if (p.number() == 0) {
          append("this");
        } else {
          append("{parm#");
          append(Integer.toString(p.number()));
          append('}');
        }
      }
      case Decltype d -> {
        append("decltype (");
        print(d.expr());
        append(')');
      }
      case Unary u -> printUnary(u);
      case Binary b -> printBinary(b);
      case Trinary t when t.op() instanceof Operator o && o.code().equals("dX") -> {
        // Range designator: [a ... b]=v
        append('[');
        print(t.first());
        append(" ... ");
        print(t.second());
        append("]=");
        printSubexpression(t.third());
      }
      case Trinary t -> {
        printSubexpression(t.first());
        printOperatorText(t.op());
        printSubexpression(t.second());
        append(" : ");
        printSubexpression(t.third());
      }
      case Call c -> {
        printSubexpression(c.callee());
        append('(');
        printList(c.args());
        append(')');
      }
      case Cast c -> {
        if (c.keyword() == null) {
          append('(');
          print(c.type());
          append(')');
          return;
        }
        append(c.keyword());
        append('<');
        print(c.type());
        append(">(");
        printList(c.args());
        append(')');
      }
      case ExprList l -> printList(l.items());
      case Fold f -> printFold(f);
      case New n -> {
        append("new ");
        if (!n.placement().isEmpty()) {
          append('(');
          printList(n.placement());
          append(") ");
        }
        print(n.type());
        if (n.init() != null) {
          append('(');
          printList(n.init());
          append(')');
        }
      }
      case InitList l -> {
        if (l.type() != null) {
          print(l.type());
        }
        append('{');
        printList(l.items());
        append('}');
      }
      default -> throw new Failure();
    }
  }

  private void printFunction(Function f) {
    // A function template's arguments are what T_ in its return and parameter types mean; its
    // own name is printed outside them (c++filt fails on T_ inside the function's own args).
    Frame outer = templates;
    List<Node> args = templateArgsOf(f.name());
    Frame inner = args == null ? outer : new Frame(args, outer);
    Runnable declarator = () -> {
      Frame current = templates;
      templates = outer;
      print(f.name());
      templates = inner;
      append('(');
      printIsolatedList(f.params());
      append(')');
      append(f.quals());
      templates = current;
    };
    templates = inner;
    boolean returnsArray = f.ret() != null && isArray(f.ret());
    boolean printed = false;
    if (f.ret() != null) {
      if (hasRightPart(f.ret())) {
        printLeft(f.ret());
        if (returnsArray) {
          append(" (");
        }
      } else {
        PendingDeclarator pending = new PendingDeclarator(declarator);
        declarators.push(pending);
        printLeft(f.ret());
        declarators.pop();
        printed = pending.done;
        if (!printed) {
          append(' ');
        }
      }
    }
    if (!printed) {
      declarator.run();
    }
    if (returnsArray) {
      append(')');
    }
    if (f.ret() != null) {
      printRight(f.ret());
    }
    templates = outer;
  }

  private static List<Node> templateArgsOf(Node name) {
    if (name instanceof Local local) {
      name = local.entity();
      if (name instanceof DefaultArg d) {
        name = d.name();
      }
    }
    return name instanceof Template t ? ((TemplateArgs) t.args()).args() : null;
  }

  private void printPackExpansion(PackExpansion p) {
    TemplateArgs pack = findPack(p.pattern());
    if (pack == null) {
      printSubexpression(p.pattern());
      append("...");
      return;
    }
    int saved = packIndex;
    for (int i = 0; i < pack.args().size(); i++) {
      packIndex = i;
      print(p.pattern());
      if (i < pack.args().size() - 1) {
        append(", ");
      }
    }
    packIndex = saved;
  }

  /** First template parameter in the pattern that refers to an argument pack. */
  private TemplateArgs findPack(Node node) {
    if (++steps > MAX_STEPS) {
      throw new Failure();
    }
    return switch (node) {
      case null -> null;
      case ParamRef ref -> {
        if (inLambdaParams) {
          yield null;
        }
        // Like c++filt: no template to look in is an error, a missing argument is not.
        if (templates == null) {
          throw new Failure();
        }
        yield ref.index() < templates.args().size()
            && templates.args().get(ref.index()) instanceof TemplateArgs t ? t : null;
      }
      case PackExpansion p -> null;
      case Pointer p -> findPack(p.pointee());
      case Reference r -> findPack(r.pointee());
      case Qualified q -> findPack(q.child());
      case FunctionType f -> first(findPack(f.ret()), f.params());
      case ArrayType a -> first(findPack(a.element()), a.dimension() == null ? List.of() : List.of(a.dimension()));
      case MemberPointer m -> first(findPack(m.cls()), List.of(m.member()));
      case Nested n -> first(findPack(n.scope()), List.of(n.name()));
      case Template t -> first(findPack(t.name()), List.of(t.args()));
      case TemplateArgs a -> first(null, a.args());
      case Decltype d -> findPack(d.expr());
      case Unary u -> findPack(u.operand());
      case Binary b -> first(findPack(b.left()), b.right() == null ? List.of() : List.of(b.right()));
      case Call c -> first(findPack(c.callee()), c.args());
      case Cast c -> first(findPack(c.type()), c.args());
      default -> null;
    };
  }

  private TemplateArgs first(TemplateArgs found, List<Node> rest) {
    if (found != null) {
      return found;
    }
    for (Node n : rest) {
      TemplateArgs t = findPack(n);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private void printLiteral(Literal l) {
    Node type = strip(l.type());
    String kind = type instanceof Builtin b ? b.text() : "";
    String suffix = switch (kind) {
      case "int" -> "";
      case "unsigned int" -> "u";
      case "long" -> "l";
      case "unsigned long" -> "ul";
      case "long long" -> "ll";
      case "unsigned long long" -> "ull";
      default -> null;
    };
    if (suffix != null) {
      if (l.negative()) {
        append('-');
      }
      append(l.value());
      append(suffix);
      return;
    }
    if (kind.equals("bool") && !l.negative() && l.value().length() == 1) {
      if (l.value().equals("0")) {
        append("false");
        return;
      }
      if (l.value().equals("1")) {
        append("true");
        return;
      }
    }
    // As in c++filt's builtin table: _FloatN literals print plainly, the others in brackets.
    boolean isFloat = switch (kind) {
      case "float", "double", "long double", "__float128", "half", "std::bfloat16_t" -> true;
      default -> false;
    };
    append('(');
    print(l.type());
    append(')');
    if (l.negative()) {
      append('-');
    }
    if (isFloat) {
      append('[');
    }
    append(l.value());
    if (isFloat) {
      append(']');
    }
  }

  private void appendLambdaParamName(int index) {
    if (lambdaTemplateParams.isEmpty()) {
      append("auto:" + (index + 1));
    } else if (index < lambdaTemplateParams.size()) {
      appendDeclName(lambdaTemplateParams.get(index), index);
    } else {
      throw new Failure();
    }
  }

  /** c++filt names them by kind and position: $T0, $N1, $TT2. */
  private void appendDeclName(TemplateParamDecl decl, int index) {
    while (decl.kind() == 'p') {
      decl = decl.packOf();
    }
    append(switch (decl.kind()) {
      case 'y' -> "$T";
      case 'n' -> "$N";
      default -> "$TT";
    });
    append(Integer.toString(index));
  }

  private void printTemplateParamDecl(TemplateParamDecl decl) {
    switch (decl.kind()) {
      case 'y' -> append("typename");
      case 'n' -> print(decl.type());
      case 't' -> {
        append("template<");
        for (int i = 0; i < decl.params().size(); i++) {
          if (i > 0) {
            append(", ");
          }
          printTemplateParamDecl(decl.params().get(i));
        }
        append("> class");
      }
      default -> {
        printTemplateParamDecl(decl.packOf());
        append("...");
      }
    }
  }

  private void printFold(Fold f) {
    // The pack inside a fold is not expanded element by element.
    int saved = packIndex;
    packIndex = -1;
    append('(');
    switch (f.kind()) {
      case 'l' -> {
        append("...");
        printOperatorText(f.op());
        printSubexpression(f.pack());
      }
      case 'r' -> {
        printSubexpression(f.pack());
        printOperatorText(f.op());
        append("...");
      }
      default -> {
        printSubexpression(f.pack());
        printOperatorText(f.op());
        append("...");
        printOperatorText(f.op());
        printSubexpression(f.init());
      }
    }
    append(')');
    packIndex = saved;
  }

  /** Operands print bare only when they are plain names, as in c++filt. */
  private void printSubexpression(Node node) {
    boolean simple = node instanceof Name || node instanceof Nested || node instanceof FunctionParam
        || node instanceof InitList;
    if (!simple) {
      append('(');
    }
    print(node);
    if (!simple) {
      append(')');
    }
  }

  private void printOperatorText(Node op) {
    if (op instanceof Operator o) {
      append(o.text());
    } else {
      print(op);
    }
  }

  private void printUnary(Unary u) {
    String code = u.op() instanceof Operator o ? o.code() : null;
    Node operand = u.operand();
    if ("sZ".equals(code)) {
      TemplateArgs pack = findPack(operand);
      append(Integer.toString(pack == null ? 0 : pack.args().size()));
      return;
    }
    if ("sP".equals(code)) {
      int count = 0;
      for (Node arg : ((TemplateArgs) operand).args()) {
        Node a = arg instanceof PackExpansion p ? findPack(p.pattern()) : arg;
        count += a instanceof TemplateArgs t ? t.args().size() : 1;
      }
      append(Integer.toString(count));
      return;
    }
    // &A::f drops the parameter list, but not for a qualified member function (c++filt).
    if ("ad".equals(code) && operand instanceof Function f && f.name() instanceof Nested
        && f.quals().isEmpty()) {
      operand = f.name();
    }
    if (u.op() instanceof Cast cast) {
      append('(');
      print(cast.type());
      append(')');
    } else {
      printOperatorText(u.op());
    }
    if (operand == null) {
      return;
    }
    if ("gs".equals(code)) {
      print(operand);
    } else if ("st".equals(code)) {
      append('(');
      print(operand);
      append(')');
    } else {
      printSubexpression(operand);
    }
  }

  private void printBinary(Binary b) {
    if (b.right() == null) {
      // Postfix ++/--.
      printSubexpression(b.left());
      printOperatorText(b.op());
      return;
    }
    String code = b.op() instanceof Operator o ? o.code() : "";
    boolean greater = code.equals("gt");
    if (greater) {
      append('(');
    }
    if (code.equals("dx")) {
      // Array designator: [i]=v
      append('[');
      print(b.left());
      append("]=");
      printSubexpression(b.right());
      return;
    }
    if (code.equals("di")) {
      // Designated initializer: .x=(1)
      append('.');
      print(b.left());
      printOperatorText(b.op());
      printSubexpression(b.right());
      return;
    }
    printSubexpression(b.left());
    if (code.equals("ix")) {
      append('[');
      print(b.right());
      append(']');
    } else {
      printOperatorText(b.op());
      printSubexpression(b.right());
    }
    if (greater) {
      append(')');
    }
  }
}
