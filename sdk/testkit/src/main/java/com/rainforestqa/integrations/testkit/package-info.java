/**
 * Test support for integration plugins: {@link com.rainforestqa.integrations.testkit.FakeTarget}, a real HTTP server
 * that records requests and answers from a script, {@link com.rainforestqa.integrations.testkit.TestContext}, a
 * stand-in for the context the host lends a plugin, and {@link com.rainforestqa.integrations.testkit.SamplePayloads}
 * for every event type. Running a plugin through the real host is the job of the {@code integrations-testkit-harness}
 * artifact, which builds on this one.
 */
package com.rainforestqa.integrations.testkit;
