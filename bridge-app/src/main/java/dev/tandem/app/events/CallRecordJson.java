package dev.tandem.app.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.ws.protocol.EventEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A call's record and events as JSON: the one place their field names are chosen (docs/events.md
 * lists them). Names are camelCase as in the browser protocol; times are ISO-8601 UTC; a value not
 * reached or not known is {@code null}, so every record has every field.
 */
public final class CallRecordJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private CallRecordJson() {}

  /** The record as a JSON object. */
  public static ObjectNode record(CallRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("callId", r.callId().value());
    o.put("sipCallId", r.sipCallId().orElse(null));
    o.put("direction", r.direction().wireName());
    o.put("from", r.from());
    o.put("to", r.to());
    o.put("destination", r.destination().orElse(null));
    o.put("invited", r.invited().toString());
    o.put("ringing", time(r.ringing()));
    o.put("answered", time(r.answered()));
    o.put("ended", time(r.ended()));
    o.put("setupMillis", r.setupTime().map(Duration::toMillis).orElse(null));
    o.put("durationMillis", r.duration().map(Duration::toMillis).orElse(null));
    o.put("endReason", r.endReason().map(EventEncoder::wireName).orElse(null));
    o.put("sipCode", r.sipCode().isPresent() ? r.sipCode().getAsInt() : null);
    if (r.media().isPresent()) {
      MediaStats m = r.media().get();
      ObjectNode media = o.putObject("media");
      flow(media.putObject("fromBrowser"), m.fromBrowser());
      flow(media.putObject("fromSip"), m.fromSip());
    } else {
      o.putNull("media");
    }
    return o;
  }

  /** The record as one line of text (no line break inside: JSON escapes them). */
  public static String line(CallRecord r) {
    return record(r).toString();
  }

  /** A webhook's body: the event's id, type and time, and the call's record as of then. */
  public static ObjectNode event(CallEvent event) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id(event));
    o.put("type", type(event));
    o.put("time", event.time().toString());
    o.set("call", record(event.record()));
    return o;
  }

  /** {@code call.started}, {@code call.ringing}, {@code call.answered}, {@code call.ended}. */
  public static String type(CallEvent event) {
    if (event instanceof CallEvent.Started) {
      return "call.started";
    } else if (event instanceof CallEvent.Ringing) {
      return "call.ringing";
    } else if (event instanceof CallEvent.Answered) {
      return "call.answered";
    } else if (event instanceof CallEvent.Ended) {
      return "call.ended";
    }
    throw new IllegalArgumentException("no type for " + event);
  }

  /**
   * The event's id: the call id and the step ({@code <callId>.started}), the same on every retry,
   * so a receiver can drop a delivery it has already seen.
   */
  public static String id(CallEvent event) {
    return event.record().callId().value() + "." + type(event).substring("call.".length());
  }

  private static String time(Optional<Instant> at) {
    return at.map(Instant::toString).orElse(null);
  }

  private static void flow(ObjectNode o, MediaStats.Flow f) {
    o.put("packets", f.packets());
    o.put("bytes", f.bytes());
    o.put("packetsLost", value(f.packetsLost()));
    o.put("jitter", value(f.jitter()));
  }

  private static Long value(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }
}
