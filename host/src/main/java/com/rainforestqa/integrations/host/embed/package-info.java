/**
 * The one door into the host for code that runs it in-process, such as the plugin test harness: check a plugin as
 * {@code rainforest-integrations check} does, start a host on an installation directory, deliver events. Only plain
 * JDK and Jakarta JSON types cross it, so the rest of the host stays free to change.
 */
package com.rainforestqa.integrations.host.embed;
