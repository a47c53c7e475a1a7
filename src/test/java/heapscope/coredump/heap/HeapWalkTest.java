package heapscope.coredump.heap;

import heapscope.Fixtures;
import heapscope.coredump.CoreDump;
import heapscope.coredump.CoreDumpDecoder;
import heapscope.coredump.CoreDumpText;
import heapscope.coredump.Memory;
import heapscope.coredump.Segment;
import heapscope.demangle.Demangler;
import heapscope.symbols.Symbolizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap at the crash, on dumps that {@link DramDumps} generates from the real ESP32-C3 firmware with a known heap
 * (no real dump with DRAM exists in the corpus), and on the real dumps, which hold no heap and must say so.
 */
class HeapWalkTest {
    private static Symbolizer c3;
    private static Symbolizer poisoning;
    private static DramDumps.Generated generated;

    @BeforeAll
    static void open() throws IOException {
        c3 = Symbolizer.open(Fixtures.corpus("esp-coredump/esp32c3.elf"), Demangler::demangle);
        poisoning = Symbolizer.open(Path.of("src/test/resources/coredump/heap-poisoning.elf"), Demangler::demangle);
        generated = DramDumps.generate(DramDumps.leakyHeap());
    }

    private static CoreDump decode(byte[] text) {
        Path p = Path.of("generated.log");
        return CoreDumpDecoder.decode(p, CoreDumpText.find(p, text).bytes());
    }

    private static HeapAtCrash.Walked walk(Memory m) {
        return assertInstanceOf(HeapAtCrash.Walked.class, HeapWalk.read(m, c3));
    }

    @Test
    void layoutsComeFromTheRealFirmwaresDwarfAsLlvmDwarfdumpPrintsThem() {
        HeapLayout l = assertInstanceOf(HeapLayout.Found.class, HeapLayout.of(c3)).layout();
        assertEquals(new HeapLayout(DramDumps.REGISTERED_HEAPS, 0x00, 0x0c, 0x10, 0x1c, 0x20, 0x10, 0x04, 0x08, 0x0c,
                true, 0x14, 0x04, null), l);
    }

    @Test
    void theRealEsp32ElfGivesItsLayoutsToo() throws IOException {
        Symbolizer esp32 = Symbolizer.open(Fixtures.corpus("esp-coredump/esp32.elf"), Demangler::demangle);
        HeapLayout l = assertInstanceOf(HeapLayout.Found.class, HeapLayout.of(esp32)).layout();
        assertEquals(new HeapLayout(0x3ffb2334L, 0x00, 0x0c, 0x10, 0x1c, 0x20, 0x10, 0x04, 0x08, 0x0c, true, 0x14, 0x04, null), l);
    }

    @Test
    void theFixtureDeclaresTheRealLayoutsAndHeapPoisoningsHeader() throws IOException {
        HeapLayout real = assertInstanceOf(HeapLayout.Found.class, HeapLayout.of(c3)).layout();
        HeapLayout fixture = assertInstanceOf(HeapLayout.Found.class, HeapLayout.of(poisoning)).layout();
        assertEquals(new HeapLayout.Poisoning(12, 8, 4), fixture.poisoning());
        assertEquals(real, new HeapLayout(fixture.registeredHeaps(), fixture.nodeCaps(), fixture.nodeStart(), fixture.nodeEnd(),
                fixture.nodeHeap(), fixture.nodeNext(), fixture.heapData(), fixture.freeBytes(), fixture.minimumFreeBytes(),
                fixture.poolSize(), fixture.poolFromControl(), fixture.controlSize(), fixture.blockSize(), null));
    }

    @Test
    void underHeapPoisoningEachAllocationHasItsSizeAskedForAndItsTask() throws IOException {
        DramDumps.Generated g = DramDumps.generate(DramDumps.leakyHeap(), true);
        CoreDump dump = decode(DramDumps.asLog(g.dump()).getBytes(StandardCharsets.US_ASCII));
        HeapAtCrash.Walked w = assertInstanceOf(HeapAtCrash.Walked.class, HeapWalk.read(dump.memory(), poisoning));
        assertEquals(List.of(), w.problems());
        for (int i = 0; i < 2; i++) {
            assertEquals(g.blocks().get(i), w.regions().get(i).blocks(), "region " + i);
        }
        HeapAtCrash.SizeClass top = w.liveBySize().get(0);
        assertEquals(84, top.size());
        assertEquals(85, top.count());
        assertEquals(3, w.liveByOwner().size());
        assertEquals(90, w.liveByOwner().stream().mapToLong(HeapAtCrash.Owner::blocks).sum());
    }

    @Test
    void anOverwrittenCanaryIsHeapCorruptionAtTheCrash() throws IOException {
        DramDumps.Generated g = DramDumps.generate(DramDumps.leakyHeap(), true);
        CoreDump dump = decode(DramDumps.asLog(g.dump()).getBytes(StandardCharsets.US_ASCII));
        HeapBlock overrun = g.blocks().get(0).get(5);
        HeapBlock underrun = g.blocks().get(0).get(9);
        Memory m = patched(dump, overrun.address() + overrun.size(), 0x00000000L); // 4 bytes past its end
        m = patched(m, underrun.address() - 12, 0x41414141L); // its head canary
        HeapAtCrash.Walked w = assertInstanceOf(HeapAtCrash.Walked.class, HeapWalk.read(m, poisoning));
        assertEquals(List.of(String.format("region 0x3fc90000-0x3fc94000: the 84-byte block at 0x%08x has its tail canary "
                        + "overwritten (0x00000000, not 0xbaad5678): something wrote past its end", overrun.address()),
                String.format("region 0x3fc90000-0x3fc94000: the block at 0x%08x has its head canary overwritten (0x41414141, "
                        + "not 0xabba1234): something wrote before its start, or the block before it overran", underrun.address())),
                w.problems());
        assertEquals(g.blocks().get(0).size(), w.regions().get(0).blocks().size(), "the walk goes on past both");
    }

    @Test
    void everyGeneratedBlockIsFoundWithItsSizeAndState() {
        CoreDump dump = decode(DramDumps.asLog(generated.dump()).getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(), dump.warnings());
        HeapAtCrash.Walked w = walk(dump.memory());
        assertEquals(List.of(), w.problems());
        assertEquals(2, w.regions().size());
        for (int i = 0; i < 2; i++) {
            HeapRegion r = w.regions().get(i);
            assertEquals(generated.blocks().get(i), r.blocks(), "region " + i);
            assertNull(r.stopReason());
            assertEquals(generated.freeBytes().get(i), r.freeBytes());
            assertEquals(DramDumps.DRAM_CAPS[0], r.caps()[0]);
        }
        HeapRegion first = w.regions().get(0);
        assertEquals(DramDumps.FIRST_REGION, first.start());
        assertEquals(1200, first.minimumFree());
        HeapAtCrash.SizeClass top = w.liveBySize().get(0);
        assertEquals(84, top.size());
        assertEquals(85, top.count()); // 60 in the first region, 25 in the second
    }

    @Test
    void theRealDumpsHoldNoHeapAndSaySo() throws IOException {
        Path p = Fixtures.corpus("esp-coredump/esp32c3_coredump.b64");
        CoreDump dump = CoreDumpDecoder.decode(p, CoreDumpText.find(p, Files.readAllBytes(p)).bytes());
        HeapAtCrash.NotWalked n = assertInstanceOf(HeapAtCrash.NotWalked.class, HeapWalk.read(dump.memory(), c3));
        assertTrue(n.reason().contains("0x3fc8bbb0") && n.reason().contains("CONFIG_ESP_COREDUMP_CAPTURE_DRAM"), n.reason());
    }

    @Test
    void anElfWithoutTheHeapsTypesIsRefusedByName() throws IOException {
        Symbolizer example = Symbolizer.open(Path.of("examples/connection/app.elf"), Demangler::demangle);
        HeapLayout.Missing m = assertInstanceOf(HeapLayout.Missing.class, HeapLayout.of(example));
        assertTrue(m.reason().contains("registered_heaps"), m.reason());
    }

    @Test
    void aDamagedSizeWordStopsTheWalkThereAndKeepsTheBlocksBefore() {
        CoreDump dump = decode(DramDumps.asLog(generated.dump()).getBytes(StandardCharsets.US_ASCII));
        List<HeapBlock> truth = generated.blocks().get(0);
        HeapBlock victim = truth.get(10);
        Memory m = patched(dump, victim.address() - 4, 0x7fff0000L); // its size word, now past the region's end
        HeapAtCrash.Walked w = walk(m);
        HeapRegion r = w.regions().get(0);
        assertEquals(truth.subList(0, 10), r.blocks());
        assertTrue(r.stopReason().contains(String.format("0x%08x", victim.address())) && r.stopReason().contains("damaged"),
                r.stopReason());
        assertTrue(w.problems().get(0).startsWith("region 0x3fc90000-0x3fc94000 is walked only in part (10 blocks)"),
                w.problems().toString());
        assertEquals(generated.blocks().get(1), w.regions().get(1).blocks(), "the next region is still walked");
    }

    @Test
    void aFreeBitThatDisagreesWithTheNextHeaderIsAWarning() {
        CoreDump dump = decode(DramDumps.asLog(generated.dump()).getBytes(StandardCharsets.US_ASCII));
        Memory m = dump.memory();
        for (int i : new int[] {3, 5, 7}) { // marked free; the next header says used
            HeapBlock used = generated.blocks().get(0).get(i);
            m = patched(m, used.address() - 4, used.size() | 1);
        }
        HeapAtCrash.Walked w = walk(m);
        HeapBlock fourth = generated.blocks().get(0).get(4);
        assertTrue(w.warnings().contains(String.format("region 0x3fc90000-0x3fc94000: the block header at 0x%08x says the block "
                + "before it is used, but it is free: the heap is damaged here", fourth.address() - 8)), w.warnings().toString());
        assertTrue(w.warnings().contains("region 0x3fc90000-0x3fc94000: 2 more block headers disagree with the block before them"),
                w.warnings().toString());
        assertTrue(w.warnings().stream().anyMatch(s -> s.contains("its head says")), "free bytes no longer add up: " + w.warnings());
    }

    @Test
    void aRegionCutShortByTheDumpIsWalkedAsFarAsItGoes() {
        CoreDump dump = decode(DramDumps.asLog(generated.dump()).getBytes(StandardCharsets.US_ASCII));
        long cut = generated.blocks().get(1).get(5).address() - 4; // the sixth block's size word and all after it
        List<Segment> segments = new ArrayList<>();
        for (Segment s : dump.segments()) {
            segments.add(s.address() == 0x3fcd0000L ? new Segment(s.address(), java.util.Arrays.copyOf(s.data(), (int) (cut - s.address())), s.flags()) : s);
        }
        HeapAtCrash.Walked w = walk(new Memory(segments));
        HeapRegion r = w.regions().get(1);
        assertEquals(generated.blocks().get(1).subList(0, 5), r.blocks());
        assertTrue(r.stopReason().contains("not in the dump"), r.stopReason());
    }

    @Test
    void aRegionWhoseMemoryTheDumpDidNotSaveIsNamedAsSuch() {
        CoreDump dump = decode(DramDumps.asLog(generated.dump()).getBytes(StandardCharsets.US_ASCII));
        List<Segment> segments = dump.segments().stream().filter(s -> s.address() != 0x3fcd0000L).toList();
        HeapAtCrash.Walked w = walk(new Memory(segments));
        assertEquals(generated.blocks().get(0), w.regions().get(0).blocks());
        assertEquals(List.of("region 0x3fcd0000-0x3fcd2000 is not walked: its memory is not in the dump (the dump saves internal "
                + "DRAM; this region lies elsewhere, as PSRAM, IRAM or RTC memory do)"), w.problems());
    }

    private static Memory patched(CoreDump dump, long address, long value) {
        return patched(dump.memory(), address, value);
    }

    /** {@code memory} with the word at {@code address} replaced. */
    private static Memory patched(Memory memory, long address, long value) {
        List<Segment> segments = new ArrayList<>();
        for (Segment s : memory.segments()) {
            if (s.contains(address, 4)) {
                byte[] d = s.data().clone();
                int i = (int) (address - s.address());
                for (int k = 0; k < 4; k++) {
                    d[i + k] = (byte) (value >>> (8 * k));
                }
                s = new Segment(s.address(), d, s.flags());
            }
            segments.add(s);
        }
        return new Memory(segments);
    }
}
