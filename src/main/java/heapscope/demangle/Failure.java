package heapscope.demangle;

/** Signals input the demangler cannot handle; cheap because it is expected control flow. */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Failure() {
    super(null, null, false, false);
  }
}
