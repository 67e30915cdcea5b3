package dev.sluice.channels;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK's publisher rules, run against {@link ChannelFlows#publisher(Receiver)}
 * over a bounded channel that a lazy producer fills (so that {@code Integer.MAX_VALUE} elements
 * cost nothing until they are received).
 *
 * <p>The three "multicast" tests of rule 1.11 are not verified: they check that every subscriber
 * gets the same elements, and a channel's subscribers compete for its elements instead, by design
 * (each element to one subscriber). Rule 1.11 lets a publisher choose either.
 */
@Test
public class ChannelFlowsPublisherTckTest extends FlowPublisherVerification<Integer> {
  private static final String UNICAST =
      "a channel's subscribers compete for its elements (each element to one of them), as rule 1.11"
          + " allows; multicast is Broadcast's job";

  public ChannelFlowsPublisherTckTest() {
    super(new TestEnvironment(200, 50), 500);
  }

  @Override
  public Flow.Publisher<Integer> createFlowPublisher(long elements) {
    Channel<Integer> channel = Channel.bounded(16);
    feed(channel, 0, elements);
    return ChannelFlows.publisher(channel);
  }

  @Override
  public Flow.Publisher<Integer> createFailedFlowPublisher() {
    Channel<Integer> channel = Channel.unbounded();
    channel.close(new IllegalStateException("the producer failed"));
    return ChannelFlows.publisher(channel);
  }

  /**
   * Sends {@code from} up to {@code count} into {@code channel} without a thread of its own: with
   * {@code trySend} while there is room, then with {@code sendAsync}, going on when a receiver took
   * the element; closes the channel after the last.
   */
  static void feed(Channel<Integer> channel, long from, long count) {
    long i = from;
    while (i < count) {
      Integer element = (int) i;
      if (channel.trySend(element)) {
        i++;
        continue;
      }
      CompletableFuture<Void> sent = channel.sendAsync(element);
      long next = i + 1;
      if (sent.isDone()) {
        i = next;
        continue;
      }
      sent.thenRun(() -> feed(channel, next, count));
      return;
    }
    channel.close();
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne() {
    notVerified(UNICAST);
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront() {
    notVerified(UNICAST);
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected() {
    notVerified(UNICAST);
  }
}
