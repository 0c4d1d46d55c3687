package dev.tandem.core.browser;

/**
 * One live connection of a browser session (a WebSocket), implemented by the adapter. A session
 * outlives its connections: when one drops, events wait for the next (resume).
 *
 * <p>Called only from the signaling loop; implementations must not block (queue the frame).
 */
public interface BrowserConnection {

  /** Sends an event to the browser. */
  void deliver(BrowserEvent event);

  /**
   * Closes the connection from the server side.
   *
   * @param code a WebSocket close code, e.g. 4409 when the session was resumed elsewhere
   */
  void close(int code, String reason);
}
