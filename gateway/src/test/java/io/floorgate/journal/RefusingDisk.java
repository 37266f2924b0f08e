package io.floorgate.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A disk that refuses the journal's writes or forces while told to, for tests of what the gateway
 * does then: the real one cannot be made to refuse here (the tests run as root).
 */
public final class RefusingDisk {
  private volatile boolean refusesWrites;
  private volatile boolean refusesForces;
  private int appendsBeforeRefusing = -1; // guarded by this; -1: no countdown
  private final AtomicInteger forced = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private final Disk disk =
      new Disk() {
        @Override
        public void force(Path file) throws IOException {
          if (refusesForces) {
            throw new IOException("Input/output error");
          }
          forced.incrementAndGet();
          Disk.REAL.force(file);
        }

        @Override
        public void beforeAppend(Path dir) throws IOException {
          if (refusesWrites || countedDown()) {
            refused.incrementAndGet();
            throw new IOException("No space left on device");
          }
        }
      };

  /** A journal on this disk. */
  public Journal open(JournalOptions options) {
    return Journal.open(options, disk);
  }

  /** From now on, appends fail (as on a full disk) or succeed again. */
  public synchronized void refuseWrites(boolean refuse) {
    appendsBeforeRefusing = -1;
    refusesWrites = refuse;
  }

  /**
   * Takes {@code appends} more appends, then refuses writes (as a disk that fills up between
   * two appends) until {@link #refuseWrites refuseWrites(false)}.
   */
  public synchronized void refuseWritesAfter(int appends) {
    if (appends < 0) {
      throw new IllegalArgumentException("appends must be >= 0, but was " + appends);
    }
    appendsBeforeRefusing = appends;
  }

  private synchronized boolean countedDown() {
    if (appendsBeforeRefusing < 0) {
      return false;
    }
    if (appendsBeforeRefusing == 0) {
      appendsBeforeRefusing = -1;
      refusesWrites = true;
      return true;
    }
    appendsBeforeRefusing--;
    return false;
  }

  /** From now on, forces fail (as on a failing disk) or succeed again. */
  public void refuseForces(boolean refuse) {
    refusesForces = refuse;
  }

  /** Appends the disk has refused. */
  public int refusedAppends() {
    return refused.get();
  }

  /** Forces the disk has done. */
  public int forced() {
    return forced.get();
  }
}
