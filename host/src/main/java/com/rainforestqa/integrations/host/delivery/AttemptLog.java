package com.rainforestqa.integrations.host.delivery;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A delivery's attempts as the store keeps them: one JSON array in the delivery's row, so that recording an event
 * is one insert per integration. Each attempt is {@code {"at": epoch ms, "ms", "code", "type", "error"}}, the last
 * three only when present.
 */
final class AttemptLog {
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Longest error text kept per attempt. */
    private static final int MAX_ERROR = 4000;

    private AttemptLog() {
    }

    /** @return {@code log} with {@code attempts} appended */
    static String append(String log, List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return log;
        }
        StringWriter out = new StringWriter(log.length() + 96 * attempts.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            if (!log.equals("[]")) {
                parseArray(log).forEach(json::write);
            }
            for (Attempt attempt : attempts) {
                json.writeStartObject().write("at", attempt.at().toEpochMilli()).write("ms", attempt.took().toMillis());
                attempt.responseCode().ifPresent(code -> json.write("code", code));
                attempt.errorType().ifPresent(type -> json.write("type", type));
                attempt.error().ifPresent(error -> json.write("error",
                        error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "…"));
                json.writeEnd();
            }
            json.writeEnd();
        }
        return out.toString();
    }

    /** @return the attempts of a log */
    static List<Attempt> parse(String log) {
        List<Attempt> attempts = new ArrayList<>();
        for (JsonValue value : parseArray(log)) {
            JsonObject attempt = value.asJsonObject();
            attempts.add(new Attempt(Instant.ofEpochMilli(attempt.getJsonNumber("at").longValue()),
                    Duration.ofMillis(attempt.getJsonNumber("ms").longValue()),
                    attempt.containsKey("code") ? OptionalInt.of(attempt.getInt("code")) : OptionalInt.empty(),
                    Optional.ofNullable(attempt.getString("type", null)),
                    Optional.ofNullable(attempt.getString("error", null))));
        }
        return attempts;
    }

    private static JsonArray parseArray(String log) {
        try (var reader = JSON.createReader(new StringReader(log))) {
            return reader.readArray();
        }
    }
}
