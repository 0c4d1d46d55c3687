package dev.tandem.ws.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/schemas against docs/protocol.md: every method and notification the protocol document lists
 * has its schema, and the schemas refuse what the protocol forbids. (That real frames match them is
 * checked after every {@link BrowserProtocolTest}.)
 */
class ProtocolSchemasTest {

  private static Set<String> schemaNames(String kind) throws Exception {
    try (Stream<Path> files = Files.list(ProtocolSchemas.DIR.resolve(kind))) {
      return new TreeSet<>(
          files.map(f -> f.getFileName().toString().replace(".json", "")).toList());
    }
  }

  /** Method names in the first column of the table under {@code heading} in docs/protocol.md. */
  private static Set<String> documented(String heading) throws Exception {
    String doc = Files.readString(ProtocolSchemas.DIR.resolve("../protocol.md"));
    String section = doc.substring(doc.indexOf(heading));
    section = section.substring(0, section.indexOf("\n## ", 1));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-zA-Z.]+)` \\|").matcher(section);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static JsonNode frame(String json) throws Exception {
    return TestClient.JSON.readTree(json);
  }

  @Test
  void everyDocumentedMessageHasItsSchema() throws Exception {
    Set<String> methods = documented("## Methods (browser → bridge)");
    assertThat(methods).contains("session.authenticate", "call.invite", "call.dtmf");
    assertThat(schemaNames("request")).isEqualTo(methods);
    assertThat(schemaNames("result")).isEqualTo(methods);
    Set<String> notifications = documented("## Notifications (bridge → browser)");
    assertThat(notifications).contains("call.incoming", "call.ended");
    assertThat(schemaNames("notification")).isEqualTo(notifications);
  }

  /**
   * A SIP late offer: call.incoming without sdp says the browser offers, and matches its schema.
   */
  @Test
  void anIncomingCallWithoutAnOfferSaysTheBrowserOffers() throws Exception {
    JsonNode incoming =
        frame(
            dev.tandem.ws.protocol.EventEncoder.encode(
                new dev.tandem.core.browser.BrowserEvent.Incoming(
                    new dev.tandem.core.vocabulary.CallId("c1"),
                    "Pat",
                    java.util.Optional.empty(),
                    dev.tandem.core.browser.DtmfMethod.SIP_INFO)));
    assertThat(incoming.get("params").has("sdp")).isFalse();
    assertThat(incoming.get("params").get("browserOffers").asBoolean()).isTrue();
    assertThat(ProtocolSchemas.problems("notification/call.incoming.json", incoming)).isEmpty();
    String neither =
        "{\"jsonrpc\":\"2.0\",\"method\":\"call.incoming\",\"params\":{\"callId\":\"c1\","
            + "\"from\":\"Pat\",\"dtmf\":\"info\"}}";
    assertThat(ProtocolSchemas.problems("notification/call.incoming.json", frame(neither)))
        .as("an offer, or the word that the browser makes it")
        .isNotEmpty();
  }

  @Test
  void schemasRefuseWhatTheProtocolForbids() throws Exception {
    String sdp = "v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";
    assertThat(
            ProtocolSchemas.problems(
                "request/call.invite.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"call.invite\",\"params\":{\"to\":\"bob\",\"sdp\":\""
                        + sdp
                        + "\"}}")))
        .isEmpty();
    assertThat(
            ProtocolSchemas.problems(
                "request/call.invite.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"call.invite\",\"params\":{\"to\":\"bob\"}}")))
        .isNotEmpty();
    assertThat(
            ProtocolSchemas.problems(
                "request/call.dtmf.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"call.dtmf\",\"params\":{\"callId\":\"c1\",\"digits\":\"12x\"}}")))
        .isNotEmpty();
    assertThat(
            ProtocolSchemas.problems(
                "notification/call.ended.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"call.ended\",\"params\":{\"callId\":\"c1\",\"reason\":\"exploded\"}}")))
        .isNotEmpty();
    assertThat(
            ProtocolSchemas.problems(
                "notification/call.ended.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"call.ended\",\"params\":{\"callId\":\"c1\",\"reason\":\"busy\",\"sipCode\":486,\"sipReason\":\"Busy Here\"}}")))
        .isEmpty();
    assertThat(
            ProtocolSchemas.problems(
                "request/session.authenticate.json",
                frame(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session.authenticate\",\"params\":{\"token\":\"a.b.c\",\"user\":\"x\"}}")))
        .isNotEmpty();
  }
}
