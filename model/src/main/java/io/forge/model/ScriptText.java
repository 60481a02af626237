package io.forge.model;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A job's script as the feature extractor sees it: its text when it is readable, otherwise a
 * status saying why only the degraded feature set (size only, no library counts) is available.
 *
 * @param text the decoded text; empty unless {@code status} is {@link Status#OK}
 * @param sizeBytes the script's size in bytes (also known for unreadable scripts)
 * @param status whether the text could be used
 */
public record ScriptText(String text, long sizeBytes, Status status) {

  /** Scripts larger than this are not scanned (they are data, not code). */
  public static final long MAX_SCAN_BYTES = 10L * 1024 * 1024;

  /** Why a script's text is or is not usable for token features. */
  public enum Status {
    /** Decoded UTF-8 text, scanned for libraries and hints. */
    OK,
    /** No script (a bare command such as {@code sort big.txt}). */
    ABSENT,
    /** Zero bytes or only whitespace. */
    EMPTY,
    /** Contains NUL bytes: a compiled program or data, not source. */
    BINARY,
    /** Not valid UTF-8. */
    NOT_UTF8,
    /** Larger than {@link #MAX_SCAN_BYTES}. */
    TOO_LARGE
  }

  /** Validates the components. */
  public ScriptText {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(status, "status");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
    }
    if (status != Status.OK && !text.isEmpty()) {
      throw new IllegalArgumentException("only an OK script carries text");
    }
  }

  /** A job without a script file. */
  public static ScriptText absent() {
    return new ScriptText("", 0, Status.ABSENT);
  }

  /** Script text already held as a string (the spec's {@code script_text}). */
  public static ScriptText of(String text) {
    if (text == null) {
      return absent();
    }
    long size = text.getBytes(StandardCharsets.UTF_8).length;
    if (text.isBlank()) {
      return new ScriptText("", size, Status.EMPTY);
    }
    if (text.indexOf('\0') >= 0) {
      return new ScriptText("", size, Status.BINARY);
    }
    if (size > MAX_SCAN_BYTES) {
      return new ScriptText("", size, Status.TOO_LARGE);
    }
    return new ScriptText(text, size, Status.OK);
  }

  /** Classifies raw bytes: binary, non-UTF-8, empty, or decodable text. */
  public static ScriptText of(byte[] bytes) {
    if (bytes == null) {
      return absent();
    }
    if (bytes.length > MAX_SCAN_BYTES) {
      return new ScriptText("", bytes.length, Status.TOO_LARGE);
    }
    for (byte b : bytes) {
      if (b == 0) {
        return new ScriptText("", bytes.length, Status.BINARY);
      }
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      if (text.isBlank()) {
        return new ScriptText("", bytes.length, Status.EMPTY);
      }
      return new ScriptText(text, bytes.length, Status.OK);
    } catch (CharacterCodingException e) {
      return new ScriptText("", bytes.length, Status.NOT_UTF8);
    }
  }

  /**
   * Reads a script file, never more than {@link #MAX_SCAN_BYTES} + 1 bytes of it.
   *
   * @throws IOException when the file cannot be read at all
   */
  public static ScriptText read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_SCAN_BYTES) {
      return new ScriptText("", size, Status.TOO_LARGE);
    }
    try (InputStream in = new FileInputStream(file.toFile())) { // no NIO channel: see Spool
      return of(in.readNBytes((int) MAX_SCAN_BYTES + 1));
    }
  }

  /**
   * A short name for a piece of inline code ({@code python3 -c CODE}, a script passed as text):
   * twelve hex digits of its 64-bit FNV-1a hash, so each one-liner is an analysis of its own
   * and the same one-liner is always the same analysis. Not a security hash; cheap enough for
   * every launch.
   */
  public static String codeName(String code) {
    long h = 0xcbf29ce484222325L;
    for (byte b : code.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    String hex = Long.toHexString(h);
    return ("0000000000000000".substring(hex.length()) + hex).substring(0, 12);
  }

  /** True when library and hint counts were extracted from real text. */
  public boolean scanned() {
    return status == Status.OK;
  }
}
