package io.busbar.bootstrap.health;

import io.busbar.bootstrap.buffer.DeadLetters;
import jakarta.jms.JMSException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/deadletters}: counts and samples of every target's dead letters;
 * {@code /actuator/deadletters/{target}} lists them; {@code POST /actuator/deadletters/{target}}
 * with {@code {"action":"replay"}} or {@code {"action":"purge"}} acts on them.
 */
@Component
@Endpoint(id = "deadletters")
public class DeadLettersEndpoint {

    static final int SAMPLES = 3;
    static final int DEFAULT_LIST = 100;

    private final DeadLetters deadLetters;

    public DeadLettersEndpoint(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @ReadOperation
    public Map<String, Object> all() throws JMSException {
        Map<String, Object> targets = new LinkedHashMap<>();
        for (String target : deadLetters.targets()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("count", deadLetters.count(target));
            view.put("samples", deadLetters.browse(target, SAMPLES));
            targets.put(target, view);
        }
        return Map.of("targets", targets);
    }

    /** @return null (404) for an unknown target */
    @ReadOperation
    public Map<String, Object> target(@Selector String target, @Nullable Integer limit) throws JMSException {
        if (!deadLetters.hasTarget(target)) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("target", target);
        view.put("count", deadLetters.count(target));
        view.put("deadLetters", deadLetters.browse(target, limit == null ? DEFAULT_LIST : limit));
        return view;
    }

    @WriteOperation
    public Map<String, Object> act(@Selector String target, String action) throws JMSException {
        if (!deadLetters.hasTarget(target)) {
            return null;
        }
        int done = switch (action == null ? "" : action) {
            case "replay" -> deadLetters.replay(target);
            case "purge" -> deadLetters.purge(target);
            default -> throw new InvalidEndpointRequestException("action must be replay or purge",
                    "action must be replay or purge");
        };
        return Map.of("target", target, "action", action, "messages", done, "remaining", deadLetters.count(target));
    }
}
