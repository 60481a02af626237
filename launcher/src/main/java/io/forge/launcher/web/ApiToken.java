package io.forge.launcher.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The token a server's API writes must carry ({@code FORGE_API_TOKEN}), as {@code
 * Authorization: Bearer <token>}; compared in constant time, so a wrong guess learns nothing
 * from how long the answer took.
 */
final class ApiToken {

  private static final String PREFIX = "Bearer ";

  private final byte[] token;

  private ApiToken(byte[] token) {
    this.token = token;
  }

  /** The token, or null when the API needs none. */
  static ApiToken of(String token) {
    return token == null || token.isEmpty() ? null
        : new ApiToken(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an {@code Authorization} header (null when absent) carries the token. */
  boolean admits(String authorization) {
    byte[] given = authorization != null && authorization.startsWith(PREFIX)
        ? authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8)
        : new byte[0];
    return MessageDigest.isEqual(given, token);
  }
}
