package dev.tandem.app.config;

/**
 * One thing wrong with the configuration, at one key.
 *
 * @param path where, e.g. {@code sip.listen[1].port}, or the source (file, variable) when the
 *     problem is not at a key
 * @param message what is wrong, e.g. {@code must be 1..65535}
 */
public record ConfigProblem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
