package dev.sluice.bench;

import dev.sluice.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Producers that reserve a place before they send, against producers that send: elements per
 * microsecond from platform-thread producers to platform-thread consumers that receive one by one,
 * as {@link Throughput} measures it.
 *
 * <p>Rows: Sluice's plain {@code send} ({@code SLUICE_SEND}); Sluice's {@code reserve()} and then
 * {@code permit.send} for every element ({@code SLUICE_PERMIT}); and the JDK's way to hold a place
 * in a queue before the element exists, a {@code Semaphore} of the capacity's permits beside an
 * {@code ArrayBlockingQueue} ({@code acquire}, then {@code put}, which then never waits; the
 * consumer's {@code take}, then {@code release}) ({@code ABQ_SEMAPHORE}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ReserveSend {
  @Param({"16", "1024"})
  public int capacity;

  @Param({"SPSC", "MPMC"})
  public Shape shape;

  @Param({"SLUICE_SEND", "SLUICE_PERMIT", "ABQ_SEMAPHORE"})
  public Row impl;

  /** A row of the benchmark: how a producer sends. */
  public enum Row {
    SLUICE_SEND,
    SLUICE_PERMIT,
    ABQ_SEMAPHORE
  }

  private Crew crew;

  @Setup(Level.Trial)
  public void start() {
    Channel<Object> channel = Channel.bounded(capacity);
    ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
    Semaphore places = new Semaphore(capacity);
    List<Crew.Job> jobs = new ArrayList<>();
    int share = Throughput.BATCH / shape.producers;
    for (int p = 0; p < shape.producers; p++) {
      jobs.add(producer(channel, queue, places, share));
    }
    int take = Throughput.BATCH / shape.consumers;
    for (int c = 0; c < shape.consumers; c++) {
      jobs.add(
          impl == Row.ABQ_SEMAPHORE
              ? () -> {
                for (int i = 0; i < take; i++) {
                  check(queue.take());
                  places.release();
                }
              }
              : () -> {
                for (int i = 0; i < take; i++) {
                  check(channel.receive());
                }
              });
    }
    ThreadFactory threads = Thread.ofPlatform().name("bench-reserve-", 0).daemon(true).factory();
    crew = new Crew(threads, jobs);
  }

  private Crew.Job producer(
      Channel<Object> channel, ArrayBlockingQueue<Object> queue, Semaphore places, int count) {
    switch (impl) {
      case SLUICE_SEND:
        return () -> {
          for (int i = 0; i < count; i++) {
            channel.send(Link.ELEMENT);
          }
        };
      case SLUICE_PERMIT:
        return () -> {
          for (int i = 0; i < count; i++) {
            channel.reserve().send(Link.ELEMENT);
          }
        };
      default:
        return () -> {
          for (int i = 0; i < count; i++) {
            places.acquire();
            queue.put(Link.ELEMENT);
          }
        };
    }
  }

  private static void check(Object e) {
    if (e != Link.ELEMENT) {
      throw new AssertionError("received an element that was never sent");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(Throughput.BATCH)
  public void transfer() throws InterruptedException {
    crew.round();
  }
}
