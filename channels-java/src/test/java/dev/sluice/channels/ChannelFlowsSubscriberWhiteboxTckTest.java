package dev.sluice.channels;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK's subscriber rules, seen from inside (white box), run against {@link
 * ChannelFlows#subscriber(Sender)} over an unbounded channel. The probe is told of each signal
 * after the subscriber handled it; the puppet requests and cancels on the subscription, beside the
 * subscriber's own requests.
 */
@Test
public class ChannelFlowsSubscriberWhiteboxTckTest
    extends FlowSubscriberWhiteboxVerification<Integer> {

  public ChannelFlowsSubscriberWhiteboxTckTest() {
    super(new TestEnvironment(200, 50));
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
    Flow.Subscriber<Integer> subscriber = ChannelFlows.subscriber(Channel.unbounded());
    AtomicBoolean subscribed = new AtomicBoolean();
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscriber.onSubscribe(s);
        if (s != null && subscribed.compareAndSet(false, true)) { // a second one is refused
          probe.registerOnSubscribe(
              new SubscriberPuppet() {
                @Override
                public void triggerRequest(long elements) {
                  s.request(elements);
                }

                @Override
                public void signalCancel() {
                  s.cancel();
                }
              });
        }
      }

      @Override
      public void onNext(Integer element) {
        subscriber.onNext(element);
        probe.registerOnNext(element);
      }

      @Override
      public void onError(Throwable cause) {
        subscriber.onError(cause);
        probe.registerOnError(cause);
      }

      @Override
      public void onComplete() {
        subscriber.onComplete();
        probe.registerOnComplete();
      }
    };
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
