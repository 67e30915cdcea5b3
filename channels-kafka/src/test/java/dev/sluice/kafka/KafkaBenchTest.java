/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.kafka.KafkaBenchLoops.Face;
import dev.sluice.kafka.KafkaBenchLoops.Latency;
import dev.sluice.kafka.KafkaBenchLoops.Settings;
import dev.sluice.kafka.KafkaBenchLoops.Throughput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The smoke version of {@link KafkaBench}: every workload with a few records, against the shared
 * test broker.
 *
 * <p>Invariant: it asserts what the workloads did (every record received once, every send
 * acknowledged, every round trip made), never how fast: the full run is {@link KafkaBench#main}.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaBenchTest {
  private static final Settings TINY = new Settings(3000, 100, 64, 5, 0, 16384, 700, 50, 20, 5);

  @Test
  void throughput_everyFace_receivesEveryRecordOnce(KafkaBroker broker) throws Exception {
    for (Face f : Face.values()) {
      // given: a fresh topic and group; when: the face's trial runs
      String topic = broker.createTopic("bench-smoke-" + f.name().toLowerCase(), 1);
      Throughput r = KafkaBenchLoops.throughput(f, broker.bootstrap(), topic, TINY);

      // then: every record came back once, and no send failed
      assertEquals(TINY.records(), r.received(), f + " received");
      assertEquals(0, r.duplicates(), f + " duplicates");
      assertEquals(0, r.failed(), f + " failed sends");
      assertTrue(r.nanos() > 0, f + " measured no time");
    }
  }

  @Test
  void latency_bothSides_makeEveryRoundTrip(KafkaBroker broker) throws Exception {
    Latency raw =
        KafkaBenchLoops.rawLatency(broker.bootstrap(), broker.createTopic("lat-smoke", 1), TINY);
    Latency sluice =
        KafkaBenchLoops.sluiceLatency(broker.bootstrap(), broker.createTopic("lat-smoke", 1), TINY);

    for (Latency l : List.of(raw, sluice)) {
      assertEquals(TINY.roundTrips(), l.nanos().length);
      assertTrue(l.nanos()[0] > 0, "a round trip took no time");
      assertTrue(l.quantileMicros(0.5) <= l.quantileMicros(0.99), "quantiles out of order");
    }
  }

  @Test
  void run_smallRound_printsEveryTrialAndTheSummary(KafkaBroker broker) throws Exception {
    // given: the harness itself, with one round of a few records
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

    // when
    KafkaBench.Report report =
        new KafkaBench(TINY, List.of(Face.values()), 1, true, 1, out).run(broker);

    // then: one trial per face and side, and a summary line for each
    for (Face f : Face.values()) {
      assertEquals(1, report.throughput().get(f).size());
      assertEquals(TINY.records(), report.throughput().get(f).get(0).received());
    }
    assertEquals(1, report.raw().size());
    assertEquals(1, report.sluice().size());
    String printed = text.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("throughput ALL_MANY ratio to RAW per trial"), printed);
    assertTrue(printed.contains("latency SLUICE/RAW p99 per trial"), printed);
    assertTrue(report.json(TINY).contains("\"ASYNC_RECEIVE\""));
  }
}
