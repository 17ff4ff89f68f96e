package dev.keelson.reconcilers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  final Expectations<String> expectations = new Expectations<>(clock);

  @Test
  void anOwnerWithNoExpectationsMayAct() {
    assertThat(expectations.satisfied("rs")).isTrue();
    assertThat(expectations.untilExpiry("rs")).isZero();
  }

  @Test
  void creationsMustAllBeSeenBeforeTheOwnerActsAgain() {
    expectations.expectCreations("rs", 3);
    assertThat(expectations.satisfied("rs")).isFalse();
    expectations.creationObserved("rs");
    expectations.creationObserved("rs");
    assertThat(expectations.satisfied("rs")).isFalse();
    expectations.creationObserved("rs");
    assertThat(expectations.satisfied("rs")).isTrue();
  }

  @Test
  void expectationsOfOneOwnerDoNotHoldBackAnother() {
    expectations.expectCreations("a", 2);
    assertThat(expectations.satisfied("b")).isTrue();
    expectations.creationObserved("b");
    assertThat(expectations.satisfied("a")).isFalse();
  }

  @Test
  void aDeletionCountsOncePerExpectedPod() {
    expectations.expectDeletions("rs", List.of("default/p1", "default/p2"));
    // seen with a deletionTimestamp, then seen gone: one deletion
    expectations.deletionObserved("rs", "default/p1");
    expectations.deletionObserved("rs", "default/p1");
    assertThat(expectations.satisfied("rs")).isFalse();
    // a pod that was not to be deleted does not count
    expectations.deletionObserved("rs", "default/other");
    assertThat(expectations.satisfied("rs")).isFalse();
    expectations.deletionObserved("rs", "default/p2");
    assertThat(expectations.satisfied("rs")).isTrue();
  }

  @Test
  void unmetExpectationsExpireAfterFiveMinutes() {
    expectations.expectCreations("rs", 1);
    clock.advance(Duration.ofMinutes(4));
    assertThat(expectations.satisfied("rs")).isFalse();
    assertThat(expectations.untilExpiry("rs")).isEqualTo(Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertThat(expectations.satisfied("rs")).isTrue();
  }

  @Test
  void newExpectationsReplaceOldOnesAndDeleteForgets() {
    expectations.expectCreations("rs", 5);
    expectations.expectDeletions("rs", List.of("default/p1"));
    expectations.deletionObserved("rs", "default/p1");
    assertThat(expectations.satisfied("rs")).isTrue();
    expectations.expectCreations("rs", 1);
    expectations.delete("rs");
    assertThat(expectations.satisfied("rs")).isTrue();
  }
}
