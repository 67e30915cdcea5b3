package dev.sluice.channels;

/** A capacity that is not a power of two: the ring finds its slots by remainder, not by mask. */
class Bounded3ChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.bounded(3);
  }
}
