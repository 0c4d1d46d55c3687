package dev.tandem.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md names every metric Tandem registers, and names none it does not. */
class MetricsDocsTest {
  private static final Path PAGE = Path.of("../docs/metrics.md");

  @Test
  void thePageListsEveryMetricOfTheRegistry() throws Exception {
    String page = Files.readString(PAGE);
    TandemMetrics metrics = new TandemMetrics("test");
    metrics.rtpengine();
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (name.startsWith("tandem_")) {
        assertThat(page)
            .as(PAGE + " documents " + name)
            .containsPattern("`" + name + "(_total|_info)?`");
      }
    }
  }

  @Test
  void everyMetricInTheTablesExistsInTheCode() throws Exception {
    String page = Files.readString(PAGE);
    String sources =
        Files.walk(Path.of("src/main/java/dev/tandem/app/metrics"))
            .filter(p -> p.toString().endsWith(".java"))
            .map(
                p -> {
                  try {
                    return Files.readString(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .reduce("", String::concat);
    Matcher row = Pattern.compile("(?m)^\\| `(tandem_[a-z_]+)` \\|").matcher(page);
    int rows = 0;
    while (row.find()) {
      rows++;
      assertThat(sources).as("a metric named " + row.group(1)).contains("\"" + row.group(1) + "\"");
    }
    assertThat(rows).as("metric rows in " + PAGE).isGreaterThan(20);
  }
}
