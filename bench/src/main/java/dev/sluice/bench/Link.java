package dev.sluice.bench;

import com.softwaremill.jox.Channel;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TransferQueue;

/**
 * One channel or queue, seen from the benchmarks: a way to hand an element from one thread to
 * another. Every implementation under test is wrapped in one of the small subclasses below, so that
 * the benchmarks drive them all with the same loops. Each JMH fork loads one subclass only, so the
 * calls through this class stay monomorphic.
 */
abstract class Link {

  /** The element every benchmark sends: one shared object, so that no row pays for boxing. */
  static final Object ELEMENT = new Object();

  /** Sends {@code e}, waiting while the link is full (or, without a buffer, for a receiver). */
  abstract void send(Object e) throws InterruptedException;

  /** Receives an element, waiting while the link is empty. */
  abstract Object receive() throws InterruptedException;

  /** Sends without blocking; only the Sluice future link has it. */
  CompletableFuture<Void> sendAsync(Object e) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no future face");
  }

  /** Receives without blocking; only the Sluice future link has it. */
  CompletableFuture<Object> receiveAsync() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no future face");
  }

  /** Sluice's blocking face: {@code send} and {@code receive}. */
  static final class SluiceBlocking extends Link {
    private final dev.sluice.channels.Channel<Object> channel;

    SluiceBlocking(dev.sluice.channels.Channel<Object> channel) {
      this.channel = channel;
    }

    @Override
    void send(Object e) throws InterruptedException {
      channel.send(e);
    }

    @Override
    Object receive() throws InterruptedException {
      return channel.receive();
    }
  }

  /**
   * Sluice's {@code CompletableFuture} face. The blocking methods join the futures (a thread that
   * waits on the future face); the async methods hand the futures to a chained loop.
   */
  static final class SluiceFuture extends Link {
    private final dev.sluice.channels.Channel<Object> channel;

    SluiceFuture(dev.sluice.channels.Channel<Object> channel) {
      this.channel = channel;
    }

    @Override
    void send(Object e) {
      channel.sendAsync(e).join();
    }

    @Override
    Object receive() {
      return channel.receiveAsync().join();
    }

    @Override
    CompletableFuture<Void> sendAsync(Object e) {
      return channel.sendAsync(e);
    }

    @Override
    CompletableFuture<Object> receiveAsync() {
      return channel.receiveAsync();
    }
  }

  /** A {@code java.util.concurrent} blocking queue: {@code put} and {@code take}. */
  static final class Blocking extends Link {
    private final BlockingQueue<Object> queue;

    Blocking(BlockingQueue<Object> queue) {
      this.queue = queue;
    }

    @Override
    void send(Object e) throws InterruptedException {
      queue.put(e);
    }

    @Override
    Object receive() throws InterruptedException {
      return queue.take();
    }
  }

  /** A transfer queue used as a rendezvous: {@code transfer} waits until a receiver took it. */
  static final class Transfer extends Link {
    private final TransferQueue<Object> queue;

    Transfer(TransferQueue<Object> queue) {
      this.queue = queue;
    }

    @Override
    void send(Object e) throws InterruptedException {
      queue.transfer(e);
    }

    @Override
    Object receive() throws InterruptedException {
      return queue.take();
    }
  }

  /** A jox channel: {@code send} and {@code receive}. */
  static final class Jox extends Link {
    private final Channel<Object> channel;

    Jox(Channel<Object> channel) {
      this.channel = channel;
    }

    @Override
    void send(Object e) throws InterruptedException {
      channel.send(e);
    }

    @Override
    Object receive() throws InterruptedException {
      return channel.receive();
    }
  }

  /**
   * A non-blocking queue (JCTools) with a busy wait: {@code offer} and {@code poll} retried,
   * yielding the core between tries (with more threads than cores, a pure spin would wait for
   * preemption). Nothing parks, so this is the limit that a queue which never puts a thread to
   * sleep reaches.
   */
  static final class Spinning extends Link {
    private final Queue<Object> queue;

    Spinning(Queue<Object> queue) {
      this.queue = queue;
    }

    @Override
    void send(Object e) {
      while (!queue.offer(e)) {
        Thread.yield();
      }
    }

    @Override
    Object receive() {
      Object e;
      while ((e = queue.poll()) == null) {
        Thread.yield();
      }
      return e;
    }
  }
}
