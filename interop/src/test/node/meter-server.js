#!/usr/bin/env node
/*
 * One server of a redundant SCADA pair, built on node-opcua: a second OPC UA stack, independent of
 * Eclipse Milo, for Busbar's interoperability tests.
 *
 * Address space (namespace "urn:busbar:interop:meters", ns index printed in the ready line):
 *   Objects/Meters/MeterNNN/Energy  ns=<i>;s=MeterNNN.Energy  Double, historized (HistoryRead raw)
 *   Objects/Meters/MeterNNN/Power   ns=<i>;s=MeterNNN.Power   Double, historized only with --historize-power
 * Every whole second S (epoch seconds) every meter m gets
 *   Energy = m * 1000 + S        Power = (m * 7 + S) % 100
 * with S as source timestamp: a pure function of (meter, second), so two servers started apart
 * agree value for value, like the two servers of a real pair reading the same field devices.
 * A second the event loop was late for is still published, in order, each on its own tick
 * CATCH_UP_MS after the one before, so a subscription sampling every 250 ms sees it too: neither
 * history nor the stream has holes unless a test asks for one (set-late). History starts a minute
 * before the server does, as on a server that ran before Busbar connected.
 *
 * Server/ServiceLevel (i=2267) reads 255 until changed. Control: one command per line on stdin,
 * each answered on stdout with "ok <command>" or "error <reason>":
 *   service-level <0..255>   freeze   unfreeze   delete-meter <m>   stop
 *   add-meter <m>            a meter that comes online: its object and variables from now on,
 *                            history only from now
 *   set-late <m>             the meter's next second is set late: it enters the history of its
 *                            historized variables, but their value goes from the second before
 *                            straight to the one after, so no subscription sees it
 *   answer-creations-late <ms>  CreateSubscription creates the subscription at once but answers
 *                            after <ms> (0: at once again), so a client that gave up meanwhile
 *                            does not know of it
 * and two queries, answered with "ok <command> <answer>":
 *   publishing-intervals     the publishing interval (ms) of each subscription with monitored
 *                            items, over all sessions, comma-separated (empty when none)
 *   most-subscriptions-in-one-session   what counts against maxSubscriptionsPerSession
 * When stdin closes (the test JVM is gone) the server exits, so no server outlives its test.
 *
 * Prints "ready port=<p> ns=<i> endpoint=<url>" on stdout once it listens.
 */
"use strict";

const path = require("path");
const os = require("os");
const { parseArgs } = require("util");
const readline = require("readline");
const { OPCUAServer } = require("node-opcua-server");
const { OPCUACertificateManager } = require("node-opcua-certificate-manager");
const { nodesets } = require("node-opcua-nodesets");
const { StatusCodes } = require("node-opcua-status-code");
const { Variant, DataType } = require("node-opcua-variant");

const NAMESPACE_URI = "urn:busbar:interop:meters";
const RESOURCE_PATH = "/busbar";
/** Server_ServiceLevel and Server_ServerRedundancy_RedundancySupport (OPC UA Part 5). */
const SERVICE_LEVEL_NODE = "i=2267";
const REDUNDANCY_SUPPORT_NODE = "i=3709";
const REDUNDANCY_SUPPORT_HOT = 3;
/** An hour of one value a second: far more than any test runs, bounded so memory stays flat. */
const HISTORY_VALUES = 3600;
/** History the meters have when the server starts, as a server that ran before Busbar connected. */
const PRIOR_HISTORY_SECONDS = 60;
/**
 * A second the event loop was late for follows the one before after this long: longer than the
 * tests' sampling interval (250 ms). Set together, the sampler saw only the newer one, and a node
 * without history lost the older for good on both servers of a pair (both stall as they start).
 */
const CATCH_UP_MS = 300;

function fail(message) {
    process.stderr.write(`meter-server: ${message}\n`);
    process.exit(2);
}

function options() {
    const { values } = parseArgs({
        options: {
            port: { type: "string" },
            name: { type: "string", default: "node-opcua meter server" },
            meters: { type: "string", default: "20" },
            role: { type: "string", default: "primary" },
            "historize-power": { type: "boolean", default: false },
            host: { type: "string", default: "127.0.0.1" },
            pki: { type: "string" }
        },
        strict: true
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        fail(`--port must be 1..65535, was ${values.port}`);
    }
    const meters = Number(values.meters);
    if (!Number.isInteger(meters) || meters < 1 || meters > 999) {
        fail(`--meters must be 1..999, was ${values.meters}`);
    }
    if (values.role !== "primary" && values.role !== "secondary") {
        fail(`--role must be primary or secondary, was ${values.role}`);
    }
    return {
        port,
        meters,
        name: values.name,
        role: values.role,
        historizePower: values["historize-power"],
        host: values.host,
        pki: values.pki || path.join(os.tmpdir(), `busbar-interop-pki-${values.role}-${port}`)
    };
}

const meterId = (meter) => `Meter${String(meter).padStart(3, "0")}`;
const energyAt = (meter, second) => meter * 1000 + second;
const powerAt = (meter, second) => (meter * 7 + second) % 100;

async function main() {
    const opts = options();
    // own PKI folders: the defaults live in the user's home and would be shared by every test run
    const serverCertificateManager = new OPCUACertificateManager({
        rootFolder: path.join(opts.pki, "server"),
        automaticallyAcceptUnknownCertificate: true
    });
    const userCertificateManager = new OPCUACertificateManager({
        rootFolder: path.join(opts.pki, "user"),
        automaticallyAcceptUnknownCertificate: true
    });
    const server = new OPCUAServer({
        port: opts.port,
        host: opts.host,
        hostname: opts.host,
        resourcePath: RESOURCE_PATH,
        nodeset_filename: [nodesets.standard],
        serverInfo: {
            applicationUri: `urn:busbar:interop:${opts.role}`,
            productUri: "urn:busbar:interop",
            applicationName: { text: opts.name, locale: "en" }
        },
        buildInfo: { productName: "busbar-interop-meter-server" },
        allowAnonymous: true,
        serverCertificateManager,
        userCertificateManager
    });
    await server.initialize();

    const addressSpace = server.engine.addressSpace;
    const namespace = addressSpace.registerNamespace(NAMESPACE_URI);
    const metersFolder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: "Meters" });
    const meters = new Map();

    /** @param historySince the first second the meter's historized variables get values for (history before now) */
    function addMeter(meter, second, historySince = second) {
        const id = meterId(meter);
        const object = namespace.addObject({ organizedBy: metersFolder, browseName: id, nodeId: `s=${id}` });
        const variable = (quantity, value, historized) => {
            const node = namespace.addVariable({
                componentOf: object,
                browseName: quantity,
                nodeId: `s=${id}.${quantity}`,
                dataType: "Double",
                minimumSamplingInterval: 100
            });
            if (historized) {
                addressSpace.installHistoricalDataNode(node, { maxOnlineValues: HISTORY_VALUES });
                for (let s = historySince; s < second; s++) {
                    set(node, quantity === "Energy" ? energyAt(meter, s) : powerAt(meter, s), s);
                }
            }
            set(node, value, second);
            return node;
        };
        meters.set(meter, {
            object,
            energy: variable("Energy", energyAt(meter, second), true),
            power: variable("Power", powerAt(meter, second), opts.historizePower)
        });
    }

    function set(node, value, second) {
        node.setValueFromSource(new Variant({ dataType: DataType.Double, value }), StatusCodes.Good,
            new Date(second * 1000));
    }

    /** Puts a second's value into a variable's history without setting the variable. */
    function historizeOnly(node, value, second) {
        // the DataValue class of the engine's own values: no dependency beyond the server's
        const DataValue = node.readValue().constructor;
        node.varHistorian.push(new DataValue({
            value: new Variant({ dataType: DataType.Double, value }),
            statusCode: StatusCodes.Good,
            sourceTimestamp: new Date(second * 1000),
            serverTimestamp: new Date()
        }));
    }

    let serviceLevel = 255;
    let frozen = false;
    /** Meters whose next second is set late (history only). */
    const setLate = new Set();
    let lastPublished = Math.floor(Date.now() / 1000);
    for (let meter = 1; meter <= opts.meters; meter++) {
        // a SCADA server has history from before Busbar connects: a minute of it
        addMeter(meter, lastPublished, lastPublished - PRIOR_HISTORY_SECONDS);
    }

    function publish(s) {
        for (const [meter, nodes] of meters) {
            if (setLate.delete(meter)) {
                historizeOnly(nodes.energy, energyAt(meter, s), s);
                if (opts.historizePower) {
                    historizeOnly(nodes.power, powerAt(meter, s), s);
                }
                continue;
            }
            set(nodes.energy, energyAt(meter, s), s);
            set(nodes.power, powerAt(meter, s), s);
        }
        lastPublished = s;
    }

    function tick() {
        const second = Math.floor(Date.now() / 1000);
        if (frozen) {
            lastPublished = Math.max(lastPublished, second); // frozen seconds never come
        } else if (lastPublished < second) {
            publish(lastPublished + 1);
        }
        scheduleTick(!frozen && lastPublished < Math.floor(Date.now() / 1000));
    }

    // a few ms past the whole second, so Date.now() is surely in it; sooner while catching up
    function scheduleTick(behind = false) {
        setTimeout(tick, behind ? CATCH_UP_MS : 1000 - (Date.now() % 1000) + 5);
    }

    await server.start();

    // the engine binds ServiceLevel to a constant 255; rebinding makes it follow the control command
    addressSpace.findNode(SERVICE_LEVEL_NODE).bindVariable({
        get: () => new Variant({ dataType: DataType.Byte, value: serviceLevel })
    }, true);
    const redundancySupport = addressSpace.findNode(REDUNDANCY_SUPPORT_NODE);
    if (redundancySupport) {
        redundancySupport.setValueFromSource({ dataType: DataType.Int32, value: REDUNDANCY_SUPPORT_HOT });
    }
    scheduleTick();

    const endpoint = server.getEndpointUrl();
    process.stdout.write(`ready port=${opts.port} ns=${namespace.index} endpoint=${endpoint}\n`);

    let stopping = false;
    async function stop(code) {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            await server.shutdown(0);
        } finally {
            process.exit(code);
        }
    }

    // node-opcua dispatches each request to this["_on_" + its name]: the subscription is created
    // as usual, only the channel's answer waits
    let lateCreationMs = 0;
    const createSubscription = server._on_CreateSubscriptionRequest.bind(server);
    server._on_CreateSubscriptionRequest = (message, channel) => {
        if (lateCreationMs === 0) {
            return createSubscription(message, channel);
        }
        const delay = lateCreationMs;
        const late = Object.create(channel);
        late.send_response = (...args) => setTimeout(() => channel.send_response(...args), delay);
        return createSubscription(message, late);
    };

    const commands = {
        "service-level": (arg) => {
            const level = Number(arg);
            if (!Number.isInteger(level) || level < 0 || level > 255) {
                throw new Error(`service-level must be 0..255, was ${arg}`);
            }
            serviceLevel = level;
        },
        freeze: () => {
            frozen = true;
        },
        unfreeze: () => {
            frozen = false;
        },
        "delete-meter": (arg) => {
            const meter = Number(arg);
            const nodes = meters.get(meter);
            if (!nodes) {
                throw new Error(`no meter ${arg}`);
            }
            meters.delete(meter);
            addressSpace.deleteNode(nodes.object);
        },
        "add-meter": (arg) => {
            const meter = Number(arg);
            if (!Number.isInteger(meter) || meter < 1) {
                throw new Error(`add-meter takes a meter number, was ${arg}`);
            }
            if (meters.has(meter)) {
                throw new Error(`meter ${arg} exists`);
            }
            addMeter(meter, lastPublished);
        },
        "set-late": (arg) => {
            const meter = Number(arg);
            if (!meters.has(meter)) {
                throw new Error(`no meter ${arg}`);
            }
            setLate.add(meter);
        },
        stop: () => {
            stop(0);
        },
        "answer-creations-late": (arg) => {
            const ms = Number(arg);
            if (!Number.isInteger(ms) || ms < 0) {
                throw new Error(`answer-creations-late takes a delay in ms, was ${arg}`);
            }
            lateCreationMs = ms;
        },
        "most-subscriptions-in-one-session": () => Math.max(0, ...server.engine.getSessions()
            .map((session) => session.publishEngine.subscriptions.length)),
        "publishing-intervals": () => server.engine.getSessions()
            .flatMap((session) => session.publishEngine.subscriptions)
            .filter((subscription) => subscription.monitoredItemCount > 0)
            .map((subscription) => subscription.publishingInterval)
            .join(",")
    };

    const lines = readline.createInterface({ input: process.stdin });
    lines.on("line", (line) => {
        const [command, arg] = line.trim().split(/\s+/);
        if (!command) {
            return;
        }
        const action = commands[command];
        if (!action) {
            process.stdout.write(`error unknown command '${command}' (${Object.keys(commands).join(", ")})\n`);
            return;
        }
        try {
            const answer = action(arg);
            process.stdout.write(`ok ${line.trim()}${answer === undefined ? "" : " " + answer}\n`);
        } catch (e) {
            process.stdout.write(`error ${e.message}\n`);
        }
    });
    lines.on("close", () => stop(0));
}

main().catch((e) => {
    process.stderr.write(`meter-server: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
