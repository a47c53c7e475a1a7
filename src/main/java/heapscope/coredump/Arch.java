package heapscope.coredump;

import java.util.List;

/** The two CPU families of the ESP32 chips, with the register names a dump's register set is printed with. */
public enum Arch {
    /** Register set: pc, ps, lbeg, lend, lcount, sar, a0..a15. */
    XTENSA(94, List.of("pc", "ps", "lbeg", "lend", "lcount", "sar", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
            "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15")),
    /** Register set: pc, then x1..x31 by their ABI names. */
    RISCV(243, List.of("pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
            "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"));

    private final int machine;
    private final List<String> registerNames;

    Arch(int machine, List<String> registerNames) {
        this.machine = machine;
        this.registerNames = registerNames;
    }

    public int machine() {
        return machine;
    }

    public List<String> registerNames() {
        return registerNames;
    }

    /** Index of the stack pointer in the register set. */
    public int sp() {
        return this == XTENSA ? 7 : 2;
    }

    public static Arch ofMachine(int machine) {
        for (Arch a : values()) {
            if (a.machine == machine) {
                return a;
            }
        }
        return null;
    }

    /** ESP-IDF's chip ids (esp_chip_model_t) as the dump header carries them. */
    public static Arch ofChip(int chip) {
        return switch (chip) {
            case 0, 2, 9 -> XTENSA;
            default -> RISCV;
        };
    }

    public static String chipName(int chip) {
        return switch (chip) {
            case 0 -> "esp32";
            case 2 -> "esp32s2";
            case 9 -> "esp32s3";
            case 5 -> "esp32c3";
            case 12 -> "esp32c2";
            case 13 -> "esp32c6";
            case 16 -> "esp32h2";
            case 18 -> "esp32p4";
            case 20 -> "esp32c61";
            case 23 -> "esp32c5";
            case 25 -> "esp32h21";
            case 28 -> "esp32h4";
            case -1 -> "unknown chip"; // a core ELF without the dump header does not say
            default -> "chip " + chip;
        };
    }
}
