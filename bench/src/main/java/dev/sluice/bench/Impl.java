package dev.sluice.bench;

import dev.sluice.channels.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * The rows of every benchmark: an implementation under test and the kind of thread that drives it.
 *
 * <p>A capacity is 0 (rendezvous), 1 or more (bounded), or {@link #UNBOUNDED}. Not every row exists
 * at every capacity (there is no {@code ArrayBlockingQueue} without a buffer); each benchmark class
 * lists only the rows that exist at its capacities, and {@link #open} refuses the others.
 */
public enum Impl {
  /** Sluice's blocking face ({@code send}/{@code receive}) on platform threads. */
  SLUICE(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.SluiceBlocking(sluice(capacity));
    }
  },
  /** Sluice's blocking face on virtual threads. */
  SLUICE_VT(true, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.SluiceBlocking(sluice(capacity));
    }
  },
  /**
   * Sluice's future face on platform threads, each operation joined: {@code sendAsync(e).join()},
   * {@code receiveAsync().join()}.
   */
  SLUICE_CF(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.SluiceFuture(sluice(capacity));
    }
  },
  /**
   * Sluice's future face, chained: each side is a loop of futures that issues its next operation
   * when the previous one completes, in whatever thread completed it. No thread blocks on a future;
   * the platform threads only start the loops and wait for their end.
   */
  SLUICE_CF_CHAIN(false, true) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.SluiceFuture(sluice(capacity));
    }
  },
  /** {@code ArrayBlockingQueue} (bounded only) on platform threads. */
  ABQ(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.Blocking(new ArrayBlockingQueue<>(bounded(capacity)));
    }
  },
  /** {@code ArrayBlockingQueue} (bounded only) on virtual threads. */
  ABQ_VT(true, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.Blocking(new ArrayBlockingQueue<>(bounded(capacity)));
    }
  },
  /** {@code LinkedBlockingQueue}, bounded or unbounded, on platform threads. */
  LBQ(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.Blocking(
          capacity == UNBOUNDED
              ? new LinkedBlockingQueue<>()
              : new LinkedBlockingQueue<>(bounded(capacity)));
    }
  },
  /**
   * {@code LinkedTransferQueue} on platform threads: {@code put}/{@code take} when unbounded,
   * {@code transfer}/{@code take} as the rendezvous. It has no bounded form.
   */
  LTQ(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      if (capacity == 0) {
        return new Link.Transfer(new LinkedTransferQueue<>());
      }
      if (capacity == UNBOUNDED) {
        return new Link.Blocking(new LinkedTransferQueue<>());
      }
      throw absent(capacity);
    }
  },
  /** {@code SynchronousQueue} (rendezvous only) on platform threads. */
  SQ(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      if (capacity != 0) {
        throw absent(capacity);
      }
      return new Link.Blocking(new SynchronousQueue<>());
    }
  },
  /** jox's {@code Channel} on platform threads. */
  JOX(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.Jox(jox(capacity));
    }
  },
  /** jox's {@code Channel} on virtual threads. */
  JOX_VT(true, false) {
    @Override
    Link open(int capacity, boolean multi) {
      return new Link.Jox(jox(capacity));
    }
  },
  /**
   * JCTools queues with a busy wait on platform threads: the limit of a queue that never parks a
   * thread. SPSC or MPMC queues by the shape; array queues round the capacity up to a power of two,
   * and to at least 4 (SPSC) or 2 (MPMC), so the capacity-1 row is a looser bound than the others.
   * No rendezvous form.
   */
  JCTOOLS(false, false) {
    @Override
    Link open(int capacity, boolean multi) {
      if (capacity == UNBOUNDED) {
        return new Link.Spinning(
            multi ? new MpmcUnboundedXaddArrayQueue<>(1024) : new SpscUnboundedArrayQueue<>(1024));
      }
      int n = bounded(capacity);
      return new Link.Spinning(
          multi ? new MpmcArrayQueue<>(Math.max(n, 2)) : new SpscArrayQueue<>(n));
    }
  };

  /** The capacity of an unbounded link. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** Whether the row runs on virtual threads. */
  final boolean virtual;

  /** Whether the row chains futures instead of calling the blocking methods of {@link Link}. */
  final boolean chained;

  Impl(boolean virtual, boolean chained) {
    this.virtual = virtual;
    this.chained = chained;
  }

  /**
   * Opens a new, empty link of this implementation.
   *
   * @param capacity 0, 1 or more, or {@link #UNBOUNDED}
   * @param multi whether several threads send or receive on it (JCTools picks its queue by this)
   * @throws IllegalArgumentException if this implementation has no link of that capacity
   */
  abstract Link open(int capacity, boolean multi);

  /** A factory of the threads that drive this row. */
  ThreadFactory threads() {
    return virtual
        ? Thread.ofVirtual().name("bench-virtual-", 0).factory()
        : Thread.ofPlatform().name("bench-platform-", 0).daemon(true).factory();
  }

  /** Parses a capacity parameter: a number, or {@code unbounded}. */
  static int capacity(String value) {
    return "unbounded".equals(value) ? UNBOUNDED : Integer.parseInt(value);
  }

  private static Channel<Object> sluice(int capacity) {
    if (capacity == 0) {
      return Channel.rendezvous();
    }
    return capacity == UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
  }

  private static com.softwaremill.jox.Channel<Object> jox(int capacity) {
    if (capacity == 0) {
      return com.softwaremill.jox.Channel.newRendezvousChannel();
    }
    return capacity == UNBOUNDED
        ? com.softwaremill.jox.Channel.newUnlimitedChannel()
        : com.softwaremill.jox.Channel.newBufferedChannel(capacity);
  }

  int bounded(int capacity) {
    if (capacity < 1 || capacity == UNBOUNDED) {
      throw absent(capacity);
    }
    return capacity;
  }

  IllegalArgumentException absent(int capacity) {
    String name = capacity == UNBOUNDED ? "unbounded" : Integer.toString(capacity);
    return new IllegalArgumentException(this + " has no link of capacity " + name);
  }
}
