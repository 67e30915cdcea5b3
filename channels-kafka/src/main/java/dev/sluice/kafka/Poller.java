/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * The one thread that owns a receiver's {@link Consumer}: it polls, feeds the local channel, and
 * commits what callers received.
 *
 * <p>Invariant: a committed position of an assignment never passes a record that is not done
 * ({@link Assignment}): received by a caller, or, for a receiver of {@link Delivery deliveries},
 * acknowledged. Positions come from {@link Assignment#position()}. When an assignment ends
 * (revoked, or the receiver closes), the poller takes back every record still in the local channel
 * and drops those of the ending assignment, with those fetched but never sent: no caller can
 * receive them any more. It then waits, at most {@code handOverWait}, until every other record of
 * the assignment is done, taking back again whatever callers give back meanwhile (a coroutine
 * cancelled just as a record was handed to it, a batch whose collection refused an element). The
 * final position is the lowest record not done, or dropped. A record a caller still holds after the
 * wait is therefore delivered again to the partition's next owner, never lost; within the wait, the
 * next owner starts right after what this receiver's callers finished.
 *
 * @param <V> the type of record values, as the deserializer makes them
 * @param <E> the type of the receiver's elements: the values, or deliveries of them
 */
final class Poller<V, E> implements Runnable {
  /** Makes a receiver's element of a fetched record. */
  interface Elements<V, E> {
    E of(Assignment assignment, long offset, V value);
  }

  /** How long one poll waits for records; also how soon a close is noticed. */
  private static final Duration POLL = Duration.ofMillis(100);

  /** How long one ask for the topic's partitions waits for a broker's answer. */
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(1);

  /** How often a hand-over that waits looks for records given back to the local channel. */
  private static final Duration GIVE_BACK_CHECK = Duration.ofMillis(10);

  /** How long the poller waits for room in a full local channel before polling again. */
  private static final Duration ROOM_WAIT = Duration.ofMillis(50);

  private final Consumer<byte[], V> consumer;
  private final String topic;
  private final Channel<Prefetched<E>> local;
  private final Elements<V, E> elements;
  private final boolean acknowledged;
  private final Duration handOverWait;
  /* Whether a record with a null value is passed over (done at once) rather than a failure. */
  private final boolean skipNullValues;

  /* Poller thread only. */
  private final Map<TopicPartition, Assignment> assigned = new HashMap<>();
  private final ArrayDeque<Prefetched<E>> pending = new ArrayDeque<>();

  private volatile boolean stopping;

  Poller(
      Consumer<byte[], V> consumer,
      String topic,
      Channel<Prefetched<E>> local,
      Elements<V, E> elements,
      boolean acknowledged,
      Duration handOverWait,
      boolean skipNullValues) {
    this.consumer = consumer;
    this.topic = topic;
    this.local = local;
    this.elements = elements;
    this.acknowledged = acknowledged;
    this.handOverWait = handOverWait;
    this.skipNullValues = skipNullValues;
  }

  /** Asks the poller to hand over its partitions and stop; it notices within one poll. */
  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    Throwable failure = null;
    try {
      if (!topicExists()) {
        throw new UnknownTopicOrPartitionException(
            "topic "
                + topic
                + " does not exist, and the broker did not create it: the receiver closed");
      }
      consumer.subscribe(List.of(topic), new Listener());
      while (!stopping) {
        offer();
        if (pending.isEmpty()) {
          consumer.resume(consumer.paused());
        } else {
          // The local channel is full: keep polling (the group expects it) but fetch nothing.
          consumer.pause(consumer.assignment());
        }
        for (ConsumerRecord<byte[], V> r :
            consumer.poll(pending.isEmpty() ? POLL : Duration.ZERO)) {
          Assignment a = assigned.get(new TopicPartition(r.topic(), r.partition()));
          if (a == null) {
            continue; // fetched for a partition already handed over: its next owner gets it
          }
          if (r.value() == null) {
            if (skipNullValues) {
              a.skipped(r.offset());
              continue;
            }
            throw new KafkaException(
                "record "
                    + r.topic()
                    + "-"
                    + r.partition()
                    + "@"
                    + r.offset()
                    + " has a null value (a tombstone), which a channel cannot carry; build the"
                    + " receiver with skipNullValues() to pass such records over");
          }
          a.fetched(r.offset());
          pending.add(new Prefetched<>(a, r.offset(), elements.of(a, r.offset(), r.value())));
        }
        commitReceived();
      }
    } catch (ChannelClosedException | InterruptedException e) {
      // The local channel was closed under the poller: nothing more to feed.
    } catch (Throwable t) {
      failure = t;
    } finally {
      shutdown(failure);
    }
  }

  /**
   * Whether the topic exists (asking the broker may create it, if the broker creates topics on
   * use). While no broker answers, it keeps asking, as the consumer would, until the receiver
   * closes.
   */
  private boolean topicExists() {
    while (!stopping) {
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, TOPIC_WAIT);
        return partitions != null && !partitions.isEmpty();
      } catch (TimeoutException e) {
        // no broker answered yet: ask again
      } catch (UnknownTopicOrPartitionException e) {
        return false;
      }
    }
    return true; // closing anyway: the loop does not start
  }

  /** Moves fetched records into the local channel, waiting a little for room if it is full. */
  private void offer() throws InterruptedException {
    while (!pending.isEmpty()) {
      Prefetched<E> p = pending.peek();
      if (!local.trySend(p) && !local.send(p, ROOM_WAIT)) {
        return;
      }
      pending.poll();
    }
  }

  /** Commits, without waiting, the positions that callers' receipts moved since the last time. */
  private void commitReceived() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Assignment a : assigned.values()) {
      long position = a.position();
      if (position > a.committed) {
        offsets.put(a.partition, new OffsetAndMetadata(position));
        a.committed = position;
      }
    }
    if (!offsets.isEmpty()) {
      consumer.commitAsync(
          offsets,
          (done, failure) -> {
            if (failure != null) {
              // Runs in this thread, inside a later consumer call: retry with the next commit.
              for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                Assignment a = assigned.get(e.getKey());
                if (a != null && a.committed == e.getValue().offset()) {
                  a.committed = -1;
                }
              }
            }
          });
    }
  }

  /**
   * Ends the assignments of {@code partitions}: takes back and drops their records that no caller
   * took, waits (if {@code commit}) for the ones callers took to be done, and commits (if {@code
   * commit}) each one's final position, as the class comment says.
   */
  private void handOver(Collection<TopicPartition> partitions, boolean commit) {
    Set<Assignment> ending = new HashSet<>();
    for (TopicPartition tp : partitions) {
      Assignment a = assigned.remove(tp);
      if (a != null) {
        ending.add(a);
      }
    }
    if (ending.isEmpty()) {
      return;
    }
    takeBack(ending);
    pending.removeIf(
        p -> {
          if (!ending.contains(p.assignment())) {
            return false;
          }
          p.assignment().dropped(p.offset());
          return true;
        });
    boolean interrupted = false;
    if (commit) {
      // Records callers took may not be done yet: a receive about to return, a delivery being
      // processed, a record a cancelled coroutine is giving back. Wait for them, a bounded time,
      // so that the next owner does not get them again.
      long deadline = System.nanoTime() + handOverWait.toNanos();
      for (Assignment a : ending) {
        while (!interrupted && !a.allDone() && System.nanoTime() - deadline < 0) {
          long step = Math.min(deadline - System.nanoTime(), GIVE_BACK_CHECK.toNanos());
          interrupted = !a.awaitDone(System.nanoTime() + Math.max(0, step));
          takeBack(ending);
        }
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Assignment a : ending) {
      long position = a.end(); // later acknowledgements say they do not count
      if (position >= 0) {
        offsets.put(a.partition, new OffsetAndMetadata(position));
      }
    }
    if (commit && !offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
      } catch (KafkaException e) {
        // The group moved on without us (e.g. this member was fenced): the records after the last
        // committed position go to the next owner again. At least once, never lost.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt(); // kept for the next poll, which then fails the receiver
    }
  }

  /**
   * Takes every record out of the local channel: drops those of {@code ending} assignments, and
   * puts the others back at the head of {@code pending}, in their order, ahead of newer fetches.
   */
  private void takeBack(Set<Assignment> ending) {
    List<Prefetched<E>> back = new ArrayList<>();
    try {
      while (local.tryReceiveMany(back, 1024) > 0) {
        // what is taken back here was not received by any caller
      }
    } catch (ChannelClosedException e) {
      // closed and drained: nothing more to take back
    }
    List<Prefetched<E>> keep = new ArrayList<>();
    for (Prefetched<E> p : back) {
      if (ending.contains(p.assignment())) {
        p.assignment().dropped(p.offset());
      } else {
        keep.add(p);
      }
    }
    for (int i = keep.size() - 1; i >= 0; i--) {
      pending.addFirst(keep.get(i));
    }
  }

  private void shutdown(@Nullable Throwable failure) {
    // An interrupt (Kafka's InterruptException sets it again) would skip the hand-over's wait and
    // make its commit and the consumer's close fail: put it aside until the poller is done.
    boolean interrupted = Thread.interrupted();
    try {
      handOver(new ArrayList<>(assigned.keySet()), true);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      }
    } finally {
      interrupted |= Thread.interrupted();
      pending.clear();
      if (failure == null) {
        local.close();
      } else {
        local.close(failure);
      }
      try {
        consumer.close();
      } catch (RuntimeException e) {
        // The consumer could not leave its group cleanly; the group's session timeout will do it.
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Rebalance callbacks: they run in this thread, inside {@code poll}. */
  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        assigned.put(tp, new Assignment(tp, acknowledged));
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      handOver(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      handOver(partitions, false); // no longer ours: a commit would be refused
    }
  }
}
