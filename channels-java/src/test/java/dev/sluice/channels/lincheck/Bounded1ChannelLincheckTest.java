package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;

/**
 * Lincheck: the non-waiting operations of a channel bounded to one element against {@link
 * ChannelSpec}.
 */
public class Bounded1ChannelLincheckTest extends ChannelLincheckBase {
  public Bounded1ChannelLincheckTest() {
    super(Channel.bounded(1));
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** a channel bounded to one element, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(1);
    }
  }
}
