package heapscope.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EscapeTest {
    @Test
    void controlCharactersBecomeVisible() {
        assertThat(Escape.terminal("a\u001b[2Jb\u0007c\nd\re\tf\u007fg\u0085h\u009bi"))
                .isEqualTo("a\\x1b[2Jb\\x07c\\nd\\re\\tf\\x7fg\\x85h\\x9bi");
    }

    /** A line separator would split a line of output; a bidi control would show a name in another order. */
    @Test
    void lineSeparatorsAndBidiControlsBecomeVisible() {
        String all = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c";
        assertThat(Escape.terminal("x" + all + "y")).isEqualTo("x\\u2028\\u2029\\u202a\\u202b\\u202c\\u202d\\u202e"
                + "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061cy");
        assertThat(Escape.terminal("admin\u202e\u2066txt.exe")).isEqualTo("admin\\u202e\\u2066txt.exe");
    }

    @Test
    void printableTextOfEveryScriptIsKept() {
        String text = "Aloca\u00e7\u00e3o \u00faltimos \u4e2d\u6587 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u2014 \u2192 \u00a0 \ud83d\ude00 \u2027\u202f\u2065";
        assertThat(Escape.terminal(text)).isSameAs(text);
    }
}
