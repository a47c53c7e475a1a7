package heapscope.report;

import heapscope.analysis.Findings;
import heapscope.symbols.FrameTable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/**
 * One report format of a capture's findings. {@link #ALL} is the list --format accepts and its help names; a new
 * report format is one more entry there.
 */
public interface Renderer extends Named {
    /** Every report format, in the order help lists them. */
    List<Renderer> ALL = List.of(
            of("text", "for people: summary, leaks by site and call stack, diagnostics (default)", (f, c, out) ->
                    new TextReport(f.report(), new TextReport.Options(c.top(), c.blocks(), new Style(c.color()), FrameRenderer.of(f.frames()),
                            f.sites(), f.suppressed(), f.crashHeaps())).write(printing(out))),
            of("json", "for machines (docs/json-report.md)", (f, c, out) ->
                    new JsonReport(f.report(), c.version(), f.frames(), f.sites(), f.suppressed(), f.crashHeaps()).write(out)),
            of("html", "one self-contained page (docs/html-report.md)", (f, c, out) ->
                    new HtmlReport(f.report(), new HtmlReport.Options(c.version(), f.frames(), f.sites(), f.suppressed(), c.htmlRows(), c.sourceRoot(),
                            f.crashHeaps())).write(out)),
            of("junit", "the budget checks as JUnit XML, for CI", (f, c, out) ->
                    JUnitReport.write(f, c.version(), c.inputs(), c.sourceRoot(), Instant.now(), out)),
            of("sarif", "SARIF 2.1.0 for code scanning: one result per leaking site (docs/ci.md)", (f, c, out) ->
                    new SarifReport(f, c.version(), c.sourceRoot()).write(out)),
            of("github", "GitHub Actions annotations on the leaking sites' source lines (docs/ci.md)", (f, c, out) ->
                    GithubReport.write(f, c.sourceRoot(), printing(out))),
            of("gcc", "FILE:LINE: warning: lines, for editors (VS Code, Emacs, Vim; docs/ci.md)", (f, c, out) ->
                    GccReport.write(f, c.sourceRoot(), printing(out))));

    void write(Findings findings, Context context, Writer out) throws IOException;

    /**
     * What a report says besides the findings.
     *
     * @param top    call stacks shown in full in the text report (0 = all)
     * @param blocks also list every leaked block (text)
     * @param inputs the capture as given on the command line
     * @param sourceRoot the directory, as the ELF's source paths spell it, that the formats for code hosts and editors
     *               (sarif, github, gcc) write paths relative to; null keeps them as the ELF has them
     * @param htmlRows entries the HTML page holds of each list that grows with the capture, 0 for all
     */
    record Context(String version, int top, boolean blocks, boolean color, List<String> inputs, String sourceRoot, int htmlRows) {
        public Context {
            inputs = List.copyOf(inputs);
        }

        public Context(String version, int top, boolean blocks, boolean color, List<String> inputs) {
            this(version, top, blocks, color, inputs, null, HtmlReport.DEFAULT_ROWS);
        }
    }

    /** The report format NAME; an unknown one is an input error naming those there are. */
    static Renderer named(String name) {
        return Named.find(ALL, name);
    }

    private static PrintWriter printing(Writer out) {
        return out instanceof PrintWriter p ? p : new PrintWriter(out);
    }

    /** How a registered format writes. */
    @FunctionalInterface
    interface Body {
        void write(Findings findings, Context context, Writer out) throws IOException;
    }

    private static Renderer of(String name, String summary, Body body) {
        record Registered(String name, String summary, Body body) implements Renderer {
            @Override
            public void write(Findings findings, Context context, Writer out) throws IOException {
                body.write(findings, context, out);
            }
        }
        return new Registered(name, summary, body);
    }
}
