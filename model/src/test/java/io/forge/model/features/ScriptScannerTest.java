package io.forge.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.ScriptText;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptScannerTest {

  static Path resource(String name) throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(ScriptScannerTest.class.getResource("/scripts/" + name)).toURI());
  }

  @Test
  void pythonScriptCountsImportsAndUsesButNotCommentsOrStrings() throws Exception {
    ScriptFeatures f =
        ScriptScanner.scan(ScriptText.read(resource("cluster_cells.py")), "python");
    assertEquals(ScriptText.Status.OK, f.status());
    assertEquals(7, f.tokens("scanpy"), "import + six sc.* calls");
    assertEquals(2, f.tokens("numpy"));
    assertEquals(2, f.tokens("pandas"));
    assertEquals(2, f.tokens("scipy"), "from scipy import sparse + sparse.issparse");
    assertEquals(2, f.tokens("scikit_learn"), "from sklearn... import PCA + PCA(");
    assertEquals(0, f.tokens("torch"), "only mentioned in a docstring and a string");
    assertEquals(0, f.tokens("tensorflow"), "only mentioned in a docstring");
    assertEquals(0, f.tokens("pymc"), "commented out");
    assertTrue(f.parallelHints() >= 4, "multiprocessing, Pool, processes, N_JOBS");
    assertEquals(8, f.declaredWorkers(), "N_JOBS = 8 beats processes=4");
    assertTrue(f.scriptLines() > 20 && f.scriptLines() < 50);
  }

  @Test
  void rScriptCountsLibraryRequireAndNamespaceUses() throws Exception {
    ScriptFeatures f = ScriptScanner.scan(ScriptText.read(resource("deseq.R")), "r");
    assertEquals(2, f.tokens("deseq2"), "library(DESeq2) + DESeq2::");
    assertEquals(3, f.tokens("data_table"), "library(\"data.table\") + two data.table::");
    assertEquals(1, f.tokens("bioconductor"), "require(BiocParallel)");
    assertEquals(1, f.tokens("seurat"));
    assertEquals(0, f.tokens("torch"), "commented out");
    assertEquals(0, f.tokens("pymc"), "inside a string");
    assertEquals(6, f.declaredWorkers(), "workers = 6 beats mc.cores = 4");
    assertTrue(f.parallelHints() >= 4);
  }

  @Test
  void shellHashInsideWordsIsNotAComment() throws Exception {
    ScriptFeatures f = ScriptScanner.scan(ScriptText.read(resource("pipeline.sh")), "shell");
    assertEquals(8, f.declaredWorkers(), "xargs -P 8");
    assertTrue(f.parallelHints() >= 2);
    assertTrue(f.libraryTokens().isEmpty());
  }

  @Test
  void importVariantsAreAllRecognised() {
    String code =
        "import torch.nn as nn, os\n"
            + "from jax import numpy as jnp\n"
            + "import polars as pl; import dask.dataframe as dd\n"
            + "try:\n    import xgboost\nexcept ImportError:\n    xgboost = None\n"
            + "mod = __import__('pyscenic')\n"
            + "model = nn.Linear(3, 4)\n";
    ScriptFeatures f = ScriptScanner.scan(ScriptText.of(code), "python");
    assertEquals(2, f.tokens("torch"), "import + nn.Linear");
    assertEquals(1, f.tokens("jax"));
    assertEquals(1, f.tokens("polars"));
    assertEquals(1, f.tokens("dask"));
    assertEquals(1, f.tokens("xgboost"), "a guarded import still counts");
    assertEquals(1, f.tokens("pyscenic"), "dynamic import by name");
  }

  @Test
  void wordsThatOnlyContainALibraryNameDoNotCount() {
    String code = "important = 1\nfrom_torch = 2\nmy_numpy_helper()\nlibraryX(Seurat)\n";
    ScriptFeatures f = ScriptScanner.scan(ScriptText.of(code), "python");
    assertTrue(f.libraryTokens().isEmpty(), f.libraryTokens().toString());
  }

  @Test
  void nJobsMinusOneMeansAllCores() {
    ScriptFeatures f =
        ScriptScanner.scan(ScriptText.of("clf = Forest(n_jobs=-1)\n"), "python");
    assertEquals(ScriptFeatures.ALL_CORES, f.declaredWorkers());
  }

  @Test
  void binaryEmptyNonUtf8AndHugeScriptsDegradeToSizeOnly(@TempDir Path dir) throws IOException {
    byte[] elf = {0x7f, 'E', 'L', 'F', 0, 0, 1, 2};
    assertDegraded(ScriptText.of(elf), ScriptText.Status.BINARY, 8);
    assertDegraded(ScriptText.of(new byte[0]), ScriptText.Status.EMPTY, 0);
    assertDegraded(ScriptText.of("  \n\t"), ScriptText.Status.EMPTY, 4);
    byte[] latin1 = "caf\u00e9 import torch".getBytes(StandardCharsets.ISO_8859_1);
    assertDegraded(ScriptText.of(latin1), ScriptText.Status.NOT_UTF8, latin1.length);

    Path huge = dir.resolve("huge.py");
    try (var out = Files.newOutputStream(huge)) {
      byte[] line = "import torch\n".getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written <= ScriptText.MAX_SCAN_BYTES; written += line.length) {
        out.write(line);
      }
    }
    ScriptText big = ScriptText.read(huge);
    assertDegraded(big, ScriptText.Status.TOO_LARGE, Files.size(huge));
    assertEquals(ScriptText.Status.ABSENT, ScriptText.absent().status());
  }

  private static void assertDegraded(ScriptText text, ScriptText.Status status, long size) {
    assertEquals(status, text.status());
    assertFalse(text.scanned());
    ScriptFeatures f = ScriptScanner.scan(text, "python");
    assertEquals(status, f.status());
    assertEquals(size, f.scriptBytes());
    assertTrue(f.libraryTokens().isEmpty());
    double[] v = FeatureLayout.vector(
        new Features("python", f, 0, 0, 0, PriorRuns.none()));
    assertEquals(0.0, v[FeatureLayout.NAMES.indexOf("script_scanned")]);
  }
}
