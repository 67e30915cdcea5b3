package dev.sluice.channels;

class Bounded16ChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.bounded(16);
  }
}
