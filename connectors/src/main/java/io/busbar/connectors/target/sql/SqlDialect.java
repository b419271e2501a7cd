package io.busbar.connectors.target.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** What differs between the supported databases: the shipped DDL and the idempotent insert. */
public enum SqlDialect {

    POSTGRESQL("jdbc:postgresql:", "postgresql.sql"),
    H2("jdbc:h2:", "h2.sql");

    /** Columns in the order every statement binds them. */
    static final List<String> COLUMNS = List.of("pair", "meter", "quantity", "source_time", "reading_value", "unit",
            "raw_value", "server", "server_time", "quality", "status", "reading_key");
    static final List<String> KEY = List.of("pair", "meter", "quantity", "source_time");
    /** What a new revision of a row replaces (everything but its key). */
    static final List<String> VALUE_COLUMNS = COLUMNS.stream().filter(c -> !KEY.contains(c)).toList();

    private final String urlPrefix;
    private final String ddlResource;

    SqlDialect(String urlPrefix, String ddlResource) {
        this.urlPrefix = urlPrefix;
        this.ddlResource = ddlResource;
    }

    /** @throws IllegalArgumentException for a URL of a database Busbar does not support */
    public static SqlDialect of(String jdbcUrl) {
        return Arrays.stream(values()).filter(d -> jdbcUrl != null && jdbcUrl.startsWith(d.urlPrefix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unsupported JDBC URL (use jdbc:postgresql: or jdbc:h2:): " + jdbcUrl));
    }

    /** The shipped DDL for {@code table}, as one text (statements end with {@code ;}). */
    public String ddl(String table) {
        String resource = "/io/busbar/connectors/target/sql/" + ddlResource;
        try (InputStream in = SqlDialect.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("DDL missing from the build: " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String unqualified = table.substring(table.lastIndexOf('.') + 1);
            return text.replace("${table}", table).replace("${name}", unqualified);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DDL's statements, comments removed. */
    List<String> ddlStatements(String table) {
        StringBuilder code = new StringBuilder();
        for (String line : ddl(table).split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        return Arrays.stream(code.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * An insert of one row that does nothing when a row with the same key and the same reading key
     * exists. A reading key is a function of the row key, so only a new revision of a derived
     * reading (an accounting interval recomputed after late data, {@code ...#<revision>}) differs:
     * it replaces the row.
     */
    String insert(String table) {
        String columns = String.join(", ", COLUMNS);
        String parameters = String.join(", ", COLUMNS.stream().map(c -> "?").toList());
        return switch (this) {
            case POSTGRESQL -> "INSERT INTO " + table + " (" + columns + ") VALUES (" + parameters + ")"
                    + " ON CONFLICT (" + String.join(", ", KEY) + ") DO UPDATE SET " + String.join(", ",
                    VALUE_COLUMNS.stream().map(c -> c + " = EXCLUDED." + c).toList())
                    + " WHERE " + table + ".reading_key <> EXCLUDED.reading_key";
            case H2 -> "MERGE INTO " + table + " t USING (VALUES (" + h2TypedParameters() + ")) s (" + columns + ")"
                    + " ON " + String.join(" AND ", KEY.stream().map(k -> "t." + k + " = s." + k).toList())
                    + " WHEN MATCHED AND t.reading_key <> s.reading_key THEN UPDATE SET " + String.join(", ",
                    VALUE_COLUMNS.stream().map(c -> c + " = s." + c).toList())
                    + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES ("
                    + String.join(", ", COLUMNS.stream().map(c -> "s." + c).toList()) + ")";
        };
    }

    /** H2 cannot infer parameter types inside VALUES, so each is cast to its column's type. */
    private static String h2TypedParameters() {
        return String.join(", ", List.of("CAST(? AS VARCHAR)", "CAST(? AS VARCHAR)", "CAST(? AS VARCHAR)",
                "CAST(? AS TIMESTAMP(9) WITH TIME ZONE)", "CAST(? AS DECFLOAT)", "CAST(? AS VARCHAR)", "CAST(? AS DECFLOAT)",
                "CAST(? AS VARCHAR)", "CAST(? AS TIMESTAMP(9) WITH TIME ZONE)", "CAST(? AS VARCHAR)", "CAST(? AS BIGINT)",
                "CAST(? AS VARCHAR)"));
    }
}
