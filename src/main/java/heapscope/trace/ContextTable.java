package heapscope.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns execution contexts so events carry a small int. Id 0 is always {@link Context#UNKNOWN}. */
public final class ContextTable {
    private final List<Context> byId = new ArrayList<>();
    private final Map<Context, Integer> ids = new HashMap<>();

    public ContextTable() {
        intern(Context.UNKNOWN);
    }

    public int intern(Context context) {
        Integer id = ids.get(context);
        if (id != null) {
            return id;
        }
        int next = byId.size();
        byId.add(context);
        ids.put(context, next);
        return next;
    }

    public int intern(Context.Kind kind, String name) {
        return intern(new Context(kind, name));
    }

    public Context get(int id) {
        return id >= 0 && id < byId.size() ? byId.get(id) : Context.UNKNOWN;
    }

    public int size() {
        return byId.size();
    }
}
