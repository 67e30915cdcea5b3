package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;

/**
 * Lincheck: the non-waiting operations of a channel bounded to two elements against {@link
 * ChannelSpec}.
 */
public class Bounded2ChannelLincheckTest extends ChannelLincheckBase {
  public Bounded2ChannelLincheckTest() {
    super(Channel.bounded(2));
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** a channel bounded to two elements, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(2);
    }
  }
}
