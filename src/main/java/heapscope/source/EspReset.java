package heapscope.source;

/**
 * The DTR/RTS sequences idf.py monitor drives an ESP32 board's auto-reset circuit with (RTS pulls EN, the chip's
 * reset, low; DTR pulls GPIO0 low; both asserted together leave the chip running). "Asserted" is the line's
 * active state, which the board's transistors turn into a low pin.
 * <ul>
 *   <li>{@link #beforeOpen}: RTS and DTR asserted, so opening the port does not glitch EN;</li>
 *   <li>{@link #afterOpen}: RTS released first, then DTR (releasing DTR first would put EN low alone: a reset),
 *       then, when asked, the hard reset;</li>
 *   <li>{@link #hard}: RTS asserted (EN low) for 5 ms with DTR released, then released: the chip restarts its
 *       application, as idf.py monitor's reset on open and Ctrl-T Ctrl-R do.</li>
 * </ul>
 * After every RTS change DTR is set again to its state: Windows' usbser.sys only applies RTS with a DTR change.
 */
public final class EspReset {
    /** How long EN is held low for a reset, idf.py monitor's default for every chip. */
    public static final long EN_LOW_MS = 5;

    /** A port's control lines; each call says whether the port took it (a pty has no control lines). */
    public interface Lines {
        boolean dtr(boolean asserted);

        boolean rts(boolean asserted);
    }

    /** Waits between line changes; a test records instead of sleeping. */
    public interface Pause {
        void ms(long ms) throws InterruptedException;
    }

    private final Lines lines;
    private final Pause pause;
    /** DTR as last set: asserted, as a port opens by default. */
    private boolean dtr = true;

    public EspReset(Lines lines, Pause pause) {
        this.lines = lines;
        this.pause = pause;
    }

    /** Both lines asserted, set before the port opens so that it opens in that state. */
    public boolean beforeOpen() {
        return rts(true) & dtr(true);
    }

    /** Both lines released, RTS first; then the hard reset when {@code reset}. False when a line could not be set. */
    public boolean afterOpen(boolean reset) throws InterruptedException {
        boolean ok = rts(false) & dtr(false);
        return reset ? hard() & ok : ok;
    }

    /** EN low for {@link #EN_LOW_MS}, then high: the chip restarts. False when the port has no control lines. */
    public boolean hard() throws InterruptedException {
        boolean ok = rts(true);
        pause.ms(EN_LOW_MS);
        return rts(false) & ok;
    }

    private boolean dtr(boolean asserted) {
        dtr = asserted;
        return lines.dtr(asserted);
    }

    private boolean rts(boolean asserted) {
        boolean ok = lines.rts(asserted);
        return lines.dtr(dtr) & ok;
    }
}
