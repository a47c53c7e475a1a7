package heapscope.monitor;

import heapscope.monitor.KeyAction.Command;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * idf.py monitor's keys, as a state machine from the bytes a terminal sends to what they do: everything typed goes
 * to the device, except Ctrl-] (exit), Ctrl-C (exit, status 130) and Ctrl-T, the menu key, whose next key is a
 * command (Ctrl-T Ctrl-R reset, Ctrl-T Ctrl-H help, ...). Ctrl-T followed by Ctrl-T, Ctrl-] or Ctrl-C sends that
 * key itself. The letters idf.py also takes after Ctrl-T (H ? I X, either case) work too.
 */
public final class Keys {
    public static final int MENU = ctrl('T');
    public static final int EXIT = ctrl(']');
    public static final int INTERRUPT = ctrl('C');

    /** What Enter sends, idf.py monitor's --eol: the terminal gives LF, a device console usually waits for CR. */
    public enum Eol {
        CR, LF, CRLF
    }

    private final Eol eol;
    private boolean menu;

    public Keys(Eol eol) {
        this.eol = eol;
    }

    private static int ctrl(char c) {
        return c - '@';
    }

    /** The actions of these bytes, in order; consecutive bytes for the device come as one {@link KeyAction.Send}. */
    public List<KeyAction> feed(byte[] b, int off, int len) {
        List<KeyAction> actions = new ArrayList<>();
        ByteArrayOutputStream send = new ByteArrayOutputStream();
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            KeyAction action = menu ? menuKey(c) : key(c, send);
            if (action != null) {
                flush(send, actions);
                actions.add(action);
            }
        }
        flush(send, actions);
        return actions;
    }

    /** Whether Ctrl-T was the last key: the next one is a command. */
    public boolean inMenu() {
        return menu;
    }

    private static void flush(ByteArrayOutputStream send, List<KeyAction> actions) {
        if (send.size() > 0) {
            actions.add(new KeyAction.Send(send.toByteArray()));
            send.reset();
        }
    }

    private KeyAction key(int c, ByteArrayOutputStream send) {
        if (c == MENU) {
            menu = true;
            return null;
        }
        if (c == EXIT) {
            return Command.EXIT;
        }
        if (c == INTERRUPT) {
            return Command.INTERRUPT;
        }
        switch (eol) {
            case CR -> send.write(c == '\n' ? '\r' : c);
            case LF -> send.write(c == '\r' ? '\n' : c);
            case CRLF -> {
                if (c == '\n') {
                    send.write('\r');
                }
                send.write(c);
            }
        }
        return null;
    }

    private KeyAction menuKey(int c) {
        menu = false;
        if (c == MENU || c == EXIT || c == INTERRUPT) {
            return new KeyAction.Send(new byte[] {(byte) c});
        }
        return switch (c) {
            case 'h', 'H', '?', 0x08 -> Command.HELP;
            case 0x12 -> Command.RESET;
            case 'e', 'E', 0x05 -> Command.REPORT;
            case 'i', 'I', 0x09 -> Command.TOGGLE_TIMESTAMPS;
            case 'x', 'X', 0x18 -> Command.EXIT;
            default -> new KeyAction.UnknownMenuKey(c);
        };
    }

    /** A key as a person names it: Ctrl-R, 'x', 0x7f. */
    public static String describe(int key) {
        if (key >= 1 && key < 0x20) {
            return "Ctrl-" + (char) (key + '@');
        }
        return key > 0x20 && key < 0x7f ? "'" + (char) key + "'" : String.format(Locale.ROOT, "0x%02x", key);
    }

    /** The keys, for Ctrl-T Ctrl-H and the monitor's help. */
    public static List<String> help() {
        return List.of(
                "Ctrl-]           exit: the leak report of what came, then exit",
                "Ctrl-C           exit as Ctrl-], with exit status 130",
                "Ctrl-T           menu key, followed by:",
                "  Ctrl-R         reset the board (RTS: EN low for 5 ms)",
                "  Ctrl-E (or E)  the leak report of what came so far; the monitor goes on",
                "  Ctrl-I (or I)  host timestamps before each line, on or off",
                "  Ctrl-H (or H)  this help",
                "  Ctrl-X (or X)  exit",
                "  Ctrl-T, Ctrl-], Ctrl-C  send that key itself to the device",
                "Everything else typed goes to the device; Enter as --eol says (default CR).");
    }
}
