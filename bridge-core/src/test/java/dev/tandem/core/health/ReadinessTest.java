package dev.tandem.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadinessTest {

  @Test
  void isNotReadyWithoutComponents() {
    assertThat(new Readiness().isReady()).isFalse();
  }

  @Test
  void isReadyOnlyWhenEveryComponentIsUp() {
    Readiness readiness = new Readiness();
    readiness.register("http");
    readiness.register("sip udp 127.0.0.1:5060");
    readiness.set("http", Readiness.State.UP);
    assertThat(readiness.isReady()).isFalse();

    readiness.set("sip udp 127.0.0.1:5060", Readiness.State.UP);
    assertThat(readiness.isReady()).isTrue();
  }

  @Test
  void stoppingTurnsReadinessOff() {
    Readiness readiness = new Readiness();
    readiness.set("http", Readiness.State.UP);
    readiness.stopping();
    assertThat(readiness.isReady()).isFalse();
    assertThat(readiness.snapshot()).containsEntry("http", Readiness.State.STOPPING);
  }
}
