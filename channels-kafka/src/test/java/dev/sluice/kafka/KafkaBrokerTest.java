/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test broker's own promise: it does not outlive the JVM that started it.
 *
 * <p>Invariant: the test owns the broker it starts, and closes it whatever happens.
 */
class KafkaBrokerTest {

  @Test
  void brokerHalts_whenThePipeFromItsParentCloses() throws Exception {
    // given: a broker of this test's own, up and answering
    try (KafkaBroker broker = KafkaBroker.startOwn()) {
      // when: the pipe ends, as it does when the JVM that started the broker dies (even by kill -9)
      Process process = broker.endParentPipe();

      // then: the broker's process ends by itself
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the broker outlived its parent's pipe");
    }
  }
}
