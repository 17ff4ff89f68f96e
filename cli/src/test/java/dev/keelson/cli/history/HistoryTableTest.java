package dev.keelson.cli.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keelson history's table: a row per record, the change said from its patch. */
class HistoryTableTest {

  private static JsonNode item(String json) {
    return Json.parseObject(json.replace('\'', '"'));
  }

  private static final JsonNode CREATED =
      item(
          "{'revision':'12','time':'2025-01-31T17:00:00Z','actor':{'user':'admin'},'op':'CREATE',"
              + "'verdict':'Applied','patch':[{'op':'add','path':'/spec','value':{}}]}");
  private static final JsonNode SCALED =
      item(
          "{'revision':'15','time':'2025-01-31T17:01:00Z','actor':{'user':'bob'},'op':'UPDATE',"
              + "'verdict':'Applied','patch':[{'op':'replace','path':'/metadata/generation',"
              + "'value':2,'fromValue':1},{'op':'replace','path':'/spec/replicas','value':5,"
              + "'fromValue':3}]}");
  private static final JsonNode REJECTED =
      item(
          "{'revision':'16','time':'2025-01-31T17:02:00Z','actor':{'user':'alice'},'op':'UPDATE',"
              + "'verdict':'Rejected','rejection':'CONFLICT','reason':'...','patch':[{'op':'replace',"
              + "'path':'/spec/template/spec/containers/0/image','value':'busybox:2',"
              + "'fromValue':'busybox:1'}]}");
  private static final JsonNode DELETED =
      item(
          "{'revision':'20','time':'2025-01-31T17:03:00Z','actor':{'user':'admin'},'op':'DELETE',"
              + "'verdict':'Applied','patch':[{'op':'remove','path':'/spec'}]}");

  @Test
  void aRowPerRecordWithItsChangeInWords() {
    List<String> table = HistoryTable.render(List.of(CREATED, SCALED, REJECTED, DELETED));
    assertThat(table).hasSize(5);
    assertThat(table.get(0)).matches("REVISION +TIME +ACTOR +OP +VERDICT +CHANGE");
    assertThat(table.get(1)).matches("12 +2025-01-31T17:00:00Z +admin +CREATE +Applied +created");
    assertThat(table.get(2)).matches("15 +.* +bob +UPDATE +Applied +replace /spec/replicas 3→5");
    assertThat(table.get(3))
        .matches(
            "16 +.* +alice +UPDATE +Rejected \\(Conflict\\) +replace"
                + " /spec/template/spec/containers/0/image busybox:1→busybox:2");
    assertThat(table.get(4)).matches("20 +.* +admin +DELETE +Applied +deleted");
    assertThat(HistoryTable.time("2026-12-08T00:19:28.365235246Z"))
        .isEqualTo("2026-12-08T00:19:28.365Z");
    // Columns line up.
    assertThat(table.get(1).indexOf("admin")).isEqualTo(table.get(0).indexOf("ACTOR"));
  }

  @Test
  void longChangesAreCut() {
    JsonNode many =
        item(
            "{'revision':'1','op':'UPDATE','verdict':'Applied','patch':["
                + "{'op':'add','path':'/a','value':'"
                + "x".repeat(100)
                + "'},{'op':'remove','path':'/b'},{'op':'add','path':'/c','value':{'k':1}},"
                + "{'op':'add','path':'/d','value':1},{'op':'add','path':'/e','value':2}]}");
    String change = HistoryTable.change(many);
    assertThat(change)
        .startsWith("add /a " + "x".repeat(HistoryTable.VALUE_WIDTH - 1) + "…, remove /b, ")
        .endsWith("add /c {\"k\":1}, +2 more");
  }

  @Test
  void theCommandTakesKindSlashNameAndARevisionOrATime() {
    HistoryCommand command = new HistoryCommand();
    command.target = "deploy/web";
    command.since = "42";
    assertThat(command.query())
        .containsEntry("kind", "deploy")
        .containsEntry("name", "web")
        .containsEntry("sinceRevision", "42");
    command.since = "2025-01-31T17:00:00Z";
    assertThat(command.query())
        .containsEntry("sinceTime", "2025-01-31T17:00:00Z")
        .doesNotContainKey("sinceRevision");
    command.since = "last tuesday";
    assertThatThrownBy(command::query)
        .hasMessage("--since: \"last tuesday\" is neither a revision nor an RFC 3339 time");
    command.since = null;
    for (String bad : new String[] {"web", "deploy/", "/web", "a/b/c"}) {
      command.target = bad;
      assertThatThrownBy(command::query).hasMessageContaining("give the object as KIND/NAME");
    }
  }
}
