package dev.sluice.examples.kafka;

import dev.sluice.examples.Check;
import dev.sluice.kafka.KafkaBroker;
import dev.sluice.kafka.KafkaChannels;
import dev.sluice.kafka.KafkaReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One queue across JVMs: a producer service ({@link OrderService}) and a worker pool ({@link
 * OrderWorkers}), each in a JVM of its own, meet on a Kafka topic through Sluice's {@code Sender}
 * and {@code Receiver} faces. This program is the orchestrator: it starts a single-node broker on
 * loopback (the one channels-kafka's tests use), the two JVMs, and reads the receipts the workers
 * write to a second topic.
 *
 * <p>Invariant: it passes only if every order was processed exactly once (one receipt per order,
 * with the right total, and no receipt beyond those), and both JVMs exited with status 0; whatever
 * happens, the child JVMs and the broker are stopped before it returns or throws, and by shutdown
 * hooks if its JVM exits first. A {@code kill -9} of its JVM skips the hooks: the children and the
 * broker then halt by themselves, each when its pipe from this JVM ends ({@link ChildJvm}, and the
 * test broker's {@code BrokerMain}).
 *
 * <p>It needs the broker's class path in the system property {@code sluice.kafka.brokerClasspath},
 * which the examples' build sets: run it with {@code mvn -B -q package -DskipTests -pl examples -am
 * -Dexamples=AcrossJvms}.
 */
public final class AcrossJvms {
  private AcrossJvms() {}

  /** How many orders the service sends: enough to spread over the partitions and the workers. */
  static final int ORDERS = 3_000;

  /** The worker pool's threads, all on one receiver. */
  static final int WORKER_THREADS = 4;

  /**
   * Starts the broker and both JVMs, and checks that every order was processed once.
   *
   * @param args ignored
   * @throws Exception if an order was lost or processed twice, or a JVM failed
   */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("sluice.kafka.brokerClasspath", "").isBlank()) {
      throw new IllegalStateException(
          "the broker's class path is not set: run this example through Maven (see its class"
              + " comment)");
    }
    long start = System.nanoTime();
    try (KafkaBroker broker = KafkaBroker.start()) {
      String bootstrap = broker.bootstrap();
      System.out.printf("   broker at %s, up in %d ms%n", bootstrap, millisSince(start));
      String orders = broker.createTopic("orders", 4);
      String receipts = broker.createTopic("receipts", 1);
      long started = System.nanoTime();
      try (ChildJvm workers =
              ChildJvm.start(
                  "workers",
                  OrderWorkers.class,
                  bootstrap,
                  orders,
                  receipts,
                  Integer.toString(ORDERS),
                  Integer.toString(WORKER_THREADS));
          ChildJvm service =
              ChildJvm.start(
                  "service", OrderService.class, bootstrap, orders, Integer.toString(ORDERS));
          KafkaReceiver<String> audit =
              KafkaChannels.receiver(
                  bootstrap, receipts, "receipts-audit", new StringDeserializer())) {
        Map<Integer, Integer> receiptsPerOrder = new TreeMap<>();
        List<String> wrongTotals = new ArrayList<>();
        long deadline = System.nanoTime() + OrderWorkers.DEADLINE.toNanos();
        int read = 0;
        while (read < ORDERS && System.nanoTime() < deadline) {
          String receipt = audit.receive(Duration.ofMillis(500));
          if (receipt == null) {
            continue;
          }
          read++;
          int id = Orders.id(receipt);
          receiptsPerOrder.merge(id, 1, Integer::sum);
          if (Orders.totalOf(receipt) != Orders.total(id)) {
            wrongTotals.add(receipt);
          }
        }
        int serviceStatus = service.exitStatus(30);
        int workersStatus = workers.exitStatus(30);
        long written = recordsIn(bootstrap, receipts);
        System.out.printf(
            "   %d receipts read for %d distinct orders, %d written in all (%d ms after the JVMs"
                + " started)%n",
            read, receiptsPerOrder.size(), written, millisSince(started));

        Check.that(serviceStatus == 0, "the order service to exit 0 (every order acknowledged)");
        Check.that(workersStatus == 0, "the worker pool to exit 0 (every order acknowledged)");
        Check.that(
            wrongTotals.isEmpty(), "each receipt to state its order's total: " + wrongTotals);
        Check.that(
            receiptsPerOrder.size() == ORDERS
                && receiptsPerOrder.values().stream().allMatch(n -> n == 1),
            "one receipt for each of the " + ORDERS + " orders");
        Check.that(written == ORDERS, "no receipt beyond one per order, " + written + " written");
      }
    }
  }

  /** How many records one-partition {@code topic} holds: its end offset. */
  private static long recordsIn(String bootstrap, String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get(30, TimeUnit.SECONDS)
          .offset();
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
