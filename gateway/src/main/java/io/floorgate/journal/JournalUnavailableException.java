package io.floorgate.journal;

/**
 * The journal cannot take a record now (its file cannot grow or be created: disk full, directory
 * not writable). The record was not appended; the caller may try again later.
 */
public final class JournalUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JournalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
