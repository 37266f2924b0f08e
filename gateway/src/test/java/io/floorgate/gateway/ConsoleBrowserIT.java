package io.floorgate.gateway;

import static io.floorgate.gateway.GatewayFixture.ADMIN_PASSWORD;
import static io.floorgate.gateway.GatewayFixture.ADMIN_USER;
import static io.floorgate.gateway.GatewayFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.floorgate.rules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console in real headless Chromium (Selenium), against a real gateway with real MQTT
 * clients over real sockets. Each test leaves screenshots in {@code target/console-screenshots}.
 */
class ConsoleBrowserIT {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowserIT.class);
  private static final String RULES =
      """
      rules:
        - id: line-temp
          name: Line temperature
          topic: plant/+/+/temperature
          comparison: greater_than
          value: 25.0
          deadband: 0.5
          severity: warning
        - id: oven
          name: Oven temperature
          topic: plant/oven/temperature
          comparison: greater_than
          value: 200
          severity: critical
          latch: true
      """;
  private static final String LINE_TOPIC = "plant/l1/s1/temperature";
  private static final String OVEN_TOPIC = "plant/oven/temperature";

  /**
   * Visible text whose contrast with what is behind it is below WCAG 2.1 AA: 4.5:1, or 3:1 for
   * large text (24 px, or 18.66 px bold). Disabled controls are exempt, as WCAG says. With a
   * modal dialog open, only the dialog is looked at (the rest is behind its backdrop).
   */
  private static final String LOW_CONTRAST =
      """
      const parse = (c) => {
        const m = /rgba?\\(([^)]*)\\)/.exec(c || '');
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
      };
      const over = (top, below) => ({
        r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a),
        b: top.b * top.a + below.b * (1 - top.a), a: 1});
      const lum = (c) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
      };
      const behind = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
        }
        return layers.reduceRight((below, top) => over(top, below), {r: 255, g: 255, b: 255, a: 1});
      };
      const root = document.querySelector('dialog[open]') || document.body;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const seen = new Set();
      const low = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || seen.has(el)) continue;
        seen.add(el);
        if (el.closest('option, title, desc, script, style, .visually-hidden, button:disabled')) continue;
        if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
        const style = getComputedStyle(el);
        const bg = behind(el);
        const fg = over(parse(el instanceof SVGElement ? style.fill : style.color), bg);
        const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) {
          low.push(`${ratio.toFixed(2)}:1 "${node.textContent.trim().slice(0, 40)}" in <${el.tagName.toLowerCase()}`
            + ` class="${el.getAttribute('class') || ''}"> (${style.color} on rgb(${bg.r}, ${bg.g}, ${bg.b}))`);
        }
      }
      return low;
      """;

  /** Visible controls a finger cannot hit: less than 44 x 44 CSS pixels (inline text links aside). */
  private static final String SMALL_TARGETS =
      """
      return [...document.querySelectorAll('button, a[href], select, input:not([type=hidden]), textarea')]
        .filter((el) => el.getClientRects().length && !el.closest('.visually-hidden, .skip, dialog:not([open])'))
        .filter((el) => !el.matches('button.link'))
        .filter((el) => { const r = el.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
        .map((el) => `<${el.tagName.toLowerCase()} id="${el.id}" class="${el.getAttribute('class') || ''}">`
          + ` ${el.textContent.trim().slice(0, 30)}: ${Math.round(el.getBoundingClientRect().width)}`
          + ` x ${Math.round(el.getBoundingClientRect().height)}`);
      """;

  @TempDir Path dir;
  @TempDir Path profile;
  private GatewayFixture fixture;
  private Browser browser;
  private ChromeDriver driver;
  private String base;

  @BeforeEach
  void start() {
    browser = Browser.start(profile); // skips the test, saying why, without Chromium
    driver = browser.driver;
    fixture = GatewayFixture.start(dir, RULES);
    base = "http://127.0.0.1:" + fixture.gateway.adminPort().getAsInt();
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  // ---- helpers ----

  /** Waits for {@code condition}; on time-out the failure shows the page the browser is on. */
  private void waitFor(Duration most, Callable<Boolean> condition) {
    try {
      await()
          .atMost(most)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(condition);
    } catch (ConditionTimeoutException e) {
      String text = driver.findElement(By.tagName("body")).getText();
      throw new AssertionError(
          e.getMessage()
              + "\nthe browser is on "
              + driver.getCurrentUrl()
              + ", showing:\n"
              + text.substring(0, Math.min(2000, text.length())),
          e);
    }
  }

  private void waitFor(Callable<Boolean> condition) {
    waitFor(Duration.ofSeconds(10), condition);
  }

  private WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Clicks {@code css}, finding it again if the live board re-drew it meanwhile. */
  private void click(String css) {
    waitFor(
        () -> {
          find(css).click();
          return true;
        });
  }

  private List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  private void login(String user) {
    driver.get(base + "/");
    waitFor(() -> driver.getCurrentUrl().endsWith("/login"));
    find("#username").sendKeys(user);
    find("#password").sendKeys(ADMIN_PASSWORD);
    find("#login").click();
    waitFor(() -> find("#user").getText().equals(user));
    waitFor(() -> find("#live-state").getText().equals("Live"));
  }

  private void open(String page) {
    driver.get(base + "/#/" + page);
    waitFor(() -> find("#page-" + page.replaceAll("\\?.*", "")).isDisplayed());
  }

  private String alarmRow(String rule, String topic) {
    return "#alarm-rows tr[data-rule='" + rule + "'][data-topic='" + topic + "']";
  }

  private String rowState(String rule, String topic) {
    List<WebElement> rows = all(alarmRow(rule, topic));
    return rows.isEmpty() ? "" : rows.get(0).getAttribute("data-state");
  }

  private void setEditor(String text) {
    driver.executeScript(
        "arguments[0].value = arguments[1];"
            + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        find("#rules-text"),
        text);
  }

  /** Picks {@code value} in a select, as a user's choice does (with its input event). */
  private void choose(String css, String value) {
    driver.executeScript(
        "arguments[0].value = arguments[1];"
            + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        find(css),
        value);
  }

  private Object js(String script) {
    return driver.executeScript(script);
  }

  @SuppressWarnings("unchecked")
  private List<String> jsList(String script) {
    return (List<String>) driver.executeScript(script);
  }

  /**
   * Holds the page's answer to its shelve request until the live board shows the alarm shelved:
   * the row, with the Shelve… button the dialog would give the focus back to, is re-drawn while the
   * dialog is still open. A slow answer does that on a loaded box; here it happens every time.
   */
  private void answerShelveOnlyOnceTheBoardShowsIt() {
    js(
        "const send = window.fetch;"
            + " window.fetch = async (url, init) => {"
            + "   const answer = await send(url, init);"
            + "   if (String(url).endsWith('/shelve')) {"
            + "     await new Promise((shown) => { const look = () =>"
            + "       document.querySelector('#alarm-rows tr[data-state=shelved]') ? shown() : setTimeout(look, 20);"
            + "       look(); });"
            + "   }"
            + "   return answer;"
            + " };");
  }

  /** Keys typed into whatever has the focus, as a keyboard does. */
  private void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  private boolean focused(String css) {
    return (Boolean) driver.executeScript("return document.activeElement.matches(arguments[0]);", css);
  }

  /**
   * What the page shows now (with a modal dialog open: the dialog): every visible control has an
   * accessible name (a label, its text, or aria-*), as the browser computes it for screen
   * readers, and all text meets the WCAG AA contrast.
   */
  private void assertAccessible(String what) {
    String scope = all("dialog[open]").isEmpty() ? "" : "dialog[open] ";
    String controls =
        Stream.of("a[href]", "button", "input:not([type=hidden])", "select", "textarea", "[role=img]", "[tabindex='0']")
            .map(c -> scope + c)
            .collect(Collectors.joining(", "));
    List<String> unnamed = unnamedControls(controls);
    assertThat(unnamed).as("controls without an accessible name on " + what).isEmpty();
    assertThat(jsList(LOW_CONTRAST)).as("text below WCAG AA contrast on " + what).isEmpty();
  }

  /**
   * What {@code look} reads from the page. Live pages re-draw (the trend every second): an element
   * replaced between finding it and reading it is stale, and the look starts again on what
   * replaced it.
   */
  private static <T> T fresh(java.util.function.Supplier<T> look) {
    for (int attempt = 1; ; attempt++) {
      try {
        return look.get();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * The visible controls without an accessible name. A scan of a whole page takes longer than a
   * second on a busy box, so starting again at every redraw (as {@link #fresh} does) may never
   * finish: instead each pass checks only what the last one had not, and a control that went stale
   * is checked in the next pass as whatever replaced it.
   */
  private List<String> unnamedControls(String controls) {
    List<String> unnamed = new ArrayList<>();
    Set<WebElement> checked = new HashSet<>();
    for (int pass = 1; pass <= 10; pass++) {
      boolean stale = false;
      for (WebElement el : all(controls)) {
        if (checked.contains(el)) {
          continue;
        }
        try {
          if (el.isDisplayed() && el.getAccessibleName().isBlank()) {
            unnamed.add(el.getTagName() + "#" + el.getAttribute("id") + "." + el.getAttribute("class"));
          }
          checked.add(el);
        } catch (StaleElementReferenceException redrawn) {
          stale = true;
        }
      }
      if (!stale) {
        return unnamed;
      }
    }
    throw new AssertionError("the page replaced controls in each of 10 passes: " + controls);
  }

  // ---- tests ----

  @Test
  void aBreachOverMqtt_appearsOnTheBoardWithin2s_andAcknowledgingItPublishesAUserActionEvent() {
    driver.get(base + "/login");
    browser.screenshot("login");
    login("op-7");
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient sensor = fixture.device("sensor");
    js("window.__notReloaded = true;");

    publish(sensor, LINE_TOPIC, "{\"value\": 26.5, \"seq\": 1}");
    long published = System.nanoTime();
    waitFor(Duration.ofSeconds(2), () -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));
    long millis = (System.nanoTime() - published) / 1_000_000;
    assertThat(millis).as("breach to board, ms").isLessThan(2000);
    LOG.info("console: a breach published over MQTT was on the board after {} ms", millis);
    assertThat(js("return window.__notReloaded === true;")).as("the page was not reloaded").isEqualTo(true);
    assertThat(fresh(() -> find(alarmRow("line-temp", LINE_TOPIC)).getText()))
        .contains("Active, unacknowledged")
        .contains("WARNING")
        .contains("Line temperature")
        .contains("26.5")
        .contains("greater than 25");
    waitFor(() -> find("#announcer").getText().contains("New warning alarm: Line temperature"));

    // A critical one: the banner, and the tab's counter turns red.
    publish(fixture.device("oven"), OVEN_TOPIC, "250");
    waitFor(() -> find("#critical-banner").isDisplayed());
    assertThat(find("#critical-text").getText())
        .isEqualTo("New critical alarm: Oven temperature on plant/oven/temperature — value 250");
    assertThat(find("#critical-banner").getAttribute("role")).isEqualTo("alert");
    assertThat(find("#alarm-count").getAttribute("class")).contains("count-critical");
    browser.screenshot("alarms");

    String raisedId =
        fresh(() -> find(alarmRow("line-temp", LINE_TOPIC)).getAttribute("data-event-id"));
    click(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=ack]");
    long clicked = System.nanoTime();
    Scada.Received action =
        scada.await(
            r -> r.topic().equals("alerts/info/user") && r.payload().contains("acknowledge_event"));
    assertThat(action.json()).containsEntry("category", "user");
    assertThat(action.details())
        .containsEntry("user_id", "op-7")
        .containsEntry("action", "acknowledge_event");
    assertThat(action.payload()).contains(raisedId);
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_acknowledged"));
    LOG.info(
        "console: an acknowledgement clicked on the page was on the row after {} ms",
        (System.nanoTime() - clicked) / 1_000_000);
    assertThat(fresh(() -> find(alarmRow("line-temp", LINE_TOPIC) + " .acked-by").getText())).isEqualTo("op-7");
    assertThat(all(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=ack]")).isEmpty();
  }

  @Test
  void shelving_hidesTheAlarm_andItReturnsByItselfWhenTheShelvingEnds() {
    login(ADMIN_USER);
    Scada scada = fixture.scada("scada", "alerts/#");
    publish(fixture.device("sensor"), LINE_TOPIC, "26.5");
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));

    // Shelve for 30 minutes, then unshelve by hand.
    click(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=shelve]");
    waitFor(() -> find("#shelve-dialog").isDisplayed());
    find("#shelve-reason").sendKeys("sensor being replaced");
    browser.screenshot("shelve-dialog");
    find("#shelve-confirm").click();
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("shelved"));
    assertThat(fresh(() -> find(alarmRow("line-temp", LINE_TOPIC)).getText()))
        .contains("Shelved")
        .contains("by admin: sensor being replaced");
    click(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=unshelve]");
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));

    // Shelve for 2 s: it comes back by itself, announced again.
    click(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=shelve]");
    waitFor(() -> find("#shelve-dialog").isDisplayed());
    find("#shelve-reason").sendKeys("calibration");
    find("#shelve-duration").clear();
    find("#shelve-duration").sendKeys("2s");
    find("#shelve-confirm").click();
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("shelved"));
    assertThat(find("#shelve-dialog").isDisplayed()).isFalse();
    waitFor(
        Duration.ofSeconds(10),
        () -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));
    scada.awaitMessage("alerts/warning/threshold", "shelving ended");
  }

  @Test
  void anInvalidRuleEdit_showsItsProblemsInline_andChangesNothing() throws Exception {
    login(ADMIN_USER);
    open("rules");
    waitFor(() -> find("#rules-text").getAttribute("value").equals(RULES));
    String sha = fixture.gateway.reloader().appliedSha256();

    setEditor("rules:\n  - id: x\n    topic: a/#/b\n    comparison: bigger\n");
    find("#rules-review").click();
    waitFor(() -> all("#rules-problem-list li").size() == 3);
    List<String> problems = all("#rules-problem-list li").stream().map(WebElement::getText).toList();
    assertThat(problems)
        .anyMatch(p -> p.startsWith("Line 3, column 12: rule 'x': topic is not a valid MQTT topic filter"))
        .anyMatch(p -> p.startsWith("Line 4, column 17: rule 'x': comparison must be one of"))
        .anyMatch(p -> p.startsWith("Line 2, column 5: rule 'x': value (the threshold) is required"));
    assertThat(find("#rules-message").getText()).contains("3 problem(s)").contains("Nothing was changed");
    assertThat(all("#rules-gutter .bad").stream().map(WebElement::getText)).containsExactly("2", "3", "4");
    assertThat(find("#rules-text").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(find("#rules-diff").isDisplayed()).isFalse();
    js("document.getElementById('rules-problems').scrollIntoView({block: 'end'});");
    browser.screenshot("rules-problems");

    // Clicking a problem puts the caret there.
    all("#rules-problem-list li button").get(0).click();
    assertThat(js("return document.activeElement.id;")).isEqualTo("rules-text");

    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(RULES);
    assertThat(fixture.gateway.reloader().appliedSha256()).isEqualTo(sha);
  }

  @Test
  void aValidRuleEdit_appliesAndAppearsInTheHistory_andRevertRestoresTheEarlierRules()
      throws Exception {
    login(ADMIN_USER);
    open("rules");
    waitFor(() -> find("#rules-text").getAttribute("value").equals(RULES));
    String original = fixture.gateway.reloader().appliedSha256();
    waitFor(() -> all("#history-rows tr").size() == 1);

    String edited = RULES.replace("value: 25.0", "value: 27.0");
    setEditor(edited);
    find("#rules-review").click();
    waitFor(() -> find("#rules-diff").isDisplayed());
    assertThat(find("#rules-diff-lines .diff-del").getText()).isEqualTo("-     value: 25.0");
    assertThat(find("#rules-diff-lines .diff-add").getText()).isEqualTo("+     value: 27.0");
    assertThat(find("#rules-diff-title").getText()).endsWith("2 line(s)");
    browser.screenshot("rules-diff");
    find("#rules-apply").click();
    waitFor(() -> find("#rules-message").getText().startsWith("Applied: changed line-temp"));
    assertThat(fixture.gateway.rules().get("line-temp")).get().extracting(Rule::threshold).isEqualTo(27.0);
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(edited);

    waitFor(() -> all("#history-rows tr").size() == 2);
    WebElement newest = all("#history-rows tr").get(0);
    assertThat(newest.getAttribute("data-current")).isEqualTo("true");
    assertThat(newest.findElement(By.cssSelector(".who")).getText()).isEqualTo(ADMIN_USER);
    assertThat(newest.findElement(By.cssSelector(".what")).getText()).isEqualTo("changed line-temp");
    driver.executeScript("window.scrollTo(0, 0)");
    browser.screenshot("rules");

    // Revert to the first version: its diff, then apply.
    find("#history-rows tr[data-sha='" + original + "'] button[data-action=revert]").click();
    waitFor(() -> find("#rules-diff").isDisplayed());
    assertThat(find("#rules-diff-lines .diff-add").getText()).isEqualTo("+     value: 25.0");
    find("#rules-apply").click();
    waitFor(() -> fixture.gateway.reloader().appliedSha256().equals(original));
    assertThat(fixture.gateway.rules().get("line-temp")).get().extracting(Rule::threshold).isEqualTo(25.0);
    assertThat(Files.readString(dir.resolve("rules.yaml"))).isEqualTo(RULES);
    waitFor(() -> all("#history-rows tr").size() == 3);
    WebElement reverted = all("#history-rows tr").get(0);
    assertThat(reverted.getAttribute("data-sha")).isEqualTo(original);
    assertThat(reverted.getAttribute("data-current")).isEqualTo("true");
    assertThat(reverted.findElement(By.cssSelector(".what")).getText()).isEqualTo("changed line-temp");
  }

  @Test
  void anEventWithHtmlOrScriptInItsMessageOrDetails_isShownAsText() {
    String image = "<img src=x onerror=\"window.__xss=1\">";
    String script = "<script>window.__xss=2</script><b>bold</b>";
    publish(
        fixture.device("twin"),
        "twin/line1/optimization",
        "{\"optimization_type\": \"" + image.replace("\"", "\\\"") + "\", \"potential_improvement\": 5,"
            + " \"recommended_action\": \"" + script + "\"}");
    waitFor(() -> fixture.gateway.events().getEvents().stream().anyMatch(e -> e.message().contains("<img")));
    login(ADMIN_USER);
    open("events");
    waitFor(() -> all("#event-rows tr").size() >= 1);
    WebElement message = find("#event-rows tr .message");
    assertThat(message.getText()).contains(image);
    assertThat(all("#event-rows img, #event-rows script, #event-rows b")).isEmpty();

    find("#event-rows tr button[data-action=details]").click();
    waitFor(() -> find("#event-detail").isDisplayed());
    assertThat(find("#event-json").getText()).contains("\"recommended_action\": \"" + script + "\"");
    assertThat(all("#event-detail img, #event-detail script, #event-detail b")).isEmpty();
    assertThat(js("return typeof window.__xss;")).isEqualTo("undefined");

    // Acknowledge from the detail view.
    String id = find("#event-rows tr").getAttribute("data-event-id");
    find("#event-detail-ack").click();
    waitFor(() -> find("#event-rows tr[data-event-id='" + id + "'] .acked").getText().equals("yes"));
    assertThat(fixture.gateway.events().getEvent(id)).get().extracting(e -> e.acknowledged()).isEqualTo(true);
    browser.screenshot("events");
  }

  @Test
  void theEventLog_filtersAndPages() {
    Mqtt3BlockingClient sensor = fixture.device("sensor");
    for (int i = 0; i < 15; i++) {
      publish(sensor, LINE_TOPIC, "26.5"); // raise
      publish(sensor, LINE_TOPIC, "20"); // clear
    }
    waitFor(() -> fixture.gateway.events().getEvents(null, null, 0).size() >= 30);
    login(ADMIN_USER);
    open("events");
    waitFor(() -> all("#event-rows tr").size() == 25);
    assertThat(find("#event-page").getText()).isEqualTo("Page 1 of 2 (30 event(s) in the window of 1000)");
    find("#event-older").click();
    waitFor(() -> all("#event-rows tr").size() == 5);
    choose("#event-severity", "warning");
    waitFor(() -> find("#event-page").getText().equals("Page 1 of 1 (15 event(s) in the window of 1000)"));
    assertThat(all("#event-rows tr .sev").stream().map(WebElement::getText)).containsOnly("WARNING");
  }

  @Test
  void theTrend_drawsRecentValuesWithTheThresholdAndTheDeadband() {
    Mqtt3BlockingClient sensor = fixture.device("sensor");
    for (String value : List.of("23.8", "24.1", "24.6", "25.4", "26.2", "25.6", "24.9", "24.3", "23.9")) {
      publish(sensor, LINE_TOPIC, value);
    }
    waitFor(() -> fixture.gateway.ingest().evaluations() >= 9);
    login(ADMIN_USER);
    open("trend?rule=line-temp&topic=" + LINE_TOPIC);
    waitFor(() -> !all("#trend-chart path.values").isEmpty());
    String d = fresh(() -> find("#trend-chart path.values").getAttribute("d"));
    assertThat(d.split("L")).hasSize(9);
    assertThat(all("#trend-chart line.threshold")).hasSize(1);
    assertThat(all("#trend-chart line.deadband")).hasSize(1);
    List<String> marks =
        fresh(() -> all("#trend-chart text.mark").stream().map(WebElement::getText).toList());
    assertThat(marks).containsExactlyInAnyOrder("limit 25", "clears 24.5");
    assertThat(find("#trend-info").getText())
        .startsWith("Line temperature on plant/l1/s1/temperature: latest 23.9")
        .contains("min 23.8, max 26.2 over 9 value(s) in the last 15 min");
    assertThat(fresh(() -> find("#trend-chart svg").getAttribute("role"))).isEqualTo("img");

    // Live: a new value is drawn without a reload.
    publish(sensor, LINE_TOPIC, "27.5");
    waitFor(() -> find("#trend-chart path.values").getAttribute("d").split("L").length == 10);
    browser.screenshot("trend");
  }

  @Test
  void theStatusPage_showsHealthClientsRatesAndTheJournal() {
    Mqtt3BlockingClient plc = fixture.device("plc-1");
    fixture.device("plc-2");
    login(ADMIN_USER);
    open("status");
    waitFor(() -> find("#status-ready").getText().startsWith("Ready"));
    waitFor(() -> !find("#status-cards").getText().contains("measuring"));
    String cards = fresh(() -> find("#status-cards").getText());
    assertThat(cards)
        .contains("MQTT CLIENTS\n2")
        .contains("JOURNAL")
        .contains("retention\n30 day(s)");
    assertThat(fresh(() -> find("#status-cards section[aria-label=Journal] .big").getText()))
        .matches("[0-9.]+ (KiB|MiB|GiB)");

    // Traffic: the rates follow (every value crosses the limit, so events flow as well).
    int[] n = {0};
    waitFor(
        Duration.ofSeconds(20),
        () -> {
          publish(plc, LINE_TOPIC, n[0]++ % 2 == 0 ? "26.5" : "20");
          return !rate("Messages").equals("0 /s") && !rate("Events").equals("0 /s");
        });
    assertThat(rate("Messages")).matches("[0-9.]+ /s");
    assertThat(rate("Events")).matches("[0-9.]+ /s");
    browser.screenshot("status");
  }

  private String rate(String card) {
    return fresh(() -> find("#status-cards section[aria-label=" + card + "] .big").getText());
  }

  @Test
  void aLatchedAlarm_staysAfterTheValueReturns_untilResetFromTheBoard_andTheBoardFilters() {
    login("op-7");
    Scada scada = fixture.scada("scada", "alerts/#");
    Mqtt3BlockingClient oven = fixture.device("oven");
    publish(fixture.device("sensor"), LINE_TOPIC, "26.5");
    publish(oven, OVEN_TOPIC, "250");
    waitFor(
        () ->
            rowState("oven", OVEN_TOPIC).equals("active_unacknowledged")
                && rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));

    // Filters: by severity, by category.
    choose("#alarm-severity", "critical");
    waitFor(() -> all("#alarm-rows tr").size() == 1);
    assertThat(fresh(() -> find("#alarm-rows tr").getAttribute("data-rule"))).isEqualTo("oven");
    assertThat(fresh(() -> find("#alarm-summary").getText())).isEqualTo("2 alarm(s), 2 unacknowledged; 1 shown");
    choose("#alarm-severity", "warning");
    waitFor(() -> all("#alarm-rows tr").size() == 1 && find("#alarm-rows tr").getAttribute("data-rule").equals("line-temp"));
    choose("#alarm-severity", "");
    choose("#alarm-category", "system");
    waitFor(() -> all("#alarm-rows tr").isEmpty());
    assertThat(fresh(() -> find("#alarm-summary").getText())).endsWith("; 0 shown");
    choose("#alarm-category", "threshold");
    waitFor(() -> all("#alarm-rows tr").size() == 2);

    // The value returns: the latching rule's alarm stays, now with Reset.
    assertThat(all(alarmRow("oven", OVEN_TOPIC) + " button[data-action=reset]")).isEmpty();
    publish(oven, OVEN_TOPIC, "150");
    waitFor(() -> !all(alarmRow("oven", OVEN_TOPIC) + " button[data-action=reset]").isEmpty());
    assertThat(rowState("oven", OVEN_TOPIC)).isEqualTo("active_unacknowledged");
    assertThat(fresh(() -> find(alarmRow("oven", OVEN_TOPIC)).getText())).contains("latched").contains("150");
    click(alarmRow("oven", OVEN_TOPIC) + " button[data-action=ack]");
    waitFor(() -> rowState("oven", OVEN_TOPIC).equals("active_acknowledged"));
    click(alarmRow("oven", OVEN_TOPIC) + " button[data-action=reset]");
    waitFor(() -> all(alarmRow("oven", OVEN_TOPIC)).isEmpty());
    Scada.Received reset =
        scada.await(r -> r.topic().equals("alerts/info/user") && r.payload().contains("reset_alarm"));
    assertThat(reset.details()).containsEntry("user_id", "op-7").containsEntry("action", "reset_alarm");
    assertThat(reset.details().get("action_details").toString()).contains("rule_id=oven").contains("state=normal");
    assertThat(rowState("line-temp", LINE_TOPIC)).isEqualTo("active_unacknowledged");
  }

  @Test
  void anOperator_canAcknowledgeShelveAndUnshelve_withTheKeyboardAlone() {
    publish(fixture.device("sensor"), LINE_TOPIC, "26.5");
    login("op-7");
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));
    driver.navigate().refresh(); // the focus starts at the top of the page
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));

    String row = alarmRow("line-temp", LINE_TOPIC);
    press(Keys.TAB);
    assertThat(find(":focus").getText()).isEqualTo("Skip to content");
    int tabs = 1;
    while (!focused(row + " button[data-action=ack]")) {
      assertThat(tabs++).as("Tab presses to reach Acknowledge").isLessThan(30);
      press(Keys.TAB);
    }
    press(Keys.ENTER);
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_acknowledged"));
    waitFor(() -> focused(row)); // the keyboard keeps its place on the re-drawn row

    press(Keys.TAB);
    assertThat(focused(row + " button[data-action=shelve]")).isTrue();
    press(Keys.ENTER);
    waitFor(() -> find("#shelve-dialog").isDisplayed());
    assertThat(focused("#shelve-reason")).isTrue();
    answerShelveOnlyOnceTheBoardShowsIt();
    press("pump swap", Keys.ENTER);
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("shelved"));
    waitFor(() -> focused(row));
    assertThat(fresh(() -> find(row).getText())).contains("by op-7: pump swap");

    press(Keys.TAB);
    assertThat(focused(row + " button[data-action=unshelve]")).isTrue();
    press(Keys.ENTER);
    waitFor(() -> rowState("line-temp", LINE_TOPIC).equals("active_unacknowledged"));

    // Escape closes the dialog and shelves nothing.
    waitFor(() -> focused(row));
    for (int more = 0; !focused(row + " button[data-action=shelve]"); more++) {
      assertThat(more).as("Tab presses from the row to Shelve").isLessThan(3);
      press(Keys.TAB);
    }
    press(Keys.ENTER);
    waitFor(() -> find("#shelve-dialog").isDisplayed());
    press(Keys.ESCAPE);
    waitFor(() -> !find("#shelve-dialog").isDisplayed());
    assertThat(focused(row + " button[data-action=shelve]")).isTrue();
    assertThat(rowState("line-temp", LINE_TOPIC)).isEqualTo("active_unacknowledged");
  }

  @Test
  void everyPage_labelsItsControls_meetsContrastAA_andLoadsNothingFromElsewhere() {
    Mqtt3BlockingClient sensor = fixture.device("sensor");
    publish(sensor, LINE_TOPIC, "24.0");
    publish(sensor, LINE_TOPIC, "26.5");
    driver.get(base + "/login");
    assertAccessible("the login page");
    login(ADMIN_USER);
    publish(fixture.device("oven"), OVEN_TOPIC, "250"); // a new critical alarm: the banner

    waitFor(() -> all("#alarm-rows tr").size() == 2 && find("#critical-banner").isDisplayed());
    assertAccessible("the alarm board with a new critical alarm");
    click(alarmRow("line-temp", LINE_TOPIC) + " button[data-action=shelve]");
    waitFor(() -> find("#shelve-dialog").isDisplayed());
    assertAccessible("the shelve dialog");
    find("#shelve-cancel").click();

    open("events");
    waitFor(() -> all("#event-rows tr").size() >= 2);
    find("#event-rows tr button[data-action=details]").click();
    waitFor(() -> find("#event-detail").isDisplayed());
    assertAccessible("the event log with an event's JSON");

    open("trend?rule=line-temp&topic=" + LINE_TOPIC);
    waitFor(() -> !all("#trend-chart path.values").isEmpty());
    assertThat(fresh(() -> find("#trend-chart svg").getAccessibleName()))
        .startsWith("Trend of Line temperature");
    assertAccessible("the trend");

    open("rules");
    waitFor(() -> all("#history-rows tr").size() == 1);
    setEditor("rules:\n  - id: x\n    topic: a/#/b\n");
    find("#rules-review").click();
    waitFor(() -> !all("#rules-problem-list li").isEmpty());
    assertAccessible("the rules with problems");
    setEditor(RULES.replace("value: 25.0", "value: 27.0"));
    find("#rules-review").click();
    waitFor(() -> find("#rules-diff").isDisplayed());
    assertAccessible("the rules' diff");

    open("status");
    waitFor(() -> find("#status-ready").getText().startsWith("Ready"));
    assertAccessible("the status page");

    // No CDN, no fonts or scripts from elsewhere: everything the pages loaded came from here.
    List<String> loaded =
        jsList("return performance.getEntriesByType('resource').map((e) => e.name);");
    assertThat(loaded)
        .isNotEmpty()
        .allMatch(url -> url.startsWith(base + "/") || url.startsWith("data:"), "from " + base);
  }

  @Test
  void onATenInchTabletInPortrait_nothingScrollsSideways_andTouchTargetsAreAtLeast44px() {
    browser.viewport(800, 1280);
    publish(fixture.device("sensor"), LINE_TOPIC, "26.5");
    publish(fixture.device("oven"), OVEN_TOPIC, "250");
    login(ADMIN_USER);
    waitFor(() -> all("#alarm-rows tr").size() == 2);
    for (String page : List.of("alarms", "events", "trend?rule=line-temp", "rules", "status")) {
      open(page);
      if (page.startsWith("trend")) {
        waitFor(() -> !all("#trend-chart path.values").isEmpty());
      }
      if (page.equals("rules")) {
        waitFor(() -> all("#history-rows tr").size() == 1);
      }
      Object widths =
          js(
              "return [document.documentElement.scrollWidth, window.innerWidth,"
                  + " ...[...document.querySelectorAll('.table-wrap')].filter((w) => w.getClientRects().length)"
                  + "   .map((w) => w.scrollWidth - w.clientWidth)];");
      List<?> w = (List<?>) widths;
      assertThat(((Number) w.get(0)).intValue()).as(page + ": the page's width").isLessThanOrEqualTo(800);
      assertThat(w.subList(2, w.size()))
          .as(page + ": tables wider than the screen")
          .allMatch(overflow -> ((Number) overflow).intValue() <= 0);
      assertThat(jsList(SMALL_TARGETS)).as(page + ": touch targets under 44 px").isEmpty();
      if (page.equals("alarms")) {
        browser.screenshot("alarms-tablet-portrait");
      }
    }
  }

  @Test
  void logout_returnsToTheLoginPage_andTheSessionIsGone() {
    login(ADMIN_USER);
    find("#logout").click();
    waitFor(() -> driver.getCurrentUrl().endsWith("/login"));
    driver.get(base + "/#/rules");
    waitFor(() -> driver.getCurrentUrl().startsWith(base + "/login"));
    WebDriver.Options options = driver.manage();
    assertThat(options.getCookieNamed("floorgate_session")).isNull();
  }

  @Test
  void aWrongPassword_staysOnTheLoginPage_withTheReason() {
    driver.get(base + "/login");
    find("#username").sendKeys(ADMIN_USER);
    find("#password").sendKeys("guess");
    find("#login").click();
    waitFor(() -> find(".login-error").getText().equals("Wrong user name or password."));
    assertThat(driver.manage().getCookieNamed("floorgate_session")).isNull();
  }
}
