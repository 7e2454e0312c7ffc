package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.OutboundHttp;

import jakarta.json.bind.Jsonb;

import java.time.Clock;
import java.util.Map;

/** What one delivery lends a plugin. */
record DeliveryContext(OutboundHttp http, Jsonb jsonb, Map<String, String> config, System.Logger logger,
                       Clock clock) implements IntegrationContext {
    DeliveryContext {
        config = Map.copyOf(config);
    }
}
