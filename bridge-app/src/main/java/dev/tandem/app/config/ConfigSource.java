package dev.tandem.app.config;

/**
 * Where the running bridge's configuration comes from — the file, {@code TANDEM_*} variables and
 * {@code --set} overrides it was started with — so that a reload reads the same sources again.
 */
@FunctionalInterface
public interface ConfigSource {
  /** Reads and checks the configuration afresh; the exception carries every problem. */
  TandemConfig load() throws ConfigException;
}
