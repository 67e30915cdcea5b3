package dev.sluice.channels;

class RendezvousChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.rendezvous();
  }
}
