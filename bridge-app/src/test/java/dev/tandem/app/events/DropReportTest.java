package dev.tandem.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DropReportTest {
  private final Logger log = (Logger) LoggerFactory.getLogger("test.drops");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicLong nanos = new AtomicLong();
  private final DropReport report =
      new DropReport(log, "events for x dropped", Duration.ofSeconds(10), nanos::get);

  {
    lines.start();
    log.addAppender(lines);
  }

  @AfterEach
  void detach() {
    log.detachAppender(lines);
  }

  @Test
  void saysWhatWasDroppedAtMostOncePerIntervalNamingTheIds() {
    report.dropped("a.started");
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage())
        .isEqualTo("events for x dropped: 1 dropped (1 in all): a.started");
    for (int i = 0; i < 25; i++) {
      report.dropped("b" + i + ".ended");
    }
    assertThat(lines.list).as("within the interval: counted, not logged").hasSize(1);
    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    report.flush();
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(1).getFormattedMessage())
        .startsWith("events for x dropped: 25 dropped (26 in all): b0.ended, b1.ended")
        .endsWith("b19.ended and 5 more");
    assertThat(report.total()).isEqualTo(26);
    report.flushNow();
    assertThat(lines.list).as("nothing new: nothing to say").hasSize(2);
  }
}
