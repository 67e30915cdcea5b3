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
 * <p>Invariant: a committed position of an assignment never passes a record that no caller took
 * from the local channel. While an assignment lasts, positions come from the callers' marks ({@link
 * Assignment#received}). When it ends (revoked, or the receiver closes), the poller takes back
 * every record still in the local channel; the channel is FIFO and only this thread sends into it,
 * so for each ending assignment the records taken back are the newest it was sent, and every record
 * sent before the first of them was taken by a caller. The final position is the first record taken
 * back, or one past the last record sent if none was. Records taken back, and those fetched but
 * never sent, are dropped: no caller can receive them any more, and their partition's next owner
 * fetches them again from that position.
 *
 * <p>For a receiver of {@link Delivery deliveries}, done means acknowledged rather than taken: the
 * positions come from {@link Assignment#ackedPosition()}, a hand-over first waits (a bounded time)
 * for the records callers received to be acknowledged, and the final position is the lowest of the
 * records not acknowledged and those taken back.
 *
 * <p>One gap: a batch receive whose collection refused an element gives the rest of its batch back
 * to the head of the local channel. If the poller takes such a record back, it is older than
 * records other callers may have taken meanwhile; the position is the older one (nothing is lost),
 * and those records are delivered again to the next owner.
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

  /** How long the poller waits for room in a full local channel before polling again. */
  private static final Duration ROOM_WAIT = Duration.ofMillis(50);

  private final Consumer<byte[], V> consumer;
  private final String topic;
  private final Channel<Prefetched<E>> local;
  private final Elements<V, E> elements;
  private final boolean acknowledged;
  private final Duration handOverWait;

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
      Duration handOverWait) {
    this.consumer = consumer;
    this.topic = topic;
    this.local = local;
    this.elements = elements;
    this.acknowledged = acknowledged;
    this.handOverWait = handOverWait;
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
            throw new KafkaException(
                "record "
                    + r.topic()
                    + "-"
                    + r.partition()
                    + "@"
                    + r.offset()
                    + " has a null value, which a channel cannot carry");
          }
          if (acknowledged) {
            a.fetched(r.offset());
          }
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
      p.assignment().nextSent = p.offset() + 1;
    }
  }

  /** Commits, without waiting, the positions that callers' receipts moved since the last time. */
  private void commitReceived() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Assignment a : assigned.values()) {
      long position = acknowledged ? a.ackedPosition() : a.receivedPosition();
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
   * Ends the assignments of {@code partitions}: takes back their records that no caller took, drops
   * them, and commits (if {@code commit}) each one's final position, as the class comment says.
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
    List<Prefetched<E>> back = new ArrayList<>();
    try {
      while (local.tryReceiveMany(back, 1024) > 0) {
        // LP of a hand-over: what is taken back here was not received by any caller.
      }
    } catch (ChannelClosedException e) {
      // closed and drained: nothing more to take back
    }
    Map<Assignment, Long> firstBack = new HashMap<>();
    List<Prefetched<E>> keep = new ArrayList<>();
    for (Prefetched<E> p : back) {
      if (ending.contains(p.assignment())) {
        firstBack.merge(p.assignment(), p.offset(), Math::min);
        if (acknowledged) {
          p.assignment().dropped(p.offset());
        }
      } else {
        keep.add(p);
      }
    }
    pending.removeIf(
        p -> {
          if (!ending.contains(p.assignment())) {
            return false;
          }
          if (acknowledged) {
            p.assignment().dropped(p.offset());
          }
          return true;
        });
    for (int i = keep.size() - 1; i >= 0; i--) {
      pending.addFirst(keep.get(i)); // back ahead of the newer fetches, in their order
    }
    boolean waiting = acknowledged && commit;
    boolean interrupted = false;
    long deadline = System.nanoTime() + handOverWait.toNanos();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Assignment a : ending) {
      long position;
      if (acknowledged) {
        // Deliveries that callers hold may still be acknowledged: wait for them, a bounded time,
        // so that the next owner does not process them again. Then later acknowledgements say
        // they do not count.
        if (waiting && !a.awaitAcks(deadline)) {
          waiting = false;
          interrupted = true;
        }
        position = a.end();
      } else {
        Long first = firstBack.get(a);
        position = first != null ? first : a.nextSent;
      }
      if (position >= 0 && position != a.committed) {
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

  private void shutdown(@Nullable Throwable failure) {
    try {
      handOver(new ArrayList<>(assigned.keySet()), true);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      }
    } finally {
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
