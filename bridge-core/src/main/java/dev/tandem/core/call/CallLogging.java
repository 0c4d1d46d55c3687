package dev.tandem.core.call;

import dev.tandem.core.vocabulary.CallId;
import java.util.function.Supplier;
import org.slf4j.MDC;

/** The bridge's call id in the logging context ({@code callId}) while a call's work runs. */
final class CallLogging {
  static final String KEY = "callId";

  private CallLogging() {}

  static void run(CallId id, Runnable work) {
    with(
        id,
        () -> {
          work.run();
          return null;
        });
  }

  static <T> T with(CallId id, Supplier<T> work) {
    String before = MDC.get(KEY);
    MDC.put(KEY, id.value());
    try {
      return work.get();
    } finally {
      if (before == null) {
        MDC.remove(KEY);
      } else {
        MDC.put(KEY, before);
      }
    }
  }
}
