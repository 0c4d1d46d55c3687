package dev.tandem.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestAlgorithmTest {
  /** RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256. */
  @Test
  void rfc7616Vectors() {
    String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    String realm = "http-auth@example.org";
    for (var c :
        new String[][] {
          {"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
          {"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"}
        }) {
      DigestAlgorithm a = DigestAlgorithm.parse(c[0]).orElseThrow();
      String ha1 = a.ha1("Mufasa", realm, "Circle of Life");
      assertEquals(
          c[1], a.response(ha1, nonce, "00000001", cnonce, "auth", "GET", "/dir/index.html"));
    }
  }

  /** RFC 2617 §3.5 (qop=auth, MD5). */
  @Test
  void rfc2617Vector() {
    DigestAlgorithm md5 = DigestAlgorithm.MD5;
    String ha1 = md5.ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
    assertEquals(
        "6629fae49393a05397450978507c4ef1",
        md5.response(
            ha1,
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "00000001",
            "0a4f113b",
            "auth",
            "GET",
            "/dir/index.html"));
  }

  @Test
  void algorithmNames() {
    assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.parse(null));
    assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.parse("sha-256"));
    assertTrue(DigestAlgorithm.parse("MD5-sess").isEmpty());
  }

  @Test
  void headerParameters() {
    DigestHeader h =
        DigestHeader.parse(
                " Digest username=\"1001\",realm=\"tandem\", nonce=\"a,b\", uri=\"sip:x;transport=udp\","
                    + " response=\"ab\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"c\\\"d\"")
            .orElseThrow();
    assertEquals("1001", h.get("username"));
    assertEquals("a,b", h.get("nonce"));
    assertEquals("sip:x;transport=udp", h.get("uri"));
    assertEquals("SHA-256", h.get("algorithm"));
    assertEquals("auth", h.get("qop"));
    assertEquals("c\"d", h.get("cnonce"));
    assertTrue(DigestHeader.parse("Basic abc").isEmpty());
    assertTrue(DigestHeader.parse("Digest username=\"open").isEmpty());
  }
}
