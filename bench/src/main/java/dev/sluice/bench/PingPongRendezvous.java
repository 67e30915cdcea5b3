package dev.sluice.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link PingPong} over two rendezvous channels (capacity 0): each hop is a meeting of a sender and
 * a receiver. Rows: Sluice (blocking on platform and virtual threads, futures joined and chained),
 * {@code SynchronousQueue}, {@code LinkedTransferQueue.transfer}, jox (platform and virtual
 * threads).
 */
public class PingPongRendezvous extends PingPong {

  @Param({"SLUICE", "SLUICE_VT", "SLUICE_CF", "SLUICE_CF_CHAIN", "SQ", "LTQ", "JOX", "JOX_VT"})
  public Impl impl;

  @Override
  Impl impl() {
    return impl;
  }

  @Override
  int capacity() {
    return 0;
  }
}
