package io.forge.model.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.db.HistoryStore;
import io.forge.model.db.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesTest {

  @TempDir Path dir;

  /** Real traces kept in this module's test resources (see traces/README.md there). */
  static Path traces() throws Exception {
    return Path.of(TracesTest.class.getResource("/traces").toURI());
  }

  @Test
  void unitsRawAndHuman() {
    assertEquals(1.5 * 1024 * 1024 * 1024, Units.bytes("1.5 GB").getAsDouble(), 1);
    assertEquals(512 * 1024 * 1024, Units.bytes("512 MB").getAsDouble(), 1);
    assertEquals(2961408, Units.bytes("2961408").getAsDouble(), 0);
    assertTrue(Units.bytes("-").isEmpty());
    assertTrue(Units.bytes("lots").isEmpty());
    assertEquals(182, Units.seconds("3m 2s", 0.001).getAsDouble(), 1e-9);
    assertEquals(3723.5, Units.seconds("1h 2m 3.5s", 0.001).getAsDouble(), 1e-9);
    assertEquals(0.25, Units.seconds("250ms", 0.001).getAsDouble(), 1e-9);
    assertEquals(2.052, Units.seconds("2052", 0.001).getAsDouble(), 1e-9);
    assertEquals(3723, Units.seconds("1:02:03", 1).getAsDouble(), 1e-9);
    assertTrue(Units.seconds("soon", 1).isEmpty());
    assertEquals(98.5, Units.number("98.5%").getAsDouble(), 1e-9);
  }

  @Test
  void separatorComesFromTheHeader() {
    assertEquals('\t', Traces.separator("task_id\thash\tname\tstatus"));
    assertEquals(';', Traces.separator("task_id;hash;name;status"));
    assertEquals(',', Traces.separator("task_id,hash,name,status"));
    assertEquals(List.of("a", "b;c", "d\"e"),
        List.of(Traces.split("a;\"b;c\";\"d\"\"e\"", ';')));
  }

  @Test
  void aFormattedTabSeparatedNextflowTraceWithFailedAndBrokenRows() throws Exception {
    Path trace = dir.resolve("trace.txt");
    Files.writeString(trace, String.join("\n",
        "task_id\thash\tname\tstatus\texit\trealtime\t%cpu\tpeak_rss\trchar\tmemory\tstart",
        "1\taa/1\tALIGN (s1)\tCOMPLETED\t0\t3m 2s\t150.0%\t1.5 GB\t2 GB\t4 GB"
            + "\t2026-01-02 03:04:05.000",
        "2\tbb/2\tALIGN (s2)\tFAILED\t1\t10s\t99%\t10 MB\t1 MB\t4 GB\t2026-01-02 03:05:00.000",
        "3\tcc/3\tSORT (s1)\tCOMPLETED\t0\t-\t99%\t10 MB\t1 MB\t4 GB\t2026-01-02 03:06:00.000",
        "4\tdd/4\tSORT (s2)\tCOMPLETED\t0",
        ""));
    TraceFile t = Traces.read(trace, Traces.Format.NEXTFLOW, null);
    assertEquals(1, t.runs().size());
    assertEquals(1, t.failed());
    assertEquals(2, t.malformed());
    assertEquals(2, t.examples().size());
    ImportedRun r = t.runs().get(0);
    assertEquals("ALIGN", r.analysisId(), "the process, from the task name");
    assertEquals("nextflow", r.runtime());
    assertEquals(182, r.actual().wallSeconds(), 1e-9);
    assertEquals(273, r.actual().cpuSeconds(), 1e-9, "realtime x %cpu");
    assertEquals(1536, r.actual().peakRssMb(), 1e-9);
    assertEquals(2048, r.inputMb(), 1e-9, "input from rchar");
    assertEquals(4096, r.requestedMemoryMb(), 1e-9);
    assertEquals(Instant.parse("2026-01-02T03:04:05Z"), r.startedAt());
  }

  @Test
  void snakemakeBenchmarkAndForgeCsv() throws Exception {
    Path bench = dir.resolve("benchmarks").resolve("bwa_mem");
    Files.createDirectories(bench);
    Path tsv = bench.resolve("sample1.tsv");
    Files.writeString(tsv, "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out"
        + "\tmean_load\tcpu_time\n12.5\t0:00:12\t850.2\t900\t800\t810\t300.5\t20\t190\t23.4\n");
    TraceFile s = Traces.read(tsv, Traces.Format.SNAKEMAKE, null);
    assertEquals(1, s.runs().size());
    assertEquals("bwa_mem", s.runs().get(0).analysisId());
    assertEquals(850.2, s.runs().get(0).actual().peakRssMb(), 1e-9);
    assertEquals(23.4, s.runs().get(0).actual().cpuSeconds(), 1e-9);
    assertEquals(300.5, s.runs().get(0).inputMb(), 1e-9);

    Path csv = dir.resolve("runs.csv");
    Files.writeString(csv, "analysis_id,runtime,cpu_seconds,peak_rss_mb,wall_seconds,input_mb,"
        + "started_at,requested_memory_mb,outcome\n"
        + "\"qc, step 1\",python,12,300,15,40,2026-03-01T10:00:00Z,1024,ok\n"
        + "qc,python,1,2,3,4,2026-03-01T11:00:00Z,,oom_killed\n"
        + "qc,python,-1,2,3,4,,,\n");
    TraceFile c = Traces.read(csv, Traces.Format.CSV, null);
    assertEquals(1, c.runs().size());
    assertEquals("qc, step 1", c.runs().get(0).analysisId());
    assertEquals(1024.0, c.runs().get(0).requestedMemoryMb());
    assertEquals(1, c.failed(), "a censored run is reported, not imported");
    assertEquals(1, c.malformed());
    assertNull(Traces.read(csv, Traces.Format.CSV, null).runs().get(0).exitCode());
  }

  /** Every bad value is one malformed row with its file and line; the good rows import. */
  @Test
  void badValuesAreCountedPerRowWithTheirLineAndTheRestImports() throws Exception {
    Path nf = dir.resolve("trace.txt");
    String head = "task_id\tprocess\tstatus\trealtime\t%cpu\tpeak_rss\tstart\n";
    String good = "\tP\tCOMPLETED\t1000\t100\t1048576\t2026-03-01 10:00:00\n";
    Files.writeString(nf, head + "1" + good
        + "2\tP\tCOMPLETED\tNaN\t100\t1048576\t-\n"
        + "3\tP\tCOMPLETED\tInfinity\t100\t1048576\t-\n"
        + "4\tP\tCOMPLETED\t1e400\t100\t1048576\t-\n"
        + "5\tP\tCOMPLETED\t-5\t100\t1048576\t-\n"
        + "6\tP\tCOMPLETED\t1000\t-5\t1048576\t-\n"
        + "7\tP\tCOMPLETED\t1000\t100\t100000000000000000000000000\t-\n"
        + "8\tP\tCOMPLETED\t1000\t100\t1048576\tnot-a-date\n"
        + "9\tP\tCOMPLETED\t1000\t100\t1048576\t2020-13-45T99:00:00Z\n"
        + "10" + good);
    TraceFile t = Traces.read(nf, Traces.Format.NEXTFLOW, null);
    assertEquals(2, t.runs().size());
    assertEquals(8, t.malformed());
    assertEquals("trace.txt:3: realtime is not a finite number (NaN)", t.examples().get(0));
    assertTrue(t.examples().get(3).startsWith("trace.txt:6: realtime is negative"),
        t.examples().toString());
    assertTrue(t.examples().get(4).startsWith("trace.txt:7: %cpu is negative"),
        t.examples().toString());

    Path csv = dir.resolve("runs.csv");
    byte[] latin1 = "plain,1,2,3,caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.write(("analysis_id,cpu_seconds,peak_rss_mb,wall_seconds,started_at,exit_code\n"
        + "plain,1e308,1e308,1e308,,\n"
        + "plain,1,2,3,,99999999999\n"
        + "plain,1,2,3,,abc\n"
        + "plain,1,2,3,99999999999999999999999,\n"
        + "plain,1,2,3,not-a-date,\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes.write(latin1, 0, latin1.length - 1);
    bytes.write(",\nplain,1,2,3,2026-03-01T10:00:00Z,0\n".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    Files.write(csv, bytes.toByteArray());
    TraceFile c = Traces.read(csv, Traces.Format.CSV, null);
    assertEquals(1, c.runs().size(), c.examples().toString());
    assertEquals(6, c.malformed());
    assertEquals(List.of(
        "runs.csv:2: cpu_seconds 1.00e+308 is beyond any machine (at most 5.18e+12)",
        "runs.csv:3: unreadable exit code '99999999999'",
        "runs.csv:4: unreadable exit code 'abc'",
        "runs.csv:5: unreadable time '99999999999999999999999'",
        "runs.csv:6: unreadable time 'not-a-date'"), c.examples());
  }

  @Test
  void aFileOfTheWrongFormatIsRefusedWithAReason() throws Exception {
    Path csv = dir.resolve("x.csv");
    Files.writeString(csv, "a,b,c\n1,2,3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Traces.read(csv, Traces.Format.NEXTFLOW, null));
    assertTrue(e.getMessage().contains("not a Nextflow trace"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Traces.Format.parse("cromwell"));
  }

  @Test
  void realTracesImportOnceWithTheirBrokenRowsCounted() throws Exception {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(dir.resolve("home")));
    Path ampliseq = traces().resolve("ampliseq").resolve("run1.trace.csv");
    TraceFile t = Traces.read(ampliseq, Traces.Format.NEXTFLOW, null);
    assertTrue(t.malformed() >= 1, "the broken status row is counted");
    Importer.Result first = Importer.write(store, t, "ampliseq", (d, n) -> { });
    assertEquals(t.runs().size(), first.inserted());
    Importer.Result again = Importer.write(store,
        Traces.read(ampliseq, Traces.Format.NEXTFLOW, null), "ampliseq", (d, n) -> { });
    assertEquals(0, again.inserted());
    assertEquals(t.runs().size(), again.duplicates());
    assertEquals(t.runs().size(), store.queries().measuredCount());
    assertEquals("ampliseq", store.queries().history(1).get(0).label());

    TraceFile mag = Traces.read(traces().resolve("mag").resolve("run1.trace.csv"),
        Traces.Format.NEXTFLOW, null);
    assertEquals(6, mag.failed(), "the six FAILED tasks are counted, not imported");
    assertTrue(mag.runs().size() > 1000, "the others are: " + mag.runs().size());
  }
}
