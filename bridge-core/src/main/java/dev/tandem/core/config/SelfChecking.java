package dev.tandem.core.config;

/**
 * A configuration section with rules that span several of its keys (two listeners on the same port,
 * a range whose minimum exceeds its maximum). Single-key rules belong in annotations such as {@link
 * Range}.
 */
public interface SelfChecking {

  /**
   * Reports every broken rule to {@code problems}; called only once each key on its own is valid.
   */
  void check(Problems problems);

  /** Collects problems relative to the section being checked. */
  interface Problems {
    /**
     * Records a problem.
     *
     * @param relativePath the key below the section, e.g. {@code listen[1].port}, or "" for the
     *     section itself
     * @param message what is wrong, e.g. {@code must be 1..65535}
     */
    void add(String relativePath, String message);
  }
}
