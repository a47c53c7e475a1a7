package heapscope.report;

import heapscope.analysis.Budgets;
import heapscope.analysis.Findings;
import heapscope.analysis.LeakReport;
import heapscope.analysis.SiteReport;
import heapscope.trace.Condition;
import heapscope.trace.StackTable;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Budget checks as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub actions) show as test results, valid
 * against the strictest schema in common use (Ant's, as Windy Road published it): every required attribute, the
 * properties, standard output and error. Test names stay the same from run to run of a CI job, so that its
 * history follows each test: a site's check is named by the site's function and file:line, not by its rank.
 */
public final class JUnitReport {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private JUnitReport() {
    }

    /**
     * @param inputs     the capture as given on the command line: the suite's properties, and its file names
     *                   (without directories or dots, which JUnit readers take for packages) the tests' class name
     * @param sourceRoot --source-root: site files are written relative to it, as in the sarif/github/gcc formats
     * @param timestamp  when the checks ran (UTC, whole seconds, as the schema wants it)
     */
    public static void write(Findings findings, String version, List<String> inputs, String sourceRoot, Instant timestamp, Writer out) throws IOException {
        List<Budgets.Check> checks = findings.checks();
        List<Condition> conditions = findings.report().recording().conditions();
        long failures = checks.stream().filter(c -> !c.passed()).count();
        LeakReport.Counts counts = findings.report().counts();
        String seconds = String.format(Locale.ROOT, "%.3f", Math.max(0, counts.lastNs() - counts.firstNs()) / 1e9);
        String classname = "heapscope." + classname(inputs);
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites"); // the schema gives it no attributes: the suite has the figures
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "heapscope leak budgets");
            x.writeAttribute("package", "heapscope");
            x.writeAttribute("id", "0");
            x.writeAttribute("tests", Integer.toString(checks.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            // the capture's span: the device time the checks judge (they themselves take no time of their own)
            x.writeAttribute("time", seconds);
            x.writeAttribute("timestamp", TIMESTAMP.format(timestamp.truncatedTo(ChronoUnit.SECONDS)));
            x.writeAttribute("hostname", "localhost"); // the schema's word for "not determined": the device has none
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "heapscope.version", version);
            for (String input : inputs) {
                property(x, "heapscope.input", input);
            }
            for (Condition c : conditions) {
                property(x, "heapscope." + c.kind().id(), c.headline());
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            List<String> names = names(findings, sourceRoot);
            for (int i = 0; i < checks.size(); i++) {
                Budgets.Check c = checks.get(i);
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("name", safe(names.get(i)));
                x.writeAttribute("classname", classname);
                x.writeAttribute("time", "0");
                if (!c.passed()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("type", c.name().startsWith("max-site-bytes") ? "max-site-bytes" : c.name());
                    x.writeAttribute("message", safe(c.detail() + " (budget " + c.limit() + ")"));
                    x.writeCharacters(safe(c.detail()));
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeStartElement("system-out");
            x.writeEndElement();
            x.writeCharacters("\n  ");
            x.writeStartElement("system-err");
            for (Condition c : conditions) {
                x.writeCharacters(safe(c.headline()) + "\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("writing JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", safe(value));
    }

    /** The inputs' file names, dots and spaces made underscores: {@code cpu0_svdat+cpu1_svdat}. */
    static String classname(List<String> inputs) {
        StringJoiner j = new StringJoiner("+");
        for (String input : inputs) {
            String name = input.substring(Math.max(input.lastIndexOf('/'), input.lastIndexOf('\\')) + 1);
            j.add(safe(name).replaceAll("[.\\s]", "_"));
        }
        String s = j.toString();
        return s.isEmpty() ? "capture" : s;
    }

    /**
     * Each check's test name: the budget and its limit, and for a call stack's budget the site it allocates at
     * ({@code function at file:line}; the innermost caller's address without a usable ELF). Stacks of one site are
     * told apart by a count, largest first.
     */
    private static List<String> names(Findings findings, String sourceRoot) {
        Map<Integer, SiteReport.Site> siteOf = new HashMap<>();
        if (findings.sites() != null) {
            for (SiteReport.Site s : findings.sites().sites()) {
                s.stacks().forEach(stack -> siteOf.put(stack, s));
            }
        }
        StackTable stacks = findings.report().recording().stacks();
        Map<String, Integer> seen = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Budgets.Check c : findings.checks()) {
            if (!c.name().startsWith("max-site-bytes") || c.stacks().size() != 1) {
                names.add(c.name() + " <= " + c.limit());
                continue;
            }
            int stack = c.stacks().get(0);
            SiteReport.Site s = siteOf.get(stack);
            String where;
            if (s != null && s.function() != null) {
                String file = s.file() == null ? null : s.file().replace('\\', '/');
                String under = Annotations.under(file, sourceRoot);
                where = s.function() + (file == null ? "" : " at " + (under != null ? under : file) + ":" + s.line());
            } else {
                where = "call stack from " + (stacks.depth(stack) > 0 ? Units.hex(stacks.frame(stack, 0)) : "nowhere (no callers recorded)");
            }
            int n = seen.merge(where, 1, Integer::sum);
            names.add("max-site-bytes: " + where + (n > 1 ? " (" + n + ")" : "") + " <= " + c.limit());
        }
        return names;
    }

    /** XML 1.0 cannot carry most control characters even escaped: replace them. */
    private static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 && c != '\t' ? '?' : c);
        }
        return b.toString();
    }
}
