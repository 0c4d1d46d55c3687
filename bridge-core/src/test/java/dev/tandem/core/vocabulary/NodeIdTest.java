package dev.tandem.core.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeIdTest {
  @Test
  void instanceUrnIsStableAndDiffersPerNode() {
    assertThat(new NodeId("a").instanceUrn())
        .isEqualTo(new NodeId("a").instanceUrn())
        .startsWith("urn:uuid:")
        .isNotEqualTo(new NodeId("b").instanceUrn());
  }

  @Test
  void hostNamesBecomeNodeIds() {
    assertThat(NodeId.ofHostName("Edge-7.example.com")).isEqualTo(new NodeId("edge-7"));
    assertThat(NodeId.ofHostName("--x y")).isEqualTo(new NodeId("x-y"));
    assertThat(NodeId.ofHostName("...")).isEqualTo(new NodeId("node"));
  }

  @Test
  void refusesWhatALoadBalancerCouldNotMatch() {
    assertThatThrownBy(() -> new NodeId("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NodeId("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(NodeId.valid("node-1")).isTrue();
  }
}
