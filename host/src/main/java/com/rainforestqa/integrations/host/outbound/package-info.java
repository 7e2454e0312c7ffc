/**
 * Outbound HTTP for plugins, on Helidon's WebClient: time-outs bounded by the event's deadline, the hosts a plugin
 * may reach, and answers captured up to a limit.
 */
package com.rainforestqa.integrations.host.outbound;
