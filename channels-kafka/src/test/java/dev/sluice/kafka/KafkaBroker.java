/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka broker for the tests: one KRaft node (broker and controller), in a JVM of its own,
 * on free loopback ports, with its logs under {@code target/kafka}.
 *
 * <p>Invariant: at most one broker per test run, started on first use and stopped when the run ends
 * (JUnit closes the root store), or by a shutdown hook if the test JVM ends otherwise; no broker
 * process outlives the test JVM that started it. The broker's class path is the one Maven resolved
 * for {@code kafka_2.13}, handed over in the system property {@code sluice.kafka.brokerClasspath}.
 *
 * <p>Public, with the members below, for the docs' snippets and the examples, which start it
 * through this module's test jar rather than a launcher of their own.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final Process process;
  private final String bootstrap;
  private final Admin admin;
  private final Thread killer;

  private KafkaBroker(Process process, String bootstrap, Admin admin, Thread killer) {
    this.process = process;
    this.bootstrap = bootstrap;
    this.admin = admin;
    this.killer = killer;
  }

  /** The {@code bootstrap.servers} of this broker. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Creates a fresh topic with {@code partitions} partitions and returns its name. */
  public String createTopic(String prefix, int partitions) {
    String name = prefix + "-" + TOPICS.incrementAndGet();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
    return name;
  }

  /** Starts a broker and waits until it answers an admin request. */
  public static KafkaBroker start() throws IOException, InterruptedException {
    String classpath = System.getProperty("sluice.kafka.brokerClasspath");
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException(
          "sluice.kafka.brokerClasspath is not set: run the tests through Maven");
    }
    Path work =
        Path.of(System.getProperty("sluice.kafka.workDir", "target/kafka"))
            .toAbsolutePath()
            .resolve("broker-" + System.currentTimeMillis());
    Files.createDirectories(work);
    int port = freePort();
    int controllerPort = freePort();
    Path config = work.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + work.resolve("data"),
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process format =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("format.log").toFile())
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException(
          "formatting the broker's storage failed: see " + work.resolve("format.log"));
    }
    Process broker =
        new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, "kafka.Kafka", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("broker.log").toFile())
            .start();
    Thread killer = new Thread(broker::destroyForcibly, "kafka-broker-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    String bootstrap = "127.0.0.1:" + port;
    Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    KafkaBroker started = new KafkaBroker(broker, bootstrap, admin, killer);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!broker.isAlive()) {
        started.close();
        throw new IllegalStateException("the broker exited: see " + work.resolve("broker.log"));
      }
      try {
        admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
        return started;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          started.close();
          throw new IllegalStateException(
              "the broker did not answer in "
                  + START_TIMEOUT
                  + ": see "
                  + work.resolve("broker.log"),
              e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the broker: politely first, then by force. */
  @Override
  public void close() {
    try {
      admin.close(Duration.ofSeconds(5));
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs anyway
      }
    }
  }

  /** Hands a test the run's one broker, started on first use and closed when the run ends. */
  public static final class Resolver implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(KafkaBroker.class))
          .getOrComputeIfAbsent(
              "broker",
              key -> {
                try {
                  return start();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              },
              KafkaBroker.class);
    }
  }
}
