package dev.sluice.channels;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK's subscriber rules, seen from outside (black box), run against {@link
 * ChannelFlows#subscriber(Sender, int)} over a bounded channel with room for everything the tests
 * send: the subscriber requests on its own, as the channel has room.
 */
@Test
public class ChannelFlowsSubscriberBlackboxTckTest
    extends FlowSubscriberBlackboxVerification<Integer> {

  public ChannelFlowsSubscriberBlackboxTckTest() {
    super(new TestEnvironment(200, 50));
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    return ChannelFlows.subscriber(Channel.bounded(1024), 8);
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
