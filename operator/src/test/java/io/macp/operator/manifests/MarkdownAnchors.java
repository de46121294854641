package io.macp.operator.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The anchors GitHub gives a Markdown file's headings: lower case, spaces to '-', punctuation dropped. */
final class MarkdownAnchors {
  private MarkdownAnchors() {}

  static Set<String> of(Path markdown) throws IOException {
    Set<String> anchors = new TreeSet<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(markdown)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.startsWith("#")) {
        String text = line.replaceFirst("^#+\\s*", "").trim();
        anchors.add(text.toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
