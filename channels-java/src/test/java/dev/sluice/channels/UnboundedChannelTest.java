package dev.sluice.channels;

class UnboundedChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.unbounded();
  }
}
