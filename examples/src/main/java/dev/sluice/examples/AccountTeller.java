package dev.sluice.examples;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Oneshot;
import dev.sluice.channels.Sender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The Java side of {@link AccountActor}: it asks the account actor, a coroutine, with {@code
 * CompletableFuture}s and never blocks a thread. Each request sends a command with {@code
 * sendAsync}, done when the mailbox took it, then waits for the answer with the oneshot's {@code
 * receiveAsync}.
 *
 * <p>When the actor refuses, it closes the oneshot with its reason: the future then fails with
 * {@link ChannelClosedException}, whose cause is the reason (wrapped in a {@link
 * CompletionException} by {@code thenCompose}, as every failure of a composed future is).
 */
final class AccountTeller {
  private AccountTeller() {}

  /** Sends a command built around a fresh oneshot, and returns the future of its answer. */
  static CompletableFuture<Long> ask(
      Sender<AccountCommand> mailbox, Function<Oneshot<Long>, AccountCommand> command) {
    Oneshot<Long> reply = Oneshot.create();
    return mailbox.sendAsync(command.apply(reply)).thenCompose(sent -> reply.receiveAsync());
  }

  /** Deposits {@code amount} {@code times} over, all requests in flight at once. */
  static CompletableFuture<Void> depositEach(
      Sender<AccountCommand> mailbox, int times, long amount) {
    CompletableFuture<?>[] answers = new CompletableFuture<?>[times];
    for (int i = 0; i < times; i++) {
      answers[i] = ask(mailbox, reply -> new AccountCommand.Deposit(amount, reply));
    }
    return CompletableFuture.allOf(answers);
  }

  /** Withdraws {@code amount}; the future tells how it went, in words. */
  static CompletableFuture<String> withdraw(Sender<AccountCommand> mailbox, long amount) {
    return ask(mailbox, reply -> new AccountCommand.Withdraw(amount, reply))
        .handle(
            (balance, failure) -> {
              if (failure == null) {
                return "paid out, balance " + balance;
              }
              Throwable closed =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (closed instanceof ChannelClosedException && closed.getCause() != null) {
                return "refused, " + closed.getCause().getMessage(); // the actor's reason
              }
              throw new CompletionException(closed);
            });
  }
}
