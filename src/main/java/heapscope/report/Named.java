package heapscope.report;

import heapscope.source.InputException;

import java.util.List;

/** An entry of a registry that --format names (report formats, exports). */
public interface Named {
    String name();

    /** One line for help. */
    String summary();

    /** The entry called NAME; an unknown one is an input error naming those there are. */
    static <T extends Named> T find(List<T> registry, String name) {
        return registry.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new InputException("unknown --format '"
                + name + "' (" + String.join(" or ", registry.stream().map(Named::name).toList()) + ")"));
    }
}
