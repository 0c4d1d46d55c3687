package dev.tandem.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version the build stamped into the jar. */
public final class TandemVersion {
  private TandemVersion() {}

  /** E.g. {@code 0.1.0}; {@code unknown} when run from classes that were not built by Maven. */
  public static String current() {
    try (InputStream in = TandemVersion.class.getResourceAsStream("/tandem-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
