/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that fires {@code onTimeout} clauses of asynchronous selects. A daemon
 * thread, started on first use; cancelled timeouts are removed from its queue at once, so that
 * selects that finish early leave nothing behind.
 */
final class Timer {
  private Timer() {}

  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread t = new Thread(task, "sluice-timer");
                t.setDaemon(true);
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }

  static ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return Holder.EXECUTOR.schedule(task, nanos, TimeUnit.NANOSECONDS);
  }
}
