package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SenderPatternTest {
  private final SenderPattern teamA = SenderPattern.compile("agent://team-a/*");

  @Test
  void exactNameMatchesOnlyItself() {
    SenderPattern risk = SenderPattern.compile("agent://risk");
    assertThat(risk.matches("agent://risk")).isTrue();
    assertThat(risk.matches("agent://risk2")).isFalse();
    assertThat(risk.matches("agent://ris")).isFalse();
    assertThat(risk.matches("xagent://risk")).isFalse();
  }

  @Test
  void singleStarStaysInsideOneSegment() {
    assertThat(teamA.matches("agent://team-a/x")).isTrue();
    assertThat(teamA.matches("agent://team-a/planner-1")).isTrue();
    assertThat(teamA.matches("agent://team-a/x/y")).isFalse();
    assertThat(teamA.matches("agent://team-a")).isFalse();
    assertThat(teamA.matches("agent://team-b/x")).isFalse();
    assertThat(teamA.matches("agent://team-ab/x")).isFalse();
  }

  @Test
  void doubleStarCrossesSegments() {
    SenderPattern deep = SenderPattern.compile("agent://team-a/**");
    assertThat(deep.matches("agent://team-a/x")).isTrue();
    assertThat(deep.matches("agent://team-a/x/y/z")).isTrue();
    assertThat(deep.matches("agent://team-b/x")).isFalse();
    SenderPattern middle = SenderPattern.compile("agent://**/worker");
    assertThat(middle.matches("agent://a/b/worker")).isTrue();
    assertThat(middle.matches("agent://a/b/worker/x")).isFalse();
  }

  @Test
  void dotSegmentsCannotEscapeAPattern() {
    SenderPattern deep = SenderPattern.compile("agent://team-a/**");
    assertThat(teamA.matches("agent://team-a/../team-b/x")).isFalse();
    assertThat(deep.matches("agent://team-a/../team-b/x")).isFalse();
    assertThat(deep.matches("agent://team-a/./x")).isFalse();
    assertThat(deep.matches("agent://team-a/..")).isFalse();
    assertThat(teamA.matches("agent://team-a/..")).isFalse();
    assertThat(teamA.matches("agent://team-a/.")).isFalse();
    assertThat(deep.matches("agent://team-a//x")).isFalse();
    assertThat(teamA.matches("agent://team-a/")).isFalse();
    assertThat(teamA.matches("agent://team-a/%2e%2e")).isFalse();
    assertThat(teamA.matches("agent://team-a/..\\team-b")).isFalse();
  }

  @Test
  void caseIsSignificant() {
    assertThat(teamA.matches("AGENT://team-a/x")).isFalse();
    assertThat(teamA.matches("agent://Team-A/x")).isFalse();
  }

  @Test
  void unicodeLookAlikesAndControlCharactersNeverMatch() {
    assertThat(teamA.matches("agent://team-\u0430/x")).isFalse(); // Cyrillic a
    assertThat(teamA.matches("agent://team-a/\uff58")).isFalse(); // fullwidth x
    assertThat(teamA.matches("agent://team-a/x\u200b")).isFalse(); // zero-width space
    assertThat(teamA.matches("agent://team-a/x\u0000")).isFalse();
    assertThat(teamA.matches("agent://team-a/x\n")).isFalse();
  }

  @Test
  void whitespaceIsNeverTrimmedIntoAMatch() {
    assertThat(teamA.matches("agent://team-a/x ")).isFalse();
    assertThat(teamA.matches(" agent://team-a/x")).isFalse();
    assertThat(teamA.matches("agent://team-a/x\t")).isFalse();
    assertThat(SenderPattern.compile("agent://risk").matches("agent://risk ")).isFalse();
  }

  @Test
  void aStarInTheSenderIsNotAWildcard() {
    assertThat(teamA.matches("agent://team-a/*")).isFalse();
    assertThat(SenderPattern.compile("agent://team-a/**").matches("agent://team-a/**")).isFalse();
  }

  @Test
  void regexMetacharactersAreLiteral() {
    SenderPattern dots = SenderPattern.compile("agent://a.b/*");
    assertThat(dots.matches("agent://a.b/x")).isTrue();
    assertThat(dots.matches("agent://aXb/x")).isFalse();
    assertThatThrownBy(() -> SenderPattern.compile("agent://(.*)")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> SenderPattern.compile("agent://a|b")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void badPatternsAreRefusedWithAReason() {
    for (String bad : new String[] {"", " ", "agent://a/***", "agent://a/../b", "agent://a//b",
        "agent://a/ b", "agent://\u0430", "agent://a/?", "x".repeat(300)}) {
      assertThatThrownBy(() -> SenderPattern.compile(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern");
    }
  }

  @Test
  void longSendersAreRefusedAndMatchingStaysCheap() {
    SenderPattern nasty = SenderPattern.compile("agent://*a*a*a*a*a*a*a*a*a*a*b");
    String sender = "agent://" + "a".repeat(1000);
    assertThat(nasty.matches(sender)).isFalse();
    assertThat(SenderPattern.compile("**").matches("agent://" + "a".repeat(2000))).isFalse();
  }
}
