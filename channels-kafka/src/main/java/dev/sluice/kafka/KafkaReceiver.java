/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Receiver;
import dev.sluice.channels.ReceiverView;
import dev.sluice.channels.SelectClause;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Receiver} of the records of one Kafka topic, as a member of one consumer group.
 *
 * <p>Receivers of one group compete: each record of the topic goes to one of them, across JVMs. A
 * receiver has one thread of its own, the poller, which owns the Kafka consumer, fetches records,
 * and puts them into a local bounded Sluice channel (its capacity is {@link
 * KafkaReceiverBuilder#prefetch(int)}). Every method of this class reads from that local channel,
 * with the local channel's semantics for waiting, interruption, timeouts, futures and select.
 *
 * <h2>Delivery</h2>
 *
 * A record is <em>received</em> at the moment a caller takes it from the local channel: a receive
 * that returned it, a future that completed with it, a select that chose it, a batch that held it.
 * A record is <em>prefetched</em> while it is in the local channel and no caller took it.
 *
 * <ul>
 *   <li><b>Commits cover received records only.</b> The receiver commits, for each partition, one
 *       past the highest offset received, from its poller thread: after each poll (without waiting
 *       for the broker), when partitions are revoked, and on close (waiting for the broker). A
 *       prefetched record is never committed.
 *   <li><b>Within a running process, exactly once</b>, as long as the commits succeed. Each record
 *       is received by at most one caller of one receiver, and no record that a receiver fetched is
 *       lost while the process runs. When a rebalance takes a partition from this receiver, the
 *       poller takes its prefetched records back out of the local channel (no caller can receive
 *       them afterwards) and commits the position of the first of them; the partition's next owner,
 *       in this process or another, starts there. A record a caller took an instant before that is
 *       received, and is covered by the commit: the local channel decides which came first.
 *   <li><b>Across crashes, at least once.</b> If the process dies, records received after the last
 *       commit are delivered again to the partition's next owner; prefetched records are delivered
 *       again in every case. If a commit fails (for example because the group had already moved the
 *       partition on), the records after the last successful commit are delivered again too.
 * </ul>
 *
 * Received is not processed: a caller that takes a record and then fails has still received it. For
 * "processed", use a receiver of {@link Delivery deliveries} ({@link KafkaChannels#ackedReceiver},
 * {@link KafkaReceiverBuilder#buildAcked()}): the same promise holds with <em>acknowledged</em> in
 * place of <em>received</em>. The receiver commits, for each partition, up to the first record not
 * {@linkplain Delivery#ack() acknowledged}; when a partition leaves it, it waits a bounded time
 * ({@link KafkaReceiverBuilder#handOverWait}) for the deliveries its callers hold to be
 * acknowledged, then commits, and acknowledgements after that do not count ({@code ack()} returns
 * {@code false}): those records go to the partition's next owner again. Within a process, if every
 * delivery is acknowledged before its partition's hand-over ends, each record is processed once. A
 * record not acknowledged by then is delivered again to the next owner, and so is every record
 * after it in its partition, acknowledged or not: commits follow acknowledgements in offset order.
 * Within a partition, records are received in offset order; across partitions there is no order. A
 * record whose value deserializes to {@code null} (a tombstone) cannot be carried by a channel: the
 * receiver fails on it, as it does on a deserializer's exception, unless it was built to
 * {@linkplain KafkaReceiverBuilder#skipNullValues() skip} such records, which then count as
 * received.
 *
 * <p>It is a {@link ReceiverView} of its local channel, so the Kotlin face of {@code
 * channels-kotlin} works on it: {@code asReceiveChannel()} gives a kotlinx {@code ReceiveChannel}
 * whose receives suspend (no thread blocks), whose {@code onReceive} joins kotlinx's {@code select
 * { }}, and whose {@code cancel} closes this receiver; {@code receiveAsFlow()} gives a {@code
 * Flow}. A coroutine cancelled while it waits took nothing, and one cancelled just as a record was
 * handed to it gives the record back (it was not received). The Kotlin batch receives ({@code
 * receiveMany}) are not offered over Kafka.
 *
 * <h2>Closing and failure</h2>
 *
 * {@link #close()} (and {@link #cancel()}) stop the poller: it takes back the prefetched records,
 * commits what was received, leaves the group, and closes the local channel, so that receives then
 * fail with {@link ChannelClosedException} without a cause. If the consumer fails (a broker error,
 * a deserializer's exception), the receiver closes the same way, and receives fail with a {@link
 * ChannelClosedException} whose cause is that failure. The topic must exist when the receiver
 * starts, or the broker must create it on use: otherwise the receiver closes at once, with an
 * {@link org.apache.kafka.common.errors.UnknownTopicOrPartitionException} naming the topic as the
 * cause. While no broker answers, the receiver keeps trying, as Kafka's consumer does.
 *
 * @param <E> the type of elements, never {@code null}
 */
public final class KafkaReceiver<E> implements ReceiverView<E>, AutoCloseable {
  /*
   * Implementation notes. Every receiving method takes Prefetched records from `local` and turns
   * each into its element with Prefetched.take(), which marks it received on its assignment. The
   * mark may come a moment after the take (another thread completes a future, a select runs its
   * clause): the poller's periodic commit then lags, and its hand-over does not read the marks at
   * all (see Poller). So the take from the local channel is the one linearization point of a
   * receipt.
   */
  private final Channel<Prefetched<E>> local;
  private final Poller<?, E> poller;
  private final Thread pollerThread;
  private final String topic;
  private final String groupId;
  private final Duration closeTimeout;

  <V> KafkaReceiver(
      Consumer<byte[], V> consumer,
      Poller.Elements<V, E> elements,
      boolean acknowledged,
      KafkaReceiverBuilder<V> settings) {
    this.topic = settings.topic;
    this.groupId = settings.groupId;
    this.closeTimeout = settings.closeTimeout;
    this.local = Channel.bounded(settings.prefetch);
    this.poller =
        new Poller<>(
            consumer,
            topic,
            local,
            elements,
            acknowledged,
            settings.handOverWait,
            settings.skipNullValues);
    this.pollerThread = new Thread(poller, "sluice-kafka-poller-" + topic + "-" + groupId);
    pollerThread.setDaemon(true);
    pollerThread.start();
  }

  /**
   * The topic this receiver reads.
   *
   * @return the topic's name
   */
  public String topic() {
    return topic;
  }

  /**
   * The consumer group this receiver is a member of.
   *
   * @return the group id
   */
  public String groupId() {
    return groupId;
  }

  /**
   * Receives an element, waiting while none is prefetched.
   *
   * @return the element
   * @throws InterruptedException if the thread was interrupted before or while waiting; no element
   *     was taken
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   */
  @Override
  public E receive() throws InterruptedException {
    return local.receive().take();
  }

  /**
   * Receives an element, waiting at most {@code timeout} while none is prefetched.
   *
   * @param timeout how long to wait at most; zero or negative does not wait
   * @return the element, or {@code null} if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   * @throws NullPointerException if {@code timeout} is null
   */
  @Override
  public @Nullable E receive(Duration timeout) throws InterruptedException {
    Prefetched<E> p = local.receive(timeout);
    return p == null ? null : p.take();
  }

  /**
   * Receives an element if one is prefetched now, without waiting.
   *
   * @return the element, or {@code null} if none is prefetched right now
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   */
  @Override
  public @Nullable E tryReceive() {
    Prefetched<E> p = local.tryReceive();
    return p == null ? null : p.take();
  }

  /**
   * Receives an element without blocking the caller, as {@link Receiver#receiveAsync()} does on a
   * local channel: cancelling the future withdraws the receive unless an element was already handed
   * to it. Dependent actions run in the completing thread, often this receiver's poller thread:
   * keep them short, since the poller fetches nothing while they run.
   *
   * @return a future of the next element
   */
  @Override
  public CompletableFuture<E> receiveAsync() {
    StagedFuture<E> out = new StagedFuture<>();
    CompletableFuture<Prefetched<E>> in = local.receiveAsync();
    out.stage(in);
    in.whenComplete(
        (p, ex) -> {
          if (ex == null) {
            out.settle(p.take());
          } else if (!StagedFuture.isWithdrawal(in, ex)) {
            out.fail(ex);
          }
        });
    return out;
  }

  /**
   * Receives a batch as {@link Receiver#receiveMany(Collection, int)} does on a local channel: the
   * oldest prefetched elements, in one step. If {@code into} refuses an element, that element and
   * the rest of the batch go back to the local channel, ahead of everything else. <b>One exception
   * to exactly-once:</b> if that give-back meets a rebalance that takes the partition away, records
   * of that partition that other callers received meanwhile may be delivered again to its next
   * owner (never lost).
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @return how many were added, at least 1
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  @Override
  public int receiveMany(Collection<? super E> into, int max) throws InterruptedException {
    return local.receiveMany(new Taking<>(into), max);
  }

  /**
   * Receives a batch, waiting at most {@code timeout} for the first element, as {@link
   * Receiver#receiveMany(Collection, int, Duration)} does.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @param timeout how long to wait at most for the first element
   * @return how many were added; 0 if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} or {@code timeout} is null
   */
  @Override
  public int receiveMany(Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException {
    return local.receiveMany(new Taking<>(into), max, timeout);
  }

  /**
   * Takes up to {@code max} of the elements prefetched now, without waiting, as {@link
   * Receiver#tryReceiveMany(Collection, int)} does.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @return how many were added; 0 if none is prefetched right now
   * @throws ChannelClosedException if the receiver is closed (or failed) and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  @Override
  public int tryReceiveMany(Collection<? super E> into, int max) {
    return local.tryReceiveMany(new Taking<>(into), max);
  }

  /**
   * Receives a batch without blocking the caller, as {@link Receiver#receiveManyAsync(int)} does;
   * cancellation and dependent actions are as for {@link #receiveAsync()}.
   *
   * @param max the most to take, at least 1
   * @return a future of the batch, never empty
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  @Override
  public CompletableFuture<List<E>> receiveManyAsync(int max) {
    CompletableFuture<List<Prefetched<E>>> in = local.receiveManyAsync(max);
    StagedFuture<List<E>> out = new StagedFuture<>();
    out.stage(in);
    in.whenComplete(
        (batch, ex) -> {
          if (ex == null) {
            List<E> elements = new ArrayList<>(batch.size());
            for (Prefetched<E> p : batch) {
              elements.add(p.take());
            }
            out.settle(elements);
          } else if (!StagedFuture.isWithdrawal(in, ex)) {
            out.fail(ex);
          }
        });
    return out;
  }

  /**
   * A select clause that receives an element when one is prefetched, and returns {@code
   * then.apply(element)}. It can be mixed with clauses of local channels in one select; if another
   * clause is chosen, this one took no element.
   *
   * @param then computes the select's result from the element, in the thread that completes the
   *     select
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  @Override
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    return local.onReceive(p -> then.apply(p.take()));
  }

  /**
   * Closes this receiver as {@link #close()} does, waiting as it does; there is no other
   * cancellation over Kafka. The Kotlin view's {@code cancel} calls this.
   */
  @Override
  public void cancel() {
    close();
  }

  /**
   * The local channel the poller fills, for Sluice's other faces (see {@link ReceiverView}); not
   * for receiving from directly: a record taken from it is never marked received, nor committed.
   *
   * @return the local channel, as a receiver
   */
  @Override
  public Receiver<?> viewSource() {
    return local;
  }

  /**
   * Marks a record that a face took from the {@linkplain #viewSource() local channel} received, and
   * returns its element.
   *
   * @param taken a record taken from the local channel
   * @return its element
   * @throws ClassCastException if {@code taken} did not come from the local channel
   */
  @Override
  @SuppressWarnings("unchecked")
  public E viewTaken(Object taken) {
    return ((Prefetched<E>) taken).take();
  }

  /**
   * Stops this receiver and waits for its poller to finish (at most the builder's close timeout):
   * the prefetched records are taken back (no caller receives them), the received ones are
   * committed, the consumer leaves its group, and receives fail from then on with {@link
   * ChannelClosedException}. Calling it again does nothing more. Called from this receiver's own
   * poller thread (a dependent action of a future it completed), it does not wait.
   */
  @Override
  public void close() {
    poller.stop();
    if (Thread.currentThread() == pollerThread) {
      return;
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    while (pollerThread.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        pollerThread.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether this receiver is closed (or failed) and holds no prefetched element.
   *
   * @return {@code true} if receives fail from now on
   */
  @Override
  public boolean isClosedForReceive() {
    return local.isClosedForReceive();
  }

  /**
   * Whether {@code other} is this receiver. A Kafka receiver is not a view of any local channel.
   *
   * @param other any object
   * @return {@code true} if {@code other} is this very object
   */
  @Override
  public boolean sameChannel(@Nullable Object other) {
    return other == this;
  }

  /**
   * Whether no element is prefetched right now.
   *
   * @return {@code true} if {@link #size()} is 0
   */
  @Override
  public boolean isEmpty() {
    return local.isEmpty();
  }

  /**
   * The number of elements prefetched right now: a snapshot. Records the poller fetched but could
   * not yet put into the full local channel are not counted.
   *
   * @return the number of prefetched elements
   */
  @Override
  public int size() {
    return local.size();
  }

  /**
   * An iterator that receives elements until the receiver is closed and drained, as {@link
   * Receiver#iterator()} does on a local channel; {@code hasNext} takes the element.
   *
   * @return a receiving iterator
   */
  @Override
  public Iterator<E> iterator() {
    Iterator<Prefetched<E>> it = local.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public E next() {
        return it.next().take();
      }
    };
  }

  /**
   * A sequential, ordered stream of received elements; it ends once the receiver is closed and
   * drained.
   *
   * @return a stream of received elements
   */
  @Override
  public Stream<E> stream() {
    return local.stream().map(Prefetched::take);
  }

  /**
   * The collection the local channel's batches are added to: it adds each element to the caller's
   * collection first, and marks it received once that worked. When the caller's collection refuses
   * an element, the local channel gives it back, unmarked.
   */
  private static final class Taking<E> extends AbstractCollection<Prefetched<E>> {
    private final Collection<? super E> into;
    private int added;

    Taking(Collection<? super E> into) {
      this.into = Objects.requireNonNull(into, "into");
    }

    @Override
    public boolean add(Prefetched<E> p) {
      into.add(p.value());
      p.take();
      added++;
      return true;
    }

    @Override
    public Iterator<Prefetched<E>> iterator() {
      throw new UnsupportedOperationException("a batch is only added to");
    }

    @Override
    public int size() {
      return added;
    }
  }
}
