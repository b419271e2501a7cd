package io.busbar.mappings;

import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.SchemaCheck;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a mapping file: YAML → schema check → cross checks (NodeId syntax, units, templates expanded,
 * duplicate meters and nodes) → a compiled {@link Mapping}. All problems of a file are reported together.
 *
 * <p>Without an address space, browse templates and browse paths wait: the mapping says
 * {@link Mapping#needsAddressSpace()} and {@link Mapping#resolve(List)} completes it. With one (the
 * overloads taking a list of {@link BrowsedNode}s), the mapping comes back complete.
 */
public final class MappingFile {

    public static final String SCHEMA_RESOURCE = "schema/mapping.schema.json";
    private static final SchemaCheck SCHEMA = SchemaCheck.fromClasspath(SCHEMA_RESOURCE);
    /** Most meters one mapping file may define, written out and expanded together. */
    public static final int MAX_METERS = 100_000;

    private MappingFile() {
    }

    public static SchemaCheck schema() {
        return SCHEMA;
    }

    /**
     * @param displayName how problems name the file
     * @throws InvalidConfigurationException with every problem found
     */
    public static Mapping load(String pair, Path file, String displayName) {
        return compile(pair, LocatedDocument.read(file, displayName), null);
    }

    /** As {@link #load(String, Path, String)}, with the server's address space for browse templates and paths. */
    public static Mapping load(String pair, Path file, String displayName, List<BrowsedNode> addressSpace) {
        return compile(pair, LocatedDocument.read(file, displayName), new AddressSpace(addressSpace));
    }

    public static Mapping parse(String pair, String yaml, String displayName) {
        return compile(pair, LocatedDocument.parse(yaml, displayName), null);
    }

    public static Mapping parse(String pair, String yaml, String displayName, List<BrowsedNode> addressSpace) {
        return compile(pair, LocatedDocument.parse(yaml, displayName), new AddressSpace(addressSpace));
    }

    private static Mapping compile(String pair, LocatedDocument document, AddressSpace addressSpace) {
        return Mapping.fromFile(pair, document, MappingCompiler.compile(document, addressSpace));
    }
}
