package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonStructure;

import java.nio.charset.StandardCharsets;

/** Sends JSON answers. */
final class JsonResponses {
    private JsonResponses() {
    }

    static void send(ServerResponse response, Status status, JsonStructure body) {
        response.status(status);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
