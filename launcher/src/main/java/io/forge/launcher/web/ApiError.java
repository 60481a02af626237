package io.forge.launcher.web;

/** A request the API refuses: its HTTP status and a message a person can act on. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }
}
