package dev.tandem.core.lifecycle;

/**
 * A part of the bridge could not start (a port in use, an address that does not exist). The message
 * names the part and the cause in one line, e.g. {@code sip udp 127.0.0.1:5060: Address already in
 * use}, because it is what an operator sees when {@code tandem run} exits.
 */
public final class StartupException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String component;

  public StartupException(String component, String reason, Throwable cause) {
    super(component + ": " + reason, cause);
    this.component = component;
  }

  /** The part that failed, e.g. {@code http 127.0.0.1:8080}. */
  public String component() {
    return component;
  }

  /** The deepest cause's message, which is usually the one an operator can act on. */
  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
