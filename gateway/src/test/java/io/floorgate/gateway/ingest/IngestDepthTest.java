package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.events.Event;
import io.floorgate.events.EventJson;
import io.floorgate.gateway.broker.InboundMessage;
import io.floorgate.gateway.config.IngestConfig;
import io.floorgate.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A payload as deep as {@code ingest.max_json_depth} allows still becomes an event that every
 * reader of the journal can read: the event nests it one level deeper.
 */
class IngestDepthTest {
  private static final String SIMULATION = "twin/line1/simulation";

  private final Ingests.InMemory gateway = new Ingests.InMemory();
  private final List<Event> published = gateway.published;

  @AfterEach
  void close() {
    gateway.close();
  }

  /** Runs one simulation result through an ingest reading payloads as deep as it may. */
  private Ingest handle(String payload) {
    Ingest ingest =
        gateway.closing(
            Ingests.ingest(
                Ingests.config(
                    1_000,
                    IngestConfig.DEFAULT_QUEUE_BYTES,
                    List.of("twin/+/simulation"),
                    IngestConfig.MAX_JSON_DEPTH),
                RuleSet.empty(),
                gateway.events));
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    assertThat(ingest.offer(new InboundMessage(SIMULATION, bytes, 1, false, "twin-1", null, 0)))
        .isTrue();
    ingest.start();
    ingest.close(); // handles everything queued before it returns
    return ingest;
  }

  /** A simulation result whose {@code results} nest arrays so that the payload is {@code depth}. */
  private static String simulationResult(int depth) {
    int arrays = depth - 1; // the payload's own object is the first level
    return "{\"simulation_id\": \"sim-deep\", \"improvement\": 1.5, \"results\": "
        + "[".repeat(arrays)
        + "7"
        + "]".repeat(arrays)
        + "}";
  }

  @Test
  void aSimulationResultAsDeepAsAllowed_becomesAnEventTheJournalsReadersCanRead() {
    handle(simulationResult(IngestConfig.MAX_JSON_DEPTH));

    assertThat(published).hasSize(1);
    Map<String, Object> read = EventJson.readObject(EventJson.toBytes(published.get(0)));
    @SuppressWarnings("unchecked")
    Map<String, Object> details = (Map<String, Object>) read.get("details");
    Object results = details.get("results_summary");
    int levels = 0;
    while (results instanceof List<?> list) {
      levels++;
      results = list.get(0);
    }
    assertThat(levels).isEqualTo(IngestConfig.MAX_JSON_DEPTH - 1);
    assertThat(results).isEqualTo(7L);
  }

  @Test
  void oneLevelDeeper_isRejectedAsTooComplex_andNoEventIsPublished() {
    Ingest ingest = handle(simulationResult(IngestConfig.MAX_JSON_DEPTH + 1));

    assertThat(ingest.rejections().total(Rejection.TOO_COMPLEX)).isEqualTo(1);
    assertThat(published).noneMatch(event -> event.message().startsWith("Simulation"));
  }
}
