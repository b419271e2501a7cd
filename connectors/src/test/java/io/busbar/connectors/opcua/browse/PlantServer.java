package io.busbar.connectors.opcua.browse;

import io.busbar.connectors.opcua.simulator.PlainNamespace;
import io.busbar.connectors.support.AnonymousTestServer;
import io.busbar.support.FreePorts;
import java.util.List;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.variables.AnalogItemTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;

/**
 * A small OPC UA server for what the simulator does not have: AnalogItemType variables with
 * EngineeringUnits, a browse name with a slash, a folder with more children than one browse
 * response carries, and a reference loop. Its address space (namespace 2):
 *
 * <pre>
 * Objects/Plant/Feeder/1                 (a folder whose browse name is "Feeder/1")
 *                       /ActiveEnergy    AnalogItemType, Double, EngineeringUnits kWh, "Import, total"
 *                       /Voltage L1      AnalogItemType, Float, EngineeringUnits V
 *                       /State           String
 *                       (and an Organizes reference back to Objects/Plant: a loop)
 * Objects/Plant/Bulk/V00 .. V24          Int32
 * </pre>
 */
final class PlantServer implements AutoCloseable {

    static final String NAMESPACE_URI = "urn:busbar:test:plant";
    static final int BULK = 25;

    private final int port = FreePorts.freeOn("localhost");
    private final OpcUaServer server;
    private final PlantNamespace namespace;

    PlantServer() {
        server = AnonymousTestServer.create(AnonymousTestServer.config("plant", port, "/plant").build());
        namespace = new PlantNamespace(server);
        namespace.startup();
        server.startup().join();
    }

    String endpointUrl() {
        return "opc.tcp://localhost:" + port + "/plant";
    }

    @Override
    public void close() {
        server.shutdown().join();
        namespace.shutdown();
    }

    private static final class PlantNamespace extends PlainNamespace {

        PlantNamespace(OpcUaServer server) {
            super(server, NAMESPACE_URI);
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        private void addNodes() {
            UaFolderNode plant = folder("Plant", "Plant");
            plant.addReference(new Reference(plant.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(),
                    Reference.Direction.INVERSE));
            UaFolderNode feeder = folder("Plant.Feeder1", "Feeder/1");
            plant.addOrganizes(feeder);
            feeder.addOrganizes(analog("Plant.Feeder1.ActiveEnergy", "ActiveEnergy", NodeIds.Double, new Variant(1523.5),
                    "kWh", "Import, total"));
            feeder.addOrganizes(analog("Plant.Feeder1.VoltageL1", "Voltage L1", NodeIds.Float, new Variant(230.1f), "V", null));
            feeder.addOrganizes(readOnlyVariable("Plant.Feeder1.State", "State", NodeIds.String, new Variant("ok")));
            feeder.addReference(new Reference(feeder.getNodeId(), NodeIds.Organizes, plant.getNodeId().expanded(),
                    Reference.Direction.FORWARD));
            UaFolderNode bulk = folder("Plant.Bulk", "Bulk");
            plant.addOrganizes(bulk);
            for (int i = 0; i < BULK; i++) {
                String name = "V%02d".formatted(i);
                bulk.addOrganizes(readOnlyVariable("Plant.Bulk." + name, name, NodeIds.Int32, new Variant(i)));
            }
        }

        // nothing here is subscribed to
        @Override
        public void onDataItemsCreated(List<DataItem> dataItems) {
        }

        @Override
        public void onDataItemsModified(List<DataItem> dataItems) {
        }

        @Override
        public void onDataItemsDeleted(List<DataItem> dataItems) {
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        }

        private UaFolderNode folder(String id, String name) {
            UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(name),
                    LocalizedText.english(name));
            getNodeManager().addNode(folder);
            return folder;
        }

        private AnalogItemTypeNode analog(String id, String name, NodeId dataType, Variant value, String unit,
                                          String description) {
            try {
                AnalogItemTypeNode node = (AnalogItemTypeNode) getNodeFactory().createNode(newNodeId(id), NodeIds.AnalogItemType);
                node.setBrowseName(newQualifiedName(name));
                node.setDisplayName(LocalizedText.english(name));
                if (description != null) {
                    node.setDescription(LocalizedText.english(description));
                }
                node.setDataType(dataType);
                node.setValueRank(-1);
                node.setAccessLevel(AccessLevel.toValue(AccessLevel.READ_ONLY));
                node.setUserAccessLevel(AccessLevel.toValue(AccessLevel.READ_ONLY));
                node.setValue(new DataValue(value));
                node.setEngineeringUnits(new EUInformation("http://www.opcfoundation.org/UA/units/un/cefact", -1,
                        LocalizedText.english(unit), LocalizedText.english(unit)));
                return node;
            } catch (UaException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
