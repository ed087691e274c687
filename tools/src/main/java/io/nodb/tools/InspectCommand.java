package io.nodb.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Controllers;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyReport;
import io.nodb.store.NoDbFileInfo;
import io.nodb.store.NoDbFiles;
import io.nodb.store.NoDbStoreBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb inspect <file.nodb>}: validates a controller file's envelope with the store's own
 * codec, then prints the header and the pretty-printed state. A file named like a known controller
 * ({@code climate.nodb}, ...) must hold that controller's type and its state must fit the
 * controller's state class. A corrupt or missing file gets a precise diagnosis and exit 4. The file
 * is only read, never written, locked or moved.
 */
@Command(
    name = "inspect",
    description = {
      "Validate a .nodb file and print its header and state. Never modifies the file.",
      "Exits 4 if the file does not exist or is corrupt."
    })
final class InspectCommand implements Callable<Integer> {

  private static final Pattern WHERE = Pattern.compile("at line (\\d+), column (\\d+)");

  /**
   * The controllers and the mapper, initialized on first use only: picocli instantiates every
   * subcommand at start, and loading Jackson and the controllers for {@code nodb --version} would
   * cost a large part of the start time.
   */
  private static final class Lazy {
    static final ObjectMapper PRETTY =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<file.nodb>", description = "The controller file.")
  Path file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path path = file.toAbsolutePath().normalize();
    if (path.getParent() != null && Files.isDirectory(path.getParent())) {
      // the file's directory may be reached through a link (a linked run): name the real one; the
      // file itself is never followed
      path = path.getParent().toRealPath().resolve(path.getFileName());
    }
    Optional<ControllerType<?, ?>> known = Controllers.forFile(String.valueOf(path.getFileName()));
    NoDbFileInfo info =
        NoDbFiles.inspect(path, NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE, known.orElse(null));
    if (!info.loadable()) {
      return invalid(
          out,
          path,
          info.size(),
          info.reason().orElse(info.diagnosis().toString()),
          info.content().orElse(null));
    }
    NoDbFileInfo.Header h = info.header().orElseThrow();
    ObjectNode state = info.state().orElseThrow();
    LegacyReport legacy = info.legacy().orElse(null);
    String note = legacy == null ? null : legacyNote(known, legacy);
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("valid", true);
      doc.put("path", path.toString());
      doc.put("bytes", info.size());
      doc.put("controller", known.map(ControllerType::fileName).orElse(null));
      doc.put("note", note);
      if (legacy != null) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("pythonClass", legacy.pythonClass());
        l.put("mapped", legacy.mapped());
        l.put("kept", legacy.kept());
        doc.put("legacy", l);
      }
      doc.put("header", headerJson(h));
      doc.put("state", state);
      JsonOutput.print(out, doc);
      return ExitCode.OK;
    }
    out.println("file     " + path + "  (" + info.size() + " bytes)");
    out.println("valid    yes");
    out.println(
        "type     "
            + h.type()
            + (known.isEmpty()
                ? "  (not a file name this build knows; checked as an envelope of its own type)"
                : "  (" + known.get().controllerClass().getSimpleName() + " controller)"));
    if (note != null) {
      out.println("note     " + note);
    }
    out.println();
    TablePrinter t = new TablePrinter("HEADER", "VALUE");
    t.row("format", Integer.toString(h.format()));
    t.row("type", h.type());
    // a legacy (format 0) file has no version or fence yet
    t.row("version", h.format() == 0 ? "- (legacy)" : Long.toString(h.version()));
    t.row("fence", h.format() == 0 ? "- (legacy)" : Long.toString(h.fence()));
    t.row("writtenAt", h.writtenAt().isEmpty() ? null : h.writtenAt());
    t.row("writer", h.writer().isEmpty() ? null : h.writer());
    h.extra().properties().forEach(e -> t.row(e.getKey(), e.getValue().toString()));
    t.print(out);
    out.println();
    out.println("STATE");
    out.println(Lazy.PRETTY.writeValueAsString(state));
    out.flush();
    return ExitCode.OK;
  }

  /** What the store would do with a legacy file, as one line. */
  private static String legacyNote(Optional<ControllerType<?, ?>> known, LegacyReport plan) {
    String what =
        known.isPresent()
            ? "legacy format 0 (jsonpickle, Python class "
                + plan.pythonClass()
                + "): the "
                + known.get().controllerClass().getSimpleName()
                + " controller maps "
                + plan.mapped().size()
                + " field(s) and keeps "
                + plan.kept().size()
                + " verbatim"
            : "legacy, no controller (jsonpickle, Python class "
                + plan.pythonClass()
                + "): the store reads it as a tree (NoDbStore.getTree)";
    return what
        + "; the first write (or nodb migrate) writes format "
        + NoDbFiles.CURRENT_FORMAT
        + " and keeps the original bytes beside the file";
  }

  private int invalid(PrintWriter out, Path path, long size, String problem, byte[] bytes) {
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("valid", false);
      doc.put("path", path.toString());
      doc.put("problem", problem);
      JsonOutput.print(out, doc);
    } else {
      out.println("file     " + path + (size >= 0 ? "  (" + size + " bytes)" : ""));
      out.println("valid    no");
      out.println("problem  " + problem);
      excerpt(problem, bytes).ifPresent(x -> x.lines().forEach(l -> out.println("         " + l)));
      if (bytes != null) {
        out.println("the file was not modified");
      }
      out.flush();
    }
    spec.commandLine()
        .getErr()
        .println(
            "nodb: "
                + (bytes == null
                    ? problem + ": " + file
                    : "corrupt nodb file " + path + ": " + problem));
    return ExitCode.NOT_FOUND;
  }

  /** Returns the line a JSON error points at, with a caret under the column. */
  private static Optional<String> excerpt(String problem, byte[] bytes) {
    Matcher m = WHERE.matcher(problem);
    if (bytes == null || !m.find()) {
      return Optional.empty();
    }
    int lineNr = Integer.parseInt(m.group(1));
    int col = Integer.parseInt(m.group(2));
    List<String> lines =
        new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    if (lineNr < 1 || lineNr > lines.size()) {
      return Optional.empty();
    }
    String line = lines.get(lineNr - 1);
    int from = Math.max(0, Math.min(col - 1, line.length()) - 60);
    int to = Math.min(line.length(), from + 80);
    String shown = line.substring(from, to).replaceAll("\\p{Cntrl}", "?");
    int caret = Math.max(0, Math.min(col - 1, line.length()) - from);
    return Optional.of(shown + "\n" + " ".repeat(caret) + "^");
  }

  private static Map<String, Object> headerJson(NoDbFileInfo.Header h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", h.format());
    m.put("type", h.type());
    m.put("version", h.format() == 0 ? null : h.version());
    m.put("fence", h.format() == 0 ? null : h.fence());
    m.put("writtenAt", h.writtenAt());
    m.put("writer", h.writer());
    ObjectNode extra = h.extra();
    for (Map.Entry<String, JsonNode> e : extra.properties()) {
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }
}
