/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaTestSupport.sender;
import static dev.sluice.kafka.KafkaTestSupport.upToMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.InterruptedSendException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link KafkaSender#sendAll} against a real broker: a batch is in flight at once, and each way of
 * stopping early reports the acknowledged prefix and sends nothing after it.
 *
 * <p>Invariant: every test on the shared broker ends its topic with a marker sent after {@code
 * sendAll} returned or threw, and receives up to it, so "nothing after the prefix" is checked by
 * what came before it. The test of an interrupt inside the flush kills a broker of its own instead,
 * and checks what the call reports.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaSenderSendAllTest {

  private static List<String> numbered(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("e" + i);
    }
    return out;
  }

  @Test
  void sendAll_moreThanMaxInFlight_sendsEveryOneInOrder(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("sendall-many", 1);
    List<String> elements = numbered(3000);
    KafkaSender<String> s = sender(broker, topic, 16);
    try {
      // when: a batch far larger than the room
      int sent = s.sendAll(elements);

      // then: all acknowledged, and the topic holds them in order
      assertEquals(3000, sent);
    } finally {
      s.close();
    }
    assertEquals(elements, upToMarker(broker, topic));
  }

  @Test
  void sendAll_doesNotWaitLingerForItsLastRecords(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("sendall-linger", 1);
    // given: a producer that would hold a batch for two minutes, waiting for more records
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.LINGER_MS_CONFIG, 120_000)
            .property(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000)
            .build();
    try {
      // when: a batch far smaller than batch.size is sent
      CompletableFuture<Integer> sent =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return s.sendAll(numbered(10));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });

      // then: it returns once the broker has the records, not when linger.ms runs out (a call
      // that waited for it would still be waiting at this bound, half of linger.ms)
      assertEquals(10, sent.get(60, TimeUnit.SECONDS));
    } finally {
      s.close();
    }
    assertEquals(numbered(10), upToMarker(broker, topic));
  }

  @Test
  void sendAll_interruptedWhileFlushing_waitsForTheOutcomeAndKeepsTheInterrupt() throws Exception {
    // given: a broker of this test's own, and a batch whose records the producer holds (linger.ms)
    // until sendAll's flush; the broker dies once the last record is handed over, as the iterator
    // ends, so the flush blocks: the records can only be retried until delivery.timeout.ms
    try (KafkaBroker own = KafkaBroker.startOwn()) {
      String topic = own.createTopic("sendall-flush-interrupt", 1);
      KafkaSender<String> s =
          KafkaChannels.senderBuilder(topic, new StringSerializer())
              .bootstrapServers(own.bootstrap())
              .property(ProducerConfig.LINGER_MS_CONFIG, 5_000)
              .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000)
              .property(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000)
              .build();
      List<String> batch = numbered(3);
      Iterable<String> killingAtTheEnd =
          () ->
              new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                  if (i < batch.size()) {
                    return true;
                  }
                  try {
                    own.stop(true); // every record was handed over while the broker was up
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  return false;
                }

                @Override
                public String next() {
                  return batch.get(i++);
                }
              };
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean interruptedAfter = new AtomicBoolean();
      Thread caller =
          new Thread(
              () -> {
                try {
                  s.sendAll(killingAtTheEnd);
                } catch (Throwable e) {
                  thrown.set(e);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
              });
      try {
        s.send("first"); // the topic's metadata, while the broker is up
        caller.start();
        awaitFrame(caller, "KafkaProducer.flush");

        // when: the caller is interrupted inside the producer's flush
        caller.interrupt();

        // then: it leaves the flush but still waits for the acknowledgements, which fail once the
        // producer gives up; the failure is reported, and the interrupt is kept
        caller.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(caller.isAlive(), "sendAll returned");
        KafkaException e = assertInstanceOf(KafkaException.class, thrown.get());
        assertTrue(e.getMessage().contains(topic), e.getMessage());
        assertTrue(interruptedAfter.get(), "the interrupt is kept in the thread's status");
      } finally {
        s.close();
      }
    }
  }

  /** Waits until {@code t}'s stack has a frame whose class and method end with {@code frame}. */
  private static void awaitFrame(Thread t, String frame) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (StackTraceElement e : t.getStackTrace()) {
        if ((e.getClassName() + "." + e.getMethodName()).endsWith(frame)) {
          return;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the thread never reached " + frame + ": " + t.getState());
  }

  @Test
  void sendAll_nullPartWay_sendsThoseBeforeAndNamesTheCount(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("sendall-null", 1);
    KafkaSender<String> s = sender(broker, topic, 16);
    try {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> s.sendAll(Arrays.asList("a", "b", null)));
      assertEquals("element 2 is null; 2 were sent", e.getMessage());
    } finally {
      s.close();
    }
    assertEquals(List.of("a", "b"), upToMarker(broker, topic));
  }

  @Test
  void sendAll_recordNotAcknowledged_throwsAfterThoseBefore(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("sendall-refused", 1);
    // given: a record larger than the producer's max.request.size, which fails its own send only
    String tooLarge = "x".repeat(2 * 1024 * 1024);
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)
            .build();
    try {
      // when
      KafkaException e =
          assertThrows(KafkaException.class, () -> s.sendAll(List.of("a", "b", tooLarge, "c")));

      // then: the failure is that record's, and the ones before it were sent
      assertInstanceOf(RecordTooLargeException.class, e.getCause());
    } finally {
      s.close();
    }
    List<String> got = upToMarker(broker, topic);
    assertEquals(List.of("a", "b"), got.subList(0, 2));
    assertFalse(got.contains(tooLarge));
  }

  @Test
  void sendAll_interruptedPartWay_reportsTheAcknowledgedPrefix(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("sendall-interrupt", 1);
    List<String> elements = numbered(100);
    // given: an iterable whose 50th element comes with an interrupt of the sending thread
    Iterable<String> interrupting =
        () ->
            new Iterator<>() {
              int i;

              @Override
              public boolean hasNext() {
                return i < elements.size();
              }

              @Override
              public String next() {
                if (i == 50) {
                  Thread.currentThread().interrupt();
                }
                return elements.get(i++);
              }
            };
    KafkaSender<String> s = sender(broker, topic, 8);
    try {
      // when
      InterruptedSendException e =
          assertThrows(InterruptedSendException.class, () -> s.sendAll(interrupting));

      // then: the 50 before it were sent, and the status is clear as for any InterruptedException
      assertEquals(50, e.sent());
      assertFalse(Thread.currentThread().isInterrupted());
    } finally {
      s.close();
    }
    assertEquals(elements.subList(0, 50), upToMarker(broker, topic));
  }

  @Test
  void sendAll_closedSender_throwsClosed(KafkaBroker broker) {
    String topic = broker.createTopic("sendall-closed", 1);
    KafkaSender<String> s = sender(broker, topic, 8);
    s.close();
    assertThrows(ChannelClosedException.class, () -> s.sendAll(List.of("a")));
  }
}
