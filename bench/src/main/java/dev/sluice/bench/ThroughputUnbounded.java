package dev.sluice.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link Throughput} through an unbounded buffer: producers never wait, so a round may buffer up to
 * {@value Throughput#BATCH} elements before the consumers catch up. Rows: Sluice (blocking on
 * platform and virtual threads, futures joined and chained), {@code LinkedBlockingQueue}, {@code
 * LinkedTransferQueue}, jox (platform and virtual threads), and JCTools' unbounded queues with a
 * busy wait.
 */
public class ThroughputUnbounded extends Throughput {

  @Param({
    "SLUICE",
    "SLUICE_VT",
    "SLUICE_CF",
    "SLUICE_CF_CHAIN",
    "LBQ",
    "LTQ",
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
    return Impl.UNBOUNDED;
  }
}
