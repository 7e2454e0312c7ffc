/**
 * The generic webhook integration: posts every Rainforest event as one JSON envelope to the URL the user configured,
 * signed per <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> v1 when a {@code secret} is set.
 *
 * <p>The envelope is a stable contract with the receiver:
 * <pre>{@code
 * {"type": "run_completion",           // the event type, as Rainforest names it
 *  "id": "evt_...",                    // the same as the webhook-id header; the same on every retry
 *  "timestamp": "2026-01-01T00:00:00Z", // when this attempt was sent (UTC, whole seconds), as webhook-timestamp
 *  "data": {...}}                      // the event's payload exactly as Rainforest sent it ({} for integration_test)
 * }</pre>
 * The {@code id} is Rainforest's {@code event_id} when it is a plain token (letters, digits, {@code _}, {@code -},
 * up to 128 characters); otherwise, or when the event has none, it is {@code evt_} and the hex SHA-256 of the event,
 * so that retries of one event keep one id. Headers: {@code webhook-id}, {@code webhook-timestamp} (Unix seconds)
 * and, with a secret, {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed with the
 * base64-decoded part of the {@code whsec_} secret.
 */
package com.rainforestqa.integrations.plugin.webhook;
