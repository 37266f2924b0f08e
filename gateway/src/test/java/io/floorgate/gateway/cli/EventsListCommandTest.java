package io.floorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.floorgate.events.Event;
import io.floorgate.events.EventManager;
import io.floorgate.events.EventNotificationConfig;
import io.floorgate.gateway.checkpoint.Checkpointer;
import io.floorgate.journal.Journal;
import io.floorgate.journal.JournalOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code floorgate events list}: the window, as the gateway would rebuild it. */
class EventsListCommandTest {
  @TempDir Path dir;

  private String list() {
    StringWriter out = new StringWriter();
    CommandLine line = FloorgateCommand.commandLine();
    line.setOut(new PrintWriter(out));
    assertThat(line.execute("events", "list", "--journal", dir.toString())).isZero();
    return out.toString();
  }

  private void publish(String... messages) {
    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      EventManager events = EventManager.open(EventNotificationConfig.DEFAULTS, journal);
      for (String message : messages) {
        events.publish(Event.builder().message(message).build());
      }
    }
  }

  @Test
  void listsTheWindow_fromTheCheckpointAndTheRecordsAfterIt_withoutWritingACheckpoint()
      throws Exception {
    publish("first", "second");
    assertThat(list()).contains("first", "second");
    assertThat(dir.resolve(Checkpointer.FILE)).doesNotExist();

    try (Journal journal = Journal.open(JournalOptions.defaults(dir))) {
      Checkpointer.recover(journal, EventNotificationConfig.DEFAULTS.maxEvents()).close();
    }
    publish("third");
    byte[] checkpoint = Files.readAllBytes(dir.resolve(Checkpointer.FILE));

    Logger recovery = (Logger) LoggerFactory.getLogger(Checkpointer.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    recovery.addAppender(log);
    String listed;
    try {
      listed = list();
    } finally {
      recovery.detachAppender(log);
    }
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("from the checkpoint at index", "and the 1 record(s) after it");
    assertThat(List.of("first", "second", "third")).allSatisfy(m -> assertThat(listed).contains(m));
    assertThat(listed.indexOf("second")).isLessThan(listed.indexOf("third"));
    assertThat(Files.readAllBytes(dir.resolve(Checkpointer.FILE))).isEqualTo(checkpoint);
  }
}
