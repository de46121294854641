package io.macp.issuer.keys;

import static io.macp.issuer.keys.KeyFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import io.macp.issuer.SettableClock;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.RotationPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfManagedKeySetSourceTest {
  /** P = 30s, L = D 5s + C 5s + G 5s + K 1s = 16s, R = T 10s + K 1s = 11s. */
  private static final RotationPolicy SHORT = new RotationPolicy(
      Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
      Duration.ofSeconds(1), Duration.ofSeconds(10));
  private static final Duration MANUAL = Duration.ofHours(1);

  @TempDir Path dir;

  private final SettableClock clock = new SettableClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<SelfManagedKeySetSource> sources = new ArrayList<>();

  @AfterEach
  void closeSources() {
    for (SelfManagedKeySetSource s : sources) {
      s.close();
      assertThat(s.stopped()).isTrue();
    }
  }

  private SelfManagedKeySetSource source(Path file, Duration pollInterval) {
    SelfManagedKeySetSource s = new SelfManagedKeySetSource(file, SHORT, KeySpec.es256(),
        KeyGenerator.secure(), clock, pollInterval, registry);
    sources.add(s);
    return s;
  }

  @Test
  void firstStartCreatesAnOwnerOnlyFileWithASignerAndAPrePublishedNextKey() throws Exception {
    Path file = dir.resolve("state").resolve("keyset.json");

    KeySet first = source(file, MANUAL).initial();

    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(first);
    assertThat(first.keys()).hasSize(2);
    ManagedKey active = first.signerAt(T0).orElseThrow();
    ManagedKey next = first.keys().get(1);
    assertThat(active.activateAt()).isEqualTo(T0);
    assertThat(next.createdAt()).isEqualTo(T0);
    assertThat(next.activateAt()).isEqualTo(T0.plus(SHORT.period()));
    assertThat(first.publishedAt(T0)).containsExactly(active, next);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).map(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder("keyset.json", ".keyset.json.lock"); // no temp file left
    }
  }

  @Test
  void planningStepsRotateAtActivationAndDropRetiredKeysAfterRetention() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, MANUAL);
    KeySet first = source.initial();
    String k1 = first.signerAt(T0).orElseThrow().kid();
    String k2 = first.keys().get(1).kid();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    assertThat(source.step()).contains(T0.plusSeconds(30));
    assertThat(listener.pending()).isZero(); // nothing due yet: no write, no event

    clock.set(T0.plusSeconds(30));
    Optional<Instant> deadline = source.step();
    KeySet rotated = listener.nextAccepted();
    assertThat(rotated.signerAt(clock.instant()).orElseThrow().kid()).isEqualTo(k2);
    assertThat(rotated.keys()).hasSize(3);
    assertThat(rotated.find(k1).orElseThrow().removeAt()).isEqualTo(T0.plusSeconds(41));
    ManagedKey k3 = rotated.keys().get(2);
    assertThat(k3.createdAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(k3.activateAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(rotated);
    assertThat(deadline).contains(T0.plusSeconds(41));

    clock.set(T0.plusSeconds(41));
    assertThat(source.step()).contains(T0.plusSeconds(60));
    KeySet pruned = listener.nextAccepted();
    assertThat(pruned.find(k1)).isEmpty();
    assertThat(pruned.keys()).extracting(ManagedKey::kid).containsExactly(k2, k3.kid());
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(pruned);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(KeyFixtures.reloads(registry)).isEqualTo(2.0);
  }

  @Test
  void theSchedulerThreadRotatesWhenTheClockPassesTheDeadline() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, Duration.ofMillis(50));
    KeySet first = source.initial();
    String next = first.keys().get(1).kid();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    clock.set(T0.plusSeconds(31));

    KeySet rotated = listener.nextAccepted();
    assertThat(rotated.signerAt(clock.instant()).orElseThrow().kid()).isEqualTo(next);
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(rotated);
  }

  @Test
  void theDeadlineTimerRotatesWithoutAPollAndIsSetAgainWhenItFiresEarly() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, MANUAL); // polls never run in this test
    KeySet first = source.initial();
    String next = first.keys().get(1).kid();
    RecordingListener listener = new RecordingListener();
    clock.set(T0.plusSeconds(30).minusMillis(100)); // the deadline is 100ms of timer away

    source.watch(listener);
    Thread.sleep(300); // the timer fires while this clock stands still: too early, nothing due
    assertThat(listener.pending()).isZero();
    clock.set(T0.plusSeconds(30));

    KeySet rotated = listener.nextAccepted();
    assertThat(rotated.signerAt(clock.instant()).orElseThrow().kid()).isEqualTo(next);
  }

  @Test
  void aCorruptExistingFileStopsStartupAndIsLeftUntouched() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeySet secret = KeyFixtures.signingSince(T0);
    String json = KeySetJson.write(secret);
    byte[] corrupt = json.substring(0, json.length() / 2).getBytes();
    Files.write(file, corrupt);

    assertThatThrownBy(() -> source(file, MANUAL).initial())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("will not overwrite")
        .satisfies(e -> KeyFixtures.privateValues(secret)
            .forEach(d -> assertThat(e.getMessage()).doesNotContain(d)));
    assertThat(Files.readAllBytes(file)).isEqualTo(corrupt);
  }

  @Test
  void aRestartKeepsEveryKey() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource before = source(file, MANUAL);
    before.initial();
    before.watch(new RecordingListener());
    clock.set(T0.plusSeconds(30));
    before.step();
    before.close();
    byte[] stored = Files.readAllBytes(file);

    KeySet afterRestart = source(file, MANUAL).initial();

    assertThat(afterRestart).isEqualTo(KeySetJson.parse(stored));
    assertThat(afterRestart.keys()).hasSize(3);
    assertThat(Files.readAllBytes(file)).isEqualTo(stored);
  }

  @Test
  void anExternalCorruptEditIsRefusedNeverOverwrittenAndARepairIsTakenIn() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, MANUAL);
    KeySet first = source.initial();
    byte[] good = Files.readAllBytes(file);
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    Files.writeString(file, "{ not json");
    source.step();
    assertThat(listener.nextRejected()).startsWith("invalid:");
    clock.set(T0.plusSeconds(45)); // past a deadline: rotation would write, but must not
    source.step();
    source.step();
    assertThat(Files.readString(file)).isEqualTo("{ not json");
    assertThat(listener.pending()).isZero();
    assertThat(KeyFixtures.failures(registry, ReloadFailure.INVALID)).isEqualTo(1.0);

    Files.write(file, good);
    source.step();
    KeySet repaired = listener.nextAccepted();
    assertThat(repaired.signerAt(clock.instant()).orElseThrow().kid())
        .isEqualTo(first.keys().get(1).kid());
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(repaired);
  }

  /**
   * Regression (issue 9): a plan the key-set planner refuses ({@code PlanRefusedException}, here a
   * generator that repeats a kid) escaped the periodic planning step. Now it is refused like a bad
   * file: reported once, counted, nothing written, the key set in force stays.
   */
  @Test
  void aPlanRefusedByThePlannerIsReportedOnceAndKeepsTheLastGoodKeySet() throws Exception {
    Path file = dir.resolve("keyset.json");
    AtomicBoolean repeatKids = new AtomicBoolean();
    SelfManagedKeySetSource source = new SelfManagedKeySetSource(file, SHORT, KeySpec.es256(),
        repeatingKidsWhen(repeatKids), clock, MANUAL, registry);
    sources.add(source);
    KeySet first = source.initial();
    byte[] stored = Files.readAllBytes(file);
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    repeatKids.set(true);
    clock.set(T0.plusSeconds(30)); // the rotation makes a third key: its kid is the first's
    Optional<Instant> next = source.step();
    source.step();
    clock.set(T0.plusSeconds(31));
    source.step();

    String refusal = listener.nextRejected();
    assertThat(refusal).startsWith("plan_refused:").contains(file.toString());
    KeyFixtures.privateValues(first).forEach(d -> assertThat(refusal).doesNotContain(d));
    assertThat(listener.pending()).isZero();
    assertThat(KeyFixtures.failures(registry, ReloadFailure.PLAN_REFUSED)).isEqualTo(1.0);
    assertThat(KeyFixtures.reloads(registry)).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(stored);
    assertThat(next).isEqualTo(first.nextChangeAfter(T0.plusSeconds(30)));

    repeatKids.set(false);
    source.step();
    KeySet rotated = listener.nextAccepted();
    assertThat(rotated.signerAt(clock.instant()).orElseThrow().kid())
        .isEqualTo(first.keys().get(1).kid());
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(rotated);
  }

  /** The same regression on the poll thread itself: refused once, polling goes on. */
  @Test
  void aPlanRefusedOnThePollThreadIsReportedOnceAndPollingGoesOn() throws Exception {
    Path file = dir.resolve("keyset.json");
    AtomicBoolean repeatKids = new AtomicBoolean();
    SelfManagedKeySetSource source = new SelfManagedKeySetSource(file, SHORT, KeySpec.es256(),
        repeatingKidsWhen(repeatKids), clock, Duration.ofMillis(20), registry);
    sources.add(source);
    KeySet first = source.initial();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    repeatKids.set(true);
    clock.set(T0.plusSeconds(30));
    assertThat(listener.nextRejected()).startsWith("plan_refused:");
    Thread.sleep(300); // about 15 more polls
    assertThat(listener.pending()).isZero();
    assertThat(KeyFixtures.failures(registry, ReloadFailure.PLAN_REFUSED)).isEqualTo(1.0);

    repeatKids.set(false);
    assertThat(listener.nextAccepted().signerAt(clock.instant()).orElseThrow().kid())
        .isEqualTo(first.keys().get(1).kid());
  }

  /** Fresh keys, or while {@code repeat} is set the first key again: a kid the set already has. */
  private static KeyGenerator repeatingKidsWhen(AtomicBoolean repeat) {
    List<JWK> made = new ArrayList<>();
    return spec -> {
      if (repeat.get() && !made.isEmpty()) {
        return made.get(0);
      }
      JWK key = KeyGenerator.secure().generate(spec);
      made.add(key);
      return key;
    };
  }

  @Test
  void aDeletedFileIsWrittenBackWithTheSameKeys() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, MANUAL);
    KeySet first = source.initial();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    Files.delete(file);
    source.step();

    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(first);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(listener.pending()).isZero(); // the keys in use did not change
  }

  @Test
  void aValidExternalEditIsPlannedAndAnnounced() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource source = source(file, MANUAL);
    source.initial();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    KeySet replacement = KeyFixtures.signingSince(T0);
    KeyFixtures.write(file, replacement);
    source.step();

    KeySet planned = listener.nextAccepted();
    String replacementKid = replacement.keys().get(0).kid();
    assertThat(planned.signerAt(T0).orElseThrow().kid()).isEqualTo(replacementKid);
    assertThat(planned.keys()).hasSize(2); // the planner added a next key
    assertThat(KeySetJson.parse(Files.readAllBytes(file))).isEqualTo(planned);
  }

  @Test
  void aSecondIssuerOnTheSameFileRefusesToStartUntilTheFirstStops() throws Exception {
    Path file = dir.resolve("keyset.json");
    SelfManagedKeySetSource first = source(file, MANUAL);
    KeySet keys = first.initial();

    assertThatThrownBy(() -> source(file, MANUAL).initial())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another issuer already manages");

    first.close();
    assertThat(source(file, MANUAL).initial()).isEqualTo(keys);
  }

  @Test
  void refusesAPolicyThatCantKeepVerificationsGreen() {
    RotationPolicy tooShort = new RotationPolicy(Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThatThrownBy(() -> new SelfManagedKeySetSource(dir.resolve("keyset.json"), tooShort,
        KeySpec.es256(), KeyGenerator.secure(), clock, MANUAL, registry))
        .hasMessageContaining("shorter than the lead time");
  }
}
