package io.floorgate.events;

import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import io.floorgate.journal.SyncPolicy;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child process for {@link EventJournalCrashIT}: publishes, acknowledges and clears in a loop
 * until killed, printing each operation only after the call returned.
 */
public final class CrashingPublisher {
  private CrashingPublisher() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int maxEvents = Integer.parseInt(args[1]);
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    Journal journal = Journal.open(JournalOptions.defaults(dir).withSync(SyncPolicy.NONE));
    EventManager manager =
        EventManager.open(EventNotificationConfig.DEFAULTS.withMaxEvents(maxEvents), journal);
    List<String> ids = new ArrayList<>();
    for (int i = 0; ; i++) {
      Event event = Event.builder().message("m" + i).details(Map.of("n", i)).build();
      manager.publish(event);
      ids.add(event.eventId());
      out.println("E " + event.eventId());
      if (i % 7 == 3) {
        String id = ids.get(i - 2);
        manager.acknowledgeEvent(id);
        out.println("A " + id);
      }
      if (i == 300) {
        manager.clearEvents();
        out.println("C");
      }
      out.flush();
    }
  }
}
