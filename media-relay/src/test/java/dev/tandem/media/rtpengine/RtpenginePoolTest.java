package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.vocabulary.CallId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool of two fake rtpengines (in-JVM NG peers): weights, liveness from pings and timeouts, every
 * command of a call to the instance that took its offer, and calls on a dead instance failing.
 */
class RtpenginePoolTest {
  private FakeRtpengine a;
  private FakeRtpengine b;
  private RtpenginePool pool;
  private final AtomicInteger nextRandom = new AtomicInteger();
  private final List<Boolean> liveness = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    a = new FakeRtpengine();
    b = new FakeRtpengine();
    List<RtpenginePool.Instance> instances = new ArrayList<>();
    for (NgEndpoint e : List.of(a.endpoint(1), b.endpoint(3))) {
      NgClient ng =
          new NgClient(
              new java.net.InetSocketAddress(e.host(), e.port()),
              Duration.ofMillis(50),
              Duration.ofMillis(400));
      instances.add(
          new RtpenginePool.Instance(e.name(), e.weight(), ng, RtpenginePool.State.UNKNOWN));
    }
    pool =
        new RtpenginePool(
            instances, Duration.ofMillis(300), bound -> nextRandom.get() % bound, null);
    pool.onLiveness(liveness::add);
  }

  @AfterEach
  void stop() throws Exception {
    pool.close();
    a.close();
    b.close();
  }

  private RtpenginePool.Instance instance(int index) {
    return pool.instances().get(index);
  }

  private void pingAndAwait(RtpenginePool.State stateOfA, RtpenginePool.State stateOfB) {
    pool.pingAll();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> instance(0).state() == stateOfA && instance(1).state() == stateOfB);
  }

  @Test
  void newCallsGoToLiveInstancesInProportionToTheirWeights() {
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.LIVE);
    // weights 1 and 3: of the draws 0..3, 0 picks a, 1..3 pick b
    List<String> picked = new ArrayList<>();
    for (int draw = 0; draw < 4; draw++) {
      nextRandom.set(draw);
      picked.add(pool.pick(Set.of()).orElseThrow().name());
    }
    assertThat(picked)
        .containsExactly(
            instance(0).name(), instance(1).name(), instance(1).name(), instance(1).name());
    assertThat(pool.pick(Set.of(instance(1)))).contains(instance(0));
    assertThat(pool.pick(Set.of(instance(0), instance(1)))).isEmpty();
  }

  @Test
  void anInstanceThatStopsAnsweringPingsIsDeadUntilItAnswersAgain() {
    assertThat(liveness).containsExactly(false);
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.LIVE);
    assertThat(liveness).containsExactly(false, true);

    a.answers = command -> null;
    pingAndAwait(RtpenginePool.State.DEAD, RtpenginePool.State.LIVE);
    for (int draw = 0; draw < 4; draw++) {
      nextRandom.set(draw);
      assertThat(pool.pick(Set.of()))
          .as("no new call goes to a dead instance")
          .contains(instance(1));
    }
    assertThat(liveness).as("b still answers: ready throughout").containsExactly(false, true);

    b.answers = command -> null;
    pingAndAwait(RtpenginePool.State.DEAD, RtpenginePool.State.DEAD);
    assertThat(liveness).containsExactly(false, true, false);
    assertThat(pool.pick(Set.of())).isEmpty();

    a.answers = command -> Map.of("result", "pong");
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.DEAD);
    assertThat(liveness).containsExactly(false, true, false, true);
  }

  @Test
  void aNewCallWhoseInstanceDoesNotAnswerGoesToAnotherAndStaysThere() throws Exception {
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.LIVE);
    a.answers = command -> null; // dead, but the pool has not seen it yet
    nextRandom.set(0); // picks a first
    RtpengineBackend backend = new RtpengineBackend(pool, SipAddressFamily.AUTO, Duration.ZERO);
    CallId call = new CallId("pooled-1");

    assertThat(
            backend
                .offer(call, Side.BROWSER, "webrtc offer")
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .isEqualTo("rewritten offer");
    assertThat(instance(0).state()).isEqualTo(RtpenginePool.State.DEAD);
    backend.answer(call, Side.SIP, "plain answer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    backend.release(call);
    await().atMost(Duration.ofSeconds(2)).until(() -> b.names().size() == 4);

    assertThat(b.names()).containsExactly("offer", "answer", "query", "delete");
    String fromTag = (String) b.commands().get(0).get("from-tag");
    assertThat(b.commands().get(1)).containsEntry("from-tag", fromTag);
    assertThat(b.commands().get(3))
        .containsEntry("from-tag", fromTag)
        .containsEntry("call-id", "pooled-1");
    assertThat(a.names())
        .as("a got the offer, then a delete of it in case it was only slow")
        .startsWith("offer");
  }

  @Test
  void aCallWhoseInstanceDiesFailsItsNextCommandAndItsMediaCheck() throws Exception {
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.LIVE);
    nextRandom.set(1); // b
    RtpengineBackend backend = new RtpengineBackend(pool, SipAddressFamily.AUTO, Duration.ZERO);
    CallId call = new CallId("pooled-2");
    backend
        .offer(call, Side.BROWSER, "webrtc offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);

    b.answers = command -> null;
    pingAndAwait(RtpenginePool.State.LIVE, RtpenginePool.State.DEAD);

    MediaActivity activity = backend.activity(call).toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(activity.failure())
        .hasValueSatisfying(
            reason -> assertThat(reason).contains(instance(1).name()).contains("not answering"));
    assertThatThrownBy(
            () -> backend.answer(call, Side.SIP, "plain answer").toCompletableFuture().join())
        .cause()
        .isInstanceOf(MediaException.class)
        .hasMessageContaining("which holds this call's media, is not answering");
    assertThat(a.names()).as("the call's commands never move to another instance").isEmpty();

    nextRandom.set(1);
    assertThat(
            backend
                .offer(new CallId("pooled-3"), Side.BROWSER, "webrtc offer")
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS))
        .as("a new call goes to the live one")
        .isEqualTo("rewritten offer");
    assertThat(a.names()).containsExactly("offer");
  }

  @Test
  void whenNoInstanceAnswersANewCallFailsWithTheNames() {
    a.answers = command -> null;
    b.answers = command -> null;
    pingAndAwait(RtpenginePool.State.DEAD, RtpenginePool.State.DEAD);
    RtpengineBackend backend = new RtpengineBackend(pool, SipAddressFamily.AUTO, Duration.ZERO);
    assertThatThrownBy(
            () ->
                backend
                    .offer(new CallId("none"), Side.BROWSER, "offer")
                    .toCompletableFuture()
                    .join())
        .cause()
        .isInstanceOf(MediaException.class)
        .hasMessageContaining("no rtpengine is answering")
        .hasMessageContaining(instance(0).name());
    assertThat(Optional.of(backend.describe()))
        .hasValueSatisfying(d -> assertThat(d).startsWith("rtpengine pool"));
  }
}
