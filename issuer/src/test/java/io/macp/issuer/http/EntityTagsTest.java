package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {
  private static final String TAG = "\"abc\"";

  @Test
  void matchesExactListsWeakAndStar() {
    assertThat(EntityTags.matches("\"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("W/\"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("\"x\" , \"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("*", TAG)).isTrue();
  }

  @Test
  void rejectsOthersAndNonsense() {
    assertThat(EntityTags.matches(null, TAG)).isFalse();
    assertThat(EntityTags.matches("", TAG)).isFalse();
    assertThat(EntityTags.matches("abc", TAG)).isFalse();
    assertThat(EntityTags.matches("\"abcd\"", TAG)).isFalse();
    assertThat(EntityTags.matches(",,,", TAG)).isFalse();
  }
}
