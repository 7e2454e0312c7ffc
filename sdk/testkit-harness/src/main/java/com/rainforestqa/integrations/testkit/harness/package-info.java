/**
 * {@link com.rainforestqa.integrations.testkit.harness.PluginHarness}: a plugin under test run by the real host, the
 * way an installation runs it.
 */
package com.rainforestqa.integrations.testkit.harness;
