package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code sameChannel}: identity across the faces of one channel, whatever object each face is. */
class SameChannelTest {
  @Test
  void aChannelIsItself_andNoOtherChannel() {
    Channel<String> a = Channel.bounded(4);
    Channel<String> b = Channel.bounded(4);
    Sender<String> asSender = a;
    Receiver<String> asReceiver = a;
    assertTrue(a.sameChannel(a));
    assertTrue(asSender.sameChannel(asReceiver));
    assertFalse(a.sameChannel(b));
    assertFalse(a.sameChannel(null));
    assertFalse(a.sameChannel("a string"));
  }

  @Test
  void aOneshotIsItself() {
    Oneshot<String> one = Oneshot.create();
    assertTrue(one.sameChannel(one));
    assertFalse(one.sameChannel(Oneshot.create()));
    assertFalse(one.sameChannel(Channel.bounded(1)));
  }
}
