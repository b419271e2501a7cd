package io.busbar.bootstrap.demo;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Lets a demo user break the simulated SCADA pair and watch Busbar fail over:
 * {@code POST /demo/servers/{primary|secondary}/{stop|start|freeze|unfreeze}} and
 * {@code POST /demo/servers/{primary|secondary}/service-level/{0..255}}. Only registered by
 * {@code busbar demo}.
 */
@RestController
@ConditionalOnBean(DemoServers.class)
@RequestMapping("/demo/servers")
public class DemoController {

    private final DemoServers servers;

    public DemoController(DemoServers servers) {
        this.servers = servers;
    }

    @GetMapping
    public Map<String, Object> servers() {
        Map<String, Object> view = new LinkedHashMap<>();
        for (ServerRole role : ServerRole.values()) {
            view.put(role.wireName(), view(servers.get(role)));
        }
        return view;
    }

    @PostMapping("/{server}/{action}")
    public Map<String, Object> control(@PathVariable String server, @PathVariable String action) {
        SimulatedScadaServer simulated = servers.get(role(server));
        switch (action) {
            case "stop" -> simulated.stop();
            case "start" -> simulated.start();
            case "freeze" -> simulated.freeze();
            case "unfreeze" -> simulated.unfreeze();
            default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "action must be one of: stop, start, freeze, unfreeze");
        }
        return view(simulated);
    }

    @PostMapping("/{server}/service-level/{level}")
    public Map<String, Object> serviceLevel(@PathVariable String server, @PathVariable int level) {
        if (level < 0 || level > 255) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "service level must be 0..255");
        }
        SimulatedScadaServer simulated = servers.get(role(server));
        simulated.setServiceLevel(level);
        return view(simulated);
    }

    private static ServerRole role(String server) {
        try {
            return ServerRole.fromWireName(server);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "server must be primary or secondary");
        }
    }

    private static Map<String, Object> view(SimulatedScadaServer server) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("endpoint", server.endpointUrl());
        view.put("running", server.isRunning());
        view.put("frozen", server.isFrozen());
        view.put("serviceLevel", server.serviceLevel());
        return view;
    }

}
