package heapscope.report;

import heapscope.analysis.Budgets;
import heapscope.trace.Condition;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Budget checks as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub actions) show as test results. */
public final class JUnitReport {
    private JUnitReport() {
    }

    /**
     * @param conditions why the capture's figures are partial or its names untrustworthy
     *                   ({@link heapscope.trace.Recording#conditions()}): the suite's properties and standard error
     *                   carry them, so that a passed budget on part of a capture does not look like a clean run
     */
    public static void write(List<Budgets.Check> checks, List<Condition> conditions, String capture, Writer out) throws IOException {
        long failures = checks.stream().filter(c -> !c.passed()).count();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "heapscope leak budgets");
            x.writeAttribute("tests", Integer.toString(checks.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            if (!conditions.isEmpty()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("properties");
                for (Condition c : conditions) {
                    x.writeCharacters("\n    ");
                    x.writeEmptyElement("property");
                    x.writeAttribute("name", "heapscope." + c.kind().id());
                    x.writeAttribute("value", safe(c.headline()));
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            for (Budgets.Check c : checks) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "heapscope." + safe(capture));
                x.writeAttribute("name", c.name() + " <= " + c.limit());
                if (!c.passed()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", c.detail() + " (budget " + c.limit() + ")");
                    x.writeCharacters(c.detail());
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            if (!conditions.isEmpty()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("system-err");
                for (Condition c : conditions) {
                    x.writeCharacters(safe(c.headline()) + "\n");
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("writing JUnit XML: " + e.getMessage(), e);
        }
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
