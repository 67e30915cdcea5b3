package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a release needs, checked on every build: the license, a changelog entry for the version, and
 * a BOM that lists every published artifact at the project's version.
 */
class ReleaseTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /** The artifacts users depend on: the ones the BOM must list. */
  private static final List<String> PUBLISHED =
      List.of("channels-java", "channels-kotlin", "channels-kafka");

  @Test
  void theBomListsEveryPublishedArtifactAtTheProjectsVersion() throws Exception {
    String version = text(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
    Document bom = pom(ROOT.resolve("sluice-bom/pom.xml"));
    assertEquals(version, text(bom.getDocumentElement(), "version"), "the BOM's own version");
    TreeSet<String> listed = new TreeSet<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      assertEquals("dev.sluice", text(d, "groupId"));
      assertEquals(version, text(d, "version"), text(d, "artifactId") + "'s version in the BOM");
      listed.add(text(d, "artifactId"));
    }
    assertEquals(new TreeSet<>(PUBLISHED), listed);
    for (String artifact : PUBLISHED) {
      assertEquals(
          artifact,
          text(pom(ROOT.resolve(artifact + "/pom.xml")).getDocumentElement(), "artifactId"));
    }
  }

  @Test
  void theLicenseAndAChangelogEntryForTheVersionAreThere() throws Exception {
    String license = Files.readString(ROOT.resolve("LICENSE"));
    assertTrue(
        license.contains("Apache License") && license.contains("Version 2.0"),
        "LICENSE is Apache-2.0");
    String version =
        text(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "version").replace("-SNAPSHOT", "");
    String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"));
    assertTrue(changelog.contains("## " + version), "CHANGELOG.md has no section for " + version);
  }

  @Test
  void everySourceFileCarriesTheLicenseHeader() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String module :
        List.of("channels-java", "channels-kotlin", "channels-kafka", "channels-jcstress")) {
      try (var files = Files.walk(ROOT.resolve(module + "/src/main"))) {
        files
            .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt"))
            .forEach(
                p -> {
                  try {
                    String head =
                        Files.readString(p).lines().limit(3).reduce("", (a, b) -> a + b + "\n");
                    if (!head.contains("SPDX-License-Identifier: Apache-2.0")) {
                      missing.add(ROOT.relativize(p).toString());
                    }
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
      }
    }
    assertEquals(List.of(), missing, "files without the license header");
  }

  private static Document pom(Path path) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(path.toFile());
  }

  /** The text of {@code parent}'s first direct child element named {@code name}. */
  private static String text(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
  }
}
