/**
 * The command line of {@code bin/rainforest-integrations}: {@code serve} (the default), {@code check}, {@code send}
 * and {@code plugins}, which use the same plugin loading and delivery as the server.
 */
package com.rainforestqa.integrations.host.cli;
