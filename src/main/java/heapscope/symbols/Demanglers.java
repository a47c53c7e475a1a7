package heapscope.symbols;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.UnaryOperator;

/**
 * Finds the project's C++ demangler at run time, so the symbolizer builds and works (with mangled
 * names) whether or not {@code heapscope.demangle.ItaniumDemangler} is present.
 */
public final class Demanglers {
    private static final String CLASS = "heapscope.demangle.ItaniumDemangler";

    private Demanglers() {
    }

    /** True if the project's demangler is on the class path. */
    public static boolean itaniumAvailable() {
        return handle() != null;
    }

    private static MethodHandle handle() {
        try {
            return MethodHandles.publicLookup().findStatic(Class.forName(CLASS), "demangle",
                    MethodType.methodType(String.class, String.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** {@code ItaniumDemangler::demangle} when available, else the identity. */
    public static UnaryOperator<String> itaniumOrIdentity() {
        MethodHandle demangle = handle();
        if (demangle == null) {
            return UnaryOperator.identity();
        }
        return name -> {
            if (name == null || !name.startsWith("_Z")) {
                return name;
            }
            try {
                return (String) demangle.invokeExact(name);
            } catch (RuntimeException e) {
                return name; // a demangler bug must not lose the frame
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
