/**
 * The service provider interface of Rainforest Integrations: everything an integration plugin sees.
 *
 * <p>A plugin implements {@link com.rainforestqa.integrations.api.Integration}, names the implementation in
 * {@code META-INF/services/com.rainforestqa.integrations.api.Integration}, and ships a schema file at
 * {@code META-INF/integrations/<key>.yaml}. The host lends it an {@link com.rainforestqa.integrations.api.IntegrationContext}
 * for every delivery; the plugin talks to the network only through {@link com.rainforestqa.integrations.api.OutboundHttp}.
 * Nothing in this package depends on the host's frameworks, so plugins built today keep working when the host upgrades.
 */
package com.rainforestqa.integrations.api;
