package heapscope.source;

/** The input cannot be used at all (missing, wrong format, unreachable). The message is one line for the user. */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }
}
