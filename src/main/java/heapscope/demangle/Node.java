package heapscope.demangle;

import java.util.List;

/**
 * The small syntax tree the {@link Parser} builds and the {@link Printer} turns into text. Shapes
 * follow what GNU c++filt prints rather than the grammar, e.g. method qualifiers live on the
 * encoding because that is where they are printed.
 */
sealed interface Node {

  /** Identifier or fixed text, e.g. {@code foo}, {@code (anonymous namespace)}, {@code std}. */
  record Name(String text) implements Node {}

  /** {@code Sa}, {@code Ss}...: printed like a name but, as in c++filt, not a "simple" operand. */
  record StdAbbreviation(String text) implements Node {}

  /** Builtin type; literals of some builtins print specially ({@code 5u}, {@code true}). */
  record Builtin(String text) implements Node {}

  /** {@code scope::name}. */
  record Nested(Node scope, Node name) implements Node {}

  /** {@code name<args>}; {@code args} is a {@link TemplateArgs}. */
  record Template(Node name, Node args) implements Node {}

  /** Template argument list; also an argument pack ({@code J...E}), which prints flattened. */
  record TemplateArgs(List<Node> args) implements Node {}

  /** {@code name[abi:tag]}. */
  record AbiTag(Node name, String tag) implements Node {}

  /** Constructor or destructor, named after the last source name seen (as c++filt does). */
  record Structor(Node name, boolean destructor) implements Node {}

  /** {@code operator+}, {@code operator new}... {@code text} is the operator's spelling. */
  record Operator(String code, String text) implements Node {}

  /** {@code operator int}. */
  record Conversion(Node type) implements Node {}

  /** {@code operator"" _km}. */
  record LiteralOperator(Node name) implements Node {}

  /**
   * {@code {lambda(int)#1}}; with explicit template parameters (gcc 13+),
   * {@code {lambda<typename $T0>($T0)#1}}.
   */
  record Lambda(List<TemplateParamDecl> templateParams, List<Node> params, int number)
      implements Node {}

  /**
   * Template parameter declaration of a lambda: kind y (typename), n (non-type, with its type),
   * t (template template, with its own parameters) or p (pack of {@code packOf}).
   */
  record TemplateParamDecl(char kind, Node type, List<TemplateParamDecl> params,
      TemplateParamDecl packOf) implements Node {}

  /** {@code {unnamed type#1}}. */
  record Unnamed(int number) implements Node {}

  /** Entity local to a function: {@code f()::x}. */
  record Local(Node function, Node entity) implements Node {}

  /** {@code {default arg#1}::name}. */
  record DefaultArg(int number, Node name) implements Node {}

  /** {@code vtable for X}, {@code guard variable for X}... */
  record Special(String prefix, Node target) implements Node {}

  /** {@code construction vtable for Base-in-Derived}. */
  record ConstructionVtable(Node base, Node derived) implements Node {}

  /** {@code f() [clone .constprop.0]}. */
  record Clone(Node encoding, String suffix) implements Node {}

  /** Name carrying member-function qualifiers ({@code NK...E}) until the encoding takes them. */
  record MethodQualified(Node name, String quals) implements Node {}

  /** Function encoding; {@code ret} is null when not mangled or elided; quals like " const &". */
  record Function(Node name, Node ret, List<Node> params, String quals) implements Node {}

  /** cv-qualified type: {@code int const}; quals is e.g. " const volatile". */
  record Qualified(Node child, String quals) implements Node {}

  record Pointer(Node pointee) implements Node {}

  /** {@code collapsible} is false for the result of collapsing, which c++filt does once. */
  record Reference(Node pointee, boolean rvalue, boolean collapsible) implements Node {
    Reference(Node pointee, boolean rvalue) {
      this(pointee, rvalue, true);
    }
  }

  /** Function type; quals are cv/ref/exception qualifiers printed after the parameters. */
  record FunctionType(Node ret, List<Node> params, String quals, Node exceptionSpec)
      implements Node {
    FunctionType(Node ret, List<Node> params, String quals) {
      this(ret, params, quals, null);
    }
  }

  /** {@code noexcept(expr)} ({@code DO}) or {@code throw(types)} ({@code Dw}) on a function type. */
  record ExceptionSpec(String keyword, List<Node> args) implements Node {}

  /** C++17 structured binding declared at namespace scope: {@code [a, b]}. */
  record StructuredBinding(List<Node> names) implements Node {}

  /** {@code int [3]}; dimension may be null (unknown bound). */
  record ArrayType(Node element, Node dimension) implements Node {}

  record MemberPointer(Node cls, Node member) implements Node {}

  /** Vendor qualifier ({@code U3foo}), printed after the type. */
  record VendorQualified(Node child, Node qualifier) implements Node {}

  /** {@code Dv4_f}: GCC vector type. */
  record Vector(Node element, Node dimension) implements Node {}

  /** {@code Dp}: expands once per element of the pack its pattern refers to. */
  record PackExpansion(Node pattern) implements Node {}

  /** Literal {@code (type)value}, or its short forms. */
  record Literal(Node type, String value, boolean negative) implements Node {}

  /** Function parameter reference in an expression: {@code {parm#1}}. */
  record FunctionParam(int number) implements Node {}

  /** Prefix expression with an operator: {@code -(x)}, {@code sizeof (int)}. */
  record Unary(Node op, Node operand) implements Node {}

  record Binary(Node op, Node left, Node right) implements Node {}

  record Trinary(Node op, Node first, Node second, Node third) implements Node {}

  /** Fold expression; {@code init} is null for unary folds. Kind is l, r, L or R. */
  record Fold(char kind, Node op, Node pack, Node init) implements Node {}

  /** {@code new (placement) T(init)}; placement and init may be null. */
  record New(List<Node> placement, Node type, List<Node> init) implements Node {}

  /** {@code T{a, b}} or {@code {a, b}}; type may be null. */
  record InitList(Node type, List<Node> items) implements Node {}

  /** Call {@code f(args)}. */
  record Call(Node callee, List<Node> args) implements Node {}

  /** {@code static_cast<T>(x)}; a null keyword is a C-style cast {@code (T)(x)}. */
  record Cast(String keyword, Node type, List<Node> args) implements Node {}

  /** {@code decltype (expr)}. */
  record Decltype(Node expr) implements Node {}

  /** List of expressions printed with ", " (e.g. sizeof...(pack) results, call args). */
  record ExprList(List<Node> items) implements Node {}

  /**
   * Template parameter {@code T<n>_}. Resolved while printing, against the template arguments of
   * the function being printed, because that is what c++filt does: a parameter reached through a
   * substitution can resolve differently from where it was parsed.
   */
  record ParamRef(int index) implements Node {}
}
