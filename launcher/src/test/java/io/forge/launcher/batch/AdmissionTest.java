package io.forge.launcher.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  @Test
  void jobsAreAdmittedWhileTheirCapsFitTheBudgetAndTheirLoadTheCores() {
    Admission a = new Admission(1000, 2);
    assertTrue(a.fits(600, 1));
    a.start(600, 1);
    assertFalse(a.fits(500, 0.5), "600 + 500 MB exceeds the 1000 MB budget");
    assertTrue(a.fits(400, 1));
    a.start(400, 1);
    assertFalse(a.fits(1, 0.1), "both cores are busy");
    a.finish(600, 1);
    assertTrue(a.fits(500, 0.5));
    assertEquals(400, a.committedMb());
  }

  @Test
  void aJobLargerThanTheBudgetStillRunsAlone() {
    Admission a = new Admission(1000, 2);
    assertTrue(a.fits(5000, 1), "never stall the queue: the launcher refuses or caps it");
  }

  @Test
  void loadIsCpuOverWallWithinBounds() {
    assertEquals(2.0, Admission.load(20, 10, 8));
    assertEquals(0.1, Admission.load(0, 10, 8));
    assertEquals(8.0, Admission.load(1000, 1, 8));
  }

  @Test
  void batchLinesArePlainCommandsOrJson() {
    assertNull(BatchJob.parse(1, "  # a comment"));
    assertNull(BatchJob.parse(2, ""));
    BatchJob plain = BatchJob.parse(3, "python3 x.py  in.csv");
    assertEquals(List.of("python3", "x.py", "in.csv"), plain.command());
    BatchJob json = BatchJob.parse(4,
        "{\"command\": [\"python3\", \"my script.py\"], \"analysis_id\": \"clu\"}");
    assertEquals(List.of("python3", "my script.py"), json.command());
    assertEquals("clu", json.analysisId());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BatchJob.parse(5, "{\"cmd\": 1}"));
    assertTrue(e.getMessage().startsWith("line 5"), e.getMessage());
  }
}
