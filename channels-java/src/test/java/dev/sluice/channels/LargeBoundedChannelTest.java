package dev.sluice.channels;

/**
 * A capacity above the largest one-array buffer (16384): the buffer is then chunks allocated as it
 * fills, bounded by counting. 16387 also leaves the last chunk partly used.
 */
class LargeBoundedChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.bounded(16_387);
  }
}
