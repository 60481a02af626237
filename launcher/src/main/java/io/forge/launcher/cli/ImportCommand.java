package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.Json;
import io.forge.model.importer.Importer;
import io.forge.model.importer.TraceFile;
import io.forge.model.importer.Traces;
import io.forge.model.service.ForgeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch import --format nextflow|snakemake|csv FILE…}. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Add settled runs from existing trace files (failed and malformed rows are"
        + " counted and reported, never imported; importing a file again adds nothing).",
    footer = HelpFooters.STORE_FOOTER)
final class ImportCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "nextflow, snakemake or csv")
  String format;

  @Option(names = "--label", paramLabel = "NAME",
      description = "stored with each run to evaluate a workflow's runs together (default: the"
          + " file's name without extension)")
  String label;

  @Option(names = "--analysis-id", paramLabel = "ID",
      description = "snakemake: the rule (default: the benchmark file's folder, or its name)")
  String analysisId;

  @Option(names = "--json", description = "print a JSON summary on stdout")
  boolean json;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "trace files")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Traces.Format f = Traces.Format.parse(format);
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + ": no such file");
      }
    }
    ForgeModel forge = parent.forge();
    TerminalProgress line = TerminalProgress.on(parent.err());
    List<Object> summaries = new ArrayList<>();
    int inserted = 0;
    for (Path file : files) {
      TraceFile trace = Traces.read(file, f, analysisId);
      String name = file.getFileName().toString();
      String fileLabel = label != null ? label : name.replaceFirst("\\.[^.]*$", "");
      Importer.Result r = Importer.write(forge.history(), trace, fileLabel,
          (done, total) -> line.show("importing " + name + " " + done + "/" + total));
      line.end();
      inserted += r.inserted();
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("file", file.toString());
      s.put("label", fileLabel);
      s.put("imported", r.inserted());
      s.put("already_present", r.duplicates());
      s.put("failed_rows", trace.failed());
      s.put("malformed_rows", trace.malformed());
      s.put("problems", trace.examples());
      summaries.add(s);
      if (!json) {
        parent.out().println(name + ": imported " + r.inserted() + ", already present "
            + r.duplicates() + ", failed tasks skipped " + trace.failed() + ", malformed rows "
            + trace.malformed() + (trace.examples().isEmpty() ? ""
                : " (" + String.join("; ", trace.examples()) + ")"));
      }
    }
    if (inserted > 0) {
      forge.refreshSnapshot();
    }
    if (json) {
      parent.out().println(Json.write(summaries));
    }
    return ExitCodes.OK;
  }
}
