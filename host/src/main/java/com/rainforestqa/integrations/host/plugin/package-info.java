/**
 * Plugin loading: finds plugin jars in the plugins directory, gives each its own class loader, reads the schema it
 * bundles, and keeps the loaded integrations by key; while the host runs, watches the directory and swaps plugins
 * added, removed or replaced.
 */
package com.rainforestqa.integrations.host.plugin;
