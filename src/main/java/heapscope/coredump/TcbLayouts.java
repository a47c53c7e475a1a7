package heapscope.coredump;

import heapscope.dwarf.StructLayout;
import heapscope.symbols.Symbolizer;

import java.util.Map;

/**
 * The TCB layout of an application, from its DWARF description of FreeRTOS's {@code struct tskTaskControlBlock}:
 * the members differ between FreeRTOS and ESP-IDF versions and configurations.
 */
public final class TcbLayouts {
    static final String STRUCT = "tskTaskControlBlock";

    private TcbLayouts() {
    }

    /** The layout from the ELF's DWARF, or {@link TcbLayout#ESP_IDF_V5} when the ELF does not describe the TCB. */
    public static TcbLayout of(Symbolizer elf) {
        Map<String, Long> m = elf.struct(STRUCT).map(StructLayout::members).orElse(Map.of());
        String[] needed = {"pxTopOfStack", "uxPriority", "pxStack", "pcTaskName", "pxEndOfStack"};
        for (String n : needed) {
            if (!m.containsKey(n)) {
                return TcbLayout.ESP_IDF_V5;
            }
        }
        long name = m.get("pcTaskName");
        long nameLength = 16;
        for (long offset : m.values()) {
            if (offset > name && offset - name < nameLength) {
                nameLength = offset - name;
            }
        }
        long base = m.getOrDefault("uxBasePriority", m.get("uxPriority"));
        return new TcbLayout(m.get("pxTopOfStack").intValue(), m.get("uxPriority").intValue(), m.get("pxStack").intValue(),
                (int) name, (int) nameLength, m.get("pxEndOfStack").intValue(), (int) base,
                "DWARF type struct " + STRUCT + " of the ELF");
    }
}
