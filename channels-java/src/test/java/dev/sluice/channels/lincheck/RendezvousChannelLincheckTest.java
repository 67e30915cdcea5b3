package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;

/**
 * Lincheck: the non-waiting operations of a rendezvous channel (capacity 0) against {@link
 * ChannelSpec}.
 */
public class RendezvousChannelLincheckTest extends ChannelLincheckBase {
  public RendezvousChannelLincheckTest() {
    super(Channel.rendezvous());
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** a rendezvous channel (capacity 0), as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(0);
    }
  }
}
