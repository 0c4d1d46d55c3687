package dev.tandem.app.config;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code events} section: where each call's record and events go besides the log
 * (docs/events.md).
 *
 * @param records the call-record file: one JSON line per call at its end
 * @param webhooks HTTP POSTs of each call event, signed
 */
public record EventsSettings(RecordsSettings records, WebhooksSettings webhooks) {
  public static EventsSettings defaults() {
    return new EventsSettings(RecordsSettings.defaults(), WebhooksSettings.defaults());
  }

  /**
   * @param file the file records are appended to; absent: no call-record file
   * @param queue records waiting for the writer; one more is dropped and counted (WARN)
   */
  public record RecordsSettings(Optional<String> file, @Range(min = 1, max = 1_000_000) int queue) {
    public static RecordsSettings defaults() {
      return new RecordsSettings(Optional.empty(), 10_000);
    }
  }

  /**
   * @param urls the receivers; each gets every event, in order, from its own queue; empty: off
   * @param secret the HMAC-SHA256 key the bodies are signed with (at least 16 characters)
   * @param timeout how long one delivery may take (connect and answer)
   * @param queue events waiting per receiver (a receiver that is down loses none up to this many);
   *     one more is dropped and counted (WARN, with its id)
   * @param retryMin the wait before the first retry of a failed delivery
   * @param retryMax the longest wait between retries (the wait doubles up to it)
   */
  public record WebhooksSettings(
      List<String> urls,
      Optional<String> secret,
      @DurationRange(minMillis = 100, maxMillis = 60_000) Duration timeout,
      @Range(min = 1, max = 1_000_000) int queue,
      @DurationRange(minMillis = 10, maxMillis = 600_000) Duration retryMin,
      @DurationRange(minMillis = 10, maxMillis = 3_600_000) Duration retryMax)
      implements SelfChecking {
    /** The shortest secret accepted. */
    static final int MIN_SECRET = 16;

    public WebhooksSettings {
      urls = List.copyOf(urls);
    }

    public static WebhooksSettings defaults() {
      return new WebhooksSettings(
          List.of(),
          Optional.empty(),
          Duration.ofSeconds(5),
          10_000,
          Duration.ofSeconds(1),
          Duration.ofSeconds(60));
    }

    public boolean enabled() {
      return !urls.isEmpty();
    }

    @Override
    public void check(Problems problems) {
      for (int i = 0; i < urls.size(); i++) {
        String url = urls.get(i);
        try {
          URI uri = new URI(url);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
              || uri.getHost() == null) {
            problems.add(
                "urls[" + i + "]", "must be an http:// or https:// URL, not '" + url + "'");
          }
        } catch (URISyntaxException e) {
          problems.add("urls[" + i + "]", "is not a URL: " + e.getMessage());
        }
      }
      if (enabled() && secret.map(String::length).orElse(0) < MIN_SECRET) {
        problems.add(
            "secret",
            "webhooks are signed: give a secret of at least " + MIN_SECRET + " characters");
      }
      if (retryMin.compareTo(retryMax) > 0) {
        problems.add("retry-min", "must not exceed retry-max (" + retryMax + ")");
      }
    }
  }
}
