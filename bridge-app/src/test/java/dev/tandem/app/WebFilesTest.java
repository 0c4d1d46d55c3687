package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The bridge serves the demo and the SDK from the class path ({@code web/}, bridge-app's
 * resources): the SDK and its types are there, the SDK package's own files (its tests, npm and tsc
 * configuration, node_modules) are not, so that none of them is ever served.
 */
class WebFilesTest {
  private static boolean onClassPath(String path) {
    return WebFilesTest.class.getClassLoader().getResource(path) != null;
  }

  @Test
  void servesTheSdkAndItsTypes() {
    assertThat(onClassPath("web/index.html")).isTrue();
    assertThat(onClassPath("web/sdk/tandem.js")).isTrue();
    assertThat(onClassPath("web/sdk/tandem.d.ts")).isTrue();
  }

  @Test
  void leavesOutThePackagesOwnFiles() {
    for (String path :
        new String[] {
          "web/README.md",
          "web/sdk/README.md",
          "web/sdk/package.json",
          "web/sdk/package-lock.json",
          "web/sdk/tsconfig.json",
          "web/sdk/test/bridge.test.mjs",
          "web/sdk/node_modules",
          "web/sdk/node_modules/ws/package.json"
        }) {
      assertThat(onClassPath(path)).as(path).isFalse();
    }
  }
}
