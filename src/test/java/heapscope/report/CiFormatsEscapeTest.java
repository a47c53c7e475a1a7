package heapscope.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the input puts in the CI formats cannot break out of its place: a workflow command, a URI. */
class CiFormatsEscapeTest {
    @Test
    void workflowCommandDataAndPropertiesAreEscapedAsGitHubReadsThem() {
        assertThat(GithubReport.data("50% of a: b, c")).isEqualTo("50%25 of a: b, c");
        assertThat(GithubReport.property("50% of a: b, c")).isEqualTo("50%25 of a%3A b%2C c");
        // a line break or an escape sequence from the device or the ELF cannot start a new command or recolour the log
        assertThat(GithubReport.data("x\n::error::forged\r\u001b[31m")).isEqualTo("x\\n::error::forged\\r\\x1b[31m");
        assertThat(GithubReport.property("std::mutex\n")).isEqualTo("std%3A%3Amutex\\n");
        assertThat(GithubReport.data("%0A")).isEqualTo("%250A"); // not read back as a line break
    }

    @Test
    void pathsBecomeUriReferences() {
        assertThat(SarifReport.uri("/project/main/app main.c", false)).isEqualTo("file:///project/main/app%20main.c");
        assertThat(SarifReport.uri("C:/esp/proj/main/app.c", false)).isEqualTo("file:///C:/esp/proj/main/app.c");
        assertThat(SarifReport.uri("main/ü#1?.c", true)).isEqualTo("main/%C3%BC%231%3F.c");
        assertThat(SarifReport.uri("a:b/c.c", true)).isEqualTo("a%3Ab/c.c"); // not a scheme
    }

    @Test
    void onlyPathsUnderTheSourceRootBecomeRelative() {
        assertThat(Annotations.under("/project/main/app.c", "/project")).isEqualTo("main/app.c");
        assertThat(Annotations.under("/project/main/app.c", "/project/")).isEqualTo("main/app.c");
        assertThat(Annotations.under("C:/w/proj/main/app.c", "C:\\w\\proj")).isEqualTo("main/app.c");
        assertThat(Annotations.under("/project2/main/app.c", "/project")).isNull();
        assertThat(Annotations.under("/opt/esp/idf/components/lwip/x.c", "/project")).isNull();
        assertThat(Annotations.under("/project/main/app.c", null)).isNull();
    }
}
