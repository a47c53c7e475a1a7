package heapscope.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pprof's string table: each distinct string once, referred to by index; index 0 is always "". */
final class StringTable {
    private final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    StringTable() {
        id("");
    }

    long id(String s) {
        Integer i = index.get(s);
        if (i != null) {
            return i;
        }
        index.put(s, strings.size());
        strings.add(s);
        return strings.size() - 1;
    }

    List<String> strings() {
        return strings;
    }
}
