package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private static InputStream bytes(int n) {
    return new ByteArrayInputStream(new byte[n]);
  }

  /** Hands out one byte per read, as a slow chunked upload does. */
  private static InputStream trickle(int n) {
    return new InputStream() {
      int left = n;

      @Override
      public int read() {
        return left-- > 0 ? 'x' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        b[off] = 'x';
        left--;
        return 1;
      }
    };
  }

  @Test
  void readsBodiesUpToTheLimitWithOrWithoutALength() throws Exception {
    assertThat(RequestBodies.read(bytes(0), 0, 100)).isEmpty();
    assertThat(RequestBodies.read(bytes(0), -1, 100)).isEmpty();
    assertThat(RequestBodies.read(bytes(100), 100, 100)).hasSize(100);
    assertThat(RequestBodies.read(bytes(100), -1, 100)).hasSize(100);
    assertThat(RequestBodies.read(trickle(5000), -1, 5000)).hasSize(5000);
    assertThat(RequestBodies.read(bytes(3), 10, 100)).hasSize(3);
  }

  @Test
  void stopsAsSoonAsTheLimitIsPassed() {
    assertThatThrownBy(() -> RequestBodies.read(bytes(101), -1, 100))
        .isInstanceOf(RequestBodies.TooLargeException.class);
    assertThatThrownBy(() -> RequestBodies.read(trickle(70_000), -1, 65_536))
        .isInstanceOf(RequestBodies.TooLargeException.class);
    assertThatThrownBy(() -> RequestBodies.read(bytes(0), 101, 100))
        .isInstanceOf(RequestBodies.TooLargeException.class);
    // A Content-Length that lies low cannot smuggle in more than the limit either.
    assertThatThrownBy(() -> RequestBodies.read(bytes(500), 10, 100))
        .isInstanceOf(RequestBodies.TooLargeException.class);
  }

  @Test
  void onlyApplicationJsonIsJson() {
    assertThat(RequestBodies.isJson("application/json")).isTrue();
    assertThat(RequestBodies.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(RequestBodies.isJson(" Application/Json ;x=y")).isTrue();
    assertThat(RequestBodies.isJson(null)).isFalse();
    assertThat(RequestBodies.isJson("")).isFalse();
    assertThat(RequestBodies.isJson("text/json")).isFalse();
    assertThat(RequestBodies.isJson("application/ld+json")).isFalse();
    assertThat(RequestBodies.isJson("application/jsonp")).isFalse();
  }
}
