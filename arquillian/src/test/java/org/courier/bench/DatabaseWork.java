package org.courier.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.courier.it.support.CourierDatabase;

/**
 * What the database did for a phase of the benchmark, per message: on H2 the statements the
 * server ran (H2's own query statistics, {@code INFORMATION_SCHEMA.QUERY_STATISTICS}, switched
 * on for the phase: every statement of every session, counted by its SQL text with
 * placeholders, with the time spent in it); on PostgreSQL the transactions committed and the
 * rows written ({@code pg_stat_database}; its figures reach the view up to a second late, so
 * they are approximate).
 */
final class DatabaseWork {

    /** Distinct statements H2 keeps figures for; Courier runs well under a hundred. */
    private static final int MAX_STATEMENTS = 1000;
    private static final List<String> KINDS = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private final CourierDatabase database;
    private List<Object> postgresAtStart = List.of();

    DatabaseWork(CourierDatabase database) {
        this.database = database;
    }

    /** Starts counting from zero. */
    void start() {
        if (database.isH2()) {
            database.update("SET QUERY_STATISTICS_MAX_ENTRIES " + MAX_STATEMENTS);
            database.update("SET QUERY_STATISTICS FALSE"); // drops what was counted before
            database.update("SET QUERY_STATISTICS TRUE");
        } else {
            postgresAtStart = postgresCounters();
        }
    }

    /** What was done since {@link #start()}, divided over {@code messages}. */
    Figures since(long messages) {
        if (database.isH2()) {
            List<Statement> statements = new ArrayList<>();
            for (List<Object> row : database.rows("select SQL_STATEMENT, EXECUTION_COUNT,"
                    + " CUMULATIVE_EXECUTION_TIME from INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                String sql = (String) row.get(0);
                if (!sql.toUpperCase(Locale.ROOT).contains("QUERY_STATISTICS")) {
                    statements.add(new Statement(sql, ((Number) row.get(1)).longValue(), ((Number) row.get(2)).doubleValue()));
                }
            }
            database.update("SET QUERY_STATISTICS FALSE");
            return Figures.ofStatements(statements, messages);
        }
        List<Object> now = postgresCounters();
        long[] delta = new long[now.size()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = ((Number) now.get(i)).longValue() - ((Number) postgresAtStart.get(i)).longValue();
        }
        return Figures.ofPostgres(delta, messages);
    }

    private List<Object> postgresCounters() {
        return database.rows("select xact_commit, tup_inserted, tup_updated, tup_deleted from pg_stat_database"
                + " where datname = current_database()").get(0);
    }

    /** One statement's figures: how often it ran, and its time in total (ms). */
    record Statement(String sql, long executions, double millis) {
        String kind() {
            String first = sql.stripLeading();
            int space = first.indexOf(' ');
            String word = (space < 0 ? first : first.substring(0, space)).toUpperCase(Locale.ROOT);
            return KINDS.contains(word) ? word : "OTHER";
        }
    }

    /** The work per message: a short form for the table, a longer one listing what ran. */
    record Figures(String perMessage, String detail) {

        static Figures ofStatements(List<Statement> statements, long messages) {
            Map<String, Long> byKind = new TreeMap<>();
            long total = 0;
            double millis = 0;
            for (Statement s : statements) {
                byKind.merge(s.kind(), s.executions(), Long::sum);
                total += s.executions();
                millis += s.millis();
            }
            StringBuilder detail = new StringBuilder(String.format(Locale.ROOT,
                    "%.1f statements per message (%s), %.2f ms in them per message; most run:%n", (double) total / messages,
                    kinds(byKind, messages), millis / messages));
            statements.stream().sorted(Comparator.comparingLong(Statement::executions).reversed()).limit(8)
                    .forEach(s -> detail.append(String.format(Locale.ROOT, "    %5.2f  %s%n",
                            (double) s.executions() / messages, abbreviated(s.sql()))));
            return new Figures(String.format(Locale.ROOT, "%.1f", (double) total / messages), detail.toString());
        }

        static Figures ofPostgres(long[] delta, long messages) {
            String perMessage = String.format(Locale.ROOT, "%.1f tx, %.1f rows", (double) delta[0] / messages,
                    (double) (delta[1] + delta[2] + delta[3]) / messages);
            String detail = String.format(Locale.ROOT, "per message: %.2f commits, %.2f rows inserted, %.2f updated,"
                    + " %.2f deleted (pg_stat_database, approximate)%n", (double) delta[0] / messages,
                    (double) delta[1] / messages, (double) delta[2] / messages, (double) delta[3] / messages);
            return new Figures(perMessage, detail);
        }

        private static String kinds(Map<String, Long> byKind, long messages) {
            List<String> parts = new ArrayList<>();
            byKind.forEach((kind, n) -> parts.add(String.format(Locale.ROOT, "%s %.1f", kind.toLowerCase(Locale.ROOT),
                    (double) n / messages)));
            return String.join(", ", parts);
        }

        private static String abbreviated(String sql) {
            String flat = sql.replaceAll("\\s+", " ").trim();
            return flat.length() <= 140 ? flat : flat.substring(0, 137) + "...";
        }
    }
}
