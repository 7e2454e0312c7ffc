/**
 * When a failed delivery is tried again: the backoff between the attempts made while the caller waits, and the
 * schedule of a queued delivery. It depends on nothing else in the host, so both the configuration that builds these
 * policies and the delivery that follows them can use it.
 */
package com.rainforestqa.integrations.host.retry;
