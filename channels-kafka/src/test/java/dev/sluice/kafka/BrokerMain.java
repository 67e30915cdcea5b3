/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of a test broker's process: Kafka's own {@code kafka.Kafka}, behind a watch on
 * standard input.
 *
 * <p>Invariant: the broker lives no longer than the JVM that started it. {@link KafkaBroker} starts
 * the process with standard input a pipe from itself, and never writes to it nor closes it; when
 * that JVM ends in any way, a {@code kill -9} included (which runs no shutdown hook), the operating
 * system closes the pipe, the watch reads its end, and halts the broker.
 */
public final class BrokerMain {
  private BrokerMain() {}

  /**
   * Starts the watch, then runs {@code kafka.Kafka} with the same arguments.
   *
   * @param args Kafka's arguments: the server's properties file
   * @throws Exception what Kafka's main throws
   */
  public static void main(String[] args) throws Exception {
    Thread watch =
        new Thread(
            () -> {
              InputStream parent = System.in;
              try {
                while (parent.read() >= 0) {
                  // nothing is ever written: wait for the end of the pipe
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone as well
              }
              Runtime.getRuntime().halt(3);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
    Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
