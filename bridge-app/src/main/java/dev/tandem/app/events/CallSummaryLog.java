package dev.tandem.app.events;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.LoggingKeys;
import dev.tandem.ws.protocol.EventEncoder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One INFO line per call at its end, on logger {@value #LOGGER} with the call's ids in the logging
 * context: who called whom which way, how it ended (SIP code), setup time, duration and what the
 * media did. Silence it (or send it elsewhere) in the logging configuration by that name.
 */
public final class CallSummaryLog implements CallEventListener {
  public static final String LOGGER = "dev.tandem.calls";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void on(CallEvent event) {
    if (!(event instanceof CallEvent.Ended) || !log.isInfoEnabled()) {
      return;
    }
    CallRecord r = event.record();
    Map<String, String> before = MDC.getCopyOfContextMap();
    MDC.put(LoggingKeys.CALL_ID, r.callId().value());
    r.sipCallId().ifPresent(id -> MDC.put(LoggingKeys.SIP_CALL_ID, id));
    try {
      log.info("{}", line(r));
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  /**
   * {@code outbound alice -> 555 via pbx: answered, remote-hangup, SIP 200, setup 2.30 s, duration
   * 10.00 s, media from browser 500 packets (2 lost, jitter 40), from SIP 498 packets}.
   */
  static String line(CallRecord r) {
    StringBuilder s = new StringBuilder();
    s.append(r.direction().wireName()).append(' ').append(r.from()).append(" -> ").append(r.to());
    r.destination()
        .ifPresent(
            d ->
                s.append(r.direction() == CallRecord.Direction.OUTBOUND ? " via " : " from ")
                    .append(d));
    s.append(": ").append(r.answered().isPresent() ? "answered" : "not answered");
    r.endReason().ifPresent(reason -> s.append(", ").append(EventEncoder.wireName(reason)));
    r.sipCode().ifPresent(code -> s.append(", SIP ").append(code));
    r.setupTime().ifPresent(t -> s.append(", setup ").append(seconds(t)));
    r.duration().ifPresent(t -> s.append(", duration ").append(seconds(t)));
    r.media()
        .ifPresent(
            m ->
                s.append(", media from browser ")
                    .append(flow(m.fromBrowser()))
                    .append(", from SIP ")
                    .append(flow(m.fromSip())));
    return s.toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
  }

  private static String flow(MediaStats.Flow f) {
    StringBuilder s = new StringBuilder().append(f.packets()).append(" packets");
    if (f.packetsLost().isPresent() || f.jitter().isPresent()) {
      s.append(" (");
      f.packetsLost().ifPresent(l -> s.append(l).append(" lost"));
      if (f.packetsLost().isPresent() && f.jitter().isPresent()) {
        s.append(", ");
      }
      f.jitter().ifPresent(j -> s.append("jitter ").append(j));
      s.append(')');
    }
    return s.toString();
  }
}
