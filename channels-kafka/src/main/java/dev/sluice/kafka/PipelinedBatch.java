/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.InterruptedSendException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

/**
 * One call of {@link KafkaSender#sendAll}: hands records over as room allows, without waiting for
 * each acknowledgement, and then waits for all of them.
 *
 * <p>Invariant: the count it reports is of a prefix of the elements, each acknowledged, and it
 * reports nothing (no count, no exception) before every record it handed over was acknowledged or
 * failed. Acknowledgements are read in the order the records were handed over, so the first failed
 * one ends the prefix, whatever order the broker's answers came in.
 */
final class PipelinedBatch<E> {
  /** Waits for room and hands one record to the producer; completes on its acknowledgement. */
  interface HandOver<E> {
    /**
     * Hands {@code element} over.
     *
     * @throws InterruptedException if interrupted before the record was handed over
     */
    CompletableFuture<Void> apply(E element) throws InterruptedException;
  }

  private final HandOver<E> handOver;
  private final Function<Throwable, KafkaException> notAcknowledged;
  /* Makes the records handed over sendable at once; run once, before the final wait. */
  private final Runnable flush;

  /* One calling thread only. The acknowledgements not yet read, oldest first. */
  private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
  /* The acknowledged prefix: how many were sent. */
  private int sent;
  /* The first failed acknowledgement, in hand-over order; it ends the prefix. */
  private @Nullable KafkaException failed;
  /* An interrupt that came while waiting for acknowledgements, which that wait does not give up. */
  private boolean interrupted;

  PipelinedBatch(
      HandOver<E> handOver, Function<Throwable, KafkaException> notAcknowledged, Runnable flush) {
    this.handOver = handOver;
    this.notAcknowledged = notAcknowledged;
    this.flush = flush;
  }

  /** Sends {@code elements} as {@link KafkaSender#sendAll} documents, and says how many went. */
  int send(Iterable<? extends E> elements) throws InterruptedException {
    Throwable stop = null; // why it stopped handing over early, if it did
    boolean nullElement = false;
    try {
      for (E e : elements) {
        read(false);
        if (failed != null) {
          break; // a record was not acknowledged: hand nothing more over
        }
        if (e == null) {
          nullElement = true;
          break;
        }
        inFlight.add(handOver.apply(e));
      }
    } catch (InterruptedException | RuntimeException e) {
      // Room never came (interrupt, close), or the record never reached the producer (serializer),
      // or the iterator failed: none of these was handed over.
      stop = e;
    }
    read(false);
    if (!inFlight.isEmpty()) {
      flush.run(); // the last records need not wait linger.ms: nothing more of this call follows
    }
    read(true);
    return outcome(stop, nullElement);
  }

  /** Reads acknowledgements in order: those already in if not {@code wait}, else all of them. */
  private void read(boolean wait) {
    while (!inFlight.isEmpty() && (wait || inFlight.peek().isDone())) {
      Throwable ex = await(inFlight.poll());
      if (failed != null) {
        continue; // past the end of the prefix: only waited for
      }
      if (ex == null) {
        sent++;
      } else {
        failed = notAcknowledged.apply(ex);
      }
    }
  }

  /** Waits for one acknowledgement, keeping an interrupt; returns its failure, if any. */
  private @Nullable Throwable await(CompletableFuture<Void> ack) {
    while (true) {
      try {
        ack.get();
        return null;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        return StagedFuture.unwrap(e);
      }
    }
  }

  private int outcome(@Nullable Throwable stop, boolean nullElement) throws InterruptedException {
    if (stop instanceof InterruptedException && failed == null) {
      // The interrupt status is clear, as an InterruptedException leaves it; a later interrupt,
      // during the wait for acknowledgements, is this same report.
      Thread.interrupted();
      throw new InterruptedSendException(sent);
    }
    if (interrupted || stop instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (failed != null) {
      throw failed;
    }
    if (nullElement) {
      throw new NullPointerException("element " + sent + " is null; " + sent + " were sent");
    }
    if (stop == null) {
      return sent;
    }
    if (stop instanceof ChannelClosedException) {
      if (sent == 0) {
        throw (ChannelClosedException) stop;
      }
      return sent; // closed part-way: what was handed over before the close was flushed
    }
    throw (RuntimeException) stop;
  }
}
