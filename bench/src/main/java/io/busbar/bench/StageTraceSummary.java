package io.busbar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the latency of each forwarded publish into its stages, from the {@code stage=} lines a
 * Busbar run with {@code --trace-stages} logged ({@code io.busbar.routes.StageTrace}): server phase
 * (source time → publish received), received → taken by the loop, → first and last slice durable,
 * last durable → last target confirmation. A publish counts when it was made durable in full
 * (the load's tags per source time) from a publish of the server its slices name; backfilled
 * history (several source times per slice, read after the publish) is left out. Prints the last publishes and
 * the median and p90 of each stage: {@code bench/stage-trace <busbar log> [readings per publish]}.
 */
public final class StageTraceSummary {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=([\\w-]+)");

    /** What the log says about the publish of one source time. */
    private static final class Publish {
        final Map<String, long[]> received = new HashMap<>(); // role -> {at, samples}
        final Map<String, Long> picked = new HashMap<>();
        final List<long[]> durable = new ArrayList<>(); // {at, readings}
        String forwardedFrom; // the role of the durable slices (a publish is forwarded from one server)
        final List<long[]> delivered = new ArrayList<>(); // {start, at, readings}
    }

    record Stages(long source, String role, long phase, long toLoop, long toFirstDurable, long toLastDurable,
                  long lastDurableToAck, long receivedToAck, long samples) {
    }

    private StageTraceSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: bench/stage-trace <busbar log> [readings per publish, default 10000]");
            System.exit(2);
        }
        long perPublish = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        List<Stages> stages = stages(Files.readAllLines(Path.of(args[0])), perPublish);
        if (stages.isEmpty()) {
            System.out.println("no complete publish traced (was Busbar run with --trace-stages, at DEBUG for io.busbar.stages?)");
            return;
        }
        System.out.println("source time    server     phase  →loop  →1st durable  →last durable  last durable→last ack  received→last ack  samples");
        for (Stages s : stages.subList(Math.max(0, stages.size() - 10), stages.size())) {
            System.out.printf(Locale.ROOT, "%d  %-9s %6d %6d %13d %14d %22d %18d %8d%n", s.source(), s.role(), s.phase(),
                    s.toLoop(), s.toFirstDurable(), s.toLastDurable(), s.lastDurableToAck(), s.receivedToAck(), s.samples());
        }
        System.out.printf(Locale.ROOT, "%d publishes; median / p90 ms:%n", stages.size());
        line("phase (source time → publish received)", stages, Stages::phase);
        line("received → taken by the pair's loop", stages, Stages::toLoop);
        line("received → first slice durable", stages, Stages::toFirstDurable);
        line("received → last slice durable", stages, Stages::toLastDurable);
        line("last slice durable → last target ack", stages, Stages::lastDurableToAck);
        line("received → last target ack (Busbar's part)", stages, Stages::receivedToAck);
    }

    static List<Stages> stages(List<String> log, long perPublish) {
        Map<Long, Publish> bySource = new TreeMap<>();
        for (String line : log) {
            int at = line.indexOf("stage=");
            if (at < 0) {
                continue;
            }
            Map<String, String> f = new HashMap<>();
            Matcher m = FIELD.matcher(line.substring(at));
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            if (!f.containsKey("source")) {
                continue; // "taken": the delivery unit's readings, not tied to one publish
            }
            Publish p = bySource.computeIfAbsent(Long.parseLong(f.get("source")), s -> new Publish());
            long now = Long.parseLong(f.get("at"));
            switch (f.get("stage")) {
                case "received" -> p.received.putIfAbsent(f.get("role"), new long[] {now, Long.parseLong(f.get("n"))});
                case "picked" -> p.picked.putIfAbsent(f.get("role"), now);
                case "durable" -> {
                    p.durable.add(new long[] {now, Long.parseLong(f.get("n"))});
                    p.forwardedFrom = f.get("role");
                }
                case "delivered" -> p.delivered.add(new long[] {Long.parseLong(f.get("start")), now, Long.parseLong(f.get("n"))});
                default -> { }
            }
        }
        List<Stages> out = new ArrayList<>();
        bySource.forEach((source, p) -> {
            long durable = p.durable.stream().mapToLong(d -> d[1]).sum();
            long delivered = p.delivered.stream().mapToLong(d -> d[2]).sum();
            if (durable != perPublish || delivered < perPublish || p.received.isEmpty()) {
                return;
            }
            long firstDurable = p.durable.stream().mapToLong(d -> d[0]).min().orElseThrow();
            long lastDurable = p.durable.stream().mapToLong(d -> d[0]).max().orElseThrow();
            long lastAck = p.delivered.stream().mapToLong(d -> d[1]).max().orElseThrow();
            String role = p.forwardedFrom;
            if (role == null || !p.received.containsKey(role) || p.received.get(role)[0] > firstDurable) {
                return; // backfilled from history, not a live publish
            }
            long received = p.received.get(role)[0];
            long picked = p.picked.getOrDefault(role, received);
            out.add(new Stages(source, role, received - source, picked - received, firstDurable - received,
                    lastDurable - received, lastAck - lastDurable, lastAck - received, p.received.get(role)[1]));
        });
        return out;
    }

    private static void line(String name, List<Stages> stages, ToLongFunction<Stages> stage) {
        long[] values = stages.stream().mapToLong(stage).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-45s %6d / %6d%n", name, values[values.length / 2],
                values[Math.min(values.length - 1, (int) (values.length * 0.9))]);
    }
}
