@file:JvmName("AccountActor")

package dev.sluice.examples

import dev.sluice.channels.Channel
import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Oneshot
import dev.sluice.coroutines.asCoroutineChannel
import dev.sluice.coroutines.await
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/*
 * An actor: one coroutine owns an account's balance, and everyone else asks it by sending a
 * command that carries a Oneshot for the answer. No lock guards the balance: only the actor ever
 * touches it, one command at a time. Coroutines ask and suspend on the answer with `await()`; Java
 * code (AccountTeller) asks with `sendAsync` and gets the answer as a CompletableFuture from
 * `receiveAsync()`. A withdrawal the balance cannot cover is answered by closing the oneshot with
 * the reason, which reaches the asker as an exception.
 */

/** What the account actor can be asked; each command carries the oneshot its answer goes to. */
sealed interface AccountCommand {
    /** Adds [amount]; answers the new balance. */
    class Deposit(val amount: Long, val reply: Oneshot<Long>) : AccountCommand

    /**
     * Takes [amount] out if the balance covers it; answers the new balance, or [InsufficientFunds].
     */
    class Withdraw(val amount: Long, val reply: Oneshot<Long>) : AccountCommand

    /** Answers the balance. */
    class Balance(val reply: Oneshot<Long>) : AccountCommand
}

/** Why a withdrawal was refused. */
class InsufficientFunds(message: String) : Exception(message)

/** The actor: answers commands, one at a time, until the mailbox is closed and drained. */
suspend fun runAccount(mailbox: ReceiveChannel<AccountCommand>) {
    var balance = 0L // the actor's state: nobody else can reach it
    for (command in mailbox) {
        when (command) {
            is AccountCommand.Deposit -> {
                balance += command.amount
                command.reply.answer(balance)
            }
            is AccountCommand.Withdraw ->
                if (command.amount > balance) {
                    command.reply.close(InsufficientFunds("balance $balance < ${command.amount}"))
                } else {
                    balance -= command.amount
                    command.reply.answer(balance)
                }
            is AccountCommand.Balance -> command.reply.answer(balance)
        }
    }
}

/**
 * Sends the answer; an asker that gave up (cancelled its oneshot) must not bring the actor down.
 */
private fun Oneshot<Long>.answer(value: Long) {
    try {
        send(value)
    } catch (e: ChannelClosedException) {
        // nobody is waiting for this answer any more
    }
}

/** Asks the actor from a coroutine: sends the command, then suspends until the answer comes. */
private suspend fun SendChannel<AccountCommand>.ask(
    command: (Oneshot<Long>) -> AccountCommand
): Long {
    val reply = Oneshot.create<Long>()
    send(command(reply))
    return reply.await() // throws the actor's reason if it closed the oneshot with one
}

fun main() = runBlocking {
    val mailbox = Channel.bounded<AccountCommand>(16) // one queue for coroutines and Java alike
    val account = mailbox.asCoroutineChannel()
    val actor = launch { runAccount(account) }

    // 100 deposits of 2 from Java futures and 100 of 3 from coroutines, all at once.
    val fromJava = AccountTeller.depositEach(mailbox, 100, 2)
    coroutineScope { repeat(100) { launch { account.ask { AccountCommand.Deposit(3, it) } } } }
    fromJava.await()
    val balance = account.ask(AccountCommand::Balance)
    println("   100 deposits of 2 from Java futures, 100 of 3 from coroutines: balance $balance")
    check(balance == 500L) { "expected a balance of 500, got $balance" }

    try {
        account.ask { AccountCommand.Withdraw(1_000, it) }
        error("an overdraft from a coroutine was paid out")
    } catch (e: InsufficientFunds) {
        println("   a coroutine withdraws 1000: refused, ${e.message}")
    }

    val fromJavaRefused = AccountTeller.withdraw(mailbox, 1_000).await()
    val fromJavaPaid = AccountTeller.withdraw(mailbox, 120).await()
    println("   Java withdraws 1000: $fromJavaRefused")
    println("   Java withdraws 120: $fromJavaPaid")
    check(fromJavaRefused.startsWith("refused")) {
        "expected Java's overdraft refused: $fromJavaRefused"
    }
    val left = account.ask(AccountCommand::Balance)
    check(left == 380L) { "expected a balance of 380 after the withdrawal, got $left" }

    mailbox.close() // the actor answers what is queued, then its loop ends
    actor.join()
}
