package io.floorgate.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the journal asks of the disk beyond Chronicle's mapped files: forcing a file to it. Tests
 * stand in a disk that refuses writes or forces, which a real one cannot be made to do here (the
 * tests run as root, which file permissions do not stop).
 */
interface Disk {
  /** The machine's disk: {@code fsync} through {@link FileChannel#force}, data and metadata. */
  Disk REAL =
      file -> {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      };

  void force(Path file) throws IOException;

  /**
   * Called before each append to the journal in {@code dir}; throws when the disk would refuse it.
   * The real disk has nothing to check: Chronicle's append itself fails then.
   */
  default void beforeAppend(Path dir) throws IOException {}
}
