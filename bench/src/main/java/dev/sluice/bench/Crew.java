package dev.sluice.bench;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads that move elements for one benchmark: started once per trial, each runs its job once
 * per {@link #round()}, and all of them are idle between rounds.
 *
 * <p>This is what keeps an iteration from ending with a thread stuck in a send or receive (the
 * classic pitfall of JMH's {@code @Group}): a round hands every job a fixed number of elements
 * whose sends and receives balance, and returns only when every job has finished. Between rounds
 * the workers wait on their own semaphore, so a fast worker can never start its next job early.
 */
final class Crew {

  /** One worker's share of a round. */
  @FunctionalInterface
  interface Job {
    void run() throws Exception;
  }

  /** How long a round may take before the benchmark fails instead of hanging. */
  private static final long STALL_SECONDS = 30;

  private final Thread[] workers;
  private final Semaphore[] go;
  private final Semaphore done = new Semaphore(0);
  private volatile boolean closing;
  private volatile Throwable failure;

  /** Starts one worker per job, each made by {@code threads}. */
  Crew(ThreadFactory threads, List<Job> jobs) {
    workers = new Thread[jobs.size()];
    go = new Semaphore[jobs.size()];
    for (int i = 0; i < workers.length; i++) {
      Semaphore mine = new Semaphore(0);
      Job job = jobs.get(i);
      go[i] = mine;
      workers[i] = threads.newThread(() -> work(mine, job));
      workers[i].start();
    }
  }

  private void work(Semaphore mine, Job job) {
    try {
      while (true) {
        mine.acquire();
        if (closing) {
          return;
        }
        job.run();
        done.release();
      }
    } catch (Throwable t) {
      if (!closing) {
        failure = t;
        done.release(workers.length); // wake the round at once: it reports the failure
      }
    }
  }

  /** Runs every job once, and returns when all have finished. */
  void round() throws InterruptedException {
    for (Semaphore s : go) {
      s.release();
    }
    if (!done.tryAcquire(workers.length, STALL_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "no round finished in " + STALL_SECONDS + " s: a send or receive is stuck");
    }
    Throwable t = failure;
    if (t != null) {
      throw new IllegalStateException("a worker failed", t);
    }
  }

  /** Stops the workers; one still stuck in a send or receive is interrupted. */
  void close() throws InterruptedException {
    closing = true;
    for (Semaphore s : go) {
      s.release();
    }
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(1));
      if (w.isAlive()) {
        w.interrupt();
        w.join(TimeUnit.SECONDS.toMillis(1));
      }
    }
  }
}
