/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.InterruptedSendException;
import dev.sluice.channels.SelectClause;
import dev.sluice.channels.Sender;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Sender} whose elements become records of one Kafka topic.
 *
 * <p>An element is <em>sent</em> when the broker acknowledged its record, with the producer's
 * {@code acks} setting ({@code all} unless the builder was told otherwise): {@link #send(Object)}
 * returns then, and the future of {@link #sendAsync(Object)} completes then. A record whose
 * acknowledgement did not come (the producer gave up after {@code delivery.timeout.ms}, or the
 * broker refused it) makes the send fail with a {@link KafkaException} whose cause says why; such a
 * record may or may not have been written, as the producer's own documentation says of its
 * failures.
 *
 * <h2>Back-pressure</h2>
 *
 * A sender lets at most {@link KafkaSenderBuilder#maxInFlight(int)} records be in the producer's
 * hands at once: appended to its buffer and not yet acknowledged. That count is what "full" means
 * here. {@link #send(Object, Duration)} waits at most its timeout for room and {@link
 * #trySend(Object)} does not wait for room at all; when either returns {@code false}, nothing was
 * handed to the producer. Once a record has room, each form waits for its acknowledgement, a
 * network round trip that no timeout can withdraw: a record handed to Kafka cannot be taken back.
 * The producer's {@code buffer.memory} should hold {@code maxInFlight} records; if it does not, the
 * producer itself also waits, up to {@code max.block.ms}, and so does the first send to a topic
 * whose metadata the producer does not have yet.
 *
 * <h2>How long a send waits</h2>
 *
 * Once a record has room, a send waits in two stages, each bounded by a producer property (set them
 * with {@link KafkaSenderBuilder#property}):
 *
 * <ul>
 *   <li>Handing the record to the producer waits for the topic's metadata and for buffer space at
 *       most {@code max.block.ms} (Kafka's default: 60 s). This wait is in the calling thread, for
 *       {@link #sendAsync} too when it has room at once; a {@code sendAsync} that waits for room,
 *       and any send made while earlier ones wait, is handed over in a thread of this sender's
 *       instead.
 *   <li>The acknowledgement comes, or the producer gives up, at most {@code delivery.timeout.ms}
 *       after the hand-over (Kafka's default: 120 s). Until then the producer retries on its own,
 *       across broker restarts and leader changes, each request bounded by {@code
 *       request.timeout.ms}.
 * </ul>
 *
 * So with Kafka's defaults a send that has room returns or fails within about three minutes,
 * whatever the broker does; {@link #send(Object)}'s wait for room is bounded by the same stages of
 * the records ahead of it.
 *
 * <h2>Failures</h2>
 *
 * A send that did not get its acknowledgement fails with a {@link KafkaException} whose message
 * names the topic and whose cause is the producer's reason, among them:
 *
 * <ul>
 *   <li><b>A topic the brokers do not know</b> (and do not create on demand): the producer waits
 *       {@code max.block.ms} for its metadata, then the send fails, caused by {@link
 *       org.apache.kafka.common.errors.TimeoutException} ("Topic ... not present in metadata").
 *       Nothing was written; each later send waits and fails the same way.
 *   <li><b>Brokers down for longer than {@code delivery.timeout.ms}</b>: the send fails, caused by
 *       a {@code TimeoutException}; the record may or may not have been written. A broker that
 *       comes back within that time makes the send return normally.
 *   <li><b>A topic created a moment before</b>: a broker older than Kafka 4.5 may refuse the first
 *       request to a new partition (it does not lead it yet) and accept the next one, after which
 *       the producer retries the refused records with an out-of-order sequence until {@code
 *       delivery.timeout.ms} fails their sends (Kafka's KAFKA-15591). Nothing is reported sent that
 *       was not written, but those sends wait the whole {@code delivery.timeout.ms}. Create topics
 *       ahead of time, or wait until the brokers answer {@code Admin.listOffsets} for each
 *       partition of a new one before its first send.
 * </ul>
 *
 * A send that returned was acknowledged, with {@code acks=all} by every in-sync replica: it was
 * written at least once, and survives a broker's restart or the crash of its process (the operating
 * system keeps what the broker wrote; a machine's crash can lose what a lone broker had not yet
 * flushed, which is what replicas are for). Duplicates are not expected but not promised here: the
 * producer's idempotence ({@code enable.idempotence}, on unless the properties turn it off) writes
 * a batch that the producer retried only once, and this sender never retries a failed send.
 *
 * <h2>Interruption</h2>
 *
 * A thread interrupted before its record was handed to the producer gets {@link
 * InterruptedException}, and the element was not sent. Once the record is in the producer's hands,
 * an interrupt no longer ends the wait for the acknowledgement: the call waits on, returns as it
 * would have, and leaves the thread's interrupt status set.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} makes sends fail with {@link ChannelClosedException} (waiting ones too), then
 * closes the producer, which flushes: it returns once every record already handed to the producer
 * was acknowledged or failed, so within the bounds above. There are no receivers on this side: the
 * topic outlives the sender.
 *
 * <h2>Not supported</h2>
 *
 * {@link #onSend} throws {@link UnsupportedOperationException}: a select clause must be decided at
 * once, and this sender's sends are decided by a broker.
 *
 * @param <E> the type of elements, never {@code null}
 */
public final class KafkaSender<E> implements Sender<E> {
  /*
   * Implementation notes. Room is a local Sluice channel of `maxInFlight` tokens: sending a token
   * takes room (with every face of a Sluice send: blocking, timed, try, async, interruption), and
   * the producer's acknowledgement callback receives one back. So the waits for room are the local
   * channel's, with its guarantees: a send that timed out or was withdrawn holds no room.
   *
   * A send that holds room appends its record under the read lock; close() takes the write lock
   * after closing the room channel, so no record is appended to a closing producer: a send that
   * got room just before the close fails with ChannelClosedException and gives the room back.
   *
   * A sendAsync without room, and every send that comes while any is queued, waits in `queue`
   * (AppendQueue): one appender thread per sender takes room for the queue's head itself, blocking
   * in the room channel, then appends it. So the producer's I/O thread only gives a token back per
   * acknowledgement (waking the appender if it waits), and never appends (an append can block on
   * metadata or buffer). While anything is queued (`queue.pending() > 0`), every form of send
   * queues behind it, so the records of one thread's sends reach the producer in the order of its
   * calls; blocking, timed and try sends then wait for their entry's outcome, and withdraw it when
   * they give up (interrupt, timeout): `false` still means it never reached the producer. Only an
   * action that the appender thread itself runs (a failed future's dependent) appends directly.
   * Nothing queued and room free: the send appends in its caller's thread, as before.
   *
   * sendAll is the blocking send's first half (room, then append in order) for each element, and
   * reads the acknowledgements afterwards, in order (PipelinedBatch): so a batch keeps up to
   * `maxInFlight` records in flight, where a loop of blocking sends keeps one.
   */
  private static final Boolean ROOM = Boolean.TRUE;

  private final Producer<Object, E> producer;
  private final String topic;
  /* The record's key of an element (null: no key); run where the record is handed over. */
  private final Function<? super E, ?> keyOf;
  private final Channel<Boolean> room;
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  /* Sends waiting for room, and the thread that appends them: see the notes above. */
  private final AppendQueue<E> queue;
  private volatile boolean closed;
  private volatile @Nullable Throwable closeCause;

  KafkaSender(
      Producer<Object, E> producer, String topic, int maxInFlight, Function<? super E, ?> keyOf) {
    this.producer = producer;
    this.topic = topic;
    this.keyOf = keyOf;
    this.room = Channel.bounded(maxInFlight);
    this.queue =
        new AppendQueue<>(
            room,
            new AppendQueue.Target<E>() {
              @Override
              public CompletableFuture<Void> append(E element) {
                return KafkaSender.this.append(element);
              }

              @Override
              public void settle(StagedFuture<Void> out, CompletableFuture<Void> ack) {
                ack.whenComplete((v, ex) -> KafkaSender.this.settle(out, ex));
              }
            },
            "sluice-kafka-sender-" + topic);
  }

  /**
   * The topic this sender writes to.
   *
   * @return the topic's name
   */
  public String topic() {
    return topic;
  }

  /**
   * Sends an element: waits for room while {@code maxInFlight} records are unacknowledged, hands
   * the record to the producer, and returns once the broker acknowledged it.
   *
   * @param element the element to send
   * @throws InterruptedException if the thread was interrupted before the record was handed to the
   *     producer; the element was not sent
   * @throws ChannelClosedException if this sender is closed, or closes before the record was handed
   *     to the producer; the element was not sent
   * @throws KafkaException if the record was not acknowledged (see the class comment), or the
   *     serializer failed (a {@code SerializationException}; nothing was sent)
   * @throws NullPointerException if {@code element} is null
   */
  @Override
  public void send(E element) throws InterruptedException {
    Objects.requireNonNull(element, "element");
    awaitAck(handOver(element));
  }

  /**
   * Sends every element in order: hands each record to the producer as soon as there is room, as
   * {@link #send(Object)} does, without waiting for the acknowledgements of the ones before it, and
   * returns once every record handed over was acknowledged. So up to {@code maxInFlight} records of
   * one call are in flight at once, and a batch costs about one round trip to the broker, not one
   * per element. Records reach the producer in the order of {@code elements}. Once its records are
   * handed over, it flushes the producer, so that its last ones do not wait {@code linger.ms} for
   * more to batch with; records other threads have handed over go out with them.
   *
   * <p>It stops handing records over early in four ways, and then still waits for those already
   * handed over: an interrupt while waiting for room, a close, a {@code null} element, or a record
   * that the serializer refused or the broker did not acknowledge (the call stops handing records
   * over once it sees such a failure). In every case the count it reports is of the first elements,
   * in order, each acknowledged, and none after them was sent, except after a failed
   * acknowledgement: records after the failed one that were already handed over (at most {@code
   * maxInFlight}) may or may not have been written, as for any failed send.
   *
   * @param elements the elements to send
   * @return how many were sent, each acknowledged: all of them, unless the sender closed part-way
   * @throws InterruptedSendException if the thread was interrupted while waiting for room; {@link
   *     InterruptedSendException#sent()} counts the elements sent before. An interrupt while
   *     waiting for the acknowledgements of records already handed over does not end that wait, and
   *     is kept in the exception (or, if the call ends otherwise, in the thread's interrupt status)
   * @throws ChannelClosedException if the sender was closed before the first element was sent
   * @throws KafkaException if a record was not acknowledged, or the serializer failed; the elements
   *     before it were sent (see above for those after it)
   * @throws NullPointerException if {@code elements} or one of its elements is null; the message
   *     says how many were sent
   */
  @Override
  public int sendAll(Iterable<? extends E> elements) throws InterruptedException {
    Objects.requireNonNull(elements, "elements");
    return new PipelinedBatch<E>(this::handOver, this::notAcknowledged, this::flushHandedOver)
        .send(elements);
  }

  /**
   * Makes the records in the producer's buffer sendable at once instead of after {@code linger.ms},
   * and waits until they are acknowledged or failed (the producer's {@code flush}). An interrupt
   * ends it early; the acknowledgements' own wait, which follows, decides the outcome either way.
   */
  private void flushHandedOver() {
    if (Thread.currentThread().isInterrupted()) {
      return; // the producer's flush would only throw: the acknowledgements are waited for anyway
    }
    try {
      producer.flush();
    } catch (InterruptException e) {
      // Kafka's InterruptException keeps the interrupt status set: sendAll reports it as its own.
    } catch (KafkaException | IllegalStateException e) {
      // The producer closed or failed under the call: the acknowledgements say what became of it.
    }
  }

  /** Waits for room and hands the record over, as {@link #send(Object)} does, without the ack. */
  private CompletableFuture<Void> handOver(E element) throws InterruptedException {
    if (!mustQueue()) {
      room.send(ROOM);
      return appendInterruptibly(element);
    }
    CompletableFuture<Void> ack = queue.enqueue(element, null).awaitAppended(false, 0);
    return Objects.requireNonNull(ack); // an untimed wait is only withdrawn by an interrupt
  }

  /** Whether earlier sends wait in the queue, so that this one must queue behind them. */
  private boolean mustQueue() {
    return queue.pending() != 0 && !queue.isAppenderThread();
  }

  /**
   * Sends an element, waiting at most {@code timeout} for room; once the record has room, waits for
   * its acknowledgement however long that takes (at most the producer's {@code
   * delivery.timeout.ms}).
   *
   * @param element the element to send
   * @param timeout how long to wait for room at most, including the wait behind earlier sends of
   *     this sender that wait for room; zero or negative does not wait
   * @return {@code true} if the element was sent, {@code false} if there was no room in time (the
   *     element was not handed to the producer)
   * @throws InterruptedException if the thread was interrupted while waiting for room
   * @throws ChannelClosedException if this sender is closed
   * @throws KafkaException if the record was not acknowledged, or the serializer failed
   * @throws NullPointerException if an argument is null
   */
  @Override
  public boolean send(E element, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(element, "element");
    Objects.requireNonNull(timeout, "timeout");
    if (!mustQueue()) {
      if (!room.send(ROOM, timeout)) {
        return false;
      }
      awaitAck(appendInterruptibly(element));
      return true;
    }
    long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    CompletableFuture<Void> ack = queue.enqueue(element, null).awaitAppended(true, nanos);
    if (ack == null) {
      return false;
    }
    awaitAck(ack);
    return true;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Sends an element if there is room now, and then waits for its acknowledgement: it never waits
   * for room, but a {@code true} costs a round trip to the broker. Use {@link #sendAsync} not to
   * wait at all.
   *
   * @param element the element to send
   * @return {@code true} if the element was sent, {@code false} if {@code maxInFlight} records were
   *     unacknowledged, or earlier sends of this sender were waiting for room (nothing was handed
   *     to the producer: it would have overtaken them)
   * @throws ChannelClosedException if this sender is closed
   * @throws KafkaException if the record was not acknowledged, or the serializer failed
   * @throws NullPointerException if {@code element} is null
   */
  @Override
  public boolean trySend(E element) {
    Objects.requireNonNull(element, "element");
    if (mustQueue()) {
      if (closed) {
        throw new ChannelClosedException("the sender is closed", closeCause);
      }
      return false; // it never waits for room, and earlier sends are waiting for it
    }
    if (!room.trySend(ROOM)) {
      return false;
    }
    awaitAck(append(element));
    return true;
  }

  /**
   * Sends an element without blocking the caller for room: the future completes when the broker
   * acknowledged the record.
   *
   * <p>It completes exceptionally with {@link ChannelClosedException} if the sender closes before
   * the record had room, and with a {@link KafkaException} if the record was not acknowledged or
   * the serializer failed. Cancelling it (or completing it, or {@code orTimeout}) withdraws the
   * send only while it waits for room (or behind earlier sends of this sender that wait for it):
   * when that call reports a change, nothing was handed to the producer; once the record was handed
   * over, such calls report {@code false}. The first send to a topic may wait in the caller for the
   * topic's metadata, as the producer does (see the class comment). A send that waits is handed
   * over by a thread of this sender's, in the order of the calls, and the records of one thread's
   * sends of every form reach the producer in the order of its calls.
   *
   * <p>It never blocks for room, so the sends beyond {@code maxInFlight} wait in this sender's
   * memory, each holding its element and a few hundred bytes more, until acknowledgements free
   * room. A caller with far more to send than {@code maxInFlight} gets the producer's throughput
   * with {@link #sendAll}, or by pacing itself (holding about {@code maxInFlight} unfinished
   * futures at most): a backlog of hundreds of thousands of waiting sends costs the collector more
   * than the sends themselves (see "Across JVMs" in the benchmarks).
   *
   * <p>Dependent actions run in the thread that completes the future: for an acknowledgement, the
   * producer's I/O thread, which sends nothing else while they run. Keep them short, or move the
   * work elsewhere with the {@code *Async} forms of {@link CompletableFuture}.
   *
   * @param element the element to send
   * @return a future that completes when the element was sent
   * @throws NullPointerException if {@code element} is null
   */
  @Override
  public CompletableFuture<Void> sendAsync(E element) {
    Objects.requireNonNull(element, "element");
    StagedFuture<Void> result = new StagedFuture<>();
    if (!mustQueue()) {
      try {
        if (room.trySend(ROOM)) {
          // Room now and nothing queued: append here, as the raw client's loop does.
          append(element).whenComplete((v, ex) -> settle(result, ex));
          return result;
        }
      } catch (RuntimeException e) { // closed, or the serializer failed: nothing was sent
        result.fail(e);
        return result;
      }
    }
    // No room, or earlier sends wait for it: queue behind them. The entry's cancel is the
    // withdrawal, which succeeds only while the appender has not claimed it.
    result.stage(queue.enqueue(element, result));
    return result;
  }

  private void settle(StagedFuture<Void> out, @Nullable Throwable ackFailure) {
    if (ackFailure == null) {
      out.settle(null);
    } else {
      out.fail(notAcknowledged(StagedFuture.unwrap(ackFailure)));
    }
  }

  /**
   * Not supported by this sender: a select must decide a clause at once, and a send over Kafka is
   * decided by the broker's acknowledgement. Use {@link #sendAsync} beside a select instead.
   *
   * @param element the element that would be sent
   * @param then what the select would compute
   * @param <R> the select's result type
   * @return never
   * @throws UnsupportedOperationException always
   */
  @Override
  public <R> SelectClause<R> onSend(E element, Supplier<? extends R> then) {
    throw new UnsupportedOperationException(
        "KafkaSender does not offer select clauses: a Kafka send is decided by the broker's"
            + " acknowledgement, not at once; use sendAsync");
  }

  /**
   * Closes this sender: later sends and sends waiting for room fail with {@link
   * ChannelClosedException}, then the producer is closed, which returns once every record handed to
   * it was acknowledged or failed. It waits first for a send that is handing its record to the
   * producer (at most {@code max.block.ms}), then for the acknowledgements (at most {@code
   * delivery.timeout.ms}): see the class comment. A second call returns {@code false} at once,
   * without waiting for the first one's flush.
   *
   * @return {@code true} if this call closed the sender
   */
  @Override
  public boolean close() {
    return shut(room.close(), null);
  }

  /**
   * Closes this sender as {@link #close()} does; sends that fail because of it fail with a {@link
   * ChannelClosedException} whose cause is {@code cause}.
   *
   * @param cause why the sender closed
   * @return {@code true} if this call closed the sender
   * @throws NullPointerException if {@code cause} is null
   */
  @Override
  public boolean close(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return shut(room.close(cause), cause);
  }

  private boolean shut(boolean first, @Nullable Throwable cause) {
    if (!first) {
      return false;
    }
    closing.writeLock().lock();
    try {
      closeCause = cause;
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    // No append starts now (`closed` under the lock): fail what still waits in the queue.
    queue.close(new ChannelClosedException("the sender is closed", cause));
    producer.close();
    return true;
  }

  /**
   * Whether this sender was closed. Once true, it stays true.
   *
   * @return {@code true} if sends fail
   */
  @Override
  public boolean isClosedForSend() {
    return room.isClosedForSend();
  }

  /**
   * Whether {@code other} is this sender. A Kafka sender is not a view of any local channel, and
   * two senders over one topic are two channels' ends as far as this method knows.
   *
   * @param other any object
   * @return {@code true} if {@code other} is this very object
   */
  @Override
  public boolean sameChannel(@Nullable Object other) {
    return other == this;
  }

  /**
   * {@link #append}, with the producer's own interrupt turned into {@link InterruptedException}.
   */
  private CompletableFuture<Void> appendInterruptibly(E element) throws InterruptedException {
    try {
      return append(element);
    } catch (InterruptException e) {
      // The producer was waiting for metadata or buffer space: the record was not appended.
      Thread.interrupted();
      InterruptedException ie = new InterruptedException("interrupted before the record was sent");
      ie.initCause(e);
      throw ie;
    }
  }

  /** Hands the record to the producer; the caller holds one unit of room, which this gives back. */
  private CompletableFuture<Void> append(E element) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    AtomicBoolean returned = new AtomicBoolean();
    Runnable giveBack =
        () -> {
          if (returned.compareAndSet(false, true)) {
            room.tryReceive(); // one token out: room for the next record
          }
        };
    closing.readLock().lock();
    try {
      if (closed) {
        giveBack.run();
        throw new ChannelClosedException("the sender is closed", closeCause);
      }
      producer.send(
          new ProducerRecord<>(topic, keyOf.apply(element), element),
          (metadata, ex) -> {
            giveBack.run();
            if (ex == null) {
              acked.complete(null);
            } else {
              acked.completeExceptionally(ex);
            }
          });
    } catch (RuntimeException e) {
      giveBack.run();
      throw e;
    } finally {
      closing.readLock().unlock();
    }
    return acked;
  }

  /** Waits for the acknowledgement; an interrupt does not end the wait, and is kept. */
  private void awaitAck(CompletableFuture<Void> acked) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          acked.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw notAcknowledged(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The failure of a send: names the topic, and says why in its message too, not only its cause.
   */
  private KafkaException notAcknowledged(Throwable cause) {
    return new KafkaException(
        "record to topic " + topic + " not acknowledged: " + cause.getMessage(), cause);
  }
}
