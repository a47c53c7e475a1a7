package heapscope.demangle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks the demangler against GNU c++filt's output for every name of the corpus. */
class ItaniumDemanglerTest {

  private static List<String[]> corpus() throws IOException {
    try (InputStream in = ItaniumDemanglerTest.class.getResourceAsStream("/demangle/corpus.tsv")) {
      assertThat(in).as("corpus.tsv on the test classpath").isNotNull();
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          String[] cols = line.split("\t", 2);
          assertThat(cols).as("corpus line %s", line).hasSize(2);
          rows.add(cols);
        }
      }
      return rows;
    }
  }

  /** Names we knowingly print differently from c++filt, with the reason; keep it short. */
  private static Map<String, String> allowList() throws IOException {
    Map<String, String> allowed = new HashMap<>();
    try (InputStream in = ItaniumDemanglerTest.class.getResourceAsStream("/demangle/known-differences.tsv")) {
      if (in == null) {
        return allowed;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          String[] cols = line.split("\t", 2);
          allowed.put(cols[0], cols.length > 1 ? cols[1] : "");
        }
      }
    }
    return allowed;
  }

  @Test
  void matchesCxxFiltOnWholeCorpus() throws IOException {
    List<String[]> rows = corpus();
    Map<String, String> allowed = allowList();
    List<String> failures = new ArrayList<>();
    int passed = 0;
    for (String[] row : rows) {
      String actual = ItaniumDemangler.demangle(row[0]);
      if (actual.equals(row[1])) {
        passed++;
        assertThat(allowed).as("allow-listed name now passes: %s", row[0]).doesNotContainKey(row[0]);
      } else if (!allowed.containsKey(row[0])) {
        failures.add(row[0] + "\n  expected: " + row[1] + "\n  actual:   " + actual);
      }
    }
    System.out.printf("demangle corpus: %d of %d names match c++filt, %d allow-listed%n",
        passed, rows.size(), rows.size() - passed - failures.size());
    assertThat(failures).as("names demangled differently from c++filt").isEmpty();
    assertThat(passed).isGreaterThan(3000);
  }

  @Test
  void returnsPlainNamesUnchanged() {
    for (String name : new String[] {"app_main", "xTaskCreate", "", "_", "_Z", "main", "_Zfoo", "_GLOBAL__sub_I_main"}) {
      assertThat(ItaniumDemangler.demangle(name)).isEqualTo(name);
    }
    assertThat(ItaniumDemangler.demangle(null)).isNull();
  }

  @Test
  void coversTheFeaturesFirmwareNamesUse() {
    assertThat(ItaniumDemangler.demangle("_ZZ4mainENKUlvE_clEv")).isEqualTo("main::{lambda()#1}::operator()() const");
    assertThat(ItaniumDemangler.demangle("_ZN1N1fB5cxx11Ev")).isEqualTo("N::f[abi:cxx11]()");
    assertThat(ItaniumDemangler.demangle("_Z3foov.constprop.0")).isEqualTo("foo() [clone .constprop.0]");
    assertThat(ItaniumDemangler.demangle("_ZTV1A")).isEqualTo("vtable for A");
    assertThat(ItaniumDemangler.demangle("_Z1fPFivE")).isEqualTo("f(int (*)())");
    assertThat(ItaniumDemangler.demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"))
        .isEqualTo("std::vector<int, std::allocator<int> >::push_back(int const&)");
  }

  /** Truncations and random byte changes of real names must neither throw nor take long. */
  @Test
  @Timeout(60)
  void survivesMalformedInput() throws IOException {
    Random random = new Random(42);
    String alphabet = "_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.$";
    long worstNanos = 0;
    int tried = 0;
    for (String[] row : corpus()) {
      String name = row[0];
      List<String> variants = new ArrayList<>();
      for (int cut = 1; cut < name.length(); cut += Math.max(1, name.length() / 8)) {
        variants.add(name.substring(0, cut));
      }
      for (int i = 0; i < 6; i++) {
        StringBuilder b = new StringBuilder(name);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
          int at = random.nextInt(b.length());
          switch (random.nextInt(4)) {
            case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 1 -> b.deleteCharAt(at);
            case 2 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            default -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + random.nextInt(8))));
          }
        }
        variants.add(b.toString());
      }
      for (String v : variants) {
        long start = System.nanoTime();
        String out = ItaniumDemangler.demangle(v);
        worstNanos = Math.max(worstNanos, System.nanoTime() - start);
        assertThat(out).isNotNull();
        tried++;
      }
    }
    System.out.printf("demangle fuzz: %d malformed names, slowest %.2f ms%n", tried, worstNanos / 1e6);
    assertThat(worstNanos).as("slowest single demangle, ns").isLessThan(500_000_000L);
  }

  @Test
  @Timeout(10)
  void boundsPathologicalInput() {
    // Deep nesting must fail cleanly instead of overflowing the stack.
    String deep = "_Z1f" + "P".repeat(10_000) + "i";
    assertThat(ItaniumDemangler.demangle(deep)).isEqualTo(deep);
    String nestedTemplates = "_Z1f" + "1AI".repeat(2000) + "i" + "E".repeat(2000) + "v";
    assertThat(ItaniumDemangler.demangle(nestedTemplates)).isEqualTo(nestedTemplates);

    // Each substitution doubles the previous one: the output would be gigabytes.
    StringBuilder doubling = new StringBuilder("_Z1g1AIiiE");
    for (int i = 0; i < 40; i++) {
      String prev = i == 0 ? "S0_" : "S" + Integer.toString(i, 36).toUpperCase() + "_";
      doubling.append("S_I").append(prev).append(prev).append('E');
    }
    String blowup = doubling.toString();
    long start = System.nanoTime();
    assertThat(ItaniumDemangler.demangle(blowup)).isEqualTo(blowup);
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);

    // A name that makes GNU c++filt 2.40 crash.
    String crashesCxxFilt = "_ZUlDTsZT0_EE1_Dv4_DF16_DoFKhvEo";
    assertThat(ItaniumDemangler.demangle(crashesCxxFilt)).isEqualTo(crashesCxxFilt);
  }
}
