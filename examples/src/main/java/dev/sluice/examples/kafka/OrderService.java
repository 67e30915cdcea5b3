package dev.sluice.examples.kafka;

import dev.sluice.kafka.KafkaChannels;
import dev.sluice.kafka.KafkaSender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer service of the two-JVM example: it sends orders into a topic through a {@link
 * KafkaSender} and exits once the broker acknowledged every one of them.
 *
 * <p>Invariant: it exits with status 0 only if every order's send completed normally, that is the
 * broker acknowledged its record ({@code acks=all}); a failed or missing acknowledgement exits
 * non-zero. It sends each order once: a retry is the producer client's own business.
 *
 * <p>Arguments: {@code bootstrapServers ordersTopic count}. It runs as a JVM of its own, started by
 * {@link AcrossJvms}.
 */
public final class OrderService {
  private OrderService() {}

  /** The longest the service waits for the broker to acknowledge its orders. */
  private static final long ACK_WAIT_SECONDS = 60;

  /**
   * Sends orders {@code 0} to {@code count - 1} and waits for their acknowledgements.
   *
   * @param args the bootstrap servers, the orders topic, and how many orders to send
   * @throws Exception if an order was not acknowledged (the JVM then exits non-zero)
   */
  public static void main(String[] args) throws Exception {
    ChildJvm.haltWhenOrphaned();
    String bootstrap = args[0];
    String topic = args[1];
    int count = Integer.parseInt(args[2]);

    long start = System.nanoTime();
    KafkaSender<String> orders =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(bootstrap)
            .maxInFlight(256) // "full": 256 orders handed to Kafka and not yet acknowledged
            .build();
    try {
      List<CompletableFuture<Void>> acknowledged = new ArrayList<>(count);
      for (int id = 0; id < count; id++) {
        // Waits for no room here: a send beyond 256 in flight waits inside the sender, in order.
        acknowledged.add(orders.sendAsync(Orders.order(id)));
      }
      CompletableFuture.allOf(acknowledged.toArray(new CompletableFuture<?>[0]))
          .get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      orders.close(); // flushes: returns once every record handed over was acknowledged or failed
    }
    System.out.printf(
        "%d orders sent, each acknowledged by the broker (%d ms)%n",
        count, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
