/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

/**
 * How long the Kafka tests that can soak run: the one place they read the system property {@code
 * sluice.stress}.
 *
 * <p>Invariant: the default build runs each soaking test briefly (the module's whole suite stays
 * within a couple of minutes, broker starts included); {@code -Pstress-long} (the parent pom's
 * profile, which sets {@code -Dsluice.stress=long} and a two-hour test timeout; this module's
 * surefire passes the property on) makes the same tests run for minutes each. Run the soak alone
 * with:
 *
 * <pre>
 * mvn -B -pl channels-kafka -am verify -Pstress-long -Dkotlin.compiler.daemon=false \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtest='dev/sluice/kafka/**'
 * </pre>
 */
final class KafkaSoak {
  /** Whether this run is the long soak ({@code -Pstress-long}, so {@code sluice.stress=long}). */
  static final boolean LONG = "long".equals(System.getProperty("sluice.stress"));

  private KafkaSoak() {}

  /** {@code normal} in the default build, {@code soak} under {@code -Pstress-long}. */
  static int size(int normal, int soak) {
    return LONG ? soak : normal;
  }
}
