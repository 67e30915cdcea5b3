package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the pages' code honest. Every Java or Kotlin code block in the guide ({@code guide/*.md})
 * and the README is preceded by {@code <!-- snippet: name -->}, and must equal, word for word, the
 * region of that name in this module's test sources, between {@code // snippet: name} and {@code //
 * end snippet} (indentation removed). Those regions sit in tests that compile and run them ({@link
 * JavaSnippetsTest}, {@code KotlinSnippetsTest}), so an example that no longer compiles, or no
 * longer does what the page says, fails the build.
 */
class PagesTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Pattern FENCE = Pattern.compile("^```(java|kotlin)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^<!-- snippet: ([\\w-]+) -->$");
  private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet: ([\\w-]+)\\s*$");
  private static final Pattern REGION_END = Pattern.compile("^\\s*// end snippet\\s*$");

  @Test
  void everyCodeBlockOfThePagesIsACompiledSnippet() throws IOException {
    Map<String, String> regions = regions();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      List<String> lines = Files.readAllLines(page);
      for (int i = 0; i < lines.size(); i++) {
        if (!FENCE.matcher(lines.get(i)).matches()) {
          continue;
        }
        String where = MODULE.relativize(page) + ":" + (i + 1);
        Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
          end++;
        }
        String block = String.join("\n", lines.subList(i + 1, end));
        if (marker == null || !marker.matches()) {
          problems.add(where + ": a code block without a <!-- snippet: name --> line before it");
        } else if (!regions.containsKey(marker.group(1))) {
          problems.add(where + ": no region '" + marker.group(1) + "' in the test sources");
        } else if (!regions.get(marker.group(1)).equals(block)) {
          problems.add(
              where
                  + ": differs from region '"
                  + marker.group(1)
                  + "':\n"
                  + regions.get(marker.group(1)));
        } else {
          checked++;
        }
        i = end;
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(
        checked >= 10,
        "only " + checked + " code blocks found: are the pages where this test looks?");
  }

  @Test
  void everyPageOfTheGuideIsLinkedFromItsIndex() throws IOException {
    String index = Files.readString(MODULE.resolve("guide/README.md"));
    for (Path page : pages()) {
      String name = page.getFileName().toString();
      if (page.getParent().endsWith("guide") && !name.equals("README.md")) {
        assertTrue(index.contains("(" + name + ")"), "guide/README.md does not link " + name);
      }
    }
  }

  /**
   * Every relative link and image of the Markdown pages (the guide, the README, the docs, the
   * decision records, the READMEs of the examples, the benchmarks and the jcstress tests, the
   * changelog) names a file that exists: a renamed page or a chart of a moved run must not leave a
   * dead link behind.
   */
  @Test
  void everyRelativeLinkOfTheMarkdownPagesResolves() throws IOException {
    Path root = MODULE.resolve("..").normalize();
    List<Path> markdown = new ArrayList<>(pages());
    for (String dir : List.of("docs", "docs/adr")) {
      try (Stream<Path> files = Files.list(root.resolve(dir))) {
        files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(markdown::add);
      }
    }
    for (String file :
        List.of(
            "examples/README.md",
            "bench/README.md",
            "channels-jcstress/README.md",
            "CHANGELOG.md")) {
      markdown.add(root.resolve(file));
    }
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    List<String> dead = new ArrayList<>();
    int checked = 0;
    for (Path page : markdown) {
      Matcher m = link.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*") || target.startsWith("#")) {
          continue; // a web address, or an anchor in the same page
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        if (!Files.exists(page.getParent().resolve(file))) {
          dead.add(root.relativize(page) + ": " + target);
        }
        checked++;
      }
    }
    assertEquals(List.of(), dead);
    assertTrue(
        checked >= 50, "only " + checked + " links found: are the pages where this test looks?");
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    try (Stream<Path> guide = Files.list(MODULE.resolve("guide"))) {
      guide.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    pages.add(MODULE.resolve("../README.md").normalize());
    assertFalse(pages.isEmpty());
    return pages;
  }

  /** Every region of the test sources, by name, with its common indentation removed. */
  private static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MODULE.resolve("src/test"))) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt"))
              .sorted()
              .collect(Collectors.toList());
    }
    for (Path source : sources) {
      List<String> lines = Files.readAllLines(source);
      for (int i = 0; i < lines.size(); i++) {
        Matcher start = REGION_START.matcher(lines.get(i));
        if (!start.matches()) {
          continue;
        }
        int end = i + 1;
        while (end < lines.size() && !REGION_END.matcher(lines.get(end)).matches()) {
          end++;
        }
        assertTrue(end < lines.size(), source + ": region '" + start.group(1) + "' has no end");
        String previous = regions.put(start.group(1), dedent(lines.subList(i + 1, end)));
        assertEquals(null, previous, "two regions named '" + start.group(1) + "'");
        i = end;
      }
    }
    return regions;
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.isBlank() ? "" : l.substring(indent))
        .collect(Collectors.joining("\n"));
  }
}
