package io.forge.model.history;

/** The history store cannot do what was asked; the message says why and what to do. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message for the user. */
  public StoreException(String message) {
    super(message);
  }

  /** With a message for the user and the underlying cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
