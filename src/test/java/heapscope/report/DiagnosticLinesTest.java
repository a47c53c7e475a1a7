package heapscope.report;

import heapscope.analysis.LeakAnalysis;
import heapscope.analysis.LeakReport;
import heapscope.symbols.FrameTable;
import heapscope.trace.Alloc;
import heapscope.trace.Context;
import heapscope.trace.Free;
import heapscope.trace.Recording;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnosticLinesTest {
    @Test
    void aPairTheCoresClocksReorderedIsExplainedInTextAndHtml() throws Exception {
        Recording rec = new Recording();
        int task = rec.contexts().intern(Context.Kind.TASK, "net");
        int stack = rec.stacks().intern(0x400D1000L);
        LeakAnalysis a = new LeakAnalysis(null);
        a.accept(new Free(1_000, 1, task, 0x3FFB0000L, stack));
        a.accept(new Alloc(1_700, 0, task, 0x3FFB0000L, 32, stack));
        a.accept(new Free(9_000, 0, task, 0x3FFB9000L, stack)); // a plain unmatched free, for contrast
        LeakReport report = a.finish(rec);

        StringWriter text = new StringWriter();
        new TextReport(report, new TextReport.Options(20, false, new Style(false), FrameRenderer.raw(null)))
                .write(new PrintWriter(text));
        assertThat(text.toString())
                .contains("  1 allocations and frees on two cores that the cores' clocks put up to 5 µs out of order: read in their real order, not as leaks")
                .contains("  1 frees of blocks not allocated in the capture");
        StringWriter html = new StringWriter();
        new HtmlReport(report, new HtmlReport.Options("t", FrameTable.of(null, null), null, Map.of(),
                HtmlReport.DEFAULT_ROWS, null)).write(html);
        assertThat(html.toString()).contains("<li>1 allocations and frees on two cores that the cores&#39; clocks put up to 5 µs out of order");
    }
}
