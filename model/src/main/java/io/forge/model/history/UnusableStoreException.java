package io.forge.model.history;

/**
 * The store's configuration cannot work (a {@code FORGE_DB_URL} no driver accepts): no retry
 * and no later attempt helps until the configuration changes.
 */
public class UnusableStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** With a message for the user and the underlying cause. */
  public UnusableStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
