package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class RendezvousChannelTest extends ChannelContractTest {
  @Override
  Channel<Integer> newChannel() {
    return Channel.rendezvous();
  }

  /**
   * A blocking receive tells the waiter it queued from an element it took by their class: an
   * element that is itself such a waiter (the blocker a parked receive shows) must still come out
   * as the element, whether the receive comes second or first.
   */
  @Test
  void theBlockerOfAParkedReceiveIsAnElementLikeAnyOther() throws Exception {
    Channel<Integer> parkedOn = Channel.rendezvous();
    var parked = TestThreads.start(parkedOn::receive).awaitParked();
    Object blocker = LockSupport.getBlocker(parked.thread());
    assertNotNull(blocker);

    Channel<Object> ch = Channel.rendezvous();
    var sender =
        TestThreads.start(
                () -> {
                  ch.send(blocker);
                  return null;
                })
            .awaitParked();
    assertSame(blocker, ch.receive()); // the sender waits: received under the lock at once
    sender.join();

    var receiver = TestThreads.start(ch::receive).awaitParked();
    ch.send(blocker); // the receiver waits: handed to its waiter
    assertSame(blocker, receiver.join());

    parkedOn.send(1);
    parked.join();
  }
}
