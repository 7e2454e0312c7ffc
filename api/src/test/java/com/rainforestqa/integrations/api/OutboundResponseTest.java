package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OutboundResponseTest {
    @Test
    void aJsonObjectBodyIsRead() {
        OutboundResponse response = new OutboundResponse(400, Map.of(), "{\"message\": \"Bad credentials\"}");

        assertThat(response.jsonObject()).hasValueSatisfying(json ->
                assertThat(json.getString("message")).isEqualTo("Bad credentials"));
    }

    @Test
    void anythingElseIsNoJsonObject() {
        for (String body : List.of("", "  ", "<html>Bad gateway</html>", "[1, 2]", "\"text\"", "{\"cut\": ")) {
            assertThat(new OutboundResponse(502, Map.of(), body).jsonObject()).as(body).isEmpty();
        }
    }

    @Test
    void headersAreFoundInAnyCase() {
        OutboundResponse response = new OutboundResponse(429, Map.of("Retry-After", List.of("5")), "");

        assertThat(response.header("retry-after")).contains("5");
        assertThat(response.isSuccess()).isFalse();
    }
}
