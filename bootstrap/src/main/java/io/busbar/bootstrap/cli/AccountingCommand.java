package io.busbar.bootstrap.cli;

import io.busbar.accounting.AccountingRun;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "accounting",
        header = "Recompute energy accounting over a file of readings.",
        description = {"Recompute energy accounting over a file of readings: consumption per interval, group balance and limit events,"
                + " group totals. Writes DIR/intervals.jsonl, DIR/events.jsonl and DIR/totals.csv, each replaced whole.",
                "Groups, intervals, time zone and estimation come from the 'accounting:' blocks of the mapping files."})
public final class AccountingCommand extends ConsoleCommand {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The busbar.yaml whose mapping files define the groups.")
    Path config;

    @Option(names = "--readings", required = true, paramLabel = "IN.jsonl", description = "Readings, one JSON object per line (the reading wire format).")
    Path readings;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for intervals.jsonl, events.jsonl and totals.csv.")
    Path out;

    @Option(names = "--from", paramLabel = "T1", description = "Period start, ISO-8601 UTC (e.g. 2026-11-01T00:00:00Z); default: the first reading's interval.")
    String from;

    @Option(names = "--to", paramLabel = "T2", description = "Period end, ISO-8601 UTC; default: the last reading. Totals are from T1 to T2.")
    String to;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        Instant start;
        Instant end;
        try {
            start = from == null ? null : Instant.parse(from);
            end = to == null ? null : Instant.parse(to);
        } catch (DateTimeParseException e) {
            err.println("--from/--to: not an ISO-8601 UTC time: " + e.getParsedString());
            return ExitCodes.INVALID;
        }
        Map<String, Mapping> mappings = new LinkedHashMap<>();
        try {
            ConfigFile.load(config).plan().pairs().forEach(pair -> mappings.put(pair.name(), pair.mapping()));
        } catch (InvalidConfigurationException e) {
            ValidateCommand.printProblems(err, e);
            return ExitCodes.INVALID;
        }
        try {
            AccountingRun.Summary summary = AccountingRun.run(mappings, readings, this.out, start, end);
            out.printf("%d reading(s) → %d interval(s), %d event(s), %d total row(s) in %s%n", summary.readings(), summary.intervals(),
                    summary.events(), summary.totals(), this.out);
            return ExitCodes.OK;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID;
        }
    }
}
