package dev.sluice.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link PingPong} over two channels with a buffer of one element: a send completes at once, and
 * the latency is the receiver's wake-up. Rows: Sluice (blocking on platform and virtual threads,
 * futures joined and chained), {@code ArrayBlockingQueue} (platform and virtual threads), {@code
 * LinkedBlockingQueue}, jox (platform and virtual threads), and JCTools with a busy wait (a queue
 * of 4, the smallest it has), the latency of a hand-over that never parks.
 */
public class PingPongBuffered extends PingPong {

  @Param({"1"})
  public int capacity;

  @Param({
    "SLUICE",
    "SLUICE_VT",
    "SLUICE_CF",
    "SLUICE_CF_CHAIN",
    "ABQ",
    "ABQ_VT",
    "LBQ",
    "JOX",
    "JOX_VT",
    "JCTOOLS"
  })
  public Impl impl;

  @Override
  Impl impl() {
    return impl;
  }

  @Override
  int capacity() {
    return capacity;
  }
}
