package io.busbar.connectors.opcua.browse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data type (by name), value rank, description and engineering units of every variable a walk found,
 * read in as few requests as the server's MaxNodesPerRead allows.
 */
final class VariableDescriber {

    private static final Logger LOG = LoggerFactory.getLogger(VariableDescriber.class);

    private final OpcUaClient client;
    private final AttributeReader reader;
    private final String endpoint;

    VariableDescriber(OpcUaClient client, AttributeReader reader, String endpoint) {
        this.client = client;
        this.reader = reader;
        this.endpoint = endpoint;
    }

    List<FoundVariable> describe(Walk walk) throws UaException {
        List<NodeId> variableIds = new ArrayList<>(walk.variables.cardinality());
        List<String> variablePaths = new ArrayList<>(walk.variables.cardinality());
        for (int index : walk.treeOrder()) {
            if (walk.variables.get(index)) {
                variableIds.add(walk.ids.get(index));
                variablePaths.add(walk.nodes.get(index).browsePath());
            }
        }
        List<ReadValueId> reads = new ArrayList<>(variableIds.size() * 3 + walk.engineeringUnits.size());
        for (NodeId variable : variableIds) {
            reads.add(new ReadValueId(variable, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(variable, AttributeId.ValueRank.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(variable, AttributeId.Description.uid(), null, QualifiedName.NULL_VALUE));
        }
        List<NodeId> withUnits = new ArrayList<>(walk.engineeringUnits.keySet());
        for (NodeId variable : withUnits) {
            reads.add(new ReadValueId(walk.engineeringUnits.get(variable), AttributeId.Value.uid(), null,
                    QualifiedName.NULL_VALUE));
        }
        List<DataValue> values = reader.read(reads);

        Map<NodeId, String> units = new HashMap<>();
        int unitsAt = variableIds.size() * 3;
        for (int i = 0; i < withUnits.size(); i++) {
            String unit = engineeringUnits(values.get(unitsAt + i));
            if (unit != null) {
                units.put(withUnits.get(i), unit);
            }
        }
        Map<NodeId, String> typeNames = dataTypeNames(values, variableIds.size());

        List<FoundVariable> variables = new ArrayList<>(variableIds.size());
        for (int v = 0; v < variableIds.size(); v++) {
            NodeId dataType = AttributeReader.good(values.get(3 * v)) instanceof NodeId id ? id : null;
            Integer valueRank = AttributeReader.good(values.get(3 * v + 1)) instanceof Integer rank ? rank : null;
            String description = AttributeReader.good(values.get(3 * v + 2)) instanceof LocalizedText text
                    ? blankToNull(text.getText()) : null;
            NodeId variable = variableIds.get(v);
            variables.add(new FoundVariable(variablePaths.get(v), variable.toParseableString(),
                    dataType == null ? null : typeNames.get(dataType),
                    dataType == null ? null : dataType.toParseableString(),
                    valueRank, units.get(variable), description));
        }
        return variables;
    }

    /** The browse names of the data types, read once each. */
    private Map<NodeId, String> dataTypeNames(List<DataValue> values, int variables) throws UaException {
        Set<NodeId> dataTypes = new LinkedHashSet<>();
        for (int v = 0; v < variables; v++) {
            if (AttributeReader.good(values.get(3 * v)) instanceof NodeId id && !id.isNull()) {
                dataTypes.add(id);
            }
        }
        List<NodeId> ordered = new ArrayList<>(dataTypes);
        List<ReadValueId> reads = new ArrayList<>(ordered.size());
        for (NodeId dataType : ordered) {
            reads.add(new ReadValueId(dataType, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE));
        }
        List<DataValue> names = reader.read(reads);
        Map<NodeId, String> typeNames = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            Object name = AttributeReader.good(names.get(i));
            typeNames.put(ordered.get(i), name == null ? ordered.get(i).toParseableString() : References.nameOf(name));
        }
        return typeNames;
    }

    private String engineeringUnits(DataValue value) {
        Object unit = AttributeReader.good(value);
        try {
            if (unit instanceof ExtensionObject encoded) {
                unit = encoded.decode(client.getStaticEncodingContext());
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: unreadable EngineeringUnits ({})", endpoint, MiloConnection.describe(e));
            return null;
        }
        return unit instanceof EUInformation information && information.getDisplayName() != null
                ? blankToNull(information.getDisplayName().getText())
                : null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
