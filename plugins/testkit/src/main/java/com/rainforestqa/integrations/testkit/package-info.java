/**
 * Test support for integration plugins: {@link com.rainforestqa.integrations.testkit.FakeTarget}, a real HTTP server
 * that records requests and answers from a script, and {@link com.rainforestqa.integrations.testkit.TestContext}, a
 * stand-in for the context the host lends a plugin.
 */
package com.rainforestqa.integrations.testkit;
