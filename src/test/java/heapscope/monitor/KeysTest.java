package heapscope.monitor;

import heapscope.monitor.KeyAction.Command;
import heapscope.monitor.KeyAction.Send;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** idf.py monitor's keys, byte by byte: what goes to the device and what the monitor does itself. */
class KeysTest {
    private static List<KeyAction> feed(Keys keys, String typed) {
        byte[] b = typed.getBytes(StandardCharsets.ISO_8859_1);
        return keys.feed(b, 0, b.length);
    }

    private static Send send(String s) {
        return new Send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void typedTextGoesToTheDeviceWithEnterAsCr() {
        // non-canonical mode keeps ICRNL: Enter arrives as LF, and a device console waits for CR (idf.py's default)
        assertThat(feed(new Keys(Keys.Eol.CR), "free\n")).containsExactly(send("free\r"));
        assertThat(feed(new Keys(Keys.Eol.CRLF), "free\n")).containsExactly(send("free\r\n"));
        assertThat(feed(new Keys(Keys.Eol.LF), "free\r")).containsExactly(send("free\n"));
        assertThat(feed(new Keys(Keys.Eol.CR), "\u001a\u0004\u00e9")).as("other control keys and non-ASCII pass as they are")
                .containsExactly(send("\u001a\u0004\u00e9"));
    }

    @Test
    void exitAndInterruptEndTheSessionAndCutTheTextAroundThem() {
        assertThat(feed(new Keys(Keys.Eol.CR), "ab\u001dcd")).containsExactly(send("ab"), Command.EXIT, send("cd"));
        assertThat(feed(new Keys(Keys.Eol.CR), "\u0003")).containsExactly(Command.INTERRUPT);
    }

    @Test
    void theMenuKeyMakesTheNextKeyACommand() {
        Keys keys = new Keys(Keys.Eol.CR);
        assertThat(feed(keys, "\u0014\u0012")).containsExactly(Command.RESET);
        assertThat(feed(keys, "\u0014\u0008")).containsExactly(Command.HELP);
        assertThat(feed(keys, "\u0014h\u0014H\u0014?")).containsExactly(Command.HELP, Command.HELP, Command.HELP);
        assertThat(feed(keys, "\u0014\u0009\u0014i\u0014I")).containsExactly(Command.TOGGLE_TIMESTAMPS,
                Command.TOGGLE_TIMESTAMPS, Command.TOGGLE_TIMESTAMPS);
        assertThat(feed(keys, "\u0014\u0005\u0014e")).containsExactly(Command.REPORT, Command.REPORT);
        assertThat(feed(keys, "\u0014\u0018")).containsExactly(Command.EXIT);
        assertThat(feed(keys, "\u0014x")).containsExactly(Command.EXIT);
        assertThat(feed(keys, "r")).as("after a command, keys go to the device again").containsExactly(send("r"));
    }

    @Test
    void theMenuKeySendsTheSpecialKeysThemselves() {
        Keys keys = new Keys(Keys.Eol.CR);
        assertThat(feed(keys, "\u0014\u0014\u0014\u001d\u0014\u0003")).containsExactly(send("\u0014"), send("\u001d"), send("\u0003"));
    }

    @Test
    void anUnknownMenuKeyIsSaidAndNotSent() {
        Keys keys = new Keys(Keys.Eol.CR);
        assertThat(feed(keys, "\u0014\u0006z")).as("Ctrl-T Ctrl-F is idf.py's build & flash: not heapscope's")
                .containsExactly(new KeyAction.UnknownMenuKey(0x06), send("z"));
        assertThat(Keys.describe(0x06)).isEqualTo("Ctrl-F");
        assertThat(Keys.describe(Keys.EXIT)).isEqualTo("Ctrl-]");
        assertThat(Keys.describe('z')).isEqualTo("'z'");
        assertThat(Keys.describe(0x7f)).isEqualTo("0x7f");
    }

    @Test
    void theMenuSpansReads() {
        // a terminal may deliver Ctrl-T and the next key in separate reads
        Keys keys = new Keys(Keys.Eol.CR);
        List<KeyAction> all = new ArrayList<>(feed(keys, "a\u0014"));
        assertThat(keys.inMenu()).isTrue();
        all.addAll(feed(keys, "\u0012b"));
        assertThat(all).containsExactly(send("a"), Command.RESET, send("b"));
    }
}
