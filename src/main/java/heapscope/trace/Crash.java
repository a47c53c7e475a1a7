package heapscope.trace;

import java.util.List;

/**
 * The firmware stopped: a panic ({@code Guru Meditation Error}), {@code abort()} or a failed {@code assert}.
 *
 * @param reason    the panic reason or the abort/assert message
 * @param backtrace program counters, innermost first (empty when the log has none)
 * @param truncated the backtrace ended with {@code |<-CORRUPTED} or {@code |<-CONTINUES}
 */
public record Crash(long timeNs, int core, long line, String reason, List<Long> backtrace, boolean truncated) implements Event {
}
