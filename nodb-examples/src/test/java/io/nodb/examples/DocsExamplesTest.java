package io.nodb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of README.md and docs/*.md is the text of a compiled source in this module
 * (which the other tests run), so the documents cannot drift from code that works. A block is
 * marked on the line before it with {@code <!-- example: <path>[#<region>] -->}: the whole file
 * after its package line, or the lines between {@code // docs:begin <region>} and {@code //
 * docs:end <region>}, dedented. Run with {@code -Dnodb.docs.update=true} to copy the sources into
 * the documents.
 */
class DocsExamplesTest {

  private static final Pattern MARKER = Pattern.compile("<!-- example: ([^#\\s]+)(?:#(\\S+))? -->");
  private static final boolean UPDATE = Boolean.getBoolean("nodb.docs.update");

  private final Path repo = Repo.root();

  @Test
  void everyJavaBlockInTheDocsIsACompiledExample() throws IOException {
    List<String> problems = new ArrayList<>();
    int blocks = 0;
    for (Path doc : documents()) {
      List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        out.add(line);
        if (!line.strip().equals("```java")) {
          continue;
        }
        blocks++;
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).strip().equals("```")) {
          end++;
        }
        List<String> block = lines.subList(i + 1, Math.min(end, lines.size()));
        String where = repo.relativize(doc) + ":" + (i + 1);
        Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
        if (m == null || !m.matches()) {
          problems.add(where + ": a ```java block without an <!-- example: path[#region] --> line");
          out.addAll(block);
        } else {
          List<String> source = example(m.group(1), m.group(2), where, problems);
          if (source != null && !UPDATE && !strip(source).equals(strip(block))) {
            problems.add(
                where
                    + ": differs from "
                    + m.group(0)
                    + "\n--- document\n"
                    + String.join("\n", block)
                    + "\n--- source\n"
                    + String.join("\n", source));
          }
          out.addAll(UPDATE && source != null ? source : block);
        }
        i = end - 1;
      }
      if (UPDATE) {
        Files.writeString(doc, String.join("\n", out) + "\n", StandardCharsets.UTF_8);
      }
    }
    assertThat(blocks).as("Java blocks found in the documents").isGreaterThanOrEqualTo(4);
    assertThat(problems)
        .as(
            "document blocks that are not their compiled example; to copy the sources into the"
                + " documents: ./mvnw -B -pl nodb-examples -am test -Dtest=DocsExamplesTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dnodb.docs.update=true")
        .isEmpty();
  }

  @Test
  void theReadmeDependencySnippetNamesThisVersion() throws IOException {
    String readme = Files.readString(repo.resolve("README.md"));
    String version = System.getProperty("nodb.version");
    assertThat(version).as("nodb.version (set by the pom)").isNotBlank();
    Matcher m =
        Pattern.compile("<artifactId>nodb-bom</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(readme);
    assertThat(m.find()).as("README shows how to import io.nodb:nodb-bom").isTrue();
    assertThat(m.group(1)).isEqualTo(version);
  }

  private List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(repo.resolve("README.md"));
    try (Stream<Path> s = Files.list(repo.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  private List<String> example(String path, String region, String where, List<String> problems)
      throws IOException {
    Path file = repo.resolve(path).normalize();
    if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
      problems.add(where + ": no such example source " + path);
      return null;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (region == null) {
      int start = 0;
      while (start < lines.size() && !lines.get(start).startsWith("package ")) {
        start++;
      }
      start++;
      while (start < lines.size() && lines.get(start).isBlank()) {
        start++;
      }
      return lines.subList(Math.min(start, lines.size()), lines.size());
    }
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.equals("// docs:begin " + region)) {
        begin = i;
      } else if (l.equals("// docs:end " + region)) {
        end = i;
      }
    }
    if (begin < 0 || end < begin) {
      problems.add(where + ": no region '" + region + "' in " + path);
      return null;
    }
    List<String> body = lines.subList(begin + 1, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }

  private static List<String> strip(List<String> lines) {
    List<String> out = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
