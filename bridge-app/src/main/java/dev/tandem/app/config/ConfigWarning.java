package dev.tandem.app.config;

/**
 * A setting that is valid but unsafe, at one key.
 *
 * @param path where, e.g. {@code auth.users.alice.password}
 * @param why what is unsafe about it and what to do instead
 * @param refused whether {@code tandem run} refuses to start with it (clearly unsafe), rather than
 *     only warning
 */
public record ConfigWarning(String path, String why, boolean refused) {
  @Override
  public String toString() {
    return path + ": " + why;
  }

  /** The same text as a problem, for refusing to start. */
  public ConfigProblem asProblem() {
    return new ConfigProblem(path, why + " (tandem run refuses this)");
  }
}
