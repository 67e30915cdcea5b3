package dev.sluice.examples;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Sender;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java half of {@link LogShipper}: reads a log file line by line and sends each line into a
 * channel with the blocking {@code send}. The send waits while the channel is full, so a slow
 * shipper slows the reader down instead of filling memory.
 *
 * <p>The reader owns the sending side, so it closes it: at the end of the file with {@code
 * close()}, which ends the shipper's loop once it has taken every line; on a read error with {@code
 * close(cause)}, which the shipper's loop rethrows. If the shipper cancels the channel, the next
 * {@code send} throws {@link ChannelClosedException} and the reader stops.
 */
final class LogFileReader implements Runnable {
  private final Path file;
  private final Sender<String> lines;

  LogFileReader(Path file, Sender<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  @Override
  public void run() {
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.send(line); // waits while the channel is full
      }
    } catch (IOException e) {
      lines.close(e); // the shipper fails with this cause, after the lines sent before it
    } catch (InterruptedException e) {
      lines.close(e);
      Thread.currentThread().interrupt();
    } catch (ChannelClosedException e) {
      // The shipper cancelled the channel: nobody wants more lines.
    } finally {
      lines.close(); // the end of the file; does nothing if closed above
    }
  }
}
