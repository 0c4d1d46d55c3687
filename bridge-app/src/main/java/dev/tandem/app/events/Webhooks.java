package dev.tandem.app.events;

import dev.tandem.app.config.EventsSettings.WebhooksSettings;
import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhooks: every call event, as JSON ({@link CallRecordJson#event}), POSTed to each configured
 * receiver and signed ({@link WebhookSignature}). Each receiver has its own queue and thread
 * ({@link WebhookSender}), so one that is slow or down holds up no other, and no call.
 */
public final class Webhooks implements CallEventListener, AutoCloseable {
  private final List<WebhookSender> senders = new ArrayList<>();
  private final WebhooksSettings settings;

  public Webhooks(WebhooksSettings settings, Clock clock) {
    this.settings = settings;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .build();
    WebhookSignature signature = new WebhookSignature(settings.secret().orElseThrow());
    for (int i = 0; i < settings.urls().size(); i++) {
      senders.add(
          new WebhookSender(
              URI.create(settings.urls().get(i)),
              signature,
              http,
              settings.timeout(),
              settings.queue(),
              settings.retryMin(),
              settings.retryMax(),
              clock,
              "webhook-" + i));
    }
  }

  @Override
  public void on(CallEvent event) {
    for (WebhookSender sender : senders) {
      sender.offer(event);
    }
  }

  /** Events taken by the receivers, over all of them. */
  public long delivered() {
    return senders.stream().mapToLong(WebhookSender::delivered).sum();
  }

  /** Events dropped (queue full, or refused by a receiver), over all receivers. */
  public long dropped() {
    return senders.stream().mapToLong(WebhookSender::dropped).sum();
  }

  /** Gives each receiver up to the delivery timeout to take what is queued, then stops. */
  @Override
  public void close() {
    senders.forEach(s -> s.close(settings.timeout()));
  }
}
