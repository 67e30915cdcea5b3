package dev.sluice.channels;

class Bounded1ChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.bounded(1);
  }
}
