package io.forge.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimerCommandTest {

  @TempDir Path dir;

  @Test
  void writesAWeeklySundayTimerRunningRetrainIfReady() throws Exception {
    Path jar = dir.resolve("forge-launch.jar");
    Files.writeString(jar, "placeholder jar for the unit text");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ForgeLaunch.execute(
        new String[] {"timer", "install", "--dir", dir.toString(), "--jar", jar.toString()},
        Map.of("FORGE_HOME", dir.resolve("home").toString()), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String service = Files.readString(dir.resolve("forge-predictor-retrain.service"));
    String timer = Files.readString(dir.resolve("forge-predictor-retrain.timer"));
    assertTrue(service.contains("ExecStart=") && service.contains(" -jar " + jar
        + " retrain --if-ready"), service);
    assertTrue(service.contains("FORGE_HOME=" + dir.resolve("home")), service);
    assertTrue(timer.contains("OnCalendar=hourly"), timer);
    assertTrue(timer.contains("Persistent=true"), timer);

    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (Files.isExecutable(analyze)) {
      Process verify = new ProcessBuilder(analyze.toString(), "verify",
          dir.resolve("forge-predictor-retrain.timer").toString(),
          dir.resolve("forge-predictor-retrain.service").toString())
          .redirectErrorStream(true).start();
      String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, verify.exitValue(), output);
    }
  }
}
