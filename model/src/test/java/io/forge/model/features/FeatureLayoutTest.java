package io.forge.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Job;
import io.forge.model.Runtimes;
import io.forge.model.ScriptText;
import io.forge.model.Usage;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest {

  @Test
  void namesAreUniqueAndMatchTheVector() {
    assertEquals(FeatureLayout.NAMES.size(), new HashSet<>(FeatureLayout.NAMES).size());
    Features f =
        FeatureExtractor.extract(
            new Job("a", "python3", ScriptText.of("import numpy as np\nnp.zeros(3)\n"),
                List.of(10.0, 30.0)),
            PriorRuns.of(List.of(new Usage(2, 100, 3), new Usage(4, 300, 5))));
    double[] v = FeatureLayout.vector(f);
    assertEquals(FeatureLayout.size(), v.length);
    assertEquals(1.0, v[FeatureLayout.NAMES.indexOf("runtime_python")]);
    assertEquals(0.0, v[FeatureLayout.NAMES.indexOf("runtime_r")]);
    assertEquals(2.0, v[FeatureLayout.NAMES.indexOf("lib_numpy")]);
    assertEquals(2.0, v[FeatureLayout.NAMES.indexOf("input_count")]);
    assertEquals(Math.log1p(40), v[FeatureLayout.NAMES.indexOf("input_total_mb_log")], 1e-12);
    assertEquals(Math.log1p(30), v[FeatureLayout.NAMES.indexOf("input_max_mb_log")], 1e-12);
    assertEquals(2.0, v[FeatureLayout.NAMES.indexOf("prior_count")]);
    assertEquals(Math.log(200), v[FeatureLayout.NAMES.indexOf("prior_mean_rss_log")], 1e-12);
    assertEquals(Math.log(300), v[FeatureLayout.NAMES.indexOf("prior_max_rss_log")], 1e-12);
    assertEquals(Math.log(5), v[FeatureLayout.NAMES.indexOf("prior_last_wall_log")], 1e-12);
  }

  @Test
  void noPriorRunsUseTheSentinelBelowAnyRealLog() {
    Features f =
        FeatureExtractor.extract(
            new Job(null, "bash", ScriptText.absent(), List.of()), PriorRuns.none());
    double[] v = FeatureLayout.vector(f);
    assertEquals(FeatureLayout.NO_PRIOR, v[FeatureLayout.NAMES.indexOf("prior_mean_cpu_log")]);
    assertTrue(FeatureLayout.describe().startsWith("v" + FeatureLayout.VERSION + ":"));
  }

  @Test
  void runtimesAreCanonicalised() {
    assertEquals("python", Runtimes.canonical("/usr/bin/python3.11"));
    assertEquals("r", Runtimes.canonical("Rscript"));
    assertEquals("shell", Runtimes.canonical("bash"));
    assertEquals("jvm", Runtimes.canonical("java"));
    assertEquals("other", Runtimes.canonical("julia"));
    assertEquals("other", Runtimes.canonical(null));
    assertEquals("python", Runtimes.ofScriptName("cluster.py"));
    assertEquals("r", Runtimes.ofScriptName("de.R"));
    assertEquals("shell", Runtimes.ofScriptName("run.sh"));
    assertEquals("other", Runtimes.ofScriptName("Makefile"));
  }

  @Test
  void invalidInputSizesAreRejectedWithAClearMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Job("a", "python", ScriptText.absent(), List.of(-1.0)));
    assertTrue(e.getMessage().contains(">= 0 MB"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Job("a", "python", ScriptText.absent(), List.of(Double.NaN)));
  }
}
