package io.floorgate.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forces one of the journal's files to disk; tests stand in a disk that refuses. */
@FunctionalInterface
interface FileForcer {
  /** {@code fsync} through {@link FileChannel#force}, data and metadata. */
  FileForcer DISK =
      file -> {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      };

  void force(Path file) throws IOException;
}
