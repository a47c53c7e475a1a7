package heapscope.sim;

import heapscope.trace.HeapSample;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Free-heap readings of a simulated device, for measuring the trend verdict: a level that moves with the
 * workload in one of several leak-free ways, minus an optional steady leak.
 */
public final class SyntheticHeapSeries {
    /** How a leak-free device's free heap moves. */
    public enum Noise {
        /** independent jitter from requests in flight */
        JITTER,
        /** a cache that fills and is flushed periodically */
        SAWTOOTH,
        /** rare large temporary buffers */
        BURSTS,
        /** a slowly wandering, mean-reverting level (buffers pooled by load) */
        WANDER
    }

    /**
     * @param seconds     capture length
     * @param every       seconds between readings
     * @param amplitude   size of the workload's swings, bytes
     * @param leakPerMin  steady leak, bytes per minute (0 = none)
     */
    public record Spec(Noise noise, double seconds, double every, double amplitude, double leakPerMin, long seed) {
    }

    private SyntheticHeapSeries() {
    }

    public static List<HeapSample> write(Spec spec) {
        SplittableRandom r = new SplittableRandom(spec.seed());
        List<HeapSample> out = new ArrayList<>();
        double level = 0;
        double period = 60 + r.nextDouble() * 240;
        double phase = r.nextDouble() * period;
        long base = 180_000;
        int line = 0;
        for (double t = 0; t <= spec.seconds(); t += spec.every()) {
            double a = spec.amplitude();
            double swing = switch (spec.noise()) {
                case JITTER -> a * gaussian(r);
                case SAWTOOTH -> -a * (((t + phase) % period) / period) + 0.2 * a * gaussian(r);
                case BURSTS -> (r.nextInt(20) == 0 ? -3 * a * r.nextDouble() : 0) + 0.2 * a * gaussian(r);
                case WANDER -> {
                    level = 0.97 * level + 0.25 * a * gaussian(r);
                    yield level + 0.2 * a * gaussian(r);
                }
            };
            long free = Math.max(0, Math.round(base + swing - spec.leakPerMin() * t / 60));
            long largest = Math.max(0, Math.round(free * (0.9 - 0.1 * r.nextDouble())));
            out.add(new HeapSample(Math.round(t * 1e9), 0, ++line, true, "total", free, -1, largest, -1));
        }
        return out;
    }

    /**
     * The series as seed 003's heap monitor prints it every few seconds: its task table, then
     * {@code Memoria atual: N, Menor valor: M} (current free heap and the minimum since boot), each line behind
     * an ESP log-like timestamp so the decoder has times.
     */
    public static void writeMonitorLog(List<HeapSample> series, Writer out) throws IOException {
        String rule = "-".repeat(92);
        long min = Long.MAX_VALUE;
        for (HeapSample h : series) {
            min = Math.min(min, h.free());
            long ms = h.timeNs() / 1_000_000 + 1000;
            out.write("I (" + ms + ") monitor: tick\n");
            out.write(rule + "\n");
            out.write(String.format("| %-17s | %-9s | %-8s | %-20s | %-6s |%n", "Task Name", "Status", "Priority", "Stack High Water Mark", "Core"));
            out.write(rule + "\n");
            out.write(String.format("| %-17s | %-9s | %-8d | %-20d | %-6s |%n", "f_HeapMonitor", "Running", 5, 1824, "1"));
            out.write(rule + "\n");
            out.write("Memoria atual: " + h.free() + ", Menor valor: " + min + "\n");
            out.write(rule + "\n");
        }
        out.flush();
    }

    /** Standard normal by Box-Muller. */
    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
