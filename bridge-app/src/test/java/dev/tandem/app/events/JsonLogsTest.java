package dev.tandem.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.events.CallEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/logback.xml: the summary line, as text by default and as one JSON object per line. */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What conf/logback.xml prints for one call's summary with {@code format} (null: unset). */
  private static String logged(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    if (format != null) {
      context.putProperty("TANDEM_LOG_FORMAT", format);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the MDC the bridge's code fills
      context.start();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(java.nio.file.Path.of("../conf/logback.xml").toFile());
      // the appender the root logger uses (the one the format names), writing here instead
      Iterator<Appender<ILoggingEvent>> appenders =
          context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
      OutputStreamAppender<ILoggingEvent> console =
          (OutputStreamAppender<ILoggingEvent>) appenders.next();
      assertThat(appenders.hasNext()).as("one appender").isFalse();
      assertThat(console.getName()).isEqualTo(format == null ? "text" : format);
      console.setOutputStream(out);
      CallEvent ended = SampleCalls.events("json1").get(3);
      org.slf4j.Logger calls = context.getLogger(CallSummaryLog.LOGGER);
      org.slf4j.MDC.put("callId", "json1");
      org.slf4j.MDC.put("sipCallId", "sip-json1@127.0.0.1");
      calls.info("{}", CallSummaryLog.line(ended.record()));
      org.slf4j.MDC.clear();
    } finally {
      context.stop();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonFormatWritesEachLineAsAJsonObjectWithTheCallIds() throws Exception {
    List<String> lines = logged("json").lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText()).isEqualTo("dev.tandem.calls");
    assertThat(line.at("/mdc/callId").asText()).isEqualTo("json1");
    assertThat(line.at("/mdc/sipCallId").asText()).isEqualTo("sip-json1@127.0.0.1");
    assertThat(line.get("formattedMessage").asText())
        .startsWith("outbound alice -> 555 via pbx: answered");
  }

  @Test
  void textIsTheDefault() throws Exception {
    String text = logged(null);
    assertThat(text)
        .contains("INFO  [main] dev.tandem.calls [json1] [sip-json1@127.0.0.1] - outbound alice");
    assertThat(text.strip()).doesNotStartWith("{");
  }
}
