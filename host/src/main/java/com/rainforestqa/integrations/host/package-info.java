/**
 * The Rainforest Integrations server: {@link com.rainforestqa.integrations.host.Main} starts it, and
 * {@link com.rainforestqa.integrations.host.IntegrationsHost} wires plugins, delivery and routes together.
 */
package com.rainforestqa.integrations.host;
