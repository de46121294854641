package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscoveryRouteTest {
  @Test
  void httpUrlsAreBasesWithoutTrailingSlash() {
    assertThat(DiscoveryRoute.urlBase("https://auth.example")).isEqualTo("https://auth.example");
    assertThat(DiscoveryRoute.urlBase("https://auth.example/")).isEqualTo("https://auth.example");
    assertThat(DiscoveryRoute.urlBase("http://10.0.0.1:3200/macp"))
        .isEqualTo("http://10.0.0.1:3200/macp");
  }

  @Test
  void bareNamesAndOtherSchemesAreNot() {
    assertThat(DiscoveryRoute.urlBase("macp-auth-service")).isNull();
    assertThat(DiscoveryRoute.urlBase("urn:macp:issuer")).isNull();
    assertThat(DiscoveryRoute.urlBase("ftp://x.example")).isNull();
    assertThat(DiscoveryRoute.urlBase("https://x.example/?q=1")).isNull();
    assertThat(DiscoveryRoute.urlBase("https:///nohost")).isNull();
    assertThat(DiscoveryRoute.urlBase("not a url at all")).isNull();
  }
}
