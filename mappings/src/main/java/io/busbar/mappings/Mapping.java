package io.busbar.mappings;

import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Decimals;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled mapping of one source pair: node id → register. Immutable; a reload builds a new one.
 *
 * <p>A mapping file with browse paths (a {@code browse:} template, or a register with {@code browse:}
 * instead of {@code node:}) cannot be complete before the server's address space is known: until
 * then {@link #needsAddressSpace()} is true and those meters are left out. The source side browses
 * the server (below {@link #browsePrefixes()} is enough) and calls {@link #resolve(List)}, which
 * gives the complete mapping or every problem the expansion found.
 */
public final class Mapping {

    /** Registers that came from code, or one mapping file with what it needs to be compiled again. */
    private sealed interface Part permits Fixed, FromFile {
        List<Register> registers();
    }

    private record Fixed(List<Register> registers) implements Part {
    }

    /**
     * One mapping file. Its parsed document (a position for every key: most of a large file's memory)
     * is kept only while it is needed to compile the file again, against an address space.
     */
    private record FromFile(LocatedDocument document, MappingCompiler.Compiled compiled) implements Part {
        FromFile {
            if (!compiled.needsAddressSpace()) {
                document = null;
            }
        }

        @Override
        public List<Register> registers() {
            return compiled.registers();
        }
    }

    private final String pair;
    private final List<Part> parts;
    /**
     * Each node's register with the part of its readings' keys before the source time: built once
     * here instead of concatenated from pair, meter and quantity for every reading (bench profile).
     */
    private final Map<String, Keyed> byNodeId;
    private final List<String> nodeIdsInOrder;

    private record Keyed(Register register, String keyPrefix) {
    }

    /** @throws IllegalArgumentException when a node is mapped twice */
    public Mapping(String pair, Collection<Register> registers) {
        this(pair, List.of(new Fixed(List.copyOf(registers))));
    }

    static Mapping fromFile(String pair, LocatedDocument document, MappingCompiler.Compiled compiled) {
        return new Mapping(pair, List.of(new FromFile(document, compiled)));
    }

    private Mapping(String pair, List<Part> parts) {
        this.pair = pair;
        this.parts = List.copyOf(parts);
        Map<String, Register> map = new LinkedHashMap<>();
        Map<String, Part> partOf = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Part part : this.parts) {
            for (Register register : part.registers()) {
                if (map.putIfAbsent(register.nodeId(), register) == null) {
                    partOf.put(register.nodeId(), part);
                    continue;
                }
                NodeOrigin first = originOf(partOf.get(register.nodeId()), register.nodeId());
                NodeOrigin again = originOf(part, register.nodeId());
                if (first == null || again == null) {
                    throw new IllegalArgumentException("node " + register.nodeId() + " is mapped twice");
                }
                problems.add(again.mappedAgain(register.nodeId(), first));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        Map<String, Keyed> keyed = new HashMap<>(map.size() * 2);
        map.forEach((nodeId, register) -> keyed.put(nodeId,
                new Keyed(register, ReadingKey.prefix(pair, register.meter(), register.quantity()))));
        this.byNodeId = keyed;
        this.nodeIdsInOrder = List.copyOf(map.keySet());
    }

    /** The same registers and keys with other parts: nothing to check again. */
    private Mapping(String pair, List<Part> parts, Map<String, Keyed> byNodeId, List<String> nodeIdsInOrder) {
        this.pair = pair;
        this.parts = List.copyOf(parts);
        this.byNodeId = byNodeId;
        this.nodeIdsInOrder = nodeIdsInOrder;
    }

    private static NodeOrigin originOf(Part part, String nodeId) {
        return part instanceof FromFile file ? file.compiled().nodeOrigins().get(nodeId) : null;
    }

    /**
     * One mapping of several (e.g. the mapping files of one pair), keeping what each needs to be
     * resolved against an address space.
     *
     * @throws InvalidConfigurationException when mapping files map a node twice (located in both files)
     * @throws IllegalArgumentException      when registers given in code do
     */
    public static Mapping combine(String pair, List<Mapping> mappings) {
        List<Part> parts = new ArrayList<>();
        mappings.forEach(mapping -> parts.addAll(mapping.parts));
        Mapping combined = new Mapping(pair, parts);
        if (combined.needsAddressSpace()) {
            return combined; // resolving compiles again and may find a node mapped twice: it locates both
        }
        // The pair's mapping is complete and checked: no check is left that locates a node, so the
        // origins go (a NodeOrigin, its pointer text and position per register: ~180 B per tag at 100,000 tags).
        // Combining this mapping once more reports a node mapped twice without its location.
        List<Part> lean = new ArrayList<>(parts.size());
        for (Part part : combined.parts) {
            lean.add(part instanceof FromFile file ? new FromFile(null, file.compiled().withoutOrigins()) : part);
        }
        return new Mapping(pair, lean, combined.byNodeId, combined.nodeIdsInOrder);
    }

    /** How many node origins the mapping keeps (to locate a node mapped twice); for tests. */
    int nodeOriginsKept() {
        return parts.stream().mapToInt(part -> part instanceof FromFile file ? file.compiled().nodeOrigins().size() : 0).sum();
    }

    public String pair() {
        return pair;
    }

    /** The nodes to subscribe to, in mapping-file order. */
    public List<String> nodeIds() {
        return nodeIdsInOrder;
    }

    public int size() {
        return nodeIdsInOrder.size();
    }

    public Register register(String nodeId) {
        Keyed keyed = byNodeId.get(nodeId);
        return keyed == null ? null : keyed.register();
    }

    /** Every register, in mapping-file order (templates after the meters written out, in expansion order). */
    public List<Register> registers() {
        return nodeIdsInOrder.stream().map(nodeId -> byNodeId.get(nodeId).register()).toList();
    }

    /** The meters, in order, with their registers. */
    public List<Meter> meters() {
        Map<String, List<Register>> byMeter = new LinkedHashMap<>();
        for (String nodeId : nodeIdsInOrder) {
            Register register = byNodeId.get(nodeId).register();
            byMeter.computeIfAbsent(register.meter(), m -> new ArrayList<>()).add(register);
        }
        List<Meter> meters = new ArrayList<>(byMeter.size());
        byMeter.forEach((id, registers) -> meters.add(new Meter(id, registers.get(0).attributes(), registers)));
        return meters;
    }

    /**
     * The energy-accounting settings and groups of the mapping files ({@code accounting:}), together;
     * time zone, intervals and default estimation from the first file that has the block.
     * {@link io.busbar.mappings.accounting.AccountingSpec#NONE} when no file has one.
     */
    public io.busbar.mappings.accounting.AccountingSpec accounting() {
        io.busbar.mappings.accounting.AccountingSpec spec = io.busbar.mappings.accounting.AccountingSpec.NONE;
        for (Part part : parts) {
            if (part instanceof FromFile file) {
                spec = spec.merge(file.compiled().accounting());
            }
        }
        return spec;
    }

    /** The templates of the mapping files, in order. */
    public List<Template> templates() {
        List<Template> templates = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof FromFile file) {
                templates.addAll(file.compiled().templates());
            }
        }
        return templates;
    }

    /** Whether some meters wait for the server's address space: see {@link #resolve(List)}. */
    public boolean needsAddressSpace() {
        return parts.stream().anyMatch(part -> part instanceof FromFile file && file.compiled().needsAddressSpace());
    }

    /**
     * The browse paths below which every browse path and pattern of the mapping lies, e.g.
     * {@code Objects/Meters} for {@code Objects/Meters/{meter}/Energy}: browsing these is enough.
     * An empty string means the whole address space. Empty when nothing needs browsing.
     */
    public List<String> browsePrefixes() {
        Set<String> prefixes = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof FromFile file) {
                file.compiled().browsePaths().forEach(path -> prefixes.add(browsePrefix(path)));
            }
        }
        return List.copyOf(prefixes);
    }

    /** The folder part of a browse path before its first placeholder. */
    static String browsePrefix(String path) {
        int brace = path.indexOf('{');
        while (brace >= 0 && brace + 1 < path.length() && path.charAt(brace + 1) == '{') {
            brace = path.indexOf('{', brace + 2);
        }
        String before = brace < 0 ? path : path.substring(0, brace);
        int slash = before.lastIndexOf('/');
        return slash < 0 ? "" : before.substring(0, slash).replace("{{", "{").replace("}}", "}");
    }

    /**
     * The complete mapping for this address space: browse templates expanded, browse paths looked up,
     * and everything checked again together. This mapping itself is not changed; a mapping that does
     * not need an address space is returned as it is.
     *
     * @param addressSpace every node the source side found (below {@link #browsePrefixes()})
     * @throws InvalidConfigurationException with every problem, located in the mapping files
     */
    public Mapping resolve(List<BrowsedNode> addressSpace) {
        if (!needsAddressSpace()) {
            return this;
        }
        AddressSpace index = new AddressSpace(addressSpace);
        List<Part> resolved = new ArrayList<>(parts.size());
        List<Problem> problems = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof FromFile file && file.compiled().needsAddressSpace()) {
                try {
                    resolved.add(new FromFile(file.document(), MappingCompiler.compile(file.document(), index)));
                } catch (InvalidConfigurationException e) {
                    problems.addAll(e.problems());
                }
            } else {
                resolved.add(part);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Mapping(pair, resolved);
    }

    /** The reading of a sample, not yet validated (status {@code RAW}; see the Validator), with the register that mapped it. */
    public MappingOutcome map(ServerRole server, RawSample sample) {
        Keyed keyed = byNodeId.get(sample.nodeId());
        if (keyed == null) {
            return new MappingOutcome.NotMapped(sample.nodeId());
        }
        Register register = keyed.register();
        Instant sourceTime = sample.sourceTime() != null ? sample.sourceTime() : sample.serverTime();
        if (sourceTime == null) {
            return new MappingOutcome.Unmappable(sample, register, "the server sent neither a source nor a server timestamp");
        }
        BigDecimal raw;
        try {
            raw = exactDecimal(sample.value());
        } catch (IllegalArgumentException e) {
            return new MappingOutcome.Unmappable(sample, register, e.getMessage()
                    + " (status 0x" + Long.toHexString(sample.statusCode()).toUpperCase() + ")");
        }
        MeterAttributes meter = register.attributes();
        return new MappingOutcome.Mapped(new Reading(
                ReadingKey.of(keyed.keyPrefix(), sourceTime),
                pair, server, register.meter(), register.quantity(),
                register.value(raw), register.unit(), raw,
                sourceTime, sample.serverTime(),
                Quality.ofStatusCode(sample.statusCode()), sample.statusCode(),
                ValidationStatus.RAW, List.of(),
                meter.serial(), meter.account(), meter.address(), meter.groups(),
                register.medium(), register.accumulation(), register.tariff()), register);
    }

    /**
     * The raw value as an exact decimal. Doubles and floats go through their shortest decimal form
     * ({@link Double#toString(double)}, {@link Float#toString(float)}), which is what the server meant,
     * not the binary expansion. Other {@link Number} classes go through their decimal text.
     */
    static BigDecimal exactDecimal(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double d) {
            requireFinite(d);
            return Decimals.ofDouble(d);
        }
        if (value instanceof Float f) {
            // Float.toString, not doubleValue(): 0.1f widened to double is 0.10000000149011612
            requireFinite(f);
            return new BigDecimal(Float.toString(f));
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number) {
            // e.g. Milo's UInteger/ULong for OPC UA UInt32/UInt64, or AtomicLong: their text is the decimal value
            try {
                return new BigDecimal(value.toString());
            } catch (NumberFormatException e) {
                throw notNumeric(value);
            }
        }
        throw notNumeric(value);
    }

    private static void requireFinite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("value is " + d + ", not a number a meter can have");
        }
    }

    private static IllegalArgumentException notNumeric(Object value) {
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "…";
        }
        return new IllegalArgumentException("value of type " + value.getClass().getSimpleName()
                + " is not numeric: '" + shown + "'");
    }
}
