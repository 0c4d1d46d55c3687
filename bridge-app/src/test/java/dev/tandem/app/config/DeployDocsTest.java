package dev.tandem.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Tandem configuration the deployment cookbook shows (its {@code yaml} blocks) loads as
 * {@code tandem config check} loads a file, so that the page cannot drift from the configuration.
 */
class DeployDocsTest {
  private static final Path PAGE = Path.of("../docs/deploy.md");

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyConfigurationOnThePageLoads() throws IOException {
    List<String> blocks = yamlBlocks(Files.readAllLines(PAGE));
    assertThat(blocks).as("Tandem configurations in " + PAGE).hasSizeGreaterThanOrEqualTo(5);
    ConfigLoader loader = new ConfigLoader(Map.of());
    return blocks.stream()
        .map(
            block ->
                DynamicTest.dynamicTest(
                    block.lines().findFirst().orElse(""),
                    () -> {
                      Path file = Files.createTempFile(dir, "deploy", ".yaml");
                      Files.writeString(file, block);
                      assertThatCode(() -> loader.load(Optional.of(file), List.of()))
                          .as(block)
                          .doesNotThrowAnyException();
                    }));
  }

  /** The bodies of the page's fenced blocks whose info string is {@code yaml}. */
  private static List<String> yamlBlocks(List<String> lines) {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    for (String line : lines) {
      if (block == null && line.strip().equals("```yaml")) {
        block = new StringBuilder();
      } else if (block != null && line.strip().equals("```")) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }
}
