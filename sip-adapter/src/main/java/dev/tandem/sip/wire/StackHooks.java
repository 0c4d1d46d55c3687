package dev.tandem.sip.wire;

import dev.tandem.sip.stack.Advertised;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects one JAIN-SIP stack's plug-ins share: JAIN-SIP creates its logger, parser factory,
 * message processor factory and router from class names, so they find their stack's {@link
 * WireLog}, its number of UDP message threads and the addresses it writes ({@link Advertised}) here
 * by the stack's name. Registered by the stack's owner before the stack is created, removed when it
 * stops.
 */
public record StackHooks(WireLog wire, int udpThreads, Advertised advertised) {
  /** JAIN-SIP's own default for the threads that process UDP messages. */
  static final int DEFAULT_UDP_THREADS = 4;

  private static final Map<String, StackHooks> BY_STACK = new ConcurrentHashMap<>();

  public static void register(String stackName, StackHooks hooks) {
    if (BY_STACK.putIfAbsent(stackName, hooks) != null) {
      throw new IllegalStateException("hooks for " + stackName + " registered twice");
    }
  }

  public static void unregister(String stackName) {
    BY_STACK.remove(stackName);
  }

  /** The hooks of {@code stackName}; a stack nobody registered gets standard ones of its own. */
  public static StackHooks of(String stackName) {
    return BY_STACK.computeIfAbsent(
        stackName,
        name -> {
          WireLog wire = WireLog.standard();
          return new StackHooks(wire, DEFAULT_UDP_THREADS, new Advertised(List.of()));
        });
  }
}
