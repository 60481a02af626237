package io.forge.launcher.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What Forge prints on a terminal, with the control characters neutralised: analysis ids,
 * commands, file names and trace fields come from users and files, and a raw {@code ESC} or
 * {@code NUL} among them would recolour, rewrite or hide the terminal's text. Each control
 * character becomes a visible escape — {@code \x1b}, {@code \u0085}, {@code \u202e} — except
 * the newline, tab and carriage return Forge's own lines use: C0 and DEL, the C1 controls and
 * the Unicode bidirectional overrides and isolates. Works on the UTF-8 bytes, keeping a
 * sequence split across writes.
 */
final class PrintableStream extends FilterOutputStream {

  private final byte[] pending = new byte[2];
  private int held;

  private PrintableStream(OutputStream out) {
    super(out);
  }

  /** A print stream over {@code out} that neutralises control characters. */
  static PrintStream over(PrintStream out) {
    return new PrintStream(new PrintableStream(out), true, StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) throws IOException {
    b &= 0xff;
    if (held == 0) {
      if (b == '\n' || b == '\t' || b == '\r' || (b >= 0x20 && b < 0x7f) || b >= 0x80
          && b != 0xc2 && b != 0xe2) {
        out.write(b);
      } else if (b == 0xc2 || b == 0xe2) {
        pending[held++] = (byte) b;
      } else {
        escape("\\x%02x", b);
      }
      return;
    }
    int first = pending[0] & 0xff;
    if (first == 0xc2) {
      held = 0;
      if (b >= 0x80 && b <= 0x9f) {
        escape("\\u%04x", b);
      } else {
        out.write(first);
        write(b);
      }
      return;
    }
    // 0xe2: a three-byte sequence; U+202A-202E sit under 0x80, U+2066-2069 under 0x81.
    if (held == 1) {
      if (b == 0x80 || b == 0x81) {
        pending[held++] = (byte) b;
      } else {
        held = 0;
        out.write(first);
        write(b);
      }
      return;
    }
    int second = pending[1] & 0xff;
    held = 0;
    int codePoint = 0x2000 | (second & 0x3f) << 6 | (b & 0x3f);
    if (b >= 0x80 && b <= 0xbf && (codePoint >= 0x202a && codePoint <= 0x202e
        || codePoint >= 0x2066 && codePoint <= 0x2069)) {
      escape("\\u%04x", codePoint);
    } else {
      out.write(first);
      out.write(second);
      write(b);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush(); // a sequence held across a flush completes with the next write
  }

  @Override
  public void close() throws IOException {
    for (int i = 0; i < held; i++) {
      out.write(pending[i]);
    }
    held = 0;
    super.close();
  }

  private void escape(String format, int value) throws IOException {
    out.write(String.format(java.util.Locale.ROOT, format, value)
        .getBytes(StandardCharsets.US_ASCII));
  }
}
