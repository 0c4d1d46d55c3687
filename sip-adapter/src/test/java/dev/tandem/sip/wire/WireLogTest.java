package dev.tandem.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WireLogTest {
  private final AtomicLong nanos = new AtomicLong();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(WireLog.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void writesAtMostTheRateAndThenSaysHowManyWereSuppressed() {
    WireLog wire = new WireLog(5, nanos::get);
    for (int i = 0; i < 20; i++) {
      wire.warn("bad " + i);
    }
    assertThat(lines.list).hasSize(5);
    nanos.addAndGet(1_000_000_000L);
    wire.warn("after a second");
    assertThat(lines.list).hasSize(6);
    assertThat(lines.list.get(5).getFormattedMessage())
        .isEqualTo("after a second [suppressed 15 similar lines]");
  }

  @Test
  void escapesLineBreaksAndControlCharacters() {
    assertThat(WireLog.escape("a\r\n2025-01-01 ERROR forged\u0000\u001b[31m\u2028\\", 200))
        .isEqualTo("a\\r\\n2025-01-01 ERROR forged\\u0000\\u001b[31m\\u2028\\\\");
  }

  @Test
  void cutsLongText() {
    assertThat(WireLog.escape("x".repeat(1000), 10)).isEqualTo("xxxxxxxxxx...(1000 chars)");
  }
}
