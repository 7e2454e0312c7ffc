package com.rainforestqa.integrations.host.observe;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The process's and the JVM's figures (CPU, memory, threads, collections, class loading ...) from the Prometheus
 * client's JVM instrumentation. They describe the process, not one host, so one registry holds them per process:
 * the instrumentation adds listeners to the JVM's collectors at registration, which a registry per host (tests start
 * many hosts in one JVM) would add again and never remove.
 */
final class JvmFigures {
    private JvmFigures() {
    }

    /** @return the registry of the JVM's figures, filled at first use */
    static PrometheusRegistry registry() {
        return Holder.REGISTRY;
    }

    /** Registers at first use, so that a process that never builds the host's meters pays nothing. */
    private static final class Holder {
        private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }
}
