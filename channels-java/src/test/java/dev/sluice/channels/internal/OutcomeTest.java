package dev.sluice.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  @Test
  void name_ofEveryCode_isItsConstantsName() {
    assertEquals("SENT", Outcome.name(Outcome.SENT));
    assertEquals("FULL", Outcome.name(Outcome.FULL));
    assertEquals("CLOSED", Outcome.name(Outcome.CLOSED));
    assertEquals("QUEUED", Outcome.name(Outcome.QUEUED));
    assertEquals("RECEIVED", Outcome.name(Outcome.RECEIVED));
    assertEquals("NEEDS_FRAME", Outcome.name(Outcome.NEEDS_FRAME));
  }

  @Test
  void name_ofUnknownCode_saysItIsNotInTheTable() {
    assertEquals("outcome 42", Outcome.name(42));
  }

  @Test
  void codes_areDistinct() {
    Set<Integer> codes =
        new HashSet<>(
            Set.of(
                Outcome.SENT,
                Outcome.FULL,
                Outcome.CLOSED,
                Outcome.QUEUED,
                Outcome.RECEIVED,
                Outcome.NEEDS_FRAME));
    assertEquals(6, codes.size());
  }
}
