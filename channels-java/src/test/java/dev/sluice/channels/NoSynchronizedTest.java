package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No {@code synchronized} anywhere in the library: a waiting virtual thread must never pin its
 * carrier (DESIGN.md section 3, "Threads"). Checked on the sources, comments and strings removed.
 */
class NoSynchronizedTest {
  @Test
  void mainSources_useNoSynchronized() throws IOException {
    Path root = Path.of("src/main/java");
    assertTrue(Files.isDirectory(root), "run from the module directory");
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(NoSynchronizedTest::usesSynchronized)
              .collect(Collectors.toList());
    }
    assertEquals(List.of(), offenders);
  }

  private static boolean usesSynchronized(Path file) {
    try {
      String code =
          Files.readString(file)
              .replaceAll("(?s)/\\*.*?\\*/", " ") // block and doc comments
              .replaceAll("//[^\n]*", " ") // line comments
              .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""); // string literals
      return code.matches("(?s).*\\bsynchronized\\b.*");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
