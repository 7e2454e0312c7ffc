package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.host.config.HostSettings;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;

import io.helidon.config.Config;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator's {@code plugins.<key>} configuration gives each plugin: its own subtree, flattened, as the
 * plugin's context hands it over, and the hosts it may reach. Both are worked out once per plugin, since every
 * delivery needs them. Thread-safe.
 */
final class PluginConfigs {
    private final Config pluginsConfig;
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    /** By schema, not key: a plugin replaced while the host runs may declare other hosts. */
    private final Map<IntegrationSchema, Set<String>> allowedHosts = new ConcurrentHashMap<>();

    /** @param pluginsConfig the {@code plugins} config node */
    PluginConfigs(Config pluginsConfig) {
        this.pluginsConfig = pluginsConfig;
    }

    /**
     * @param key the integration's key
     * @return its {@code plugins.<key>} subtree as keys relative to it (such as {@code api-url}) and their values
     */
    Map<String, String> config(String key) {
        return configs.computeIfAbsent(key, this::flatten);
    }

    /**
     * The hosts a plugin may reach: its schema's list, the operator's {@code plugins.<key>.allowed-hosts}, and the
     * host of {@code plugins.<key>.api-url}, since an operator who points a plugin at a server means it to reach it.
     * A schema without a list leaves the plugin unrestricted.
     *
     * @param loaded the integration
     * @return the hosts, or none for no restriction
     */
    Set<String> allowedHosts(LoadedIntegration loaded) {
        return allowedHosts.computeIfAbsent(loaded.schema(), ignored -> hostsOf(loaded));
    }

    private Set<String> hostsOf(LoadedIntegration loaded) {
        if (loaded.schema().allowedHosts().isEmpty()) {
            return Set.of();
        }
        Config plugin = pluginsConfig.get(loaded.key());
        Set<String> hosts = new LinkedHashSet<>(loaded.schema().allowedHosts());
        hosts.addAll(HostSettings.list(plugin.get("allowed-hosts")));
        plugin.get("api-url").asString().map(PluginConfigs::hostOf).ifPresent(host -> host.ifPresent(hosts::add));
        return hosts;
    }

    /**
     * @param url a URL, perhaps with spaces around it
     * @return its host, or empty when it is no URL
     */
    static Optional<String> hostOf(String url) {
        try {
            return Optional.ofNullable(URI.create(url.strip()).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> flatten(String key) {
        Config node = pluginsConfig.get(key);
        Map<String, String> values = new HashMap<>();
        node.traverse().filter(Config::isLeaf).forEach(leaf ->
                leaf.asString().ifPresent(value -> values.put(leaf.key().toString().substring(
                        node.key().toString().length() + 1), value)));
        return Map.copyOf(values);
    }
}
