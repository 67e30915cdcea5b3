package dev.sluice.examples;

import dev.sluice.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker pool in plain Java: two producer threads send jobs into a bounded channel, three worker
 * threads compete for them with the blocking face (a {@code for} loop over the channel), and one
 * more worker takes jobs through {@code receiveAsync}, with no thread of its own. Closing the
 * channel ends the workers once they drained it. Every job is done exactly once. ({@link
 * CoroutineWorkerPool} has coroutines for workers.)
 */
public final class WorkerPool {
  private WorkerPool() {}

  /**
   * Runs the pool and checks that every job was done once.
   *
   * @param args ignored
   * @throws Exception if a job was lost or done twice
   */
  public static void main(String[] args) throws Exception {
    Channel<Integer> jobs = Channel.bounded(8);
    AtomicLong sum = new AtomicLong();
    AtomicLong done = new AtomicLong();
    int perProducer = 5_000;

    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      Thread t =
          new Thread(
              () -> {
                for (int job : jobs) { // ends when the channel is closed and drained
                  sum.addAndGet(job);
                  done.incrementAndGet();
                }
              },
              "worker-" + w);
      t.start();
      workers.add(t);
    }
    CompletableFuture<Void> asyncWorker = new CompletableFuture<>();
    takeAsync(jobs, sum, done, asyncWorker);

    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int base = p * perProducer;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 1; i <= perProducer; i++) {
                    jobs.send(base + i);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      producers.add(t);
    }
    for (Thread t : producers) {
      t.join();
    }
    jobs.close();
    for (Thread t : workers) {
      t.join();
    }
    asyncWorker.join();

    long n = 2L * perProducer;
    System.out.printf(
        "   %d jobs from 2 producers, done by 3 blocking workers and 1 async one: sum %d%n",
        done.get(), sum.get());
    Check.that(done.get() == n, "every job done once");
    Check.that(sum.get() == n * (n + 1) / 2, "the sum of all job numbers");
  }

  /**
   * Receives one job at a time with receiveAsync, until the channel is closed and drained. Jobs
   * that are there at once are taken in a loop rather than by recursion, so a full channel cannot
   * overflow the stack.
   */
  private static void takeAsync(
      Channel<Integer> jobs, AtomicLong sum, AtomicLong done, CompletableFuture<Void> finished) {
    while (true) {
      CompletableFuture<Integer> next = jobs.receiveAsync();
      if (!next.isDone()) {
        next.whenComplete(
            (job, failure) -> {
              if (failure != null) {
                finished.complete(null); // closed and drained
              } else {
                sum.addAndGet(job);
                done.incrementAndGet();
                takeAsync(jobs, sum, done, finished);
              }
            });
        return;
      }
      if (next.isCompletedExceptionally()) {
        finished.complete(null);
        return;
      }
      sum.addAndGet(next.join());
      done.incrementAndGet();
    }
  }
}
