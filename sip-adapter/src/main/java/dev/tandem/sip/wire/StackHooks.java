package dev.tandem.sip.wire;

import dev.tandem.sip.stack.Advertised;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The objects one JAIN-SIP stack's plug-ins share: JAIN-SIP creates its logger, parser factory,
 * message processor factory and router from class names, so they find their stack's {@link
 * WireLog}, its number of UDP message threads, the addresses it writes ({@link Advertised}) and the
 * observer of its messages ({@link SipTraffic}) here by the stack's name. Registered by the stack's
 * owner before the stack is created, removed when it stops.
 */
public record StackHooks(WireLog wire, int udpThreads, Advertised advertised, SipTraffic traffic) {
  /** JAIN-SIP's own default for the threads that process UDP messages. */
  static final int DEFAULT_UDP_THREADS = 4;

  private static final Map<String, StackHooks> BY_STACK = new ConcurrentHashMap<>();

  /** Registered stacks that observe their messages (JAIN-SIP reports messages only then). */
  private static final AtomicInteger OBSERVED = new AtomicInteger();

  /** Hooks that observe no messages. */
  public StackHooks(WireLog wire, int udpThreads, Advertised advertised) {
    this(wire, udpThreads, advertised, SipTraffic.NONE);
  }

  public static void register(String stackName, StackHooks hooks) {
    if (BY_STACK.putIfAbsent(stackName, hooks) != null) {
      throw new IllegalStateException("hooks for " + stackName + " registered twice");
    }
    if (hooks.traffic() != SipTraffic.NONE) {
      OBSERVED.incrementAndGet();
    }
  }

  public static void unregister(String stackName) {
    StackHooks gone = BY_STACK.remove(stackName);
    if (gone != null && gone.traffic() != SipTraffic.NONE) {
      OBSERVED.decrementAndGet();
    }
  }

  /** Whether a registered stack observes its messages. */
  static boolean anyObserved() {
    return OBSERVED.get() > 0;
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
