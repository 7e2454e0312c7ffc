/**
 * Configuration: the layered sources an operator controls (defaults, {@code conf/application.yaml}, an extra file,
 * the environment) and the typed settings the rest of the host reads from them.
 */
package com.rainforestqa.integrations.host.config;
