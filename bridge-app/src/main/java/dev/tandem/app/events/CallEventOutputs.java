package dev.tandem.app.events;

import dev.tandem.app.config.EventsSettings;
import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.lifecycle.StartupException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the bridge sends call events, as the {@code events} section says: always the summary log
 * line, the call-record file and webhooks when configured. One listener of the switchboard for all
 * of them, added before the bridge starts; the file is opened by {@link #start}, so that a path
 * that cannot be written stops {@code tandem run} with a clear error. Closed after the signaling
 * loop, so the last calls' records and events still go out.
 */
public final class CallEventOutputs implements CallEventListener, AutoCloseable {
  private final EventsSettings settings;
  private final Clock clock;
  private volatile List<CallEventListener> outputs = List.of(new CallSummaryLog());
  private Optional<CallRecordFile> recordFile = Optional.empty();
  private Optional<Webhooks> webhooks = Optional.empty();

  public CallEventOutputs(EventsSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Opens the call-record file and starts the webhook senders. */
  public void start() throws StartupException {
    List<CallEventListener> started = new ArrayList<>(outputs);
    if (settings.records().file().isPresent()) {
      Path file = Path.of(settings.records().file().get());
      try {
        CallRecordFile records = new CallRecordFile(file, settings.records().queue());
        recordFile = Optional.of(records);
        started.add(records);
      } catch (IOException e) {
        throw new StartupException(
            "events.records.file " + file, "cannot open for appending: " + e, e);
      }
    }
    if (settings.webhooks().enabled()) {
      Webhooks hooks = new Webhooks(settings.webhooks(), clock);
      webhooks = Optional.of(hooks);
      started.add(hooks);
    }
    outputs = List.copyOf(started);
  }

  @Override
  public void on(CallEvent event) {
    for (CallEventListener output : outputs) {
      output.on(event);
    }
  }

  /** The call-record file, when configured (to {@link CallRecordFile#reopen} it). */
  public Optional<CallRecordFile> recordFile() {
    return recordFile;
  }

  public Optional<Webhooks> webhooks() {
    return webhooks;
  }

  /** Writes and sends what is queued (each within its bound), then stops. */
  @Override
  public void close() {
    outputs = List.of();
    recordFile.ifPresent(CallRecordFile::close);
    webhooks.ifPresent(Webhooks::close);
  }
}
