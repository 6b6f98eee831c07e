package dev.queenj.core.push;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.storage.Sql;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AppendParameters} names every parameter of {@code message_append.sql} at the number and type it has there. */
class AppendParametersTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(1);

  private static final String APPEND = Sql.load(MessageAppender.class, "message_append.sql");
  private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)(::([a-z]+\\[\\]))?");
  /** The Java array each SQL array type binds from, as the Postgres driver encodes them. */
  private static final Map<String, Class<?>> JAVA_TYPES = Map.of("int[]", Integer[].class, "bigint[]", Long[].class,
      "uuid[]", UUID[].class, "text[]", String[].class, "bytea[]", Buffer[].class, "boolean[]", Boolean[].class);

  @Test
  void everyParameterOfTheStatementIsNamedOnceAtItsNumberWithTheTypeItIsCastTo() {
    // given: every $n of the statement with the cast it is written with (each use is cast, so every use agrees)
    Map<Integer, String> casts = new TreeMap<>();
    List<String> uncast = new ArrayList<>();
    Matcher m = PARAMETER.matcher(withoutComments(APPEND));
    while (m.find()) {
      int number = Integer.parseInt(m.group(1));
      if (m.group(3) == null) {
        uncast.add(m.group());
        continue;
      }
      String earlier = casts.putIfAbsent(number, m.group(3));
      assertThat(earlier == null || earlier.equals(m.group(3))).as("$%d cast as %s and %s", number, earlier,
          m.group(3)).isTrue();
    }
    assertThat(uncast).as("parameters used without a cast").isEmpty();

    // then: the binding lists exactly those numbers, in order, with those types and matching Java arrays
    Map<Integer, String> bound = new TreeMap<>();
    for (AppendParameters.Param<?> param : AppendParameters.ALL) {
      assertThat(bound.put(param.number(), param.sqlType())).as("$%d bound twice", param.number()).isNull();
      assertThat(param.javaType()).as("$%d (%s)", param.number(), param.name())
          .isEqualTo(JAVA_TYPES.get(param.sqlType()));
    }
    assertThat(bound).isEqualTo(casts);
    assertThat(AppendParameters.ALL).extracting(AppendParameters.Param::number)
        .containsExactlyElementsOf(casts.keySet());
  }

  @Test
  void postgresInfersTheTypesTheBindingSends() {
    // given: the statement prepared by Postgres itself, which reports the type it settled on for every $n
    List<String> inferred = await(db.database().pool().withConnection(connection ->
        connection.query("PREPARE append_types AS " + APPEND).execute().compose(prepared -> connection.query(
                "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = 'append_types'").execute())
            .compose(rows -> connection.query("DEALLOCATE append_types").execute().map(rows))
            .map(rows -> {
              Row row = rows.iterator().next();
              return List.of(row.getArrayOfStrings(0));
            })));

    // then: one per parameter, in the binding's order and types
    assertThat(inferred).containsExactlyElementsOf(AppendParameters.ALL.stream()
        .map(param -> param.sqlType().equals("int[]") ? "integer[]" : param.sqlType()).toList());
  }

  @Test
  void aTupleIsRefusedWhileAParameterIsUnboundOrBoundTwice() {
    AppendParameters parameters = new AppendParameters();
    for (AppendParameters.Param<?> param : AppendParameters.ALL) {
      if (param != AppendParameters.LOG_BYTES) {
        bindEmpty(parameters, param);
      }
    }
    assertThatThrownBy(parameters::tuple).hasMessageContaining("$38").hasMessageContaining("not set");

    parameters.put(AppendParameters.LOG_BYTES, new Long[] {7L});
    assertThat(parameters.tuple().size()).isEqualTo(40);
    assertThat((Long[]) parameters.tuple().getValue(37)).containsExactly(7L);
    assertThatThrownBy(() -> parameters.put(AppendParameters.ITEM_ID, new UUID[0])).hasMessageContaining("$4")
        .hasMessageContaining("twice");
  }

  private static <T> void bindEmpty(AppendParameters parameters, AppendParameters.Param<T> param) {
    parameters.put(param, param.javaType().cast(java.lang.reflect.Array.newInstance(
        param.javaType().getComponentType(), 0)));
  }

  private static String withoutComments(String sql) {
    return sql.replaceAll("--[^\n]*", "");
  }
}
