/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka broker for the tests: one KRaft node (broker and controller), in a JVM of its own,
 * on free loopback ports, with its logs under {@code target/kafka}, and topics made only by {@link
 * #createTopic} ({@code auto.create.topics.enable=false}: an unknown topic is an error, as on a
 * production cluster that forbids auto-creation).
 *
 * <p>Invariant: at most one <em>shared</em> broker per test run, handed out by {@link Resolver},
 * started on first use, never stopped before the run ends (JUnit closes the root store then); a
 * test that stops a broker starts one of its own with {@link #startOwn()}, and closes it. No broker
 * process outlives the test JVM that started it: a shutdown hook kills whichever process is
 * current, and the process itself ({@link BrokerMain}) halts when that JVM's pipe to it closes,
 * which covers a {@code kill -9} too. A restarted broker keeps its ports and its log dirs, so what
 * it acknowledged survives. The broker's class path is the one Maven resolved for {@code
 * kafka_2.13}, handed over in the system property {@code sluice.kafka.brokerClasspath}.
 *
 * <p>Public, with the members below, for the docs' snippets and the examples, which start it
 * through this module's test jar rather than a launcher of their own.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final boolean owned;
  private final Path work;
  private final List<String> command;
  private final String bootstrap;
  private final Admin admin;
  private final Thread killer;
  /* The broker's current process: replaced by restart(), read by the shutdown hook. */
  private volatile Process process;
  private int launches;

  private KafkaBroker(boolean owned, Path work, List<String> command, String bootstrap) {
    this.owned = owned;
    this.work = work;
    this.command = command;
    this.bootstrap = bootstrap;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    this.killer =
        new Thread(
            () -> {
              Process p = process;
              if (p != null) {
                p.destroyForcibly();
              }
            },
            "kafka-broker-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** The {@code bootstrap.servers} of this broker. */
  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Creates a fresh topic with {@code partitions} partitions and returns its name once the broker
   * leads every one of them.
   *
   * <p>The wait is for Kafka's KAFKA-15591 (fixed in brokers from 4.5): {@code createTopics}
   * returns when the controller created the topic, and the broker applies that a moment later. An
   * idempotent producer sending at once may have one request refused (not the leader yet) and the
   * next one accepted; the refused one is then retried with an out-of-order sequence until {@code
   * delivery.timeout.ms} fails its sends. The tests' first sends came in that moment, and waited
   * for acknowledgements that never came. A {@code ListOffsets} answered for every partition means
   * that the broker leads them all, so no produce request meets the gap.
   */
  public String createTopic(String prefix, int partitions) {
    String name = prefix + "-" + TOPICS.incrementAndGet();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      awaitLeaders(name, partitions);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
    return name;
  }

  /** Waits until the broker answers a {@code ListOffsets} for every partition of {@code topic}. */
  private void awaitLeaders(String topic, int partitions)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      all.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        admin.listOffsets(all).all().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new ExecutionException("the broker does not lead the partitions of " + topic, e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The names of the topics this broker has, internal ones left out. */
  Set<String> topics() {
    try {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the topics", e);
    }
  }

  /** Starts the run's shared broker: {@link #stop} and {@link #restart} refuse it. */
  public static KafkaBroker start() throws IOException, InterruptedException {
    return start(false);
  }

  /**
   * Starts a broker of the caller's own, independent of the shared one: the caller may stop and
   * restart it, and must close it.
   */
  static KafkaBroker startOwn() throws IOException, InterruptedException {
    return start(true);
  }

  private static KafkaBroker start(boolean owned) throws IOException, InterruptedException {
    String classpath = System.getProperty("sluice.kafka.brokerClasspath");
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException(
          "sluice.kafka.brokerClasspath is not set: run the tests through Maven");
    }
    Path work =
        Files.createTempDirectory(
            Files.createDirectories(
                Path.of(System.getProperty("sluice.kafka.workDir", "target/kafka"))
                    .toAbsolutePath()),
            "broker-" + System.currentTimeMillis() + "-");
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
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            // A crashed broker's registration lingers at the controller until its session times
            // out: the restarted one cannot register before (DuplicateBrokerRegistration). A
            // broker that may be killed uses a short session, so it comes back in seconds; the
            // shared one keeps Kafka's defaults.
            owned ? "broker.session.timeout.ms=3000" : "",
            owned ? "broker.heartbeat.interval.ms=500" : "",
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
    KafkaBroker broker =
        new KafkaBroker(
            owned,
            work,
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                classpath + File.pathSeparator + ownLocation(),
                BrokerMain.class.getName(),
                config.toString()),
            "127.0.0.1:" + port);
    try {
      broker.launch();
    } catch (RuntimeException | InterruptedException | IOException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /**
   * Starts the broker's process on this broker's config (so its ports and log dirs) and waits until
   * it answers an admin request. Each launch logs to a file of its own.
   */
  private void launch() throws IOException, InterruptedException {
    Path log = work.resolve("broker-" + ++launches + ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    process = p;
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the broker exited: see " + log);
      }
      try {
        admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker did not answer in " + START_TIMEOUT + ": see " + log, e);
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Stops the broker's process and waits until it is gone: {@code hard} kills it at once (SIGKILL,
   * as a crash would: no controlled shutdown, its logs recovered on restart), otherwise it is asked
   * to stop (SIGTERM: a controlled shutdown) and killed if it does not within 30 s. Only for a
   * broker of the caller's own ({@link #startOwn()}).
   */
  void stop(boolean hard) throws InterruptedException {
    requireOwned("stop");
    long t0 = System.nanoTime();
    Process p = process;
    if (hard) {
      p.destroyForcibly();
    } else {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the broker's process did not end: pid " + p.pid());
    }
    System.out.printf(
        "broker %s %s in %d ms%n",
        bootstrap, hard ? "killed" : "stopped", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Starts the stopped broker again, on the same ports and log dirs, and waits until it answers.
   * Only for a broker of the caller's own ({@link #startOwn()}).
   */
  void restart() throws IOException, InterruptedException {
    requireOwned("restart");
    if (process.isAlive()) {
      throw new IllegalStateException("the broker is running: stop it first");
    }
    long t0 = System.nanoTime();
    launch();
    System.out.printf(
        "broker %s restarted in %d ms%n", bootstrap, (System.nanoTime() - t0) / 1_000_000);
  }

  private void requireOwned(String what) {
    if (!owned) {
      throw new IllegalStateException(
          "cannot " + what + " the run's shared broker: other tests use it; use startOwn()");
    }
  }

  /** Where this class was loaded from (test classes, or the test jar): BrokerMain is there too. */
  private static String ownLocation() {
    try {
      return Path.of(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ends the pipe that the broker's process watches, as the death of this JVM would; for the test
   * of {@link BrokerMain}'s watch, on a broker of the caller's own.
   *
   * @return the broker's process, which should now end
   */
  Process endParentPipe() throws IOException {
    requireOwned("end the pipe of");
    process.getOutputStream().close();
    return process;
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
      Process p = process;
      if (p != null) {
        p.destroy();
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
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
