package dev.sluice.examples.kafka;

import dev.sluice.kafka.Delivery;
import dev.sluice.kafka.KafkaChannels;
import dev.sluice.kafka.KafkaReceiver;
import dev.sluice.kafka.KafkaSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker pool of the two-JVM example: threads compete for orders on one {@link KafkaReceiver}
 * of {@link Delivery deliveries}, as they would on a local channel; each prices its order, writes
 * the receipt to a second topic, and only then acknowledges the order.
 *
 * <p>Invariant: an order is acknowledged only after its receipt was acknowledged by the broker, so
 * an order whose processing did not finish is never committed, and is delivered again (to this
 * process or the group's next member) rather than lost. That is at-least-once across crashes: a
 * worker that dies between the receipt and the acknowledgement leaves a receipt that the order's
 * next delivery writes again. While the process runs, each order is received by one thread once.
 *
 * <p>Arguments: {@code bootstrapServers ordersTopic receiptsTopic count threads}. It runs as a JVM
 * of its own, started by {@link AcrossJvms}, and exits once {@code count} orders were processed and
 * acknowledged (status 0), or after {@link #DEADLINE} (status 1).
 */
public final class OrderWorkers {
  private OrderWorkers() {}

  /** The longest the pool runs: the orchestrator gives it a little more. */
  static final Duration DEADLINE = Duration.ofSeconds(90);

  /**
   * Runs the pool until {@code count} orders were processed.
   *
   * @param args the bootstrap servers, the orders topic, the receipts topic, the number of orders
   *     to process, and the number of worker threads
   * @throws Exception if a worker failed, or the orders did not all come in time
   */
  public static void main(String[] args) throws Exception {
    ChildJvm.haltWhenOrphaned();
    String bootstrap = args[0];
    String ordersTopic = args[1];
    String receiptsTopic = args[2];
    int count = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);

    AtomicInteger processed = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    List<AtomicInteger> perWorker = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    KafkaSender<String> receipts =
        KafkaChannels.senderBuilder(receiptsTopic, new StringSerializer())
            .bootstrapServers(bootstrap)
            .property(ProducerConfig.LINGER_MS_CONFIG, 0) // one receipt per send: no batching wait
            .build();
    try (KafkaReceiver<Delivery<String>> orders =
        KafkaChannels.receiverBuilder(ordersTopic, Orders.WORKERS_GROUP, new StringDeserializer())
            .bootstrapServers(bootstrap)
            .prefetch(64)
            .handOverWait(Duration.ofSeconds(5))
            .buildAcked()) {
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        AtomicInteger mine = new AtomicInteger();
        perWorker.add(mine);
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (processed.get() < count && System.nanoTime() < deadline) {
                      Delivery<String> order = orders.receive(Duration.ofMillis(200));
                      if (order == null) {
                        continue; // nothing prefetched: look at the count and the clock again
                      }
                      receipts.send(Orders.receipt(order.value())); // returns once it is written
                      if (order.ack()) {
                        processed.incrementAndGet();
                        mine.incrementAndGet();
                      } else {
                        late.incrementAndGet(); // the partition moved on: it comes again
                      }
                    }
                  } catch (Exception | Error e) {
                    synchronized (failures) {
                      failures.add(e);
                    }
                  }
                },
                "worker-" + w);
        t.start();
        workers.add(t);
      }
      for (Thread t : workers) {
        t.join();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a worker failed", failures.get(0));
      }
    } finally {
      receipts.close();
    }
    List<Integer> split = new ArrayList<>();
    perWorker.forEach(n -> split.add(n.get()));
    System.out.printf(
        "%d orders processed and acknowledged by %d threads, split %s; %d acknowledgements late%n",
        processed.get(), threads, split, late.get());
    if (processed.get() != count) {
      System.out.println(
          "FAILED: " + count + " orders expected, " + processed.get() + " processed");
      System.exit(1);
    }
  }
}
